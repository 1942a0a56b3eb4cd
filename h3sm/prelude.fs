\ h3sm/prelude.fs -- the part of H3sm written in H3sm. Compiled when an instance
\ starts. Stack effects in the notation of asm/h3sm.inc.

: BUFFER: ( u "name" --- ) CREATE ALLOT ;
: SLITERAL ( a u --- ) \ compile a string literal
  POSTPONE AHEAD 2SWAP HERE >R DUP , HERE SWAP DUP ALLOT MOVE
  POSTPONE THEN R@ CELL+ POSTPONE LITERAL R> @ POSTPONE LITERAL ; IMMEDIATE
4 CONSTANT CELL ( --- 4 ) \ bytes in a cell (common usage, not CORE)
: UMIN ( u1 u2 --- u ) 2DUP U< IF DROP ELSE NIP THEN ;
: SCAN ( a u c --- a' u' ) \ to the first c, or the end
  >R BEGIN DUP WHILE OVER C@ R@ <> WHILE 1 /STRING REPEAT THEN R> DROP ;
: SAVE-INPUT ( --- x 1 ) >IN @ 1 ;
: RESTORE-INPUT ( x 1 --- flag ) DROP >IN ! FALSE ;

\ ---- looking at the stacks and the dictionary ----
: .S ( --- ) \ data stack and pointer stack bottom first, return depth, Size
  ." <" DEPTH 0 .R ." > "  DEPTH 0 ?DO DEPTH I - 1- PICK . LOOP
  ." P<" PDEPTH 0 .R ." > " PDEPTH 0 ?DO PDEPTH I - 1- PPICK . LOOP
  ." R<" RDEPTH 1- 0 .R ." > Size " SIZE . ;

: >NAME ( header --- a u ) 10 + COUNT ;
: HIDDEN? ( header --- flag ) 8 + C@ $40 AND 0<> ;
: WORDS ( --- ) \ every visible word, newest first
  0 LATEST @ BEGIN ?DUP WHILE
    DUP HIDDEN? 0= IF
      DUP >NAME NIP ROT + 1+ DUP 72 > IF CR DROP 0 THEN SWAP
      DUP >NAME TYPE SPACE THEN
    @ REPEAT DROP CR ;

: DUMP ( a u --- ) \ 16 bytes a line: address, hex, characters
  BASE @ >R HEX
  OVER + SWAP ?DO
    CR I 8 U.R ." :"
    16 0 DO J I + C@ 3 U.R LOOP 2 SPACES
    16 0 DO J I + C@ DUP 32 127 WITHIN 0= IF DROP [CHAR] . THEN EMIT LOOP
  16 +LOOP CR R> BASE ! ;

\ ---- SEE: decompile native code back into words ----
VARIABLE SEE-END  VARIABLE SEE-START   \ ( --- a ) the word SEE is showing: its end, its start
: INSIDE? ( a --- flag ) SEE-START @ SEE-END @ WITHIN ;
: .OFF ( target --- ) ( as an offset in the word ) SEE-START @ - ." ->" 0 .R SPACE ;
: XT>HEADER ( xt --- header | 0 )
  LATEST @ BEGIN DUP WHILE 2DUP 4 + @ = IF NIP EXIT THEN @ REPEAT NIP ;
: CODE-END ( xt --- a ) \ where the next header, or HERE, begins
  HERE SWAP LATEST @ BEGIN ?DUP WHILE
    2DUP U< IF ROT OVER UMIN -ROT THEN @ REPEAT DROP ;
: BYTES= ( a1 a2 u --- flag ) 0 ?DO OVER I + C@ OVER I + C@ <> IF 2DROP UNLOOP FALSE EXIT THEN LOOP 2DROP TRUE ;
: REL@ ( a --- target ) DUP @ + 4 + ; \ a rel32 field's target
: INLINE-SEQ ( header --- a u | 0 0 ) \ the bytes a compile-only word lays down
  4 + @ DUP C@ $E8 = IF DUP 1+ REL@ (INLINE) = IF 5 + COUNT EXIT THEN THEN DROP 0 0 ;
: INLINE-BODY ( header --- a u ) DUP 8 + C@ $20 AND IF DUP 4 + @ SWAP 9 + C@ ELSE INLINE-SEQ THEN ;
VARIABLE BEST  VARIABLE BEST-LEN   \ ( --- a ) the best match so far: header, length
: FITS? ( a u --- flag ) SWAP SEE-END @ SWAP - > 0= ; \ u bytes from a stay in the word
: MATCH ( a --- ) \ the longest inlined body that matches at a, in BEST
  0 BEST ! 0 BEST-LEN !
  LATEST @ BEGIN ?DUP WHILE
    DUP INLINE-BODY ( a h b u )
    DUP BEST-LEN @ > IF
      3 PICK OVER FITS? IF
        3 PICK SWAP DUP >R BYTES= IF DUP BEST ! R@ BEST-LEN ! THEN R> DROP
      ELSE 2DROP THEN
    ELSE 2DROP THEN
  @ REPEAT DROP ;
: .NAMED ( target --- ) DUP XT>HEADER ?DUP IF NIP >NAME TYPE ELSE ." call:" U. THEN SPACE ;
: LIT? ( a --- flag ) DUP @ $FFFFFF AND $FC6D8D = SWAP 3 + @ $BB005D89 = AND ;
: JUMP-OP? ( a u --- flag ) \ does this laid-down sequence end in a rel32 jump?
  DUP 0= IF 2DROP FALSE EXIT THEN
  + DUP 1- C@ $E9 = SWAP 2 - DUP C@ $0F = SWAP 1+ C@ $F0 AND $80 = AND OR ;
: SEE-ONE ( a --- a' ) \ print one item of code, return the next address
  DUP C@ $C3 = IF 1+ DUP SEE-END @ U< IF ." EXIT " ELSE ." ; " THEN EXIT THEN
  DUP LIT? IF DUP 7 + @ . 11 + EXIT THEN
  DUP C@ $E8 = IF DUP 1+ REL@ ( a target )
    DUP (SLIT) = OVER (ABORTQ) = OR IF
      (SLIT) = IF ." S" [CHAR] " EMIT ELSE ." ABORT" [CHAR] " EMIT THEN SPACE
      5 + DUP @ SWAP 4 + SWAP 2DUP TYPE [CHAR] " EMIT SPACE + EXIT THEN
    DUP (CLIT) = IF DROP ." C" [CHAR] " EMIT SPACE 5 + COUNT 2DUP TYPE [CHAR] " EMIT SPACE + EXIT THEN
    DUP (DOES) = IF DROP ." DOES> " 5 + 9 + EXIT THEN
    DUP (POSTPONED) = IF DROP ." (compile) " 5 + EXIT THEN
    .NAMED 5 + EXIT THEN
  DUP C@ $E9 = IF DUP 1+ REL@ DUP INSIDE? IF ." branch" .OFF ELSE .NAMED ." (tail) " THEN 5 + EXIT THEN
  DUP MATCH BEST @ IF BEST @ >NAME TYPE SPACE
    BEST @ INLINE-BODY JUMP-OP? SWAP BEST-LEN @ + SWAP IF DUP REL@ .OFF 4 + THEN EXIT THEN
  BASE @ >R HEX ." $" DUP C@ 0 <# # # #> TYPE ."  c, " R> BASE ! 1+ ;
: SEE ( "name" --- ) \ decompile a word
  ' DUP CODE-END SEE-END !  DUP SEE-START !  ( xt )
  CR ." : " DUP XT>HEADER >NAME TYPE SPACE
  DUP BEGIN DUP SEE-END @ U< WHILE SEE-ONE REPEAT 2DROP CR ;

\ ---- rings: the process side of a stream device (docs/calls.md) ----
\ +0 size (a power of two), +4 count, +8 mark, +12 lost, +16 the bytes.
: RING ( size "name" --- ) CREATE DUP , 0 , 0 , 0 , ALLOT ;
: RING-SIZE ( ring --- u ) @ ;
: RING-COUNT ( ring --- a ) CELL+ ;
: RING-MARK ( ring --- a ) 8 + ;
: RING-LOST ( ring --- u ) 12 + @ ;
: RING-DATA ( ring --- a ) 16 + ;
: RING-PENDING ( ring --- u ) DUP RING-COUNT @ SWAP RING-MARK @ - ;
: >RING ( c ring --- ) \ append a byte, to be sent
  DUP >R RING-COUNT @ R@ RING-SIZE 1- AND R@ RING-DATA + C!  1 R> RING-COUNT +! ;
: RING> ( ring --- c | -1 ) \ take the next byte received, -1 if none
  DUP RING-PENDING 0= IF DROP -1 EXIT THEN
  DUP RING-PENDING OVER RING-SIZE > IF            \ lapped by our own ring: skip on,
    DUP RING-PENDING OVER RING-SIZE - OVER 12 + +!  \ counting what was lost
    DUP RING-COUNT @ OVER RING-SIZE - OVER RING-MARK ! THEN
  DUP RING-MARK @ OVER RING-SIZE 1- AND OVER RING-DATA + C@ 1 ROT RING-MARK +! ;
: S>RING ( a u ring --- ) SWAP 0 ?DO OVER I + C@ OVER >RING LOOP 2DROP ;

\ ---- blocks ----
: LIST ( u --- ) \ show a block: 16 lines of 64
  DUP SCR ! ." Block " DUP U. BLOCK 16 0 DO CR I 2 U.R SPACE DUP I 64 * + 64 TYPE LOOP DROP CR ;
: THRU ( u1 u2 --- ) 1+ SWAP ?DO I LOAD LOOP ;
HERE FENCE ! \ a negative ALLOT releases none of the words above

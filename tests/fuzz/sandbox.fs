\ tests/fuzz/sandbox.fs -- the dictionary the fuzzer's inputs see (tests/fuzz/h3sm_fuzz.c,
\ docs/robustness.md). Loaded after tests/please/host.fs. Words that let any Forth
\ program crash its Forth are redefined at the end: stores and moves write only the
\ inputs' own data (bodies of the words they CREATE, PAD, BASE >IN STATE), words that
\ run an xt take only the xt of a finished word, ALLOT BUFFER: RING SLITERAL take no
\ negative size, and the return stack's words and the compiler's internal words are
\ refused (-21). What was compiled before keeps the real words, so host.fs and
\ please.fs run as they do in Ha3sm; FZ-HIDE hides them from the inputs.

\ ---- the please parser's two entries: owner and guest ----
: FZ-ASK ( a u --- ) 0 GUEST ! ASK ;
: FZ-ASK-GUEST ( a u --- ) -1 GUEST ! ASK ;

\ ---- what a CREATEd word's body is ----
: FZ-NOPS ( a --- a' ) BEGIN DUP C@ $90 = WHILE 1+ REPEAT ;
: FZ-CALLEE ( a --- target ) \ the target of the call (E8 rel32) at a
  DUP 1+ @ SWAP 5 + + ;
CREATE FZ-PROBE   ' FZ-PROBE FZ-NOPS FZ-CALLEE CONSTANT FZ-DOVAR
: FZ-DOES ( --- ) CREATE DOES> ;   FZ-DOES FZ-PROBE2
' FZ-PROBE2 FZ-NOPS FZ-CALLEE 5 - FZ-CALLEE CONSTANT FZ-DOES-RT
: FZ-BODY ( xt --- body | 0 ) \ the body of a CREATEd word (plain or DOES>), else 0
  FZ-NOPS DUP C@ $E8 <> IF DROP 0 EXIT THEN
  DUP 5 + 3 AND IF DROP 0 EXIT THEN
  DUP FZ-CALLEE DUP FZ-DOVAR = IF DROP 5 + EXIT THEN
  5 - DUP C@ $E8 = IF FZ-CALLEE FZ-DOES-RT = IF 5 + EXIT THEN ELSE DROP THEN
  DROP 0 ;

\ ---- FZ-OK: may [a, a+n) be written? ----
VARIABLE FZ-HERE0                      \ the inputs' words start here (set at the end)
VARIABLE FZ-A   VARIABLE FZ-N   VARIABLE FZ-END
: FZ-INSIDE? ( lo hi --- flag ) \ [FZ-A, FZ-A+FZ-N) inside [lo, hi)
  SWAP FZ-A @ SWAP U< IF DROP FALSE EXIT THEN  FZ-A @ FZ-N @ + U< 0= ;
: FZ-OK ( a n --- ) \ THROW -9 unless [a, a+n) is the inputs' data
  DUP 0= IF 2DROP EXIT THEN
  DUP 1 65537 WITHIN 0= IF -9 THROW THEN
  FZ-N !  FZ-A !  FZ-A @ FZ-N @ + FZ-A @ U< IF -9 THROW THEN
  PAD DUP 256 + FZ-INSIDE? IF EXIT THEN
  BASE DUP CELL+ FZ-INSIDE? IF EXIT THEN
  >IN DUP CELL+ FZ-INSIDE? IF EXIT THEN
  STATE DUP CELL+ FZ-INSIDE? IF EXIT THEN
  HERE FZ-END !  LATEST @
  BEGIN DUP FZ-HERE0 @ U< 0= WHILE
    DUP CELL+ @ FZ-BODY ?DUP IF FZ-END @ FZ-INSIDE? IF DROP EXIT THEN THEN
    DUP FZ-END !  @
  REPEAT DROP -9 THROW ;

\ ---- FZ-XT: is xt a finished word's? ----
: FZ-XT ( xt --- xt )
  LATEST @ BEGIN DUP WHILE
    2DUP CELL+ @ = IF DUP 8 + C@ $40 AND 0= IF DROP EXIT THEN THEN @
  REPEAT -9 THROW ;

\ FZ-HIDE, run once the C side has found FZ-ASK, FZ-ASK-GUEST and UD2: takes every
\ word of host.fs, please.fs and this file but the ones below out of the word list, so
\ an input cannot find and call the harness's words or the parser's with arguments
\ of its own (they were compiled with the real stores), and puts FENCE at HERE. FZ-PRELUDE-END is the prelude's
\ newest word, named by the C side's setup text before host.fs.
VARIABLE FZ-PUBLIC                     \ the first word the inputs get
\ FZ-OPEN: a colon definition is open (from : or :NONAME to ;, or an error): the
\ data space is its code then, so C, , ALLOT would lay bytes that run as
\ machine code (: X [ 0 C, ] ; X) -- H3sm's way to write code, not the fuzzer's.
VARIABLE FZ-OPEN
: FZ-DATA ( --- ) FZ-OPEN @ IF -21 THROW THEN ;
: FZ-HIDE ( --- ) \ links the oldest public word to the prelude's newest
  HERE FZ-HERE0 !  HERE FENCE !
  0 LATEST @ BEGIN DUP FZ-PUBLIC @ U< 0= WHILE NIP DUP @ REPEAT DROP
  ?DUP IF FZ-PRELUDE-END SWAP ! ELSE FZ-PRELUDE-END LATEST ! THEN ;

\ ---- the words the inputs get ----
HERE FZ-PUBLIC !
: : ( "name" --- ) -1 FZ-OPEN ! : ;
: :NONAME ( --- xt ) -1 FZ-OPEN ! :NONAME ;
: ; ( --- ) 0 FZ-OPEN ! POSTPONE ; ; IMMEDIATE
: C, ( c --- ) FZ-DATA C, ;
: , ( x --- ) FZ-DATA , ;
: IS ( xt "name" --- ) STATE @ IF ['] FZ-XT COMPILE, ELSE FZ-XT THEN [COMPILE] IS ; IMMEDIATE
: DEFER! ( xt2 xt1 --- ) SWAP FZ-XT SWAP DEFER! ;
: EXECUTE ( i*x xt --- j*x ) FZ-XT EXECUTE ;
: CATCH ( i*x xt --- j*x 0 | i*x n ) FZ-XT CATCH ;
: COMPILE, ( xt --- ) FZ-XT COMPILE, ;
: ! ( x a --- ) DUP CELL FZ-OK ! ;
: C! ( c a --- ) DUP 1 FZ-OK C! ;
: +! ( n a --- ) DUP CELL FZ-OK +! ;
: 2! ( x1 x2 a --- ) DUP 2 CELLS FZ-OK 2! ;
: S! ( x a --- ) DUP SIZE FZ-OK S! ;
: !P ( x --- ) P@ SIZE FZ-OK !P ;
: !P+ ( x --- ) P@ SIZE FZ-OK !P+ ;
: PYTE! ( u --- ) P@ SIZE FZ-OK PYTE! ;
: PYTE+ ( --- ) PSWAP P@ PSWAP SIZE FZ-OK PYTE+ ;
: PYTE- ( --- ) PSWAP P@ PSWAP SIZE FZ-OK PYTE- ;
: MOVE ( from to u --- ) 2DUP FZ-OK MOVE ;
: CMOVE ( from to u --- ) 2DUP FZ-OK CMOVE ;
: CMOVE> ( from to u --- ) 2DUP FZ-OK CMOVE> ;
: FILL ( a u c --- ) >R 2DUP FZ-OK R> FILL ;
: ERASE ( a u --- ) 2DUP FZ-OK ERASE ;
: BLANK ( a u --- ) 2DUP FZ-OK BLANK ;
: ACCEPT ( a n --- n2 ) 2DUP FZ-OK ACCEPT ;
: CLIP-MOVE ( from u to end --- to' ) \ writes min(u, end-to) bytes at to, if to < end
  2DUP U< IF 2DUP SWAP - 3 PICK UMIN 2 PICK SWAP FZ-OK THEN CLIP-MOVE ;
: ALLOT ( n --- ) \ not back below the inputs' start
  FZ-DATA DUP 0< IF DUP NEGATE HERE FZ-HERE0 @ - U> IF -9 THROW THEN THEN ALLOT ;
: BUFFER: ( u "name" --- ) DUP 0 65537 WITHIN 0= IF -9 THROW THEN BUFFER: ;
: RING ( size "name" --- ) DUP 0 65537 WITHIN 0= IF -9 THROW THEN RING ;
: SLITERAL ( a u --- ) DUP 0 65537 WITHIN 0= IF -9 THROW THEN [COMPILE] SLITERAL ; IMMEDIATE
: FZ-REFUSED ( --- ) -21 THROW ;
: >R FZ-REFUSED ; IMMEDIATE   : R> FZ-REFUSED ; IMMEDIATE
: 2>R FZ-REFUSED ; IMMEDIATE  : 2R> FZ-REFUSED ; IMMEDIATE
: RDROP FZ-REFUSED ; IMMEDIATE  : UNLOOP FZ-REFUSED ; IMMEDIATE
: EXIT FZ-REFUSED ; IMMEDIATE
: (MARKER) FZ-REFUSED ; IMMEDIATE  : (INLINE) FZ-REFUSED ; IMMEDIATE
: (POSTPONED) FZ-REFUSED ; IMMEDIATE  : (DOVAR) FZ-REFUSED ; IMMEDIATE
: (DOES) FZ-REFUSED ; IMMEDIATE  : (ABORTQ) FZ-REFUSED ; IMMEDIATE
: (CLIT) FZ-REFUSED ; IMMEDIATE  : (SLIT) FZ-REFUSED ; IMMEDIATE
: (0BRANCH) FZ-REFUSED ; IMMEDIATE  : (DO) FZ-REFUSED ; IMMEDIATE
: >RING FZ-REFUSED ;  : RING> FZ-REFUSED ;  : S>RING FZ-REFUSED ;

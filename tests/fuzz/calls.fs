\ tests/fuzz/calls.fs - the call fuzzer (issue 9), typed into a guest's H3sm.
\ FUZZ ( seed n --- ) makes n calls to the five traps (read write send receive
\ please) with random stack contents from a xorshift32 PRNG seeded with seed:
\ device IDs (opened ones and random), pointers inside the scratch area, at and
\ past the segment's end, wrapping, into the guard area, anywhere (rarely
\ into the fuzzer's own code and stacks: the guest may fault and be logged out); ring and
\ block headers with random sizes, counts and marks; please buffers with random
\ capacities and lengths holding random and mutated messages; and raw traps
\ with the data and pointer stack registers themselves random. The choices
\ depend on the seed alone (never on a call's result), so a seed replays.
\ Prints "FZ <calls> <successes>" every 1000 calls and "FZEND <calls>
\ <successes>" at the end. tests/test_fuzz_calls.py drives it.
VARIABLE SEED  VARIABLE CALLS  VARIABLE OKS
VARIABLE RAWS  -1 RAWS !  \ 0 RAWS ! leaves out the raw traps (C-RAW)
: RND ( --- u ) SEED @ DUP 13 LSHIFT XOR DUP 17 RSHIFT XOR DUP 5 LSHIFT XOR DUP SEED ! ;
: CHOOSE ( n --- u ) >R RND 0 R> UM/MOD DROP ;
: SEG ( --- u ) HERE UNUSED + ;
: SCR ( --- a ) HERE 262144 + ;  \ far above HERE: what the interpreter keeps near HERE stays whole
CREATE IDS 16 CELLS ALLOT  VARIABLE NIDS
: +ID ( id --- ) ?DUP IF NIDS @ CELLS IDS + ! 1 NIDS +! THEN ;
: IDS! ( --- ) 0 NIDS !  S" #.com1 open" ASK +ID  S" #.com2 open" ASK +ID
  S" #.com3 open" ASK +ID  S" #.com4 open" ASK +ID  S" #.console open" ASK +ID
  S" #clock open" ASK +ID  S" #ramdisk open" ASK +ID  S" #floppy open" ASK +ID ;
: ID ( --- id ) 4 CHOOSE NIDS @ AND IF NIDS @ CHOOSE CELLS IDS + @ EXIT THEN
  4 CHOOSE IF 40 CHOOSE ELSE RND THEN ;
: PTR ( --- a ) 16 CHOOSE
  DUP 10 < IF DROP SCR 65536 CHOOSE + EXIT THEN
  DUP 10 = IF DROP RND EXIT THEN
  DUP 11 = IF DROP SEG 64 CHOOSE - EXIT THEN
  DUP 12 = IF DROP SEG 64 CHOOSE + EXIT THEN
  DUP 13 = IF DROP 64 CHOOSE NEGATE EXIT THEN
  DUP 14 = IF DROP 64 CHOOSE EXIT THEN
  DROP 1024 CHOOSE IF SCR 200000 CHOOSE + ELSE SEG CHOOSE THEN ;  \ rarely: anywhere
: SZ ( --- u ) 8 CHOOSE
  DUP 0= IF DROP RND EXIT THEN  DUP 1 = IF DROP 0 EXIT THEN
  2 = IF 1 16 CHOOSE LSHIFT 1+ EXIT THEN  1 15 CHOOSE LSHIFT ;
: OURS? ( a --- flag ) SCR - 200000 U< ;
: HDR ( a --- a ) \ a ring or block header there, if the scratch area is there
  DUP OURS? 0= IF EXIT THEN
  SZ OVER !  4 CHOOSE IF 0 ELSE RND THEN OVER CELL+ !
  DUP CELL+ @ 4 CHOOSE IF 2000 CHOOSE - ELSE DROP RND THEN OVER 8 + !
  4 CHOOSE 0= IF RND OVER 12 + ! THEN ;
: TMO ( --- u ) 8 CHOOSE IF 3 CHOOSE EXIT THEN 16 CHOOSE IF 100 CHOOSE ELSE RND THEN ;
CREATE VOCT 64 CELLS ALLOT  VARIABLE NW  \ the words please messages are made of
: W ( "word" --- ) PARSE-NAME HERE NW @ CELLS VOCT + ! DUP C, HERE SWAP DUP ALLOT MOVE 1 NW +! ;
W open W close W rest W devices W identify W memory W boot W register W unregister
W install W start W stop W calibrate W checksum W #clock W #.com2 W #com2 W #console
W #.clock#x W #a#b#c W #ramdisk W ( W ) W \ W date W time W epoch W uptime W processes
W loading W bequeath W kill W x W 0 W 1 W -1 W 4294967295 W # W #clock#a#b#c#d#e#f#g
: NTH ( n --- a u ) CELLS VOCT + @ COUNT ;
CREATE MSG 1200 ALLOT  VARIABLE ML
: +C ( c --- ) ML @ 1200 < IF MSG ML @ + C! 1 ML +! ELSE DROP THEN ;
: +S ( a u --- ) 0 ?DO DUP I + C@ +C LOOP DROP ;
: MUTATE ( --- ) 4 CHOOSE 0 ?DO ML @ IF 256 CHOOSE MSG ML @ CHOOSE + C! THEN LOOP
  8 CHOOSE 0= IF ML @ 1+ CHOOSE ML ! THEN ;
: MKMSG ( --- ) 0 ML !
  8 CHOOSE 0= IF 1 +C NW @ CHOOSE NTH +S 4 CHOOSE IF 2 +C THEN THEN
  6 CHOOSE 1+ 0 DO NW @ CHOOSE NTH +S BL +C LOOP
  16 CHOOSE 0= IF 300 CHOOSE 0 ?DO 256 CHOOSE +C LOOP THEN
  16 CHOOSE 0= IF 40 CHOOSE 0 ?DO [CHAR] x +C LOOP THEN
  4 CHOOSE IF MUTATE THEN ;
: CAP ( --- u ) 8 CHOOSE
  DUP 0= IF DROP RND EXIT THEN  DUP 1 = IF DROP 0 EXIT THEN
  2 = IF 16 CHOOSE EXIT THEN  ML @ 1100 CHOOSE + ;
: PBUF ( a --- a ) \ a please buffer there, if the scratch area is there
  DUP OURS? 0= IF EXIT THEN
  CAP OVER !  8 CHOOSE IF ML @ ELSE RND THEN OVER CELL+ !  MSG OVER 8 + ML @ MOVE ;
: RES ( x --- ) IF 1 OKS +! THEN ;
: C-READ ( --- ) ID >P PTR HDR >P READ RES PDROP PDROP ;
: C-WRITE ( --- ) ID >P PTR HDR >P TMO WRITE RES PDROP PDROP ;
: C-SEND ( --- ) ID >P PTR HDR >P TMO SEND RES PDROP PDROP ;
: C-RECV ( --- ) ID >P PTR HDR >P RECEIVE RES PDROP PDROP ;
: C-PLEASE ( --- ) MKMSG PTR PBUF >P PLEASE RES PDROP ;
\ a trap with the data stack pointer (ebp) and the pointer stack pointer (esi)
\ given: ( dsp psp tos --- result ): push ebp, push esi, mov esi,[ebp],
\ mov ebp,[ebp+4], int N, pop esi, pop ebp, lea ebp,[ebp+8]
: RAWCODE ( n --- ) $55 C, $56 C, $8B C, $75 C, $00 C, $8B C, $6D C, $04 C, $CD C, C,
  $5E C, $5D C, $8D C, $6D C, $08 C, ;
: RAW0 [ $30 RAWCODE ] ; : RAW1 [ $31 RAWCODE ] ; : RAW2 [ $32 RAWCODE ] ;
: RAW3 [ $33 RAWCODE ] ; : RAW4 [ $34 RAWCODE ] ;
: C-RAW ( --- ) SCR 128 CHOOSE + >R  PTR HDR R@ !  ID R@ CELL+ !
  4 CHOOSE IF PTR ELSE RND THEN  4 CHOOSE IF R@ ELSE PTR THEN  R> DROP
  4 CHOOSE IF TMO ELSE RND THEN
  5 CHOOSE CASE 0 OF RAW0 ENDOF 1 OF RAW1 ENDOF 2 OF RAW2 ENDOF 3 OF RAW3 ENDOF
  4 OF RAW4 ENDOF ENDCASE RES ;
: CALL1 ( --- ) 1 CALLS +! 40 CHOOSE
  DUP 4 < RAWS @ AND IF DROP C-RAW EXIT THEN  5 MOD CASE 0 OF C-READ ENDOF 1 OF C-WRITE ENDOF
  2 OF C-SEND ENDOF 3 OF C-RECV ENDOF 4 OF C-PLEASE ENDOF ENDCASE ;
: FZ. ( --- ) CALLS @ 0 .R SPACE OKS @ 0 .R SPACE DEPTH 0 .R SPACE PDEPTH 0 .R CR ;
: FUZZ ( seed n --- ) SWAP ?DUP 0= IF 1 THEN SEED ! 0 CALLS ! 0 OKS ! IDS!
  0 ?DO CALL1 CALLS @ 1000 MOD 0= IF ." FZ " FZ. THEN LOOP ." FZEND " FZ. ;

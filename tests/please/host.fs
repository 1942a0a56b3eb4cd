\ tests/please/host.fs -- the please interpreter (h3sm/please.fs) hosted: the
\ kernel's side played by H3sm, so the parser runs on Linux (tests/test_please_parser.py,
\ the fuzzers). Run: build/h3sm tests/please/host.fs, then MESSAGE lines.
INCLUDE ../../build/gen/layout.fs
\ the exchange areas over buffers of our own (the kernel's are at fixed offsets)
CREATE REQBUF KREQ_TEXT KREQ_MAX + ALLOT   REQBUF CONSTANT KREQ
CREATE ANSBUF KANS_TEXT KANS_MAX + ALLOT   ANSBUF CONSTANT KANS
CREATE QBUF KQRES_MAX ALLOT                QBUF CONSTANT KQRES
\ the kernel's answers to queries: fixed, known facts
: FAKE-PROCS ( --- ) QBUF KQRES_MAX ERASE 2 QBUF !
  QBUF CELL+ DUP KP_PID + 1 SWAP !  DUP KP_FLAGS + BIRTH_OWNER SWAP !
  DUP KP_MEM + 2097152 SWAP !  DUP KP_LOAD + 250 SWAP !  DUP KP_TICKS + 9000 SWAP !
  DUP KP_MISSED + 3 SWAP !  DUP KP_MAXWAIT + 40 SWAP !
  DUP KP_INTERVAL + 1000 SWAP !  DUP KP_USER + S" root" ROT 2DUP C! 1+ SWAP MOVE
  DUP KP_TERM + S" .console" ROT 2DUP C! 1+ SWAP MOVE
  KP_SIZE + DUP KP_PID + 2 SWAP !  DUP KP_FLAGS + BIRTH_GETTY SWAP !
  DUP KP_MEM + 262144 SWAP !  DUP KP_INTERVAL + 1000 SWAP !
  KP_TERM + S" .com1" ROT 2DUP C! 1+ SWAP MOVE ;
: FAKE-RTC ( --- ) QBUF KQRES_MAX ERASE
  2026 QBUF KR_YEAR + !  11 QBUF KR_MONTH + !  21 QBUF KR_DAY + !
  9 QBUF KR_HOUR + !  5 QBUF KR_MIN + !  7 QBUF KR_SEC + !
  $12345678 QBUF KR_USEC_LO + !  $9A QBUF KR_USEC_HI + !  1 QBUF KR_OK + ! ;
: PLEASE ( --- success ) \ (P: a ||| ) a query from the interpreter
  P@ KANS_OP + @ DUP KQ_PROCS = IF DROP FAKE-PROCS -1 EXIT THEN
  KQ_RTC = IF FAKE-RTC -1 EXIT THEN 0 ;
INCLUDE ../../h3sm/please.fs
\ a request: the caller is an owner unless GUEST is set; the facts that change
\ in the kernel can be changed here between messages
VARIABLE GUEST
VARIABLE UPTIME-MS  1234567 UPTIME-MS !   VARIABLE FREE-BYTES  500000000 FREE-BYTES !
VARIABLE NPROCS  3 NPROCS !
: FACTS ( --- ) REQBUF KREQ_TEXT ERASE 7 REQBUF KREQ_PID + !
  GUEST @ 0= BIRTH_OWNER AND REQBUF KREQ_FLAGS + !
  UPTIME-MS @ REQBUF KREQ_UPTIME + !  FREE-BYTES @ REQBUF KREQ_FREE + !
  536870912 REQBUF KREQ_TOTAL + !  NPROCS @ REQBUF KREQ_NPROC + !
  6 REQBUF KREQ_CPUFAM + !  15 REQBUF KREQ_CPUMODEL + !
  S" GenuineIntel" REQBUF KREQ_VENDOR + SWAP MOVE  1024 REQBUF KREQ_CAP + ! ;
: .HEX2 ( c --- ) BASE @ >R HEX 0 <# # # #> TYPE R> BASE ! ;
: .ESCAPED ( a u --- ) \ printable bytes as they are, others as <hh>
  0 ?DO DUP I + C@ DUP 32 127 WITHIN IF EMIT ELSE [CHAR] < EMIT .HEX2 [CHAR] > EMIT THEN LOOP DROP ;
: .ANSWER ( --- ) \ op result length: text
  ." op=" KANS KANS_OP + @ . ." result=" KANS KANS_RESULT + @ .
  ." len=" KANS KANS_LEN + @ DUP . ." : " ATEXT SWAP .ESCAPED CR ;
: ASK ( a u --- ) \ one message through HANDLE
  FACTS KREQ_MAX MIN DUP REQBUF KREQ_LEN + ! REQBUF KREQ_TEXT + SWAP MOVE
  KANS KANS_TEXT ERASE HANDLE .ANSWER ;
\ MESSAGE <text to the end of the line>: control bytes as ^A ^B ^C, any byte as \xHH
CREATE MBUF KREQ_MAX ALLOT   VARIABLE MLEN
: HEXDIGIT ( c --- n ) DUP [CHAR] 9 > IF [CHAR] a - 10 + ELSE [CHAR] 0 - THEN ;
: M+ ( c --- ) MLEN @ KREQ_MAX < IF MBUF MLEN @ + C! 1 MLEN +! ELSE DROP THEN ;
: MESSAGE ( "text<eol>" --- )
  0 MLEN !  10 PARSE BEGIN DUP WHILE
    OVER C@ [CHAR] ^ = OVER 1 > AND IF OVER 1+ C@ [CHAR] @ - M+ 2 /STRING ELSE
    OVER C@ [CHAR] \ = OVER 3 > AND DUP IF DROP OVER 1+ C@ [CHAR] x = THEN IF OVER 2 + C@ HEXDIGIT 16 * 2 PICK 3 + C@ HEXDIGIT + M+ 4 /STRING ELSE
    OVER C@ M+ 1 /STRING THEN THEN
  REPEAT 2DROP MBUF MLEN @ ASK ;

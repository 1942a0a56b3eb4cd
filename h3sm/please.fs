\ h3sm/please.fs -- the please interpreter (docs/please.md). The kernel's own
\ H3sm instance (birth flag BIRTH_PLEASE, please/kinst.c) compiles this after
\ build/gen/layout.fs (KREQ KANS ... as constants), then runs PLEASE-SERVE.
\ Hosted, tests/please/host.fs defines the same constants over buffers of its
\ own and calls HANDLE directly: the parser is tested and fuzzed without booting.
\
\ A request is at KREQ: who asks (pid, flags, user), a few facts (uptime,
\ memory, cpu) and the message. HANDLE reads the message and leaves one answer
\ at KANS: a reply made here (KA_REPLY), or a command for the kernel to carry
\ out in the caller's name (KA_CMD: the address, the command and its
\ arguments, each a 2-byte little-endian length and the bytes).
\
\ Syntax: words separated by spaces or control bytes; \ and ( ) comments as in
\ Forth; an address: SOH name STX, or #name (Plan 9: #a#b is a path); ETX N
\ b1..bN: binary data of the count b1..bN (big-endian, N = 1..4 bytes) follows.
\ The command is the first word (identify) or the last (name password login).

\ ---- the answer ----------------------------------------------------------------------
KANS KANS_TEXT + CONSTANT ATEXT          \ ( --- a ) the answer's text
ATEXT KANS_MAX + CONSTANT AEND           \ ( --- a ) where it must end
VARIABLE AP                              \ ( --- a ) where its next byte goes
: ANEW ( --- ) ATEXT AP ! ;              \ an empty answer
: ALEN ( --- u ) AP @ ATEXT - ;          \ bytes of answer text so far
: +A ( a u --- ) AP @ AEND CLIP-MOVE AP ! ; \ append to the answer, never past AEND
: +C ( c --- ) AP @ AEND U< IF AP @ C! 1 AP +! ELSE DROP THEN ;
: +N ( u --- ) (U.) +A ;                 \ decimal
: +D ( ud --- ) <# #S #> +A ;
: +2 ( u --- ) 10 /MOD [CHAR] 0 + +C [CHAR] 0 + +C ;   \ two digits, u < 100
KANS KANS_OP + CONSTANT A-OP   KANS KANS_LEN + CONSTANT A-LEN   \ ( --- a ) the
KANS KANS_RESULT + CONSTANT A-RESULT                             \ answer's fields
: ANSWER ( op --- ) A-OP ! ALEN A-LEN ! ;
: OK ( --- ) KA_REPLY ANSWER -1 A-RESULT ! ;
: ERR( ( --- ) ANEW S" error: " +A ;
: )ERR ( --- ) KA_REPLY ANSWER 0 A-RESULT ! 1 THROW ;
: FAIL ( a u --- ) ERR( +A )ERR ;

\ ---- the request ---------------------------------------------------------------------
: REQ ( offset --- a ) KREQ + ;
KREQ_FREE REQ CONSTANT R-FREE   KREQ_UPTIME REQ CONSTANT R-UPTIME   \ ( --- a ) the
KREQ_NPROC REQ CONSTANT R-NPROC   KREQ_LEN REQ CONSTANT R-LEN       \ fields every
KREQ_TEXT REQ CONSTANT R-TEXT                                       \ request reads
: MSG ( --- a u ) R-TEXT R-LEN @ KREQ_MAX MIN ;
: OWNER? ( --- f ) KREQ_FLAGS REQ @ BIRTH_OWNER AND 0<> ;

\ ---- reading the message ---------------------------------------------------------------
1 CONSTANT SOH   2 CONSTANT STX   3 CONSTANT ETX
8 CONSTANT MAXARGS  63 CONSTANT MAXWORD  31 CONSTANT MAXNAME
VARIABLE CUR   VARIABLE END              \ ( --- a ) the reading position, the end
VARIABLE NARGS                           \ ( --- a ) words and binary items so far
CREATE ARGS MAXARGS 2* CELLS ALLOT       \ ( --- a ) address and length of each
CREATE ADDR 0 , 0 ,                      \ ( --- a ) the address: its text (2@)
: MORE? ( --- f ) CUR @ END @ U< ;
: PEEK ( --- c ) CUR @ C@ ;
: ADV ( --- ) 1 CUR +! ;
: CONTROL? ( c --- f ) 1 4 WITHIN ;      \ SOH STX ETX
: WHITE? ( c --- f ) DUP 33 < SWAP CONTROL? 0= AND ;
: LEFT ( --- a u ) CUR @ END @ OVER - ;  \ what is left to read
: SKIP-WHITE ( --- ) \ spaces and control bytes other than SOH STX ETX
  BEGIN LEFT 4 32 SPAN-IN CUR +! MORE? IF PEEK 0= ELSE 0 THEN WHILE ADV REPEAT ;
: TOKEN ( --- a u ) LEFT 33 255 SPAN-IN CUR @ SWAP DUP CUR +! ;  \ bytes above space
: ARG ( i --- a u ) 2* CELLS ARGS + 2@ ;
: +ARG ( a u --- )
  NARGS @ MAXARGS = IF S" too many words (8 at most)" FAIL THEN
  NARGS @ 2* CELLS ARGS + 2!  1 NARGS +! ;
: SKIP-LINE ( --- ) BEGIN MORE? WHILE PEEK 10 <> WHILE ADV REPEAT THEN ;
: SKIP-PAREN ( --- ) \ ( a comment )
  BEGIN MORE? WHILE PEEK [CHAR] ) <> WHILE ADV REPEAT THEN
  MORE? 0= IF S" ( without )" FAIL THEN ADV ;
: NAME! ( a u --- ) \ the message's address
  DUP 0= IF S" empty device name" FAIL THEN
  DUP MAXNAME > IF S" device name too long (31 at most)" FAIL THEN
  ADDR @ IF S" two addresses" FAIL THEN  SWAP ADDR 2! ;
: SOH-ADDR ( --- ) \ SOH name STX
  ADV CUR @ BEGIN MORE? WHILE PEEK STX <> WHILE
    PEEK 33 < IF S" control byte or space in a device name" FAIL THEN ADV REPEAT THEN
  MORE? 0= IF S" SOH without STX" FAIL THEN
  CUR @ OVER - NAME! ADV ;
: BYTE ( --- c ) MORE? 0= IF S" binary data cut short" FAIL THEN PEEK ADV ;
: ETX-DATA ( --- ) \ ETX N count(N bytes, big-endian) data
  ADV MORE? 0= IF S" ETX without a size prefix" FAIL THEN
  BYTE DUP 1 5 WITHIN 0= IF S" bad size prefix (1 to 4 count bytes)" FAIL THEN
  0 SWAP 0 DO 8 LSHIFT BYTE OR LOOP
  DUP END @ CUR @ - U> IF S" binary data shorter than its count" FAIL THEN
  CUR @ SWAP DUP CUR +! +ARG ;
: ITEM ( --- ) \ a word, a comment or a #address
  TOKEN OVER C@
  DUP [CHAR] # = IF DROP 1 /STRING NAME! EXIT THEN
  OVER 1 = IF
    DUP [CHAR] \ = IF DROP 2DROP SKIP-LINE EXIT THEN
    DUP [CHAR] ( = IF DROP 2DROP SKIP-PAREN EXIT THEN
  THEN DROP
  DUP MAXWORD > IF 2DROP S" word too long (63 at most)" FAIL THEN
  +ARG ;
: ONE-WORD? ( a u --- f ) \ a plain word and nothing else: no white, no #, no comment
  DUP 1- MAXWORD U< 0= IF 2DROP FALSE EXIT THEN
  OVER C@ [CHAR] # = IF 2DROP FALSE EXIT THEN
  DUP 1 = IF OVER C@ DUP [CHAR] \ = SWAP [CHAR] ( = OR IF 2DROP FALSE EXIT THEN THEN
  TUCK 33 255 SPAN-IN = ;
: READ-MSG ( --- )
  0 0 ADDR 2!  MSG 2DUP ONE-WORD? IF ARGS 2! 1 NARGS ! EXIT THEN  \ most messages
  0 NARGS !
  OVER + END ! CUR !
  BEGIN SKIP-WHITE MORE? WHILE
    PEEK SOH = IF SOH-ADDR ELSE
    PEEK STX = IF S" STX without SOH" FAIL ELSE
    PEEK ETX = IF ETX-DATA ELSE ITEM THEN THEN THEN
  REPEAT ;

\ ---- commands: records (link, xt, counted name), a list per length of name -------------
32 CONSTANT MAXCMD                       \ command names are shorter
CREATE CMDS MAXCMD CELLS ALLOT  CMDS MAXCMD CELLS ERASE  \ ( --- a ) each list's newest
VARIABLE FIRST  VARIABLE NA              \ ( --- a ) the command's arguments
CREATE CMD 0 , 0 ,                       \ ( --- a ) the command's name (2@)
: COMMAND ( xt "name" --- ) \ make xt the command "name"
  PARSE-NAME DUP MAXCMD U< 0= ABORT" command name too long"
  ALIGN HERE >R  DUP CELLS CMDS + DUP @ , R@ SWAP !
  ROT , DUP C, HERE OVER ALLOT SWAP MOVE R> DROP ;
: LOOKUP ( a u --- xt | 0 ) \ a command's xt
  DUP MAXCMD U< 0= IF 2DROP 0 EXIT THEN
  DUP CELLS CMDS + @ BEGIN DUP WHILE ( a u record )
    >R 2DUP R@ 2 CELLS + COUNT COMPARE 0= IF 2DROP R> CELL+ @ EXIT THEN R> @
  REPEAT NIP NIP ;
: A# ( i --- a u ) FIRST @ + ARG ;       \ the i-th argument of the command
: ADDRESSED? ( --- f ) ADDR @ 0<> ;
: NO-ARGS ( --- ) NA @ IF ERR( CMD 2@ +A S"  takes no arguments" +A )ERR THEN ;
: TAKES ( n --- ) NA @ <> IF ERR( CMD 2@ +A S"  needs other arguments: see docs/please.md" +A )ERR THEN ;
: OWNERS ( --- ) OWNER? 0= IF ERR( CMD 2@ +A S"  is for owners only" +A )ERR THEN ;
: NEEDS-ADDRESS ( --- ) ADDRESSED? 0= IF ERR( CMD 2@ +A S"  needs a device (#name)" +A )ERR THEN ;
: +ITEM ( a u --- ) DUP 255 AND +C DUP 8 RSHIFT +C +A ;
: KERNEL ( --- ) \ the kernel carries the command out in the caller's name
  ANEW ADDR 2@ SWAP +ITEM CMD 2@ +ITEM NA @ 0 ?DO I A# +ITEM LOOP KA_CMD ANSWER ;
: TO-DEVICE ( --- ) \ an addressed message is the device's: the kernel hands
  0 ARG CMD 2! 1 FIRST ! NARGS @ 1- NA ! KERNEL ;  \ it on (a service's process) or refuses it
: KERNEL-ONLY ( --- ) \ a kernel command addressed to a device is the device's
  ADDRESSED? IF TO-DEVICE 1 THROW THEN ;

\ ---- replies made here ------------------------------------------------------------------
: +VENDOR ( --- ) KREQ_VENDOR REQ 12 -TRAILING +A ;
: +KIB ( bytes --- ) 10 RSHIFT +N S"  KiB" +A ;
: +SECONDS ( ms --- ) \ seconds with milliseconds: 12.345
  0 1000 UM/MOD +N  1000 + (U.) OVER [CHAR] . SWAP C! +A ;  \ 1ddd: the 1 becomes the point
: +FIXED ( --- ) \ what identify says before the uptime: only free memory changes
  S" Ha3sm 0.1, H3sm 0.1; cpu " +A +VENDOR
  S"  family " +A KREQ_CPUFAM REQ @ +N S"  model " +A KREQ_CPUMODEL REQ @ +N
  S" ; memory " +A KREQ_TOTAL REQ @ +KIB S" , free " +A R-FREE @ +KIB S" ; up " +A ;
160 CONSTANT FIXED-MAX   CREATE FIXED FIXED-MAX ALLOT   \ ( --- a ) +FIXED's text,
VARIABLE #FIXED   VARIABLE FIXED-FREE    \ its length and the free bytes it says
-1 FIXED-FREE !                          \ (none yet: free memory is never 4 GiB)
: IDENTIFY ( --- )
  ADDR @ IF KERNEL EXIT THEN NA @ IF NO-ARGS THEN
  R-FREE @ FIXED-FREE @ <> IF
    ANEW +FIXED ALEN FIXED-MAX MIN #FIXED !  ATEXT FIXED #FIXED @ MOVE
    R-FREE @ FIXED-FREE ! THEN
  ANEW FIXED #FIXED @ +A  R-UPTIME @ +SECONDS
  S"  s; processes " +A R-NPROC @ +N OK ;
: UPTIME ( --- ) \ ms, then the same as d hh:mm:ss
  KERNEL-ONLY NO-ARGS ANEW R-UPTIME @ DUP +N S"  ms (" +A
  1000 / 60 /MOD 60 /MOD 24 /MOD +N S"  d " +A +2 [CHAR] : +C +2 [CHAR] : +C +2
  [CHAR] ) +C OK ;
: RTC ( --- a ) \ the clock, read by the kernel (KR_* cells)
  KQ_RTC KANS KANS_OP + ! KANS >P PLEASE PDROP DROP
  KQRES KR_OK + @ 0= IF S" no real-time clock" FAIL THEN KQRES ;
: DATE ( --- ) \ 2026-11-21
  KERNEL-ONLY NO-ARGS RTC ANEW DUP KR_YEAR + @ +N [CHAR] - +C
  DUP KR_MONTH + @ +2 [CHAR] - +C KR_DAY + @ +2 OK ;
: TIME ( --- ) \ 23:59:07
  KERNEL-ONLY NO-ARGS RTC ANEW DUP KR_HOUR + @ +2 [CHAR] : +C
  DUP KR_MIN + @ +2 [CHAR] : +C KR_SEC + @ +2 OK ;
: EPOCH ( --- ) \ microseconds since 2000-01-01: decimal, then the pyte as ETX 1 8 + 8 bytes
  KERNEL-ONLY NO-ARGS RTC ANEW DUP KR_USEC_LO + @ OVER KR_USEC_HI + @ +D
  ETX +C 1 +C 8 +C DUP KR_USEC_HI + @ SWAP KR_USEC_LO + @ ( hi lo )
  SWAP 4 0 DO DUP 24 RSHIFT +C 8 LSHIFT LOOP DROP
  4 0 DO DUP 24 RSHIFT +C 8 LSHIFT LOOP DROP OK ;

\ the process table, read by the kernel (KP_* records after a count)
: PROCS ( --- a n ) KQ_PROCS KANS KANS_OP + ! KANS >P PLEASE PDROP DROP KQRES CELL+ KQRES @ ;
: +PAD ( a u n --- ) \ left-justified in n columns
  OVER - 0 MAX >R +A R> 0 ?DO BL +C LOOP ;
: +R ( u n --- ) \ a number right-justified in n columns
  >R 0 <# #S #> R> OVER - 0 MAX 0 ?DO BL +C LOOP +A ;
: +CLASS ( rec --- ) KP_FLAGS + @ DUP BIRTH_GETTY AND IF DROP S" prompt" ELSE
  DUP BIRTH_GAME AND IF DROP S" game" ELSE
  BIRTH_OWNER AND IF S" owner" ELSE S" guest" THEN THEN THEN 7 +PAD ;
: +NAME ( counted --- ) COUNT DUP 0= IF 2DROP S" -" THEN 10 +PAD ;
: PROCESSES ( --- ) \ like ps: pid user class memory ticks terminal
  KERNEL-ONLY NO-ARGS PROCS ANEW
  S"   PID USER      CLASS    MEM(KiB)    TICKS TERMINAL" +A 10 +C
  0 ?DO DUP KP_PID + @ 5 +R BL +C DUP KP_USER + +NAME DUP +CLASS
    DUP KP_MEM + @ 10 RSHIFT 8 +R BL +C DUP KP_TICKS + @ 8 +R BL +C
    DUP KP_TERM + COUNT DUP 0= IF 2DROP S" -" THEN +A 10 +C
  KP_SIZE + LOOP DROP OK ;
: +PCT ( part whole --- ) \ 12.5%
  >R 1000 R> DUP 0= IF 2DROP 0 1 THEN */ 10 /MOD 3 +R [CHAR] . +C +N [CHAR] % +C ;
VARIABLE BUSY                            \ ( --- a ) ticks the processes ran
: LOADING ( --- ) \ like top: CPU use per process over the last interval; starvation
  KERNEL-ONLY NO-ARGS PROCS ANEW
  S"   PID USER       CPU    TICKS MISSED WAIT(ms)" +A 10 +C
  0 BUSY ! 0 ?DO DUP KP_PID + @ 5 +R BL +C DUP KP_USER + +NAME
    DUP KP_LOAD + @ DUP BUSY +! OVER KP_INTERVAL + @ +PCT
    DUP KP_LOAD + @ 9 +R DUP KP_MISSED + @ 7 +R DUP KP_MAXWAIT + @ 9 +R 10 +C
  KP_SIZE + LOOP DROP
  KQRES CELL+ KP_INTERVAL + @ DUP BUSY @ - 0 MAX SWAP
  S"     - idle      " +A +PCT OK ;

\ ---- the kernel's commands: checked here, carried out by please/please.c -------------
: PLAIN ( --- ) KERNEL-ONLY NO-ARGS KERNEL ;        \ no device, no arguments
: OWNERS-PLAIN ( --- ) KERNEL-ONLY OWNERS PLAIN ;
: LOGIN ( --- ) KERNEL-ONLY 2 TAKES KERNEL ;        \ login name password
: OPEN ( --- ) NEEDS-ADDRESS NO-ARGS KERNEL ;
: CLOSE ( --- ) \ close #name, or close <device id>
  ADDRESSED? IF NO-ARGS ELSE 1 TAKES THEN KERNEL ;
: REFLEX ( --- ) ADDRESSED? 0= IF OWNERS THEN KERNEL ;  \ the kernel checks the rest
: SERVICE ( --- ) KERNEL-ONLY NA @ 0= IF S" register <name> <inbox> <outbox> [guest=<channels>]" FAIL THEN KERNEL ;
: UNSERVICE ( --- ) NA @ ADDRESSED? IF 1+ THEN 1 <> IF S" unregister <name>" FAIL THEN KERNEL ;
: ANSWERS ( --- ) KERNEL-ONLY 2 TAKES KERNEL ;     \ reply <tag> <text>
: KILL ( --- ) KERNEL-ONLY 1 TAKES KERNEL ;        \ kill <pid>: the kernel checks who may
: BEQUEATH ( --- ) KERNEL-ONLY OWNERS NA @ 1 3 WITHIN 0=
  IF S" bequeath ETX <binary>, or bequeath <offset> <length>" FAIL THEN KERNEL ;
: UD2 ( --- ) [ $0F C, $0B C, ] ;                \ an invalid opcode: #UD
: SELFTEST ( --- ) \ owners: prove the kernel outlives its interpreter
  KERNEL-ONLY OWNERS 1 TAKES
  0 A# S" fault" COMPARE 0= IF UD2 THEN
  0 A# S" loop" COMPARE 0= IF BEGIN AGAIN THEN   \ the watchdog's 250 ms
  S" selftest fault | loop" FAIL ;

' SELFTEST COMMAND selftest
' PLAIN COMMAND tetris
' BEQUEATH COMMAND bequeath
' OWNERS-PLAIN COMMAND reboot
' KILL COMMAND kill
' OWNERS-PLAIN COMMAND checksum    \ issue 9: kernel/checksum.c
' REFLEX COMMAND calibrate
' REFLEX COMMAND stop
' REFLEX COMMAND start
' REFLEX COMMAND install
' ANSWERS COMMAND reply           \ a service's answer (please/forward.c)
' UNSERVICE COMMAND unregister
' SERVICE COMMAND register
' PLAIN COMMAND boot
' PLAIN COMMAND memory
' LOADING COMMAND loading
' PROCESSES COMMAND processes
' EPOCH COMMAND epoch
' TIME COMMAND time
' DATE COMMAND date
' UPTIME COMMAND uptime
' PLAIN COMMAND devices
' PLAIN COMMAND bye
' LOGIN COMMAND login
' CLOSE COMMAND close
' IDENTIFY COMMAND identify
' OPEN COMMAND open
' PLAIN COMMAND rest
' OPEN COMMAND wait

\ ---- one message ------------------------------------------------------------------------
: RUN-CMD ( a u xt first --- ) \ the command a u, its arguments from word first on
  FIRST ! >R CMD 2! NARGS @ 1- NA ! R> EXECUTE ;
: DISPATCH ( --- ) \ the command is the first word, or else the last
  NARGS @ 0= IF S" empty message" FAIL THEN
  ARGS 2@ 2DUP LOOKUP ?DUP IF 1 RUN-CMD EXIT THEN 2DROP
  ADDRESSED? IF TO-DEVICE EXIT THEN     \ a device's own command
  NARGS @ 1- ARG 2DUP LOOKUP ?DUP IF 0 RUN-CMD EXIT THEN 2DROP
  ERR( S" unknown command: " +A 0 ARG 32 MIN +A )ERR ;
: INTERNAL ( code --- ) \ a THROW that is not FAIL's: say so, never die of it
  DUP 1 = IF DROP EXIT THEN ERR( S" the interpreter failed (THROW " +A
  DUP 0< IF [CHAR] - +C THEN ABS +N [CHAR] ) +C KA_REPLY ANSWER 0 A-RESULT ! ;
: READ-DISPATCH ( --- ) READ-MSG DISPATCH ;
: HANDLE ( --- ) \ the request at KREQ -> the answer at KANS
  ['] READ-DISPATCH CATCH ?DUP IF INTERNAL THEN ;  \ every answer begins with ANEW

\ ---- the instance's life ----------------------------------------------------------------
: PLEASE-SERVE ( --- ) \ answer, and so wait for the next request, for ever
  ANEW KA_READY ANSWER
  BEGIN KANS >P PLEASE PDROP DROP HANDLE AGAIN ;

\ h3sm/kprelude.fs -- H3sm inside Ha3sm: words over the five calls (docs/calls.md).
\ Compiled after prelude.fs when a kernel instance starts.

\ ---- please ----
\ The please buffer: +0 capacity, +4 length (bit 31: reply truncated), +8 text.
$A000 CONSTANT PB ( --- a )   \ PLEASEBUF in h3sm/layout.inc
: ASK ( a u --- result ) \ send a please message; the reply is in the buffer
  1024 MIN DUP PB CELL+ ! PB 8 + SWAP MOVE 1024 PB ! PB >P PLEASE PDROP ;
: REPLY ( --- a u ) PB 8 + PB CELL+ @ $7FFFFFFF AND ;
: TRUNCATED? ( --- flag ) PB CELL+ @ 0< ;
: PLEASE" ( "message<quote>" --- result ) \ please "message", the reply in REPLY
  [CHAR] " PARSE STATE @ IF POSTPONE SLITERAL POSTPONE ASK ELSE ASK THEN ; IMMEDIATE
: .REPLY ( --- ) REPLY TYPE ;
VARIABLE THROUGHPUT  \ ( --- a ) the device's count at the last OPEN
: OPEN ( "name" --- id ) \ the device's ID, 0 if it does not exist or you may not see it
  PARSE-NAME S" #" PAD SWAP MOVE DUP >R PAD 1+ SWAP MOVE
  S"  open" PAD R@ 1+ + SWAP MOVE PAD R> 6 + ASK
  DUP IF 0 0 REPLY BL SCAN 1 /STRING >NUMBER 2DROP DROP THROUGHPUT ! THEN ;
: RING-SYNC ( ring --- ) \ receive from the throughput of the last OPEN on
  THROUGHPUT @ OVER RING-COUNT ! THROUGHPUT @ SWAP RING-MARK ! ;
: REST ( --- ) PLEASE" rest" DROP ;

\ ---- stream devices: rings (defined in prelude.fs) through send and receive ----
: RING-SEND ( ring id timeout --- sent ) >R >P >P R> SEND PDROP PDROP ;
: RING-RECEIVE ( ring id --- received ) >P >P RECEIVE PDROP PDROP ;

\ ---- blocks: a buffer for read and write, +0 block number, +4 the bytes ----
: BLOCKBUF ( size "name" --- ) CREATE 0 , ALLOT ;
: BLOCK-READ ( n buf id --- success ) >R TUCK ! R> >P >P READ PDROP PDROP ;
: BLOCK-WRITE ( n buf id timeout --- success ) >R >R TUCK ! R> >P >P R> WRITE PDROP PDROP ;

\ ---- the login prompt of a terminal nobody is logged in on ----
CREATE LOGIN-NAME 32 ALLOT   CREATE LOGIN-PASS 64 ALLOT   \ ( --- a ) counted strings
: SECRET ( a n --- n2 ) \ ACCEPT without showing what is typed
  -1 NOECHO ! ACCEPT 0 NOECHO ! ;
: APPEND ( a u dst --- ) \ add a string to a counted string
  >R R@ COUNT + SWAP DUP R@ C@ + R> C! MOVE ;
CREATE LOGIN-MSG 128 ALLOT   \ ( --- a ) the message: login NAME PASSWORD
: LOGIN-LOOP ( --- ) \ ask for a name and a password until a login succeeds
  BEGIN
    CR ." Ha3sm login: " LOGIN-NAME 1+ 31 ACCEPT LOGIN-NAME C!
    LOGIN-NAME C@ IF
      ." password: " LOGIN-PASS 1+ 63 SECRET LOGIN-PASS C! CR
      0 LOGIN-MSG C!  S" login " LOGIN-MSG APPEND
      LOGIN-NAME COUNT LOGIN-MSG APPEND  S"  " LOGIN-MSG APPEND
      LOGIN-PASS COUNT LOGIN-MSG APPEND
      LOGIN-PASS 64 ERASE
      LOGIN-MSG COUNT ASK  LOGIN-MSG 128 ERASE
      0= IF CR .REPLY THEN
    THEN
  AGAIN ;

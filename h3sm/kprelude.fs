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
: OPEN ( "name" --- id ) \ the device's ID, 0 if it does not exist or you may not see it
  PARSE-NAME S" #" PAD SWAP MOVE DUP >R PAD 1+ SWAP MOVE
  S"  open" PAD R@ 1+ + SWAP MOVE PAD R> 6 + ASK ;
: REST ( --- ) PLEASE" rest" DROP ;

\ ---- stream devices: rings (defined in prelude.fs) through send and receive ----
: RING-SEND ( ring id timeout --- sent ) >R >P >P R> SEND PDROP PDROP ;
: RING-RECEIVE ( ring id --- received ) >P >P RECEIVE PDROP PDROP ;

\ ---- blocks: a buffer for read and write, +0 block number, +4 the bytes ----
: BLOCKBUF ( size "name" --- ) CREATE 0 , ALLOT ;
: BLOCK-READ ( n buf id --- success ) >R TUCK ! R> >P >P READ PDROP PDROP ;
: BLOCK-WRITE ( n buf id timeout --- success ) >R >R TUCK ! R> >P >P R> WRITE PDROP PDROP ;

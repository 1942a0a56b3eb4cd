\ h3sm/services.fs -- services (docs/services.md): words for writing one, and
\ the key-value store service .kv with its client words. Compiled after
\ kprelude.fs when a kernel instance starts.

\ ---- strings and messages ----
CREATE SVC-BUF 256 ALLOT   VARIABLE SVC-LEN   \ ( --- a ) a message being built
: SVC0 ( --- ) 0 SVC-LEN ! ;
: SVC+ ( a u --- ) \ add a string to the message
  256 SVC-LEN @ - MIN DUP >R SVC-BUF SVC-LEN @ + SWAP MOVE R> SVC-LEN +! ;
: U>S ( u --- a u ) BASE @ >R DECIMAL 0 <# #S #> R> BASE ! ;
: SVC+# ( u --- ) U>S SVC+ ;
: SVC-MSG ( --- a u ) SVC-BUF SVC-LEN @ ;
: S>U ( a u --- u ) BASE @ >R DECIMAL 0 0 2SWAP >NUMBER 2DROP DROP R> BASE ! ;
: SKIP-BL ( a u --- a' u' ) BEGIN DUP WHILE OVER C@ BL > 0= WHILE 1 /STRING REPEAT THEN ;
: SPLIT ( a u --- rest-a rest-u word-a word-u ) \ the first blank-delimited word
  SKIP-BL 2DUP BL SCAN 2SWAP 2 PICK - ;
: PLACE ( a u dst --- ) \ a counted string of up to 31 characters
  >R 31 MIN DUP R@ C! R> 1+ SWAP MOVE ;

\ ---- devices by a name on the stack ----
: OPEN-NAMED ( a u --- id ) \ OPEN for a name in a string; THROUGHPUT as OPEN sets it
  SVC0 S" #" SVC+ SVC+ S"  open" SVC+ SVC-MSG ASK
  DUP IF REPLY SPLIT 2DROP SKIP-BL S>U THROUGHPUT ! THEN ;
: RING-RESET ( ring --- ) \ empty: count, mark and lost 0
  CELL+ 12 ERASE ;

\ ---- the terminal, without waiting: a service is stopped by a key ----
$9000 CONSTANT TERMIN   \ ( --- ring ) TERMIN in h3sm/layout.inc: the ring KEY reads
VARIABLE TERM-ID        \ ( --- a ) this instance's terminal (TERM-OPEN)
: TERM-OPEN ( --- ) $104 COUNT OPEN-NAMED TERM-ID ! ;  \ BIRTH_OFF+BIRTH_TERM
: TERM-KEY? ( --- flag ) \ has something been typed? (nothing is taken)
  TERMIN RING-PENDING 0= TERM-ID @ 0<> AND IF TERMIN TERM-ID @ RING-RECEIVE DROP THEN
  TERMIN RING-PENDING 0<> ;
: TERM-DRAIN ( --- ) BEGIN TERMIN RING-PENDING WHILE TERMIN RING> DROP REPEAT ;

\ ---- writing a service ----
\ A service keeps an inbox and an outbox, two RINGs in its memory. Clients'
\ sends arrive in the inbox as frames: SOH "<pid> <bytes> <owner|guest>
\ <user>" STX, then the bytes; INBOX> takes them a byte at a time and says
\ whose they are. What the service puts in its outbox (>RING S>RING) is what
\ its clients receive.
: SERVICE ( inbox outbox a u --- id ) \ register; a u: "name [guest=<channels>]"
  SVC0 S" register " SVC+ SVC+ SWAP S"  " SVC+ SVC+# S"  " SVC+ SVC+# SVC-MSG ASK ;
: UNSERVICE ( a u --- flag ) SVC0 S" unregister " SVC+ SVC+ SVC-MSG ASK ;
VARIABLE SENDER          \ ( --- a ) the pid of the client INBOX> last gave a byte of
VARIABLE SENDER-OWNER    \ ( --- a ) true if that client is an owner's process
CREATE SENDER-USER 32 ALLOT   \ ( --- a ) its user's name, counted
VARIABLE FRAME-LEFT   VARIABLE IN-STAMP   CREATE STAMP 80 ALLOT   VARIABLE STAMP-LEN

\ A please message addressed to the service (please #.name ...) comes as a frame
\ whose stamp ends "please <tag>": INBOX> gathers its text, up to 512 bytes, and
\ calls ON-PLEASE with it (SENDER and the rest set), which answers with
\ ANSWER-PLEASE; the answer is the asker's reply ("error: ..." a failure). If
\ ON-PLEASE does not answer, or fails, INBOX> answers for it: the asker, who
\ waits up to 2 s (please/forward.c), always hears back.
VARIABLE IN-PLEASE   VARIABLE PLS-TAG   VARIABLE PLS-DONE
CREATE PLS-TEXT 512 ALLOT   VARIABLE PLS-LEN
CREATE PLS-OUT 1024 ALLOT   VARIABLE PLS-N
: PLS+ ( a u --- ) >R PLS-OUT PLS-N @ + R@ MOVE R> PLS-N +! ;
: PLS-C ( c --- ) PLS-OUT PLS-N @ + C! 1 PLS-N +! ;
: ANSWER-PLEASE ( a u --- ) \ the answer to the please message ON-PLEASE has (once)
  PLS-DONE @ IF 2DROP EXIT THEN TRUE PLS-DONE !
  900 MIN 0 PLS-N ! S" reply " PLS+ PLS-TAG @ U>S PLS+ BL PLS-C
  3 PLS-C 2 PLS-C DUP 8 RSHIFT PLS-C DUP 255 AND PLS-C PLS+
  PLS-OUT PLS-N @ ASK DROP ;
: NO-PLEASE ( a u --- ) 2DROP S" error: this service takes no please messages" ANSWER-PLEASE ;
DEFER ON-PLEASE ( a u --- )   ' NO-PLEASE IS ON-PLEASE
: PLS-BYTE ( c --- ) PLS-LEN @ 512 < IF PLS-TEXT PLS-LEN @ + C! ELSE DROP THEN 1 PLS-LEN +! ;
: PLS-END ( --- ) \ the please message is whole: the service's word, then an answer surely
  FALSE IN-PLEASE ! FALSE PLS-DONE !
  PLS-LEN @ 512 > IF S" error: too long for this service (512 bytes at most)" ANSWER-PLEASE EXIT THEN
  PLS-TEXT PLS-LEN @ ['] ON-PLEASE CATCH IF 2DROP S" error: the service failed" ANSWER-PLEASE THEN
  S" error: the service gave no answer" ANSWER-PLEASE ;
CREATE LAST-STAMP 80 ALLOT   VARIABLE LAST-LEN  -1 LAST-LEN !   \ the stamp parsed last,
VARIABLE LAST-LEFT   VARIABLE LAST-PLEASE                     \ its byte count and please flag
: STAMP-PARSE ( --- ) \ "<pid> <bytes> <owner|guest> <user> [please <tag>]"
  STAMP STAMP-LEN @ LAST-STAMP LAST-LEN @ COMPARE 0= IF     \ the same bytes: as it said
    LAST-LEFT @ FRAME-LEFT !  LAST-PLEASE @ IN-PLEASE !  0 PLS-LEN ! EXIT THEN
  STAMP STAMP-LEN @ SPLIT S>U SENDER !  SPLIT S>U FRAME-LEFT !
  SPLIT S" owner" COMPARE 0= SENDER-OWNER !  SPLIT SENDER-USER PLACE
  SPLIT S" please" COMPARE 0= IN-PLEASE !  SPLIT S>U PLS-TAG !  2DROP  0 PLS-LEN !
  STAMP LAST-STAMP STAMP-LEN @ MOVE  STAMP-LEN @ LAST-LEN !
  FRAME-LEFT @ LAST-LEFT !  IN-PLEASE @ LAST-PLEASE ! ;
: INBOX-RESET ( inbox --- )
  RING-RESET 0 FRAME-LEFT ! FALSE IN-STAMP ! FALSE IN-PLEASE ! 0 SENDER ! -1 LAST-LEN ! ;
: RING-RUN ( ring --- a u ) \ the pending bytes up to the end of the ring's data
  DUP RING-MARK @ OVER RING-SIZE 1- AND  OVER RING-SIZE OVER - >R
  OVER RING-DATA +  SWAP RING-PENDING R> MIN ;
: STAMP-RUN ( inbox --- inbox ) \ in a stamp: its bytes up to STX (or SOH, NUL), a run at once
  DUP RING-PENDING OVER RING-SIZE U> IF EXIT THEN   \ lapped: RING> skips on
  DUP RING-RUN OVER SWAP 3 255 SPAN-IN  DUP >R 80 STAMP-LEN @ - MIN   ( inbox a k )
  STAMP STAMP-LEN @ + SWAP DUP STAMP-LEN +! MOVE  R> OVER RING-MARK +! ;
: INBOX> ( inbox --- c | -1 ) \ the next byte a client sent, -1 if none now
  BEGIN
    IN-STAMP @ IF STAMP-RUN THEN
    DUP RING> DUP 0< IF NIP EXIT THEN
    IN-STAMP @ IF
      DUP 2 = IF DROP FALSE IN-STAMP ! STAMP-PARSE
        IN-PLEASE @ FRAME-LEFT @ 0= AND IF PLS-END THEN
      ELSE STAMP-LEN @ 80 < IF STAMP STAMP-LEN @ + C! 1 STAMP-LEN +! ELSE DROP THEN THEN
    ELSE
      FRAME-LEFT @ IF -1 FRAME-LEFT +!
        IN-PLEASE @ IF PLS-BYTE FRAME-LEFT @ 0= IF PLS-END THEN ELSE NIP EXIT THEN
      ELSE 1 = IF TRUE IN-STAMP ! 0 STAMP-LEN ! THEN THEN
    THEN
  AGAIN ;

\ ---- the key-value store: .kv ----
\ Requests are lines: [@tag] put <key> <value> | get <key> | del <key> | quit.
\ Answers are lines: [@tag] ok | <value> | none | full | error: <why>.
\ The table is one block: "H3KV", then 15 entries of 64 bytes from +64: a key
\ (counted, 1 to 15), at +16 its value (counted, up to 47); a key of length 0
\ is a free entry. Every change is written at once (UPDATE SAVE-BUFFERS).
VARIABLE KV-BLOCK  60 KV-BLOCK !   \ ( --- a ) the block of the table
1024 RING KV-IN   1024 RING KV-OUT \ the service's inbox and outbox
CREATE KV-TAG 32 ALLOT   CREATE KV-USER 32 ALLOT   VARIABLE KV-STOP
CREATE KV-LINE 128 ALLOT   VARIABLE KV-LEN   VARIABLE KV-FROM
: KV-TABLE ( --- a ) KV-BLOCK @ BLOCK
  DUP 4 S" H3KV" COMPARE IF DUP 1024 ERASE S" H3KV" 2 PICK SWAP MOVE UPDATE THEN ;
: KV-ENTRY ( i --- a ) 64 * KV-TABLE + ;
: KV-FIND ( a u --- i | 0 )
  16 1 DO 2DUP I KV-ENTRY COUNT COMPARE 0= IF 2DROP I UNLOOP EXIT THEN LOOP 2DROP 0 ;
: KV-FREE ( --- i | 0 ) 16 1 DO I KV-ENTRY C@ 0= IF I UNLOOP EXIT THEN LOOP 0 ;
VARIABLE KV-PLS   \ ( --- a ) true while a please message is answered
: KV-SAY ( a u --- ) \ an answer line, after the request's tag (or the please answer)
  KV-PLS @ IF ANSWER-PLEASE EXIT THEN
  KV-TAG C@ IF KV-TAG COUNT KV-OUT S>RING BL KV-OUT >RING THEN
  KV-OUT S>RING 10 KV-OUT >RING ;
: KVS-PUT ( a u --- ) \ "<key> <value>"
  SPLIT 2SWAP SKIP-BL -TRAILING 2SWAP
  DUP 0= OVER 15 > OR IF 2DROP 2DROP S" error: a key is 1 to 15 characters" KV-SAY EXIT THEN
  2 PICK 47 > IF 2DROP 2DROP S" error: a value is up to 47 characters" KV-SAY EXIT THEN
  2DUP KV-FIND ?DUP 0= IF KV-FREE THEN
  ?DUP 0= IF 2DROP 2DROP S" full" KV-SAY EXIT THEN
  KV-ENTRY >R R@ 64 ERASE  DUP R@ C! R@ 1+ SWAP MOVE  DUP R@ 16 + C! R> 17 + SWAP MOVE
  UPDATE SAVE-BUFFERS S" ok" KV-SAY ;
: KVS-GET ( a u --- ) SPLIT 2SWAP 2DROP KV-FIND
  ?DUP IF KV-ENTRY 16 + COUNT ELSE S" none" THEN KV-SAY ;
: KVS-DEL ( a u --- ) SPLIT 2SWAP 2DROP KV-FIND
  ?DUP IF KV-ENTRY 64 ERASE UPDATE SAVE-BUFFERS S" ok" ELSE S" none" THEN KV-SAY ;
: KVS-QUIT ( --- ) \ an owner, or the service's own user, may stop it
  SENDER-OWNER @ SENDER-USER COUNT KV-USER COUNT COMPARE 0= OR
  IF S" ok" KV-SAY TRUE KV-STOP ! ELSE S" error: not yours to stop" KV-SAY THEN ;
: KVS-REQUEST ( a u --- )
  0 KV-TAG C!
  SPLIT DUP 0<> 2 PICK C@ [CHAR] @ = AND IF KV-TAG PLACE SPLIT THEN
  2DUP S" put" COMPARE 0= IF 2DROP KVS-PUT EXIT THEN
  2DUP S" get" COMPARE 0= IF 2DROP KVS-GET EXIT THEN
  2DUP S" del" COMPARE 0= IF 2DROP KVS-DEL EXIT THEN
  2DUP S" quit" COMPARE 0= IF 2DROP 2DROP KVS-QUIT EXIT THEN
  NIP 0= IF 2DROP EXIT THEN       \ an empty line: no answer
  2DROP S" error: put, get, del or quit" KV-SAY ;
: KVS-BYTE ( c --- ) \ gather lines; a line is one client's
  KV-LEN @ IF SENDER @ KV-FROM @ <> IF 0 KV-LEN ! THEN THEN
  SENDER @ KV-FROM !
  DUP 10 = IF DROP
    KV-LEN @ 128 > IF 0 KV-TAG C! S" error: too long" KV-SAY ELSE KV-LINE KV-LEN @ KVS-REQUEST THEN
    0 KV-LEN ! EXIT THEN
  DUP 13 = IF DROP EXIT THEN
  KV-LEN @ 128 < IF KV-LINE KV-LEN @ + C! ELSE DROP THEN 1 KV-LEN +! ;
: KV-PLEASE ( a u --- ) \ please #.kv get color: a request, answered as the reply
  TRUE KV-PLS ! ['] KVS-REQUEST CATCH FALSE KV-PLS ! THROW ;
: KVS-LOOP ( --- )
  BEGIN
    KV-IN INBOX> DUP 0< IF DROP TERM-KEY? IF TRUE KV-STOP ! ELSE REST THEN ELSE KVS-BYTE THEN
    KV-STOP @
  UNTIL ;
: KVS-RUN ( --- ) \ the table now (a bad block stops it here), then serve
  KV-TABLE DROP SAVE-BUFFERS
  S" #.kv identify" ASK DROP REPLY SPLIT 2DROP SPLIT 2DROP SPLIT 2DROP SPLIT 2SWAP 2DROP
  1- 0 MAX KV-USER PLACE      \ ".kv service, user <user>, pid <pid>"
  ." kv: serving .kv (a key here stops it)" CR KVS-LOOP ;
: KV-SERVE ( --- ) \ the key-value store service .kv, until a key is typed here
  KV-IN INBOX-RESET KV-OUT RING-RESET 0 KV-LEN ! FALSE KV-STOP ! TERM-OPEN
  KV-IN KV-OUT S" kv guest=send,receive" SERVICE 0= IF ." kv: " .REPLY EXIT THEN
  ['] KV-PLEASE IS ON-PLEASE  ['] KVS-RUN CATCH  ['] NO-PLEASE IS ON-PLEASE
  S" kv" UNSERVICE DROP  TERM-DRAIN
  ?DUP IF THROW THEN ." kv: stopped" ;

\ ---- the clients' words: one request, one answer ----
128 RING KV-Q   512 RING KV-A   \ requests out, answers in
VARIABLE KV-ID   VARIABLE KV-SEQ   VARIABLE KV-T0   VARIABLE KV-N
VARIABLE KV-WAIT  5000 KV-WAIT !   \ ( --- a ) how long a client waits for room or an answer, ms
CREATE KV-WANT 40 ALLOT    \ ( --- a ) the tag of the request in flight, counted
CREATE KV-TEXT 80 ALLOT    VARIABLE KV-TLEN
CREATE KV-ANS 128 ALLOT    VARIABLE KV-ALEN
: KV-MKTAG ( --- ) \ "@<terminal>.<n>": one terminal, one session
  SVC0 S" @" SVC+ $104 COUNT 1 /STRING SVC+ S" ." SVC+ 1 KV-SEQ +! KV-SEQ @ SVC+#
  SVC-MSG KV-WANT PLACE ;
: TICKS ( --- u ) \ the clock's throughput: PIT ticks (ms) since boot; 0 if not yours
  S" .clock" OPEN-NAMED IF THROUGHPUT @ ELSE 0 THEN ;
: KV-START ( --- ) TICKS KV-T0 ! 0 KV-N ! ;
: KV-LATE? ( --- flag ) \ rest; has the client waited KV-WAIT ms (or a million rests)?
  REST 1 KV-N +! TICKS KV-T0 @ - KV-WAIT @ U> KV-N @ 1000000 U> OR ;
: KV-SEND ( --- 1 | 0 | -1 ) \ what KV-Q holds: sent, no room in time, the service is gone
  KV-START BEGIN                  \ a receive updates the room a send sees
    KV-Q KV-ID @ 0 RING-SEND IF 1 EXIT THEN
    KV-A KV-ID @ RING-RECEIVE 0= IF -1 EXIT THEN
  KV-LATE? UNTIL 0 ;
: KV-LINE? ( --- flag ) \ gather an answer line in KV-ANS; true when it is whole
  BEGIN KV-A RING> DUP 0< 0= WHILE
    DUP 10 = IF DROP TRUE EXIT THEN
    KV-ALEN @ 128 < IF KV-ANS KV-ALEN @ + C! 1 KV-ALEN +! ELSE DROP THEN
  REPEAT DROP FALSE ;
: KV-MINE? ( --- a u true | false ) \ is the line the answer to our request?
  KV-ALEN @ KV-WANT C@ > 0= IF FALSE EXIT THEN
  KV-ANS KV-WANT C@ + C@ BL <> IF FALSE EXIT THEN
  KV-ANS KV-WANT C@ KV-WANT COUNT COMPARE IF FALSE EXIT THEN
  KV-ANS KV-ALEN @ KV-WANT C@ 1+ /STRING TRUE ;
: KV-AWAIT ( --- a u 1 | 0 | -1 ) \ the answer; none in time; the service is gone
  0 KV-ALEN ! KV-START BEGIN
    KV-A KV-ID @ RING-RECEIVE 0= IF -1 EXIT THEN
    BEGIN KV-LINE? WHILE KV-MINE? IF 1 EXIT THEN 0 KV-ALEN ! REPEAT
  KV-LATE? UNTIL 0 ;
: KV-FAILED ( 0 | -1 --- ) IF ." kv: service gone" ELSE ." kv: no answer" THEN ;
: KV-ASK ( a u --- ) \ send a request ("get k") to .kv and type its answer
  DUP 80 > IF 2DROP ." kv: too long" EXIT THEN
  DUP KV-TLEN ! KV-TEXT SWAP MOVE
  S" .kv" OPEN-NAMED DUP KV-ID ! 0= IF ." kv: no service" EXIT THEN
  KV-A RING-SYNC  KV-MKTAG
  KV-Q DUP RING-COUNT @ SWAP RING-MARK !
  KV-WANT COUNT KV-Q S>RING  BL KV-Q >RING  KV-TEXT KV-TLEN @ KV-Q S>RING  10 KV-Q >RING
  KV-SEND DUP 1 <> IF KV-FAILED EXIT THEN DROP
  KV-AWAIT DUP 1 = IF DROP TYPE ELSE KV-FAILED THEN ;
: KV-REQ ( a u "text" --- ) \ a request of a command and the rest of the line
  SVC0 SVC+ S"  " SVC+ 10 PARSE SVC+ SVC-MSG KV-ASK ;
: KV-PUT ( "key" "value" --- ) S" put" KV-REQ ;
: KV-GET ( "key" --- ) S" get" KV-REQ ;
: KV-DEL ( "key" --- ) S" del" KV-REQ ;
: KV-QUIT ( --- ) S" quit" KV-ASK ;

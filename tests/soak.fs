\ tests/soak.fs - one session of the soak (tests/soak.py): receive
\ from the terminal at full rate, checking every byte against the
\ host's pattern ('a' + position mod 26; bytes reported lost by lap
\ detection advance the position), and send the same pattern back at
\ full rate. A '!' ends it: "SOAK <received> <lost> <bad> <sent>".
\ Code lines fit a block's 64-character lines (the owner LOADs it).
1024 RING IN  1024 RING OUT
VARIABLE POS  VARIABLE SEEN  VARIABLE BAD  VARIABLE GOT
VARIABLE DONE  VARIABLE NEXT
: PAT ( n --- c ) 26 MOD [CHAR] a + ;
: TAKE ( --- ) IN RING-LOST DUP SEEN @ - POS +! SEEN !
  BEGIN IN RING> DUP -1 <> WHILE
    DUP [CHAR] ! = IF DROP -1 DONE ! ELSE
      POS @ PAT <> IF 1 BAD +! THEN 1 POS +! 1 GOT +! THEN
  REPEAT DROP ;
: GIVE ( id --- ) BEGIN OUT RING-PENDING 511 < WHILE
    NEXT @ PAT OUT >RING 1 NEXT +! REPEAT
  OUT SWAP 0 RING-SEND DROP ;
: SOAK ( id --- ) >R IN RING-SYNC 0 POS ! 0 SEEN ! 0 BAD !
  0 GOT ! 0 DONE ! 0 NEXT ! ." GO" CR
  BEGIN IN R@ RING-RECEIVE DROP TAKE R@ GIVE DONE @ UNTIL
  BEGIN OUT RING-PENDING WHILE OUT R@ 1 RING-SEND DROP REPEAT
  R> DROP CR ." SOAK " GOT @ . IN RING-LOST . BAD @ .
  OUT RING-MARK @ . CR ;

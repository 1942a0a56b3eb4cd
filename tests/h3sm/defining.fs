\ defining words and compilation
: konst CREATE , DOES> @ ; 42 konst answer answer . CR
CREATE table 10 , 20 , 30 , table 2 CELLS + @ . table CELL+ @ . CR
VARIABLE v 17 v ! v @ . 3 v +! v ? CR
99 CONSTANT ninety-nine ninety-nine . : use-k ninety-nine 1+ ; use-k . CR
5 VALUE five five . 7 TO five five . : set-five 11 TO five ; set-five five . CR
DEFER greet : hello ." hello" ; ' hello IS greet greet SPACE ACTION-OF greet ' hello = . CR
:NONAME 2 * ; DUP 21 SWAP EXECUTE . CONSTANT doubler 4 doubler EXECUTE . CR
: [five] 5 POSTPONE LITERAL ; IMMEDIATE : uses-five [five] 1+ ; uses-five . CR
: my-if POSTPONE IF ; IMMEDIATE : t my-if ." yes" ELSE ." no" THEN ; 1 t 0 t CR
MARKER forget-me : temp 1 ; forget-me S" temp" FIND-NAME 0= . CR
: quote-x [CHAR] x EMIT ; quote-x CHAR y EMIT CR
' DUP >BODY DROP table ' table >BODY = . CR
12 BUFFER: buf buf 12 ERASE buf 11 + C@ . CR

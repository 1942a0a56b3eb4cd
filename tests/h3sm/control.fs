\ control structures
: sign? ( n --- ) DUP 0< IF DROP ." neg" ELSE 0= IF ." zero" ELSE ." pos" THEN THEN SPACE ;
-4 sign? 0 sign? 9 sign? CR
: count-down ( n --- ) BEGIN DUP . 1- DUP 0= UNTIL DROP ; 5 count-down CR
: halves ( n --- ) BEGIN DUP WHILE DUP . 2/ REPEAT DROP ; 100 halves CR
: loops 3 0 DO 2 0 DO J 10 * I + . LOOP LOOP ; loops CR
: down 0 10 DO I . -3 +LOOP ; down CR
: none 5 5 ?DO I . LOOP ." none" ; none CR
: find7 20 0 DO I 7 = IF I . LEAVE THEN LOOP ." left" ; find7 CR
: kind CASE 1 OF ." one" ENDOF 2 OF ." two" ENDOF ." other:" DUP . ENDCASE ; 1 kind 2 kind 9 kind CR
: fib DUP 2 < IF DROP 1 EXIT THEN DUP 1- RECURSE SWAP 2 - RECURSE + ; 25 fib . CR
: gcd ( a b --- g ) BEGIN ?DUP WHILE TUCK MOD REPEAT ; 1071 462 gcd . CR
: ever 0 BEGIN 1+ DUP 1000 = IF EXIT THEN AGAIN ; ever . CR

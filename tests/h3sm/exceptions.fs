\ CATCH and THROW
: risky ( n --- ) DUP 0= IF 99 THROW THEN DROP ;
1 2 ' risky CATCH . . CR
1 0 ' risky CATCH . DROP . CR
: deep 3 THROW ; : mid 1 2 deep ; : top ['] mid CATCH ; top . DEPTH . CR
: safe-div ['] / CATCH IF 2DROP -1 THEN ; 10 2 safe-div . 10 0 safe-div . CR
: ab? ABORT" bad thing" ; : try 0 ab? ." fine" ; try CR
0 THROW ." zero throw does nothing" CR

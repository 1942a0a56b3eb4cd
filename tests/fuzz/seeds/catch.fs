: BAD 1 0 / ; ' BAD CATCH . : T -99 THROW ; ' T CATCH .
: ? ABORT" stop" ; 0 ?
' DUP CATCH

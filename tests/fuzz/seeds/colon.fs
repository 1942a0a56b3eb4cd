: SQ ( n -- n*n ) DUP * ;
: CUBE DUP SQ * ; 3 CUBE .
: FACT DUP 2 < IF DROP 1 ELSE DUP 1- RECURSE * THEN ; 6 FACT .

\ strings, characters and pictured numbers
S" hello" TYPE SPACE S" hello" NIP . CR
: greet ." hi there" ; greet CR
S\" tab\tq\"x\\" TYPE CR
: cq C" abc" ; cq COUNT TYPE CR
S" abc" S" abd" COMPARE . S" abc" S" abc" COMPARE . S" b" S" a" COMPARE . S" ab" S" abc" COMPARE . CR
: .money ( cents --- ) 0 <# # # [CHAR] . HOLD #S [CHAR] $ HOLD #> TYPE ; 123456 .money CR
-42 DUP ABS 0 <# #S ROT SIGN #> TYPE CR
255 HEX 0 <# #S #> TYPE DECIMAL CR
PAD 5 CHAR z FILL PAD 5 TYPE CR
S" trail   " -TRAILING TYPE ." |" CR
S" abcdef" 2 /STRING TYPE CR
0 0 S" 1234x" >NUMBER . C@ EMIT D. CR
BL WORD hello COUNT TYPE CR
: sl [ S" literal" ] SLITERAL ; sl TYPE SPACE sl NIP . CR

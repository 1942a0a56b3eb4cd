: C CASE 1 OF ." one" ENDOF 2 OF ." two" ENDOF ." other" ENDCASE ; 1 C 2 C 9 C

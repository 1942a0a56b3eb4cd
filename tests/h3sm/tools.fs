\ the tools: SEE decompiles native code back into words
: sq DUP * ; SEE sq
: mixed 10 0 DO I sq . LOOP S" x" TYPE ; SEE mixed
: branchy 0< IF 1 ELSE 2 THEN ; SEE branchy
HERE 3 ALLOT HERE SWAP - . CR

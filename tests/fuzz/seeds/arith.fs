2 3 + 4 * . -7 2 /MOD . . 10 3 MOD . $FF #10 %101 + + . -1 U. 5 NEGATE ABS .

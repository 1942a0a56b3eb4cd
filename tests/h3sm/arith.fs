\ arithmetic: cells, doubles, division, bases
2 3 + . 7 2 - . 6 7 * . -7 2 / . -7 2 MOD . 7 -2 /MOD . . CR
-2147483648 -1 / . 10 3 7 */ . CR
1 2 3 */MOD . . 5 NEGATE ABS . -1 0 MAX . 3 9 MIN . CR
HEX FF . 10 . DECIMAL $FF . #10 . %101 . 'A' . CR
1 31 LSHIFT U. -1 28 RSHIFT . 1 32 LSHIFT . CR
-5 S>D . . 3 4 M* D. 10 0 3 UM/MOD . . -7 S>D 2 FM/MOD . . -7 S>D 2 SM/REM . . CR
5 0 10 WITHIN . 10 0 10 WITHIN . -1 -1 0 WITHIN . CR
1 2 < . 2 1 < . -1 1 U< . 0 0= . 5 0<> . -3 0< . CR
123456789. D. -1. D. 1. 2. D+ D. CR

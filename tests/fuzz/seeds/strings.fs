S" hello" TYPE S" abc" S" abd" COMPARE . C" counted" COUNT TYPE
: E S\" tab\there\n" TYPE [CHAR] B EMIT ; E CHAR A EMIT
S" find me" 2DUP BL SCAN TYPE -TRAILING TYPE

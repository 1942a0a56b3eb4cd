5 TO HERE 1 , 2 ,

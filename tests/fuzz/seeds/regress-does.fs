: T 1 DOES> SIZE ; T 5 ,

: F [ 0 ] THEN ; : G BEGIN [ 5 ] UNTIL ; : H LEAVE ;

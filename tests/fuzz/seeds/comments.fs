( a comment ) 1 \ to the end of the line
.( printed now) 2 ( unclosed comment

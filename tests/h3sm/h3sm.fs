\ H3sm's own words: the pointer stack, Size, pytes
1 >P 2 >P PDEPTH . P> . P> . PDEPTH . CR
10 >P 20 >P PSWAP P@ . POVER P> . P> . P> . CR
SIZE . 2 SIZE! SIZE . 4 SIZE! CR
CREATE cells 16 ALLOT cells 16 ERASE
1 SIZE! 258 cells S! cells @ . 2 SIZE! 258 cells S! cells @ . 4 SIZE! CR
cells >P 2 SIZE! 7 !P+ 9 !P+ PDROP cells >P @P+ . @P+ . PDROP 4 SIZE! CR
\ pytes of 32 bytes: 2^255 - 1 and friends
CREATE a 32 ALLOT CREATE b 32 ALLOT
32 SIZE! a >P -1 PYTE! PDROP a 31 + 127 SWAP C!
a >P PYTE. CR
b >P 1 PYTE! PDROP a >P b >P PYTE+ a >P PYTE. CR
a >P b >P PYTE- a >P b >P PYTE-COMPARE . b >P a >P PYTE-COMPARE . a >P a >P PYTE= . CR
b >P 0 PYTE! PYTE. CR
4 SIZE!

\ tests/forth/ttester-shim.fs -- loaded before gforth's tester.fs.
\ gforth's ttester.fs, on its path for systems without floating point, still
\ compiles four float words (0E FDROP F@ FCONF=). H3sm has no floating point;
\ these one-cell stand-ins let that path compile. The CORE tests never run them.
: 0E ( --- 0 ) 0 ;
: FDROP ( x --- ) DROP ;
: F@ ( a --- x ) @ ;
: FCONF= ( a b --- flag ) = ;

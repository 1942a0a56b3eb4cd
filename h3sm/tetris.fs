\ h3sm/tetris.fs -- tetris on the glyph display (please tetris, issue 5).
\ Needs an Ha3sm instance: core, prelude.fs, kprelude.fs. TETRIS ( --- lines )
\ opens .display (send), .keyboard and .clock (receive), plays one game and
\ returns the rows cleared. Keys: left/right arrows or a/d move, up or w turns,
\ down or s drops one row, space drops to the bottom, q quits. Compile it a line
\ at a time (the \ comments end at the end of a line). Stack effects as in
\ prelude.fs: ( before --- after ).

DECIMAL

\ ---- the devices ----
VARIABLE DISPLAY-ID  VARIABLE KEYS-ID  VARIABLE CLOCK-ID   \ ( --- a ) device IDs
: DEVICE ( a u --- id ) ASK ;  \ a please "#name open": the ID, 0 if none
: OPEN-DEVICES ( --- ) \ the three devices, or an error
  S" #.display open" DEVICE DISPLAY-ID !
  S" #.keyboard open" DEVICE KEYS-ID !
  S" #.clock open" DEVICE CLOCK-ID !
  DISPLAY-ID @ 0= KEYS-ID @ 0= OR CLOCK-ID @ 0= OR ABORT" tetris: no .display, .keyboard or .clock" ;

\ ---- time: the clock's ring count is the ticks since boot ----
1000 VALUE TICK-HZ   \ ( --- n ) .clock's bytes a second: the PIT's rate (a reflex changes it)
16 RING CLOCK-RING   \ ( --- ring ) the clock's bytes, read only for the count
: NOW ( --- ticks ) CLOCK-RING CLOCK-ID @ RING-RECEIVE DROP CLOCK-RING RING-COUNT @ ;
: MS>TICKS ( ms --- ticks ) TICK-HZ 1000 */ ;

\ ---- keys ----
64 RING KEYS   \ ( --- ring ) what the keyboard sends
: KEY-BYTE ( --- c | -1 ) \ the next byte from the keyboard, -1 if none yet
  KEYS RING> DUP 0< IF DROP KEYS KEYS-ID @ RING-RECEIVE DROP KEYS RING> THEN ;
: FORGET-KEYS ( --- ) \ drop what was typed before now
  KEYS KEYS-ID @ RING-RECEIVE DROP KEYS RING-COUNT @ KEYS RING-MARK ! ;

\ ---- the display: bytes gather in a ring, SHOW sends them ----
2048 RING INK   \ ( --- ring ) what goes to the display
: SHOW ( --- ) \ send what is pending; give up (drop it) if the display stays busy
  100 0 DO INK DISPLAY-ID @ 2 RING-SEND IF UNLOOP EXIT THEN LOOP
  INK RING-COUNT @ INK RING-MARK ! ;
: PUT ( c --- ) INK >RING INK RING-PENDING 2000 > IF SHOW THEN ;
: PUTS ( a u --- ) 0 ?DO DUP C@ PUT 1+ LOOP DROP ;
: PUTN ( u --- ) 0 <# #S #> PUTS ;  \ in decimal
: CSI ( --- ) 27 PUT [CHAR] [ PUT ;
: AT ( col row --- ) CSI PUTN [CHAR] ; PUT PUTN [CHAR] H PUT ;  \ 1-based, as CUP
: PLAIN ( --- ) CSI S" 0m" PUTS ;  \ default colours
: LABEL ( a u col row --- ) AT PLAIN PUTS ;

\ ---- the screen: the well 20 rows of 10 squares, 2 columns a square ----
10 CONSTANT COLS  20 CONSTANT ROWS   \ ( --- n ) the well's size in squares
8 CONSTANT GHOST   \ ( --- n ) the hue of the shadow where the piece would land
31 CONSTANT WELL-X  2 CONSTANT WELL-Y  \ ( --- n ) the screen cell of square 0 0
4 CONSTANT INFO-X  57 CONSTANT NEXT-X  \ ( --- n ) the columns of the side panels
: SQUARE-AT ( col row --- ) SWAP 2* WELL-X + SWAP WELL-Y + AT ;  \ cursor to a square
: PAINT ( hue --- ) \ draw a square at the cursor: 0 empty, 1-7 a colour, or GHOST
  DUP GHOST = IF DROP CSI S" 0;90m" PUTS S" ::" PUTS EXIT THEN
  ?DUP IF CSI S" 30;" PUTS 100 + PUTN [CHAR] m PUT S" []" PUTS
  ELSE CSI S" 0;90m" PUTS S"  ." PUTS THEN ;
: WALLS ( --- ) \ the well's sides and floor
  PLAIN ROWS 0 DO
    WELL-X 2 - WELL-Y I + AT S" <!" PUTS  WELL-X COLS 2* + WELL-Y I + AT S" !>" PUTS
  LOOP
  WELL-X 2 - WELL-Y ROWS + AT S" <!" PUTS COLS 0 DO S" ==" PUTS LOOP S" !>" PUTS
  WELL-X WELL-Y ROWS + 1+ AT COLS 0 DO S" \/" PUTS LOOP ;
: PANEL ( --- ) \ the words around the well
  S" H3sm TETRIS" INFO-X 2 LABEL
  S" SCORE" INFO-X 4 LABEL  S" LINES" INFO-X 5 LABEL  S" LEVEL" INFO-X 6 LABEL
  S" left, a   move left" INFO-X 9 LABEL
  S" right, d  move right" INFO-X 10 LABEL
  S" up, w     turn" INFO-X 11 LABEL
  S" down, s   drop a row" INFO-X 12 LABEL
  S" space     drop" INFO-X 13 LABEL
  S" q         quit" INFO-X 14 LABEL
  S" NEXT" NEXT-X 2 LABEL ;

\ ---- pieces: a 4x4 mask a turn, bit 4*row+col ----
CREATE SHAPES 28 CELLS ALLOT   \ ( --- a ) piece p turned t: the cell 4p+t
VARIABLE BOX   \ ( --- a ) the side of the square a piece turns in
: TURN ( mask --- mask' ) \ a quarter turn clockwise inside the BOX square
  0 16 0 DO
    OVER 1 I LSHIFT AND IF 1 I 3 AND 4 * BOX @ 1- I 2 RSHIFT - + LSHIFT OR THEN
  LOOP NIP ;
: SHAPE! ( mask box p --- ) \ a piece's four turns, from the first
  SWAP BOX !  4 * CELLS SHAPES +  4 0 DO 2DUP ! CELL+ SWAP TURN SWAP LOOP 2DROP ;
$00F0 4 0 SHAPE!  ( I )
$0660 4 1 SHAPE!  ( O, in the middle of 4x4: it turns in place )
$0072 3 2 SHAPE!  ( T )
$0036 3 3 SHAPE!  ( S )
$0063 3 4 SHAPE!  ( Z )
$0071 3 5 SHAPE!  ( J )
$0074 3 6 SHAPE!  ( L )
CREATE HUES 6 C, 3 C, 5 C, 2 C, 1 C, 4 C, 7 C,  \ ( --- a ) each piece's colour: I cyan, O yellow ...
: SHAPE ( p turn --- mask ) SWAP 4 * + CELLS SHAPES + @ ;
: TOP ( mask --- row ) \ the first row with a square in it
  0 BEGIN OVER 15 AND 0= WHILE 1+ SWAP 4 RSHIFT SWAP REPEAT NIP ;

\ ---- the well: a byte a square, 0 empty or a hue ----
CREATE WELL 200 ALLOT    \ ( --- a ) the squares that have landed
CREATE FRAME 200 ALLOT   \ ( --- a ) the well with the falling piece, to draw
CREATE SHOWN 200 ALLOT   \ ( --- a ) what the screen shows now
: SQ ( col row --- a ) COLS * + WELL + ;
: SOLID? ( col row --- flag ) \ a wall, the floor or a landed square; above the top is open
  OVER 0 COLS WITHIN 0= IF 2DROP TRUE EXIT THEN
  DUP ROWS < 0= IF 2DROP TRUE EXIT THEN
  DUP 0< IF 2DROP FALSE EXIT THEN
  SQ C@ 0<> ;

\ ---- the game's state ----
VARIABLE PIECE  VARIABLE TURNED  VARIABLE PX  VARIABLE PY   \ ( --- a ) the falling piece
VARIABLE COMING   \ ( --- a ) the next piece
VARIABLE SCORE  VARIABLE LINES   \ ( --- a ) points; rows cleared
VARIABLE DUE   \ ( --- a ) the tick at which the piece falls a row
VARIABLE DIRTY  VARIABLE ENDED   \ ( --- a ) the screen must be drawn; the game is over
VARIABLE TETRIS-SEED  0 TETRIS-SEED !   \ ( --- a ) the pieces' first seed, 0: the clock's
VARIABLE RNG   \ ( --- a ) xorshift32 state
: RANDOM ( --- u ) RNG @ DUP 13 LSHIFT XOR DUP 17 RSHIFT XOR DUP 5 LSHIFT XOR DUP RNG ! ;
: RANDOM-PIECE ( --- p ) RANDOM 0 7 UM/MOD DROP ;
: LEVEL ( --- n ) LINES @ 10 / ;
: DELAY ( --- ticks ) 800 LEVEL 70 * - 100 MAX MS>TICKS ;  \ between two falls
: MASK ( --- mask ) PIECE @ TURNED @ SHAPE ;

\ ---- doing something to every square of a piece ----
VARIABLE DOER  VARIABLE HUE  VARIABLE HITS   \ ( --- a ) EACH's action; its colour; a count
VARIABLE CANVAS   \ ( --- a ) the buffer MARK draws in
: EACH ( x y mask xt --- ) \ xt ( col row --- ) on each square of mask put at x y
  DOER !  16 0 DO
    DUP 1 I LSHIFT AND IF 2 PICK I 3 AND +  2 PICK I 2 RSHIFT +  DOER @ EXECUTE THEN
  LOOP DROP 2DROP ;
: HIT ( col row --- ) SOLID? IF 1 HITS +! THEN ;
: ROOM? ( x y turn --- flag ) \ is there room for the falling piece, so turned, at x y?
  PIECE @ SWAP SHAPE  0 HITS !  ['] HIT EACH  HITS @ 0= ;
: MARK ( col row --- ) \ HUE into CANVAS; squares above the top count in HITS
  DUP 0< IF 2DROP 1 HITS +! EXIT THEN COLS * + CANVAS @ + HUE @ SWAP C! ;
: PUT-SHAPE ( buffer y hue --- hidden ) \ the falling piece, at row y, in a well-sized buffer
  HUE !  SWAP CANVAS !  0 HITS !  PX @ SWAP MASK ['] MARK EACH  HITS @ ;
: PUT-PIECE ( buffer --- hidden ) PY @ PIECE @ HUES + C@ PUT-SHAPE ;
: LANDING ( --- y ) \ the lowest row the falling piece could drop to
  PY @ BEGIN PX @ OVER 1+ TURNED @ ROOM? WHILE 1+ REPEAT ;

\ ---- drawing: only the squares that changed ----
: DRAW-WELL ( --- ) \ the landed squares, the shadow and the falling piece
  WELL FRAME 200 MOVE  FRAME LANDING GHOST PUT-SHAPE DROP  FRAME PUT-PIECE DROP
  ROWS 0 DO COLS 0 DO
    J COLS * I + DUP FRAME + C@ SWAP SHOWN + C@ <> IF
      I J SQUARE-AT  J COLS * I + FRAME + C@ DUP PAINT  J COLS * I + SHOWN + C!
    THEN
  LOOP LOOP ;
: FIGURE ( n col row --- ) AT PLAIN PUTN S"     " PUTS ;  \ a number, old digits rubbed out
: DRAW-NEXT ( --- ) \ the next piece, in a 4x4 square under NEXT
  4 0 DO
    NEXT-X 4 I + AT
    4 0 DO COMING @ 0 SHAPE 1 J 4 * I + LSHIFT AND IF COMING @ HUES + C@ ELSE 0 THEN
      ?DUP IF PAINT ELSE PLAIN S"   " PUTS THEN LOOP
  LOOP ;
: DRAW ( --- ) \ what changed since the last DRAW
  DRAW-WELL DRAW-NEXT
  SCORE @ INFO-X 6 + 4 FIGURE  LINES @ INFO-X 6 + 5 FIGURE  LEVEL INFO-X 6 + 6 FIGURE
  PLAIN 1 25 AT SHOW  FALSE DIRTY ! ;

\ ---- moving ----
: SPAWN ( --- ) \ the next piece at the top; the game ends if it does not fit
  COMING @ PIECE !  RANDOM-PIECE COMING !  0 TURNED !  3 PX !  MASK TOP NEGATE PY !
  PX @ PY @ TURNED @ ROOM? 0= IF TRUE ENDED ! THEN  TRUE DIRTY ! ;
: FULL? ( row --- flag ) COLS * WELL + COLS 0 SCAN NIP 0= ;  \ no empty square
: TAKE-ROW ( row --- ) \ the rows above come down one, an empty row on top
  >R WELL DUP COLS + R> COLS * MOVE  WELL COLS ERASE ;
: CLEAR-ROWS ( --- n ) \ every full row taken out; how many
  0 ROWS 0 DO I FULL? IF I TAKE-ROW 1+ THEN LOOP ;
CREATE POINTS 0 , 100 , 300 , 500 , 800 ,   \ ( --- a ) for 0-4 rows at once, times level+1
: LAND ( --- ) \ the piece stays where it is; full rows go; the next piece comes
  WELL PUT-PIECE IF TRUE ENDED ! THEN  \ landed partly above the top: over
  CLEAR-ROWS DUP CELLS POINTS + @ LEVEL 1+ * SCORE +!  LINES +!
  ENDED @ 0= IF SPAWN THEN  NOW DELAY + DUE ! ;
: TRY ( dx turn --- moved ) \ move by dx, so turned, if it fits there
  OVER PX @ + PY @ 2 PICK ROOM? IF TURNED ! PX +! TRUE DIRTY ! TRUE ELSE 2DROP FALSE THEN ;
: SHIFT ( dx --- ) TURNED @ TRY DROP ;
CREATE KICKS 0 , -1 , 1 , -2 , 2 ,   \ ( --- a ) where a turn may push the piece to
: SPIN ( --- ) 5 0 DO I CELLS KICKS + @ TURNED @ 1+ 3 AND TRY IF LEAVE THEN LOOP ;
: DOWN? ( --- moved ) \ one row down, if it fits
  PX @ PY @ 1+ TURNED @ ROOM? DUP IF 1 PY +! TRUE DIRTY ! THEN ;
: FALL ( --- ) DOWN? 0= IF LAND THEN  NOW DELAY + DUE ! ;  \ gravity
: SOFT ( --- ) DOWN? IF 1 SCORE +! NOW DELAY + DUE ! ELSE LAND THEN ;
: HARD ( --- ) BEGIN DOWN? WHILE 2 SCORE +! REPEAT LAND ;

\ ---- keys to moves ----
VARIABLE ESCAPED   \ ( --- a ) 0 plain, 1 after ESC, 2 inside ESC [
: LETTER ( c --- ) \ a plain key
  DUP [CHAR] A [CHAR] Z 1+ WITHIN IF 32 + THEN
  CASE
    [CHAR] a OF -1 SHIFT ENDOF  [CHAR] d OF 1 SHIFT ENDOF
    [CHAR] w OF SPIN ENDOF      [CHAR] s OF SOFT ENDOF
    BL OF HARD ENDOF            [CHAR] q OF TRUE ENDED ! ENDOF
  ENDCASE ;
: ARROW ( c --- ) \ the final byte of ESC [ ...
  CASE
    [CHAR] A OF SPIN ENDOF      [CHAR] B OF SOFT ENDOF
    [CHAR] C OF 1 SHIFT ENDOF   [CHAR] D OF -1 SHIFT ENDOF
  ENDCASE ;
: HANDLE ( c --- ) \ one byte from the keyboard
  ESCAPED @ CASE
    0 OF DUP 27 = IF DROP 1 ESCAPED ! ELSE LETTER THEN ENDOF
    1 OF DUP [CHAR] [ = IF DROP 2 ESCAPED ! ELSE 0 ESCAPED ! LETTER THEN ENDOF
    2 OF DUP $40 $7F WITHIN IF 0 ESCAPED ! ARROW ELSE DROP THEN ENDOF
    NIP   \ ( no other state: the byte goes )
  ENDCASE ;
: KEYS-NOW ( --- ) \ every key that came, until the game ends
  BEGIN ENDED @ 0= WHILE KEY-BYTE DUP 0< IF DROP EXIT THEN HANDLE REPEAT ;

\ ---- the game ----
: START ( --- ) \ an empty well, the screen drawn whole
  WELL 200 ERASE  SHOWN 200 255 FILL  0 SCORE !  0 LINES !  FALSE ENDED !  0 ESCAPED !
  TETRIS-SEED @ ?DUP 0= IF NOW 1 OR THEN RNG !
  RANDOM-PIECE COMING !  SPAWN  NOW DELAY + DUE !
  24 PUT CSI S" 0m" PUTS CSI S" 2J" PUTS CSI S" ?25l" PUTS  WALLS PANEL DRAW ;
: PLAY ( --- ) \ until a piece cannot come in, or q
  BEGIN
    KEYS-NOW
    ENDED @ 0= IF NOW DUE @ - 0< 0= IF FALL THEN THEN
    DIRTY @ IF DRAW THEN
    ENDED @ 0= WHILE REST
  REPEAT ;
: WAIT-KEY ( ticks --- ) \ until a key comes, or that many ticks
  FORGET-KEYS NOW + BEGIN KEY-BYTE 0< WHILE DUP NOW - 0< IF DROP EXIT THEN REST REPEAT DROP ;
: GAME-OVER ( --- ) \ say so on the well and leave it on the screen a while
  DRAW  WELL-X 2 + WELL-Y 9 + AT CSI S" 0;97;41m" PUTS S"    GAME OVER   " PUTS
  PLAIN 1 25 AT CSI S" ?25h" PUTS SHOW  3000 MS>TICKS WAIT-KEY ;
: GAME ( --- ) FORGET-KEYS START PLAY ;
: TETRIS ( --- lines ) \ play one game on the glyph display; the rows cleared
  OPEN-DEVICES  BASE @ >R DECIMAL
  ['] GAME CATCH  GAME-OVER  R> BASE !  THROW  LINES @ ;

/*
 * vt.c - the console glyph display: an ECMA-48 (ANSI X3.64) subset over
 * the VGA text screen, enough for a line editor and for tetris. The
 * sequences and their limits are in docs/glyph-display.md.
 *
 * One byte at a time through a small state machine (the states are the
 * usual DEC/ANSI parser's, cut down): printable ASCII is drawn, C0
 * controls act at once (also inside a sequence), ESC starts a sequence,
 * CAN and SUB abandon one. A sequence that is malformed or not ours is
 * read to its end and dropped; nothing of it is drawn. Parameters
 * saturate at PARMAX and only the first NPAR are kept, so no input can
 * overflow anything. No dynamic memory.
 *
 * Drawing goes through the cell interface of vga.h (vga_cell, vga_fill,
 * vga_move, the cursor), never to the screen directly: the same file
 * builds on a host against a fake screen (tests/vt_check.c). The cursor
 * is the VGA driver's, shared with vga_putc (the kernel log): each write
 * starts where the cursor is now. Colours and modes are ours alone.
 *
 * Deferred wrap: a glyph in the last column leaves the cursor there with
 * `wrapnext` set (the cursor is logically just past the end); the next
 * glyph goes to the start of the next line first. So a full line and
 * then CR LF make one line, not two, and the bottom right cell can be
 * drawn without scrolling.
 */
#include "types.h"
#include "vga.h"
#include "vt.h"

enum {
	ROWS = VGA_ROWS, COLS = VGA_COLS,
	NPAR = 16,		/* parameters kept; later ones are read and dropped */
	PARMAX = 9999,		/* a parameter saturates here */
	CHUNK = 128,		/* bytes handled with interrupts off at a time */
	TABSTOP = 8,

	BEL = 0x07, BS = 0x08, HT = 0x09, LF = 0x0a, VT = 0x0b, FF = 0x0c, CR = 0x0d,
	CAN = 0x18, SUB = 0x1a, ESC = 0x1b, DEL = 0x7f,
};

enum {			/* parser states */
	GROUND,		/* text */
	ESCAPE,		/* after ESC */
	ESCINT,		/* ESC and intermediates (0x20-0x2f): until a final byte */
	CSIPARAM,	/* ESC [ and its parameters */
	CSIINT,		/* ESC [ ... and intermediates */
	CSIIGNORE,	/* a malformed ESC [: until its final byte */
	STRING,		/* a control string (ESC ] P X ^ _): until BEL or ESC */
};

struct attrs {
	int fg, bg;	/* VGA colours 0-15 */
	int bold;	/* SGR 1: the foreground's bright bit */
	int rev;	/* SGR 7: foreground and background swapped */
};

/* ANSI colour numbers (black red green yellow blue magenta cyan white) as VGA's */
static const uchar ansi2vga[8] = {
	VGA_BLACK, VGA_RED, VGA_GREEN, VGA_BROWN,
	VGA_BLUE, VGA_MAGENTA, VGA_CYAN, VGA_LGREY,
};

static const struct attrs plain = { VGA_LGREY, VGA_BLACK, 0, 0 };

static struct {
	int started;		/* defaults set */
	int state;
	int row, col;		/* the cursor, 0-based */
	int wrapnext;		/* deferred wrap (implies col == COLS-1) */
	struct attrs a;
	int hidden;		/* ?25l: cursor hidden */
	int nowrap;		/* ?7l: no autowrap */
	int lfonly;		/* 20l: LF, VT, FF do not return to column 0 */
	int srow, scol;		/* ESC 7, CSI s */
	struct attrs sa;

	int par[NPAR];		/* CSI parameters, 0 = absent */
	int np;			/* the parameter being read; NPAR after too many */
	int seen;		/* a digit or ';' has come */
	int priv;		/* private marker < = > ?, or 0 */
	int inter;		/* an intermediate byte has come */
} vt;

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int
attr(void)
{
	int f, b, t;

	f = vt.a.fg | (vt.a.bold ? 8 : 0);
	b = vt.a.bg;
	if(vt.a.rev){
		t = f;
		f = b;
		b = t;
	}
	return (b & 15) << 4 | (f & 15);
}

static void
blank(int row, int col, int n)
{
	vga_fill(row, col, n, attr());
}

static void
scrollup(void)
{
	vga_move(0, 0, 1, 0, (ROWS-1) * COLS);
	blank(ROWS-1, 0, COLS);
}

static void
scrolldown(void)
{
	vga_move(1, 0, 0, 0, (ROWS-1) * COLS);
	blank(0, 0, COLS);
}

static void
linefeed(void)		/* down a row; the bottom row scrolls the screen */
{
	vt.wrapnext = 0;
	if(vt.row >= ROWS-1){
		vt.row = ROWS-1;
		scrollup();
	}else
		vt.row++;
}

static void
revindex(void)		/* up a row; the top row scrolls the screen down */
{
	vt.wrapnext = 0;
	if(vt.row <= 0){
		vt.row = 0;
		scrolldown();
	}else
		vt.row--;
}

static void
save(void)
{
	vt.srow = vt.row;
	vt.scol = vt.col;
	vt.sa = vt.a;
}

static void
restore(void)
{
	vt.row = vt.srow;
	vt.col = vt.scol;
	vt.a = vt.sa;
	vt.wrapnext = 0;
}

static void
defaults(void)
{
	vt.state = GROUND;
	vt.a = plain;
	vt.hidden = 0;
	vt.nowrap = 0;
	vt.lfonly = 0;
	vt.wrapnext = 0;
	vt.srow = 0;
	vt.scol = 0;
	vt.sa = plain;
}

static void
ris(void)		/* ESC c */
{
	defaults();
	blank(0, 0, ROWS * COLS);
	vt.row = 0;
	vt.col = 0;
	vga_showcursor(1);
}

static void
glyph(int c)
{
	if(vt.wrapnext){
		vt.col = 0;
		linefeed();
	}
	vga_cell(vt.row, vt.col, c, attr());
	if(vt.col < COLS-1)
		vt.col++;
	else if(!vt.nowrap)
		vt.wrapnext = 1;
}

/* a run of glyphs in GROUND: s[0..n-1] as far as it is printable ASCII, drawn
 * a row's piece at a time (the cells' attribute is the same for all of them);
 * what glyph() would do byte by byte, wraps included. How many it took */
static uint
text(const uchar *s, uint n)
{
	uint done = 0;
	int m, a = attr();

	while(done < n && s[done] >= 0x20 && s[done] < DEL){
		if(vt.wrapnext){
			vt.col = 0;
			linefeed();
		}
		m = vga_text(vt.row, vt.col, s + done, n - done, a);
		if(m <= 0)
			break;
		done += m;
		if(vt.col + m < COLS)
			vt.col += m;
		else{
			vt.col = COLS-1;
			vt.wrapnext = 1;
		}
	}
	return done;
}

static void
control(int c)
{
	switch(c){
	case BS:	/* back a column; from column 0 to the end of the row above */
		if(vt.wrapnext)
			vt.wrapnext = 0;
		else if(vt.col > 0)
			vt.col--;
		else if(vt.row > 0 && !vt.nowrap){
			vt.row--;
			vt.col = COLS-1;
		}
		break;
	case HT:
		if(!vt.wrapnext)
			vt.col = clamp((vt.col / TABSTOP + 1) * TABSTOP, 0, COLS-1);
		break;
	case LF:
	case VT:
	case FF:
		if(!vt.lfonly)
			vt.col = 0;
		linefeed();
		break;
	case CR:
		vt.col = 0;
		vt.wrapnext = 0;
		break;
	case BEL:	/* no sound yet */
	default:	/* the other C0 controls mean nothing here */
		break;
	}
}

static int
nargs(void)
{
	return vt.np < NPAR ? vt.np + 1 : NPAR;
}

/* parameter i; def when absent or 0 */
static int
arg(int i, int def)
{
	if(i >= nargs() || vt.par[i] == 0)
		return def;
	return vt.par[i];
}

/* 38;5;n and 48;5;n: colours 0-15 of the 256; the rest are not ours */
static int
extcolour(int i, int *colour)
{
	int n;

	n = nargs();
	if(i+1 < n && vt.par[i+1] == 5){
		if(i+2 < n && vt.par[i+2] < 16)
			*colour = ansi2vga[vt.par[i+2] & 7] | (vt.par[i+2] & 8);
		return i + 2;
	}
	if(i+1 < n && vt.par[i+1] == 2)
		return i + 4;		/* 2;r;g;b: no true colour here */
	return i;
}

static void
sgr(void)
{
	int i, n, p;

	n = nargs();
	for(i = 0; i < n; i++){
		p = vt.par[i];
		if(p == 0)
			vt.a = plain;
		else if(p == 1)
			vt.a.bold = 1;
		else if(p == 22)
			vt.a.bold = 0;
		else if(p == 7)
			vt.a.rev = 1;
		else if(p == 27)
			vt.a.rev = 0;
		else if(p >= 30 && p <= 37)
			vt.a.fg = ansi2vga[p - 30];
		else if(p == 38)
			i = extcolour(i, &vt.a.fg);
		else if(p == 39)
			vt.a.fg = plain.fg;
		else if(p >= 40 && p <= 47)
			vt.a.bg = ansi2vga[p - 40];
		else if(p == 48)
			i = extcolour(i, &vt.a.bg);
		else if(p == 49)
			vt.a.bg = plain.bg;
		else if(p >= 90 && p <= 97)
			vt.a.fg = ansi2vga[p - 90] | 8;
		else if(p >= 100 && p <= 107)
			vt.a.bg = ansi2vga[p - 100] | 8;
		/* anything else (blink, underline, ...) is ignored */
	}
}

static void
modes(int set)
{
	int i, n, p;

	n = nargs();
	for(i = 0; i < n; i++){
		p = vt.par[i];
		if(vt.priv == '?' && p == 25){
			vt.hidden = !set;
			vga_showcursor(set);
		}else if(vt.priv == '?' && p == 7){
			vt.nowrap = !set;
			vt.wrapnext = 0;
		}else if(vt.priv == 0 && p == 20)
			vt.lfonly = !set;
	}
}

static void
erasedisplay(int how)
{
	int here;

	here = vt.row * COLS + vt.col;
	if(how == 0)
		blank(vt.row, vt.col, ROWS * COLS - here);
	else if(how == 1)
		blank(0, 0, here + 1);
	else if(how == 2)
		blank(0, 0, ROWS * COLS);
}

static void
eraseline(int how)
{
	if(how == 0)
		blank(vt.row, vt.col, COLS - vt.col);
	else if(how == 1)
		blank(vt.row, 0, vt.col + 1);
	else if(how == 2)
		blank(vt.row, 0, COLS);
}

static void
csi(int final)
{
	int n, k;

	if(vt.inter)
		return;
	if(vt.priv){
		if(vt.priv == '?' && (final == 'h' || final == 'l'))
			modes(final == 'h');
		return;
	}
	n = arg(0, 1);
	switch(final){
	case 'm':
		sgr();
		return;
	case 's':
		save();
		return;
	case 'u':
		restore();
		return;
	case 'h':
	case 'l':
		modes(final == 'h');
		return;
	case 'A':		/* CUU */
		vt.row = clamp(vt.row - n, 0, ROWS-1);
		break;
	case 'B':		/* CUD */
		vt.row = clamp(vt.row + n, 0, ROWS-1);
		break;
	case 'C':		/* CUF */
		vt.col = clamp(vt.col + n, 0, COLS-1);
		break;
	case 'D':		/* CUB: from just past the end when a wrap is pending */
		vt.col = clamp(vt.col + vt.wrapnext - n, 0, COLS-1);
		break;
	case 'E':		/* CNL */
		vt.row = clamp(vt.row + n, 0, ROWS-1);
		vt.col = 0;
		break;
	case 'F':		/* CPL */
		vt.row = clamp(vt.row - n, 0, ROWS-1);
		vt.col = 0;
		break;
	case 'G':		/* CHA */
	case '`':		/* HPA */
		vt.col = clamp(n, 1, COLS) - 1;
		break;
	case 'd':		/* VPA */
		vt.row = clamp(n, 1, ROWS) - 1;
		break;
	case 'H':		/* CUP */
	case 'f':		/* HVP */
		vt.row = clamp(n, 1, ROWS) - 1;
		vt.col = clamp(arg(1, 1), 1, COLS) - 1;
		break;
	case 'J':		/* ED */
		erasedisplay(arg(0, 0));
		break;
	case 'K':		/* EL */
		eraseline(arg(0, 0));
		break;
	case '@':		/* ICH: the rest of the row moves right */
		k = clamp(n, 1, COLS - vt.col);
		if(k < COLS - vt.col)
			vga_move(vt.row, vt.col + k, vt.row, vt.col, COLS - vt.col - k);
		blank(vt.row, vt.col, k);
		break;
	case 'P':		/* DCH: the rest of the row moves left */
		k = clamp(n, 1, COLS - vt.col);
		if(k < COLS - vt.col)
			vga_move(vt.row, vt.col, vt.row, vt.col + k, COLS - vt.col - k);
		blank(vt.row, COLS - k, k);
		break;
	case 'X':		/* ECH */
		blank(vt.row, vt.col, clamp(n, 1, COLS - vt.col));
		break;
	case 'L':		/* IL: rows from the cursor's move down */
		k = clamp(n, 1, ROWS - vt.row);
		if(k < ROWS - vt.row)
			vga_move(vt.row + k, 0, vt.row, 0, (ROWS - vt.row - k) * COLS);
		blank(vt.row, 0, k * COLS);
		vt.col = 0;
		break;
	case 'M':		/* DL: rows below the deleted ones move up */
		k = clamp(n, 1, ROWS - vt.row);
		if(k < ROWS - vt.row)
			vga_move(vt.row, 0, vt.row + k, 0, (ROWS - vt.row - k) * COLS);
		blank(ROWS - k, 0, k * COLS);
		vt.col = 0;
		break;
	default:
		return;		/* not ours: no effect at all */
	}
	vt.wrapnext = 0;
}

static void
esc(int c)
{
	int i;

	if(c < 0x30){		/* an intermediate: ESC ( B and the like */
		vt.state = ESCINT;
		return;
	}
	vt.state = GROUND;
	switch(c){
	case '[':
		vt.state = CSIPARAM;
		for(i = 0; i < NPAR; i++)
			vt.par[i] = 0;
		vt.np = 0;
		vt.seen = 0;
		vt.priv = 0;
		vt.inter = 0;
		break;
	case ']':		/* OSC */
	case 'P':		/* DCS */
	case 'X':		/* SOS */
	case '^':		/* PM */
	case '_':		/* APC */
		vt.state = STRING;
		break;
	case 'c':
		ris();
		break;
	case '7':
		save();
		break;
	case '8':
		restore();
		break;
	case 'D':		/* IND */
		linefeed();
		break;
	case 'E':		/* NEL */
		vt.col = 0;
		linefeed();
		break;
	case 'M':		/* RI */
		revindex();
		break;
	}
}

static void
csiparam(int c)
{
	int p;

	if(c >= '0' && c <= '9'){
		vt.seen = 1;
		if(vt.np < NPAR){
			p = vt.par[vt.np] * 10 + (c - '0');
			vt.par[vt.np] = p > PARMAX ? PARMAX : p;
		}
	}else if(c == ';'){
		vt.seen = 1;
		if(vt.np < NPAR)
			vt.np++;
	}else if(c >= '<' && c <= '?' && !vt.seen && !vt.priv)
		vt.priv = c;
	else if(c < 0x30){
		vt.inter = 1;
		vt.state = CSIINT;
	}else if(c < 0x40)
		vt.state = CSIIGNORE;	/* ':' or a misplaced marker */
	else{
		vt.state = GROUND;
		csi(c);
	}
}

static void
step(int c)
{
	switch(c){
	case CAN:
	case SUB:
		vt.state = GROUND;
		return;
	case ESC:		/* also ends a control string: ESC \ is ST */
		vt.state = ESCAPE;
		return;
	case DEL:
		return;
	}
	if(vt.state == STRING){
		if(c == BEL)
			vt.state = GROUND;
		return;
	}
	if(c >= 0x80){			/* not ASCII: dropped, and ends a sequence */
		vt.state = GROUND;
		return;
	}
	if(c < 0x20){
		control(c);
		return;
	}
	switch(vt.state){
	case GROUND:
		glyph(c);
		break;
	case ESCAPE:
		esc(c);
		break;
	case ESCINT:
		if(c >= 0x30)
			vt.state = GROUND;
		break;
	case CSIPARAM:
		csiparam(c);
		break;
	case CSIINT:
		if(c >= 0x40)
			vt.state = GROUND;
		else if(c >= 0x30)
			vt.state = CSIIGNORE;
		break;
	case CSIIGNORE:
		if(c >= 0x40)
			vt.state = GROUND;
		break;
	}
}

/* take up the cursor where it is now: vga_putc may have moved it */
static void
begin(void)
{
	int r, c;

	if(!vt.started){
		vt.started = 1;
		defaults();
		vt.row = -1;
	}
	vga_where(&r, &c);
	r = clamp(r, 0, ROWS-1);
	c = clamp(c, 0, COLS-1);
	if(r != vt.row || c != vt.col){
		vt.row = r;
		vt.col = c;
		vt.wrapnext = 0;
	}
}

static void
end(void)
{
	vga_goto(vt.row, vt.col);
}

void
vt_write(const uchar *buf, uint n)
{
	uint f, k, t;

	while(n > 0){
		k = n < CHUNK ? n : CHUNK;
		n -= k;
		f = vga_lock();
		begin();
		while(k > 0){
			/* text goes a run at a time; the rest (and ?7l's no-wrap text) a byte at a time */
			if(vt.state == GROUND && !vt.nowrap && (t = text(buf, k)) > 0){
				buf += t;
				k -= t;
				continue;
			}
			step(*buf++);
			k--;
		}
		end();
		vga_unlock(f);
	}
}

void
vt_putc(int c)
{
	uchar b;

	b = c;
	vt_write(&b, 1);
}

void
vt_reset(void)
{
	uint f;

	f = vga_lock();
	begin();
	ris();
	end();
	vga_unlock(f);
}

/* the screen and the interpreter's state, for a program that borrows the
 * display (please tetris) and gives it back as it was. (This file is also
 * built hosted for tests/test_vt_hosted.py: no kernel.h here.) */
static void
copy(void *dst, const void *src, uint n)
{
	uchar *d = dst;
	const uchar *s = src;

	while(n-- > 0)
		*d++ = *s++;
}

uint
vt_save(void *buf, uint cap)
{
	uint n = sizeof vt + 80*25*2;

	if(cap < n)
		return 0;
	copy(buf, &vt, sizeof vt);
	copy((uchar*)buf + sizeof vt, (void*)0xb8000, 80*25*2);
	return n;
}

void
vt_restore(const void *buf)
{
	uint f = vga_lock();

	copy(&vt, buf, sizeof vt);
	copy((void*)0xb8000, (const uchar*)buf + sizeof vt, 80*25*2);
	vga_unlock(f);
	vga_goto(vt.row, vt.col);
	vga_showcursor(!vt.hidden);
}

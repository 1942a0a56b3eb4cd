/*
 * vga.c - the VGA text screen: 80x25 cells at 0xb8000, each a
 * character byte and a colour byte (background<<4 | foreground).
 * Output appears at the cursor; the last row scrolls the screen up.
 * The hardware cursor (CRT controller registers 0x0e/0x0f) is moved
 * after every vga_putc. Only printable ASCII is drawn: the other bytes
 * would show as CP437 glyphs, so they are dropped (see vga.h).
 * The cell interface below (vga_cell ... vga_lock) is what drivers/vt.c,
 * the console's escape-sequence interpreter, draws with; it shares the
 * cursor with vga_putc.
 */
#include "types.h"
#include "x86.h"
#include "chip.h"
#include "kernel.h"
#include "vga.h"
#include "cells.h"

enum {
	CRTC = 0x3d4, CRTCDATA = 0x3d5,
	CURSTART = 0x0a, CUREND = 0x0b, CURHI = 0x0e, CURLO = 0x0f,
	CUROFF = 0x20,			/* CURSTART: cursor disable */
	ATTRC = 0x3c0, ATTRCDATA = 0x3c1, INSTAT1 = 0x3da,
	ATTRMODE = 0x10, PAS = 0x20,	/* mode control index; keep the palette on */
	BLINK = 0x08,			/* mode control: attribute bit 7 blinks */
	NCELL = VGA_ROWS * VGA_COLS,
};

static ushort *const screen = (ushort*)0xb8000;
static int row, col;
static uchar attr = VGA_LGREY | VGA_BLACK << 4;

static void
cursor(void)
{
	uint pos;

	pos = row * VGA_COLS + col;
	outb(CRTC, CURHI);
	outb(CRTCDATA, pos >> 8);
	outb(CRTC, CURLO);
	outb(CRTCDATA, pos);
}

static void
blank(ushort *p, int n)
{
	vga_fill((p - screen) / VGA_COLS, (p - screen) % VGA_COLS, n, attr);
}

static void
scroll(void)
{
	memmove(screen, screen + VGA_COLS, (VGA_ROWS-1) * VGA_COLS * 2);
	blank(screen + (VGA_ROWS-1) * VGA_COLS, VGA_COLS);
	row = VGA_ROWS - 1;
}

static void
newline(void)
{
	col = 0;
	if(++row >= VGA_ROWS)
		scroll();
}

void
vga_putc(int c)
{
	uint f;

	c &= 0xff;
	f = irqsave();
	switch(c){
	case '\n':
		newline();
		break;
	case '\r':
		col = 0;
		break;
	case '\t':
		do
			vga_putc(' ');
		while(col % 8);
		break;
	case '\b':
		if(col > 0)
			col--;
		else if(row > 0){
			row--;
			col = VGA_COLS - 1;
		}
		screen[row * VGA_COLS + col] = ' ' | attr << 8;
		break;
	default:
		if(c < ' ' || c >= 0x7f)
			break;
		screen[row * VGA_COLS + col] = c | attr << 8;
		if(++col >= VGA_COLS)
			newline();
	}
	cursor();
	irqrestore(f);
}

void
vga_setcolor(int fg, int bg)
{
	attr = (fg & 15) | (bg & 15) << 4;
}

void
vga_goto(int r, int c)
{
	if(r < 0 || r >= VGA_ROWS || c < 0 || c >= VGA_COLS)
		return;
	row = r;
	col = c;
	cursor();
}

void
vga_clear(void)
{
	blank(screen, VGA_ROWS * VGA_COLS);
	vga_goto(0, 0);
}

/* the cell interface (vga.h): everything outside the screen is clipped */

void
vga_cell(int row, int col, int ch, int attr)
{
	if(row < 0 || row >= VGA_ROWS || col < 0 || col >= VGA_COLS)
		return;
	screen[row * VGA_COLS + col] = (ch & 0xff) | (attr & 0xff) << 8;
}

void
vga_fill(int row, int col, int n, int attr)
{
	int p;
	uint d0, d1;

	p = row * VGA_COLS + col;
	if(p < 0 || p >= NCELL || n <= 0)
		return;
	if(n > NCELL - p)
		n = NCELL - p;
	asm volatile("rep stosw" : "=&D"(d0), "=&c"(d1)
		: "0"(screen + p), "1"(n), "a"(' ' | (attr & 0xff) << 8) : "memory");
}

int
vga_text(int row, int col, const uchar *s, int n, int attr)
{
	if(row < 0 || row >= VGA_ROWS || col < 0 || col >= VGA_COLS)
		return 0;
	if(n > VGA_COLS - col)
		n = VGA_COLS - col;
	return cells(screen + row * VGA_COLS + col, s, n, attr);	/* cells.h */
}

void
vga_move(int drow, int dcol, int srow, int scol, int n)
{
	int d, s;

	d = drow * VGA_COLS + dcol;
	s = srow * VGA_COLS + scol;
	if(d < 0 || s < 0 || d >= NCELL || s >= NCELL || n <= 0)
		return;
	if(n > NCELL - d)
		n = NCELL - d;
	if(n > NCELL - s)
		n = NCELL - s;
	memmove(screen + d, screen + s, n * 2);
}

void
vga_where(int *r, int *c)
{
	*r = row;
	*c = col;
}

void
vga_showcursor(int on)
{
	uint f;
	uchar v;

	f = irqsave();
	outb(CRTC, CURSTART);
	v = inb(CRTCDATA);
	outb(CRTCDATA, on ? v & ~CUROFF : v | CUROFF);
	irqrestore(f);
}

uint
vga_lock(void)
{
	return irqsave();
}

void
vga_unlock(uint f)
{
	irqrestore(f);
}

static int
vgainit(void)
{
	uchar mode;

	/* attribute bit 7: bright background, not blink (an index write
	 * follows a read of input status 1, which resets the flip-flop) */
	inb(INSTAT1);
	outb(ATTRC, ATTRMODE | PAS);
	mode = inb(ATTRCDATA);
	outb(ATTRC, mode & ~BLINK);

	/* a visible underline cursor: scan lines 14-15, enable bit clear */
	outb(CRTC, CURSTART);
	outb(CRTCDATA, (inb(CRTCDATA) & 0xc0) | 14);	/* also clears CUROFF */
	outb(CRTC, CUREND);
	outb(CRTCDATA, (inb(CRTCDATA) & 0xe0) | 15);
	vga_clear();
	return 0;
}

const struct chip chip_vga = {
	.name = "vga text",
	.init = vgainit,
};

/*
 * vt_check.c - drives drivers/vt.c on the host against a fake 80x25
 * screen that implements the cell interface of include/vga.h, for
 * tests/test_vt_hosted.py. Build:
 *	cc -Iinclude -o vt_check tests/vt_check.c drivers/vt.c
 *
 * Unlike the kernel's vga.c, which clips, the fake treats every call
 * outside the screen (or a glyph that is not printable ASCII) as a bug
 * in vt.c: it is reported on stderr and counted in the dump.
 *
 * Input on stdin: records of one op byte, a 4-byte little-endian length
 * and that many bytes of payload.
 *	V bytes		feed the bytes to vt (see C)
 *	C n		n (4 bytes LE): 0 feed with one vt_write, 1 with vt_putc
 *			per byte, k with vt_write in pieces of k bytes
 *	K bytes		write the bytes as vga_putc would (the kernel log: printable
 *			at the cursor with attribute 0x07, '\n' a new line, wrap, scroll)
 *	F c a		fill every cell with character c, attribute a
 *	R		vt_reset()
 *	D		dump the screen on stdout:
 *				cursor <row> <col> <shown>
 *				25 lines of 80 characters
 *				25 lines of 80 attributes, 2 hex digits each
 *				errors <n> calls <n>
 *				.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "types.h"
#include "vga.h"
#include "vt.h"

enum { ROWS = VGA_ROWS, COLS = VGA_COLS, NCELL = ROWS * COLS };

static uchar ch[NCELL], at[NCELL];
static int crow, ccol, shown = 1, locked;
static long errors, calls;

static void
bug(const char *what, int a, int b, int c, int d)
{
	errors++;
	if(errors <= 20)
		fprintf(stderr, "vt_check: %s (%d %d %d %d)\n", what, a, b, c, d);
}

static int
pos(int row, int col)		/* -1 when outside the screen */
{
	if(row < 0 || row >= ROWS || col < 0 || col >= COLS)
		return -1;
	return row * COLS + col;
}

static void
checklock(const char *who)
{
	if(!locked)
		bug(who, -1, -1, -1, -1);	/* called without vga_lock */
}

void
vga_cell(int row, int col, int c, int a)
{
	int p;

	calls++;
	checklock("vga_cell unlocked");
	if((p = pos(row, col)) < 0){
		bug("vga_cell outside", row, col, c, a);
		return;
	}
	if(c < 0x20 || c > 0x7e || a < 0 || a > 0xff)
		bug("vga_cell bad glyph or attribute", row, col, c, a);
	ch[p] = c;
	at[p] = a;
}

void
vga_fill(int row, int col, int n, int a)
{
	int p;

	calls++;
	checklock("vga_fill unlocked");
	p = pos(row, col);
	if(p < 0 || n <= 0 || n > NCELL - p || a < 0 || a > 0xff){
		bug("vga_fill outside", row, col, n, a);
		return;
	}
	memset(ch + p, ' ', n);
	memset(at + p, a, n);
}

int
vga_text(int row, int col, const uchar *s, int n, int a)
{
	int p, i;

	calls++;
	checklock("vga_text unlocked");
	if((p = pos(row, col)) < 0 || n <= 0 || a < 0 || a > 0xff){
		bug("vga_text outside", row, col, n, a);
		return 0;
	}
	for(i = 0; i < n && col + i < COLS && s[i] >= 0x20 && s[i] <= 0x7e; i++){
		ch[p + i] = s[i];
		at[p + i] = a;
	}
	return i;
}

void
vga_move(int drow, int dcol, int srow, int scol, int n)
{
	int d, s;

	calls++;
	checklock("vga_move unlocked");
	d = pos(drow, dcol);
	s = pos(srow, scol);
	if(d < 0 || s < 0 || n <= 0 || n > NCELL - d || n > NCELL - s){
		bug("vga_move outside", d, s, n, 0);
		return;
	}
	memmove(ch + d, ch + s, n);
	memmove(at + d, at + s, n);
}

void
vga_where(int *row, int *col)
{
	*row = crow;
	*col = ccol;
}

void
vga_goto(int row, int col)
{
	calls++;
	if(pos(row, col) < 0){
		bug("vga_goto outside", row, col, 0, 0);
		return;
	}
	crow = row;
	ccol = col;
}

void
vga_showcursor(int on)
{
	shown = on != 0;
}

uint
vga_lock(void)
{
	if(locked)
		bug("vga_lock nested", 0, 0, 0, 0);
	locked = 1;
	return 0x1234;
}

void
vga_unlock(uint f)
{
	if(!locked || f != 0x1234)
		bug("vga_unlock unmatched", (int)f, 0, 0, 0);
	locked = 0;
}

/* the kernel log's vga_putc, as far as the cursor and cells go */
static void
klog(int c)
{
	if(c == '\n'){
		ccol = 0;
		crow++;
	}else if(c >= 0x20 && c < 0x7f){
		ch[crow * COLS + ccol] = c;
		at[crow * COLS + ccol] = 0x07;
		if(++ccol >= COLS){
			ccol = 0;
			crow++;
		}
	}
	if(crow >= ROWS){
		memmove(ch, ch + COLS, NCELL - COLS);
		memmove(at, at + COLS, NCELL - COLS);
		memset(ch + NCELL - COLS, ' ', COLS);
		memset(at + NCELL - COLS, 0x07, COLS);
		crow = ROWS - 1;
	}
}

static void
dump(void)
{
	int r, c;

	printf("cursor %d %d %d\n", crow, ccol, shown);
	for(r = 0; r < ROWS; r++){
		for(c = 0; c < COLS; c++)
			putchar(ch[r * COLS + c] >= 0x20 && ch[r * COLS + c] < 0x7f
				? ch[r * COLS + c] : '?');
		putchar('\n');
	}
	for(r = 0; r < ROWS; r++){
		for(c = 0; c < COLS; c++)
			printf("%02x", at[r * COLS + c]);
		putchar('\n');
	}
	printf("errors %ld calls %ld\n.\n", errors, calls);
}

static void
feed(const uchar *b, uint n, uint chunk)
{
	uint k;

	if(chunk == 0){
		vt_write(b, n);
		return;
	}
	if(chunk == 1){
		while(n-- > 0)
			vt_putc(*b++);
		return;
	}
	while(n > 0){
		k = n < chunk ? n : chunk;
		vt_write(b, k);
		b += k;
		n -= k;
	}
}

int
main(void)
{
	uchar hdr[5], *buf;
	uint n, chunk, i;
	int op;

	memset(ch, ' ', NCELL);
	memset(at, 0x07, NCELL);
	chunk = 0;
	while(fread(hdr, 1, 5, stdin) == 5){
		op = hdr[0];
		n = hdr[1] | hdr[2] << 8 | hdr[3] << 16 | (uint)hdr[4] << 24;
		buf = malloc(n ? n : 1);
		if(buf == NULL || fread(buf, 1, n, stdin) != n){
			fprintf(stderr, "vt_check: short record\n");
			return 2;
		}
		switch(op){
		case 'V':
			feed(buf, n, chunk);
			break;
		case 'C':
			chunk = n >= 4 ? (buf[0] | buf[1] << 8 | buf[2] << 16 | (uint)buf[3] << 24) : 0;
			break;
		case 'K':
			for(i = 0; i < n; i++)
				klog(buf[i]);
			break;
		case 'F':
			memset(ch, n > 0 ? buf[0] : ' ', NCELL);
			memset(at, n > 1 ? buf[1] : 0x07, NCELL);
			break;
		case 'R':
			vt_reset();
			break;
		case 'D':
			dump();
			break;
		default:
			fprintf(stderr, "vt_check: unknown op %c\n", op);
			return 2;
		}
		free(buf);
	}
	fflush(stdout);
	return errors ? 1 : 0;
}

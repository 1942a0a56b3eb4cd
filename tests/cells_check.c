/*
 * cells_check.c - include/cells.h (vga_text's four-bytes-a-step drawing) on
 * the host against the byte-at-a-time loop it replaced, for
 * tests/test_cells_hosted.py. Build (i386, as the kernel):
 *	gcc -m32 -march=i386 -O2 -no-pie -fno-pic -Iinclude -o cells_check tests/cells_check.c
 * -DWRONG_REFERENCE makes the reference take DEL (0x7f) as printable, so
 * the test can see that a difference is found.
 *
 * Cases: every byte value at every position of texts of 0..13 bytes whose
 * other bytes are printable, at each alignment of text and cells; then
 * seeded random texts of 0..100 bytes (mostly printable, some of any value)
 * with random attributes (bits above 8 included). For each: the count, the
 * cells written, and that no cell past the count changed.
 * Prints "cases <n> mismatches <m>"; exits 1 when m > 0.
 */
#include <stdio.h>
#include <string.h>
#include "types.h"
#include "cells.h"

enum { MAX = 128, GUARD = 0x5a5a };

static long cases, mismatches;

static int
reference(ushort *p, const uchar *s, int n, int attr)
{
	int i;

	for(i = 0; i < n; i++){
#ifdef WRONG_REFERENCE
		if(s[i] < 0x20 || s[i] > 0x7f)
#else
		if(s[i] < 0x20 || s[i] > 0x7e)
#endif
			break;
		p[i] = s[i] | (attr & 0xff) << 8;
	}
	return i;
}

static void
one(const uchar *text, int n, int attr, int salign, int calign)
{
	uchar sbuf[MAX + 8];
	ushort want[MAX + 8], got[MAX + 8];
	int i, rw, rg;

	memcpy(sbuf + salign, text, n);
	for(i = 0; i < MAX + 8; i++)
		want[i] = got[i] = GUARD;
	rw = reference(want + calign, sbuf + salign, n, attr);
	rg = cells(got + calign, sbuf + salign, n, attr);
	cases++;
	if(rw != rg || memcmp(want, got, sizeof want) != 0){
		if(++mismatches <= 10){
			fprintf(stderr, "cells_check: n %d attr %#x align %d/%d: count %d, want %d; text",
				n, attr, salign, calign, rg, rw);
			for(i = 0; i < n; i++)
				fprintf(stderr, " %02x", text[i]);
			fprintf(stderr, "\n");
		}
	}
}

static unsigned long seed = 1;

static uint
rnd(void)		/* a fixed LCG: the same cases on any host */
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 16) & 0x7fff;
}

int
main(void)
{
	uchar t[MAX];
	int n, pos, v, i, al, r;

	for(n = 0; n <= 13; n++)
		for(pos = 0; pos < (n ? n : 1); pos++)
			for(v = 0; v < 256; v++)
				for(al = 0; al < 4; al++){
					for(i = 0; i < n; i++)
						t[i] = 0x20 + (i * 7 + n) % 0x5f;
					if(n)
						t[pos] = v;
					one(t, n, 0x1f, al, al & 1);
				}
	for(r = 0; r < 200000; r++){
		n = rnd() % 101;
		for(i = 0; i < n; i++)
			t[i] = rnd() % 8 ? 0x20 + rnd() % 0x5f : rnd() % 256;
		one(t, n, rnd() % 1024, rnd() % 4, rnd() % 2);
	}
	printf("cases %ld mismatches %ld\n", cases, mismatches);
	return mismatches > 0;
}

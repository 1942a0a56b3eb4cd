/*
 * cells.h - text to screen cells, four bytes a step: what vga_text draws
 * with (drivers/vga.c), kept here so that tests/cells_check.c runs the very
 * same code on the host against the byte-at-a-time loop.
 *
 * cells(p, s, n, a) writes s[0..n-1] to the cells p[0..n-1], each byte with
 * the attribute byte a above it, for as long as the bytes are printable ASCII
 * (0x20..0x7e), and returns how many it wrote.
 *
 * A step loads four bytes as one word x and tests them all at once. With
 * every byte below 0x80 (x's bits 7, 15, 23, 31 clear), adding 0x01 or 0x60
 * to each byte carries into no other byte, and
 *	byte + 0x01 has bit 7 set  exactly when the byte is 0x7f (DEL),
 *	byte + 0x60 has bit 7 set  exactly when the byte is 0x20 or more,
 * so the four are printable exactly when x | x+0x01010101 | ~(x+0x60606060)
 * has none of the four bits 7 set. (With a byte of 0x80 or more the sums may
 * carry, but x itself then fails the test.) A word that fails is drawn
 * byte by byte up to its first unprintable byte, as are the last n % 4.
 * Under QEMU's icount a step is 21 instructions where the byte loop takes 40
 * (docs/performance.md, console_per_byte).
 */

enum {
	CELLS_HIGH = 0x80808080,
	CELLS_ONE = 0x01010101,
	CELLS_NOTLOW = 0x9f9f9f9f,	/* ~0x60606060: NOTLOW - x = ~(x + 0x60606060) */
};

static inline int
cells(ushort *p, const uchar *s, int n, int attr)
{
	uint a = (attr & 0xff) << 8, x, t;
	int i, k = n > 0 ? n / 4 : 0, j = -k;

	/* esi and edi point past the k steps' bytes and cells, ecx counts from
	 * -k up to 0: 21 instructions a step (gcc's code for the same in C took
	 * 28: it ran out of registers with the frame pointer kept) */
	if(k)
		asm volatile(
			"1:	movl (%%esi,%%ecx,4), %%eax\n"
			"	leal %c[one](%%eax), %%edx\n"
			"	orl %%eax, %%edx\n"
			"	testl %[high], %%edx\n"
			"	jnz 2f\n"
			"	movl %[notlow], %%edx\n"
			"	subl %%eax, %%edx\n"
			"	testl %[high], %%edx\n"
			"	jnz 2f\n"
			"	movzbl %%ah, %%edx\n"		/* b1 b0 -> a b1 a b0 */
			"	shll $16, %%edx\n"
			"	movb %%al, %%dl\n"
			"	orl %%ebx, %%edx\n"
			"	movl %%edx, (%%edi,%%ecx,8)\n"
			"	shrl $16, %%eax\n"		/* b3 b2 -> a b3 a b2 */
			"	movzbl %%ah, %%edx\n"
			"	shll $16, %%edx\n"
			"	movb %%al, %%dl\n"
			"	orl %%ebx, %%edx\n"
			"	movl %%edx, 4(%%edi,%%ecx,8)\n"
			"	incl %%ecx\n"
			"	jnz 1b\n"
			"2:\n"
			: "+c"(j), "=&a"(x), "=&d"(t)
			: "S"(s + 4 * k), "D"(p + 4 * k), "b"(a | a << 16),
			  [one] "i"(CELLS_ONE), [high] "i"(CELLS_HIGH), [notlow] "i"(CELLS_NOTLOW)
			: "memory", "cc");
	for(i = 4 * (k + j); i < n && (uchar)(s[i] - 0x20) < 0x5f; i++)
		p[i] = s[i] | a;
	return i;
}

/*
 * vt.h - the console glyph display: an ECMA-48 (ANSI) subset over the
 * VGA text screen (drivers/vt.c; every sequence in docs/glyph-display.md).
 * Bytes go through a small state machine: printable ASCII is drawn at
 * the cursor, controls and escape sequences move it, erase, scroll and
 * set colours; anything malformed or unknown is swallowed, never drawn.
 * The parser's state lasts between calls, so a sequence may be split
 * across writes. The cursor is the VGA driver's (shared with vga_putc
 * and so with kprintf); colours and modes are vt's own.
 * Callable with interrupts on or off; not from two processors at once.
 */
void	vt_putc(int c);			/* one byte (c & 0xff) */
void	vt_write(const uchar *buf, uint n);
void	vt_reset(void);
uint	vt_save(void *buf, uint cap);	/* the screen and the state: bytes used, 0 if cap is short */
void	vt_restore(const void *buf);			/* as ESC c: defaults, clear screen, home */

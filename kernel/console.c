/*
 * console.c - the system console, chosen by console= on the command
 * line: VGA and keyboard, or COM1. Everything that talks to the
 * console's user (the echo loop now, the owner's H3sm later) goes
 * through here, so switching is one variable.
 */
#include "types.h"
#include "console.h"
#include "kbd.h"
#include "uart.h"
#include "vga.h"
#include "vt.h"

static int which = CONSOLE_VGA;

void
console_select(int w)
{
	which = w;
}

int
console_which(void)
{
	return which;
}

void
console_putc(int c)
{
	if(which == CONSOLE_COM1){
		if(c == '\n')
			uart_putc(0, '\r');
		uart_putc(0, c);
	}else
		vt_putc(c);		/* the glyph display: ASCII and escape sequences */
}

void
console_write(const char *buf, int n)
{
	if(n <= 0)
		return;
	if(which == CONSOLE_COM1)
		uart_write(0, (const uchar*)buf, n);	/* queued: the THRE interrupt drains it */
	else
		vt_write((const uchar*)buf, n);
}

int
console_getc(void)
{
	if(which == CONSOLE_COM1)
		return uart_getc(0);
	return kbd_getc();
}

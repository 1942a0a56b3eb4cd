/*
 * echo.c - what the machine does until login exists (docs/contracts.md):
 * keys typed go to the VGA screen; every serial line echoes what it
 * receives back to itself, CR as CR LF. When nothing is waiting the
 * CPU halts until the next interrupt (the timer wakes it at least
 * every tick, and uart_poll then picks up anything whose interrupt was
 * lost on a shared line).
 */
#include "types.h"
#include "x86.h"
#include "kbd.h"
#include "uart.h"
#include "vga.h"

static int
waiting(void)
{
	int n;

	if(kbd_pending())
		return 1;
	for(n = 0; n < NUART; n++)
		if(uart_pending(n))
			return 1;
	return 0;
}

void
echo(void)
{
	int c, n;

	for(;;){
		while((c = kbd_getc()) >= 0)
			vga_putc(c);
		for(n = 0; n < NUART; n++)
			while((c = uart_getc(n)) >= 0){
				uart_putc(n, c);
				if(c == '\r')
					uart_putc(n, '\n');
			}
		uart_poll();
		cli();
		if(waiting())
			sti();
		else
			stihlt();
	}
}

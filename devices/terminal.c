/*
 * terminal.c - the terminals as stream devices: ".console" (the system console:
 * VGA + keyboard, or COM1 with console=com1) and ".com1" .. ".com4" for the
 * other serial lines (their visible names come from devices/names.conf). Receive brings in what the driver holds (poll); send writes
 * through the driver at once, a serial line's LF becoming CR LF.
 * Until a process opens a serial line, the line echoes what it receives
 * (docs/contracts.md), serviced whenever the CPU waits (terminal_echo_idle).
 */
#include "types.h"
#include "kernel.h"
#include "device.h"
#include "console.h"
#include "uart.h"
#include "cmdline.h"
#include "proc.h"
#include "pit.h"
#include "please.h"

#define TERMRING	1024

static uchar rings[1 + NUART][TERMRING];
static struct device *lines[NUART];		/* com1..com4 when not the console */

static void
console_poll(struct device *d)
{
	int c;
	uchar b;

	while((c = console_getc()) >= 0){
		b = c;
		dev_input(d, &b, 1);
	}
}

static void	uart_dev_output(struct device *d, const uchar *buf, uint n);

/* with console=com1 a send goes out as on the other lines (.console's drv is
 * port 0, COM1); the VGA draws at once */
static void
console_output(struct device *d, const uchar *buf, uint n)
{
	if(console_which() == CONSOLE_COM1){
		uart_dev_output(d, buf, n);
		return;
	}
	console_write((const char*)buf, n);
}

static const struct devops console_ops = { .output = console_output, .poll = console_poll };

static int
port(struct device *d)
{
	return (int)(uint)d->drv;
}

static void
uart_dev_poll(struct device *d)
{
	int c;
	uchar b;

	while((c = uart_getc(port(d))) >= 0){
		b = c;
		dev_input(d, &b, 1);
	}
}

/* A send (it holds the line's lock) hands uart_write no more than the
 * transmit ring has room for (half of it: an LF becomes CR LF) and, while the
 * ring is full, gives the CPU to the others until the chip's interrupt has
 * made room: a slow line slows its sender, nobody else, and loses nothing.
 * uart_write alone drains a full ring polled with interrupts off, and the
 * poll writes into the chip after a bound: when the host read a line late,
 * the chip's FIFO dropped bytes (the soak, docs/robustness.md). A line that
 * takes nothing for LINE_DEAD_MS, and output outside a send (the logout
 * line), go to uart_write as they are. */
#define LINE_DEAD_MS	2000

static void
uart_dev_output(struct device *d, const uchar *buf, uint n)
{
	uint k, room, last = 0, t0 = pit_ms();

	if(!curproc || d->lockholder != curproc->pid){
		uart_write(port(d), buf, n);
		return;
	}
	while(n > 0){
		room = uart_txroom(port(d));
		if(room < 2){
			if(room != last)
				t0 = pit_ms();		/* it moves */
			last = room;
			if(pit_ms() - t0 > LINE_DEAD_MS)
				break;
			if(curproc->killer)
				return;		/* please kill: the rest is not sent */
			cycle_wait();
			continue;
		}
		k = room / 2 < n ? room / 2 : n;
		uart_write(port(d), buf, k);
		buf += k;
		n -= k;
		t0 = pit_ms();
	}
	if(n > 0)
		uart_write(port(d), buf, n);
}

static const struct devops uart_ops = { .output = uart_dev_output, .poll = uart_dev_poll };

static void
stream(struct device *d, uchar *ring)
{
	d->in = ring;
	d->insize = TERMRING;
}

void
terminal_init(void)
{
	static const char *names[NUART] = { ".com1", ".com2", ".com3", ".com4" };
	/* the other stream devices (docs/streams.md), one file each */
	void keyboard_init(void), display_init(void), clock_init(void), speaker_dev_init(void);
	struct device *d;
	int n;

	d = dev_add(".console", DEV_STREAM, CH_SEND | CH_RECEIVE, &console_ops);
	stream(d, rings[0]);
	d->terminal = 1;
	for(n = 0; n < NUART; n++){
		if(!uart_present(n) || (n == 0 && console_which() == CONSOLE_COM1))
			continue;
		d = dev_add(names[n], DEV_STREAM, CH_SEND | CH_RECEIVE, &uart_ops);
		d->drv = (void*)(uint)n;
		stream(d, rings[1 + n]);
		d->terminal = cmdline_login;	/* login=off: the lines just echo */
		lines[n] = d;
	}
	keyboard_init();	/* after .console: when it is VGA, both read one feed */
	display_init();
	clock_init();
	speaker_dev_init();
}

void
terminal_echo_idle(void)
{
	int n, c;

	for(n = 0; n < NUART; n++){
		if(lines[n] == 0 || lines[n]->opened)
			continue;
		while((c = uart_getc(n)) >= 0){
			uart_putc(n, c);
			if(c == '\r')
				uart_putc(n, '\n');
		}
	}
	uart_poll();
}

/*
 * kprintf.c - formatted output. kvprintf does the formatting for any
 * byte sink; kprintf sends to the kernel log (VGA and COM1 both, the
 * contract's banner and messages), cprintf to the console only.
 * COM1 gets CR LF for '\n'; so does a serial console.
 */
#include "types.h"
#include "kernel.h"
#include "console.h"
#include "uart.h"
#include "vga.h"

static void
number(void (*put)(int), uint v, int base, int neg, int width, int zero)
{
	char buf[16];
	int n;

	n = 0;
	do{
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	}while(v);
	if(neg)
		buf[n++] = '-';
	for(width -= n; width > 0; width--)
		put(zero ? '0' : ' ');
	while(n > 0)
		put(buf[--n]);
}

void
kvprintf(void (*put)(int), const char *fmt, va_list ap)
{
	const char *s;
	int c, width, zero, d;

	for(; (c = *fmt) != 0; fmt++){
		if(c != '%'){
			put(c);
			continue;
		}
		zero = width = 0;
		if(*++fmt == '0'){
			zero = 1;
			fmt++;
		}
		while(*fmt >= '0' && *fmt <= '9')
			width = width*10 + *fmt++ - '0';
		while(*fmt == 'l')
			fmt++;
		switch(*fmt){
		case 'd':
			d = va_arg(ap, int);
			if(d < 0)
				number(put, -(uint)d, 10, 1, width, zero);
			else
				number(put, d, 10, 0, width, zero);
			break;
		case 'u':
			number(put, va_arg(ap, uint), 10, 0, width, zero);
			break;
		case 'x':
			number(put, va_arg(ap, uint), 16, 0, width, zero);
			break;
		case 'p':
			put('0');
			put('x');
			number(put, va_arg(ap, uint), 16, 0, 8, 1);
			break;
		case 'c':
			put(va_arg(ap, int));
			break;
		case 's':
			if((s = va_arg(ap, const char*)) == nil)
				s = "(nil)";
			for(width -= strlen(s); *s; s++)
				put(*s);
			for(; width > 0; width--)
				put(' ');
			break;
		case '%':
			put('%');
			break;
		case 0:
			return;
		default:
			put('%');
			put(*fmt);
		}
	}
}

int klogbol = 1;		/* the log is at the start of a line */

void
klogputc(int c)
{
	klogbol = c == '\n';
	vga_putc(c);
	if(c == '\n')
		uart_putc(0, '\r');
	uart_putc(0, c);
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(klogputc, fmt, ap);
	va_end(ap);
}

void
cprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(console_putc, fmt, ap);
	va_end(ap);
}

/* into a buffer of n bytes, always terminated; the rest is cut */
static char *sbuf;
static uint slen, scap;

static void
sput(int c)
{
	if(slen + 1 < scap)
		sbuf[slen++] = c;
}

void
ksnprintf(char *buf, uint n, const char *fmt, ...)
{
	va_list ap;

	if(n == 0)
		return;
	sbuf = buf;
	slen = 0;
	scap = n;
	va_start(ap, fmt);
	kvprintf(sput, fmt, ap);
	va_end(ap);
	buf[slen] = 0;
}

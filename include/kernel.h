/*
 * kernel.h - the kernel's small library: memory and string helpers
 * (kernel/lib.c), formatted output (kernel/kprintf.c), panic
 * (kernel/panic.c), symbols (kernel/ksym.c).
 *
 * kprintf writes to the kernel log, which is the VGA screen and COM1
 * both, whatever the console; cprintf writes to the console only.
 * Formats: %s %c %d %u %x %p %%, with an optional 0 flag and width
 * (%08x, %4d); %l is accepted and ignored (long is int here).
 */
#include <stdarg.h>

void*	memset(void *dst, int c, uint n);
void*	memcpy(void *dst, const void *src, uint n);
void*	memmove(void *dst, const void *src, uint n);
int	memcmp(const void *a, const void *b, uint n);

/* memcpy inline, for the hot paths (a send's frame): four bytes a step, then the rest */
static inline void
kcopy(void *dst, const void *src, uint n)
{
	uint d0, d1, d2;

	asm volatile("rep movsl; movl %5, %%ecx; rep movsb"
		: "=&D"(d0), "=&S"(d1), "=&c"(d2)
		: "0"(dst), "1"(src), "r"(n & 3), "2"(n >> 2)
		: "memory");
}
uint	strlen(const char *s);
int	strcmp(const char *a, const char *b);
int	strncmp(const char *a, const char *b, uint n);

void	kvprintf(void (*put)(int), const char *fmt, va_list ap);
void	kprintf(const char *fmt, ...);
void	cprintf(const char *fmt, ...);
void	ksnprintf(char *buf, uint n, const char *fmt, ...);	/* cut to n-1, terminated */
void	klogputc(int c);		/* one byte to VGA and COM1 */
extern int klogbol;		/* the last byte logged was '\n' */

void	panic(const char *fmt, ...) __attribute__((noreturn));	/* "function: reason" */

/* the function containing addr and addr's offset in it; nil if none */
const char* ksym_lookup(uint addr, uint *off);

extern char _etext[], _edata[], _end[];	/* kernel.ld */

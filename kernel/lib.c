/*
 * lib.c - the few libc routines the kernel needs (there is no libc).
 * gcc may call memset/memcpy on its own for struct copies, so these
 * names must exist and behave as the C standard says.
 */
#include "types.h"
#include "kernel.h"

/* memset, memcpy and forward memmove move four bytes an instruction (rep
 * stosl/movsl), then the rest: the calls copy messages and replies with them */
void*
memset(void *dst, int c, uint n)
{
	uint v = (uchar)c * 0x01010101u, d0, d1;

	asm volatile("rep stosl; movl %4, %%ecx; rep stosb"
		: "=&D"(d0), "=&c"(d1)
		: "0"(dst), "1"(n >> 2), "r"(n & 3), "a"(v)
		: "memory");
	return dst;
}

void*
memcpy(void *dst, const void *src, uint n)
{
	kcopy(dst, src, n);
	return dst;
}

void*
memmove(void *dst, const void *src, uint n)
{
	uchar *d;
	const uchar *s;

	d = dst;
	s = src;
	if(s < d && s + n > d){
		d += n;
		s += n;
		while(n-- > 0)
			*--d = *--s;
	}else
		memcpy(d, s, n);
	return dst;
}

int
memcmp(const void *a, const void *b, uint n)
{
	const uchar *p, *q;

	p = a;
	q = b;
	for(; n > 0; n--, p++, q++)
		if(*p != *q)
			return *p - *q;
	return 0;
}

uint
strlen(const char *s)
{
	uint n;

	for(n = 0; s[n]; n++)
		;
	return n;
}

int
strncmp(const char *a, const char *b, uint n)
{
	for(; n > 0; n--, a++, b++){
		if(*a != *b)
			return (uchar)*a - (uchar)*b;
		if(*a == 0)
			break;
	}
	return 0;
}

int
strcmp(const char *a, const char *b)
{
	return strncmp(a, b, ~0U);
}

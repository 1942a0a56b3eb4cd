/*
 * mem.c - the allocator: spans from the end of the kernel to the top of RAM.
 * No malloc, no brk: a process gets one span when it logs in and gives it back
 * when it logs out. Interface and rules in include/mem.h.
 */
#include "types.h"
#include "kernel.h"
#include "mem.h"

#define SPAN_MAGIC	0x48337370	/* "H3sp" */

static uint lo, hi;		/* the region */
static uint nfree, largest;	/* free bytes and the largest free span's, kept by recount */

static struct span*
at(uint a)
{
	return (struct span*)a;
}

/* the free bytes and the largest free span, after every change of the spans:
 * every please request reports them, and changes are rare (login, logout).
 * Free bytes are every byte no process holds: the free spans whole, their
 * bookkeeping pages included (one comes back to use when spans coalesce), so
 * the figure depends only on what is held, never on how the rest is split */
static void
recount(void)
{
	uint a, n = 0, big = 0;

	for(a = lo; a < hi; a += at(a)->size)
		if(at(a)->free){
			n += at(a)->size;
			if(at(a)->size - MEM_PAGE > big)
				big = at(a)->size - MEM_PAGE;
		}
	nfree = n;
	largest = big;
}

void
mem_init(uint start, uint end)
{
	lo = (start + MEM_PAGE - 1) & ~(MEM_PAGE - 1);
	hi = end & ~(MEM_PAGE - 1);
	at(lo)->magic = SPAN_MAGIC;
	at(lo)->size = hi - lo;
	at(lo)->owner = 0;
	at(lo)->free = 1;
	recount();
}

uint
mem_free_bytes(void)
{
	return nfree;
}

uint
mem_total(void)
{
	return hi - lo;
}

uint
mem_largest(void)
{
	return largest;
}

uint
mem_alloc(uint bytes, int owner)
{
	uint a, need;
	struct span *s, *rest;

	bytes = (bytes + MEM_PAGE - 1) & ~(MEM_PAGE - 1);
	if(bytes == 0 || bytes > mem_free_bytes() / 2)
		return 0;			/* never more than half of what is free */
	need = bytes + MEM_PAGE;
	for(a = lo; a < hi; a += at(a)->size){
		s = at(a);
		if(s->magic != SPAN_MAGIC)
			panic("mem_alloc: span at %x is damaged", a);
		if(!s->free || s->size < need)
			continue;
		if(s->size > need){	/* split off the rest, even a page alone, so a
					   span holds exactly what was asked + its page */
			rest = at(a + need);
			rest->magic = SPAN_MAGIC;
			rest->size = s->size - need;
			rest->owner = 0;
			rest->free = 1;
			s->size = need;
		}
		s->free = 0;
		s->owner = owner;
		recount();
		return a + MEM_PAGE;
	}
	return 0;
}

void
mem_free(uint base)
{
	uint a, prev = 0;
	struct span *s;

	for(a = lo; a < hi; prev = a, a += at(a)->size){
		if(a + MEM_PAGE != base)
			continue;
		s = at(a);
		if(s->free)
			panic("mem_free: %x freed twice", base);
		s->free = 1;
		s->owner = 0;
		if(a + s->size < hi && at(a + s->size)->free)	/* coalesce upward */
			s->size += at(a + s->size)->size;
		if(prev && at(prev)->free)			/* and downward */
			at(prev)->size += s->size;
		recount();
		return;
	}
	panic("mem_free: %x was never handed out", base);
}

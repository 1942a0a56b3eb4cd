/*
 * mem.h - the allocator (kernel/mem.c): contiguous, non-overlapping spans of
 * memory for processes, one per login. Each span starts with a page of
 * bookkeeping (struct span) followed by the memory handed out, so the list of
 * spans is the memory itself, walked upward by size. A request larger than half
 * of what is free fails; freed spans coalesce with their free neighbours. A
 * span is split whenever it is larger than asked, so what is held is exactly
 * the requests plus a page each, and the free bytes depend on nothing else.
 */
#define MEM_PAGE	4096

struct span {
	uint	magic;		/* SPAN_MAGIC: the bookkeeping is intact */
	uint	size;		/* bytes of the whole span, this page included */
	int	owner;		/* pid, or 0 when free */
	uint	free;
};

void	mem_init(uint start, uint end);	/* [start, end) is ours to hand out */
uint	mem_alloc(uint bytes, int owner);	/* base of `bytes` bytes (page multiple), 0 if refused */
void	mem_free(uint base);
uint	mem_free_bytes(void);		/* bytes no process holds (free spans whole) */
uint	mem_total(void);		/* the bytes the allocator manages */
uint	mem_largest(void);		/* the largest free span's usable bytes */

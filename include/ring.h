/*
 * ring.h - a byte ring for one producer and one consumer, used by the
 * drivers between an interrupt handler and the kernel.
 * RINGSZ is a power of two; w and r count bytes ever written and read
 * (they only grow, wrapping at 2^32), so w - r is the fill and masking
 * gives the index. Whoever touches a ring from outside its interrupt
 * handler does so with interrupts off, or is its only producer/consumer.
 */
#define RINGSZ 1024

struct ring {
	uchar buf[RINGSZ];
	volatile uint w, r;
};

static inline uint
ring_len(struct ring *q)
{
	return q->w - q->r;
}

static inline int
ring_put(struct ring *q, int c)
{
	if(q->w - q->r >= RINGSZ)
		return -1;
	q->buf[q->w & (RINGSZ-1)] = c;
	asm volatile("" ::: "memory");	/* byte before count */
	q->w++;
	return 0;
}

static inline int
ring_get(struct ring *q)
{
	int c;

	if(q->w == q->r)
		return -1;
	c = q->buf[q->r & (RINGSZ-1)];
	asm volatile("" ::: "memory");
	q->r++;
	return c;
}

/*
 * calls.c - read, write, send, receive and please: the kernel's five calls
 * (docs/calls.md). asm/calls.asm enters each with the caller's H3sm registers
 * in a struct callregs: TOS (ebx), the data stack pointer (ebp) and the pointer
 * stack pointer (esi), all offsets in the caller's segment. Arguments come off
 * those stacks, results go onto them; every address is checked against the
 * caller's segment (uptr) and any bad argument makes the call fail (0).
 * There is no device-specific code here: only the node's data and its ops.
 *
 *   read     ( --- success )          (P: device_ID block ||| )
 *   write    ( timeout --- success )  (P: device_ID block ||| )
 *   send     ( timeout --- sent )     (P: device_ID ring ||| )
 *   receive  ( --- received )         (P: device_ID ring ||| )
 *   please   ( --- success )          (P: buffer ||| )
 *
 * A ring (send, receive) and a block buffer (read, write) live in the caller's
 * memory; their layouts are in h3sm/layout.inc (RING_*, BLK_*).
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "please.h"
#include "kinst.h"
#include "h3sm_layout.h"

struct callregs {
	uint tos, dsp, psp;
};

#define TRUE	0xffffffffu

/* the i-th pointer stack item (0 = top); 0 when it is not in the segment */
static int
pitem(struct callregs *r, int i, uint *v)
{
	uint *p = uptr(r->psp + 4*i, 4);

	if(p == 0 || r->psp + 4*i < r->psp)
		return 0;
	*v = *p;
	return 1;
}

/* push x onto the caller's data stack */
static void
dpush(struct callregs *r, uint x)
{
	uint *p = uptr(r->dsp - 4, 4);

	if(p){
		*p = r->tos;
		r->dsp -= 4;
	}
	r->tos = x;
}

/* may the current process use channel ch of d? "If you can't use it you can't see it." */
int
dev_usable(struct device *d, uint ch)
{
	/* include/perms.h (declared here to keep this change inside dev_usable) */
	uint perms_for(const struct user*, struct device*);
	uint may;

	if(d == 0 || (d->channels & ch) == 0)
		return 0;
	if(curproc && d == curproc->term)	/* its own terminal, always */
		return 1;
	if(curproc && curproc->user)		/* the class's channels, refined by the record */
		may = perms_for(curproc->user, d);
	else if(curproc && (curproc->flags & PROC_OWNER))	/* login=off's console */
		may = d->perm_owner;
	else
		may = d->perm_guest;
	return (may & CH_PLEASE) && (may & ch);	/* what it cannot see it cannot use */
}

/* d's permissions changed (a service registered or gone): the caches of the
 * permission check, receive's rxok and send's txok, forget d in every process */
void
dev_forget(struct device *d)
{
	uint bit = 1u << (dev_id(d) - 1);
	struct proc *p;

	for(p = procs; p < procs + NPROC; p++){
		p->rxok &= ~bit;
		p->txok &= ~bit;
	}
	kinst.rxok &= ~bit;
	kinst.txok &= ~bit;
}

/* the device and the address from (P: device_ID addr ||| ), for channel ch.
 * A send's permission is checked once per process and device (txok): it
 * depends only on the process's user and the node's class bits, which change
 * only through dev_forget; the node's channels are checked every time */
static inline struct device*
args(struct callregs *r, uint ch, uint *addr)
{
	uint *p = uptr(r->psp, 8), bit;
	struct device *d;

	if(p == 0 || p[1] - 1 >= (uint)ndev)	/* (dev_byid) */
		return 0;
	d = &devtab[p[1] - 1];
	asm("" : "+r"(d));	/* a pointer from here: else gcc works devtab + 112*i out at each use */
	if((d->channels & ch) == 0)
		return 0;
	*addr = p[0];
	bit = 1u << (p[1] - 1);
	if(ch == CH_SEND && (curproc->txok & bit))
		return d;
	if(!dev_usable(d, ch))
		return 0;
	if(ch == CH_SEND)
		curproc->txok |= bit;
	return d;
}

/*
 * The lock of a write or send. Every 2^N-th request is refused (N per device),
 * so no process monopolises an output; a refused or busy lock is tried again
 * once a Cycle until the timeout (in Cycles) runs out. 0 = now or never.
 * Inline: a free lock is taken in a few instructions.
 */
static inline int
lock(struct device *d, uint timeout)
{
	for(;;){
		d->lockreqs++;
		if(d->lockholder == 0 && !(d->refuse_shift && d->refuse_shift < 32 &&
		    (d->lockreqs & ((1u << d->refuse_shift) - 1)) == 0)){
			d->lockholder = curproc ? curproc->pid : -1;
			return 1;
		}
		if(timeout == 0 || (curproc && curproc->killer))
			return 0;
		timeout--;
		cycle_wait();
	}
}

static void
unlock(struct device *d)
{
	d->lockholder = 0;
}

/* a ring in the caller's memory: header and bytes, or 0. Its size is a power
 * of two, and the bytes fit in the segment after the header (which uptr saw) */
static inline uint*
ring(uint off)
{
	uint *h = uptr(off, RING_DATA), size;

	if(h == 0)
		return 0;
	size = h[0];
	if(size == 0 || (size & (size - 1)) != 0 || size > curproc->size - off - RING_DATA)
		return 0;
	return h;
}

uvlong	boot_to_login;		/* TSC when the console's login prompt first waited for input */
uvlong	login_to_prompt;	/* TSC from the last please login to its process's first wait */
extern uvlong login_start;	/* kernel/proc.c */
extern int login_pid;

static uvlong
rdtsc(void)
{
	uvlong t;

	asm volatile("rdtsc" : "=A"(t));
	return t;
}

uint
call_receive(struct callregs *r)
{
	uint off, *h, dc, pc, n, lost, pmask, dmask;
	uchar *pd;
	struct device *d = args(r, CH_RECEIVE, &off);

	if(d == 0 || d->kind != DEV_STREAM || (h = ring(off)) == 0)
		goto fail;
	if(boot_to_login == 0 && (curproc->flags & PROC_GETTY) && d == dev_byname(".console"))
		boot_to_login = rdtsc();	/* for make bench: the prompt is up and waiting */
	if(login_pid == curproc->pid && d == curproc->term){	/* make bench: login's first prompt */
		login_to_prompt = rdtsc() - login_start;
		login_pid = 0;
	}
	if(d->ops && d->ops->poll)
		d->ops->poll(d);
	dc = d->incount;
	pc = h[RING_COUNT/4];
	n = dc - pc;
	if((int)n < 0)				/* a ring ahead of the device: not this device's */
		goto fail;
	lost = 0;
	if(n > d->insize)			/* the device lapped us */
		lost = n - d->insize;
	if(n - lost > h[0])			/* more than our ring holds */
		lost = n - h[0];
	pc += lost;
	n -= lost;
	h[RING_LOST/4] += lost;
	pd = (uchar*)h + RING_DATA;
	pmask = h[0] - 1;
	dmask = d->insize - 1;
	while(n-- > 0){
		pd[pc & pmask] = d->in[pc & dmask];
		pc++;
	}
	h[RING_COUNT/4] = pc;
	curproc->rxdev = d;			/* please #dev wait waits for more than this */
	curproc->rxseen = dc;
	curproc->faults = 0;
	if(!(d->ops && d->ops->poll))		/* later receives may take the fast path */
		curproc->rxok |= 1u << (dev_id(d) - 1);
	dpush(r, TRUE);
	return 0;
fail:
	dpush(r, 0);
	return 0;
}

/* n bytes of a send to d: its output ring if it has one, then its driver */
static inline void
out(struct device *d, const uchar *p, uint n)
{
	uint i;

	if(d->out)
		for(i = 0; i < n; i++)
			d->out[(d->outcount + i) & (d->outsize - 1)] = p[i];
	d->outcount += n;
	if(d->ops && d->ops->output)
		d->ops->output(d, p, n);
}

uint
call_send(struct callregs *r)
{
	uint off, *h, n, at, piece, timeout = r->tos;
	uchar *pd;
	struct device *d = args(r, CH_SEND, &off);

	r->tos = 0;				/* the timeout becomes the result */
	if(d == 0 || d->kind != DEV_STREAM || (h = ring(off)) == 0)
		return 0;
	n = h[RING_COUNT/4] - h[RING_MARK/4];
	if(n == 0){
		r->tos = TRUE;
		return 0;
	}
	if(n > h[0] || (d->outsize && n > d->outsize))
		return 0;			/* the largest send is the ring's size */
	if(!lock(d, timeout))
		return 0;
	pd = (uchar*)h + RING_DATA;		/* our ring's bytes: one piece, or two if they wrap */
	at = h[RING_MARK/4] & (h[0] - 1);
	piece = h[0] - at;
	if(piece >= n)
		out(d, pd + at, n);
	else{
		out(d, pd + at, piece);
		out(d, pd, n - piece);
	}
	h[RING_MARK/4] += n;
	unlock(d);
	curproc->faults = 0;
	r->tos = TRUE;
	return 0;
}

/* a block buffer in the caller's memory: the block number, then the bytes */
static uchar*
blockbuf(struct device *d, uint off, uint *blk)
{
	uint *h = uptr(off, BLK_DATA);

	if(h == 0 || d->blksize == 0 || uptr(off + BLK_DATA, d->blksize) == 0)
		return 0;
	*blk = h[BLK_NUMBER/4];
	if(*blk >= d->nblocks)
		return 0;
	return (uchar*)h + BLK_DATA;
}

uint
call_read(struct callregs *r)
{
	uint off, blk;
	uchar *buf;
	struct device *d = args(r, CH_READ, &off);

	if(d == 0 || d->kind != DEV_BLOCK || !d->ops || !d->ops->rdblock
	|| (buf = blockbuf(d, off, &blk)) == 0 || d->ops->rdblock(d, blk, buf) < 0){
		dpush(r, 0);
		return 0;
	}
	curproc->faults = 0;
	dpush(r, TRUE);
	return 0;
}

uint
call_write(struct callregs *r)
{
	uint off, blk, timeout = r->tos;
	int ok;
	uchar *buf;
	struct device *d = args(r, CH_WRITE, &off);

	r->tos = 0;
	if(d == 0 || d->kind != DEV_BLOCK || !d->ops || !d->ops->wrblock
	|| (buf = blockbuf(d, off, &blk)) == 0 || !lock(d, timeout))
		return 0;
	ok = d->ops->wrblock(d, blk, buf) >= 0;
	unlock(d);
	curproc->faults = 0;
	r->tos = ok ? TRUE : 0;
	return 0;
}

uint
call_please(struct callregs *r)
{
	uint off, *h, cap, len, res;

	if(curproc == &kinst){		/* the please interpreter answers (please/kinst.c) */
		dpush(r, pitem(r, 0, &off) ? kinst_call(off) : 0);
		return 0;
	}
	if(!pitem(r, 0, &off) || (h = uptr(off, PB_TEXT)) == 0
	|| (cap = h[PB_CAP/4]) == 0 || uptr(off + PB_TEXT, cap) == 0
	|| (len = h[PB_LEN/4]) > cap){
		dpush(r, 0);
		return 0;
	}
	res = please((char*)h + PB_TEXT, len, cap, &h[PB_LEN/4]);
	curproc->faults = 0;
	dpush(r, res);
	return 0;
}

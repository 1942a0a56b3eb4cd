/*
 * blktest.c - a boot-time test of the block devices, for tests only
 * (tests/test_blockdev.py, docs/blockdev.md). Kernel options:
 *	blktest=<name>[:<block>][,...]	for each device: write a block
 *		with a pattern, read it back, compare, and check that the
 *		block past the end can be neither read nor written;
 *		the block defaults to the device's last one
 *	blkseed=<n>	the pattern's seed (default 1)
 *	blkread=<name>:<block>[,...]	read a block and print its checksum
 *		(a block written by blktest in an earlier boot)
 *	blkintr=on	run with interrupts enabled (then waits are timed
 *		by the PIT, and each step's milliseconds are printed)
 *	blkrepeat=<n>	run the blktest list n times; before each round
 *		after the first, print "blktest: round <k> waits for COM2"
 *		and wait (up to a minute) for a byte on COM2, so a test can
 *		change the medium in between
 * The report, on the kernel log (VGA and COM1), one line each:
 *	blktest <name>: blocks=<nblocks> size=<bytes in a block>
 *	blktest <name>: block <b> fnv=<checksum of the pattern written>
 *	blktest <name>: write ok|failed
 *	blktest <name>: read ok|failed
 *	blktest <name>: compare ok|failed
 *	blktest <name>: past end fails|does not fail
 *	blkread <name>:<b>: fnv=<checksum>|read failed
 *	blktest <name>: no such device
 *	blktest: done
 * The pattern: x = seed*2654435761 + block*40503 + 1, then for each
 * byte x = x*1103515245 + 12345 and the byte is x>>24 (32-bit
 * arithmetic). The checksum is 32-bit FNV-1a of the whole block.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "pit.h"
#include "device.h"
#include "blkdev.h"
#include "uart.h"

static char tests[128], reads[128];
static uint seed = 1;
static int intr;
static uint repeat = 1;
static uchar wbuf[BLKSIZE], rbuf[BLKSIZE];

/* a decimal number ending at end (or NUL); -1 if the text is not one */
static int
number(const char *s, const char *end, uint *v)
{
	uint n;

	if(s == end || *s == 0)
		return -1;
	for(n = 0; s != end && *s; s++){
		if(*s < '0' || *s > '9' || n > 0xffffffffu/10 - 1)
			return -1;
		n = n*10 + *s - '0';
	}
	*v = n;
	return 0;
}

/* a list item: name[:block]; needblk: the block is required */
static int
item(const char *s, const char *end, char *name, uint *blk, int *hasblk, int needblk)
{
	const char *c;
	uint n;

	for(c = s; c < end && *c != ':'; c++)
		;
	n = c - s;
	if(n == 0 || n > DEV_NAMELEN)
		return -1;
	if(name){
		memcpy(name, s, n);
		name[n] = 0;
	}
	*hasblk = c < end;
	if(!*hasblk)
		return needblk ? -1 : 0;
	return number(c + 1, end, blk);
}

/* check a comma-separated list; if fn, call it on each item */
static int
list(const char *v, int needblk, void (*fn)(const char *name, uint blk, int hasblk))
{
	char name[DEV_NAMELEN+1];
	const char *e;
	uint blk;
	int hasblk;

	if(*v == 0)
		return -1;
	for(;;){
		for(e = v; *e && *e != ','; e++)
			;
		blk = 0;
		if(item(v, e, name, &blk, &hasblk, needblk) < 0)
			return -1;
		if(fn)
			fn(name, blk, hasblk);
		if(*e == 0)
			return 0;
		v = e + 1;
	}
}

static int
save(char *dst, uint cap, const char *v, int needblk)
{
	if(strlen(v) >= cap || list(v, needblk, nil) < 0)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

int
blktest_option(const char *v)
{
	return save(tests, sizeof tests, v, 0);
}

int
blkread_option(const char *v)
{
	return save(reads, sizeof reads, v, 1);
}

int
blkseed_option(const char *v)
{
	return number(v, nil, &seed);
}

int
blkintr_option(const char *v)
{
	if(strcmp(v, "on") == 0)
		intr = 1;
	else if(strcmp(v, "off") == 0)
		intr = 0;
	else
		return -1;
	return 0;
}

int
blkrepeat_option(const char *v)
{
	if(number(v, nil, &repeat) < 0 || repeat == 0 || repeat > 100)
		return -1;
	return 0;
}

struct device*
blk_lookup(const char *name)
{
	int i;

	for(i = 0; i < ndev; i++)
		if(devtab[i].kind == DEV_BLOCK && strcmp(devtab[i].name, name) == 0)
			return &devtab[i];
	return nil;
}

static void
pattern(uchar *p, uint blk)
{
	uint x, i;

	x = seed*2654435761u + blk*40503u + 1;
	for(i = 0; i < BLKSIZE; i++){
		x = x*1103515245u + 12345u;
		p[i] = x >> 24;
	}
}

static uint
fnv(const uchar *p)
{
	uint h, i;

	h = 2166136261u;
	for(i = 0; i < BLKSIZE; i++){
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

static uint t0;

static void
report(const char *name, const char *what, int ok)
{
	kprintf("blktest %s: %s %s", name, what, ok ? "ok" : "failed");
	if(intr)
		kprintf(" (%u ms)", pit_ms() - t0);
	kprintf("\n");
	t0 = pit_ms();
}

/* a device fit for the test: a block device with BLKSIZE blocks */
static struct device*
blkdev(const char *name, const char *who)
{
	struct device *d;

	d = blk_lookup(name);
	if(d == nil)
		kprintf("%s %s: no such device\n", who, name);
	else if(d->blksize != BLKSIZE || !d->ops->rdblock || !d->ops->wrblock){
		kprintf("%s %s: not a %u-byte block device\n", who, name, BLKSIZE);
		d = nil;
	}
	return d;
}

static void
testone(const char *name, uint blk, int hasblk)
{
	struct device *d;
	int w, r, c, end;

	if((d = blkdev(name, "blktest")) == nil)
		return;
	kprintf("blktest %s: blocks=%u size=%u\n", name, d->nblocks, d->blksize);
	if(!hasblk)
		blk = d->nblocks > 0 ? d->nblocks - 1 : 0;
	pattern(wbuf, blk);
	kprintf("blktest %s: block %u fnv=%08x\n", name, blk, fnv(wbuf));
	t0 = pit_ms();
	w = d->ops->wrblock(d, blk, wbuf) == 0;
	report(name, "write", w);
	memset(rbuf, 0, BLKSIZE);
	r = d->ops->rdblock(d, blk, rbuf) == 0;
	report(name, "read", r);
	c = r && memcmp(wbuf, rbuf, BLKSIZE) == 0;
	report(name, "compare", c);
	end = d->ops->rdblock(d, d->nblocks, rbuf) < 0 &&
		d->ops->wrblock(d, d->nblocks, wbuf) < 0 &&
		d->ops->rdblock(d, 0xffffffffu, rbuf) < 0;
	kprintf("blktest %s: past end %s", name, end ? "fails" : "does not fail");
	if(intr)
		kprintf(" (%u ms)", pit_ms() - t0);
	kprintf("\n");
}

static void
readone(const char *name, uint blk, int hasblk)
{
	struct device *d;

	(void)hasblk;
	if((d = blkdev(name, "blkread")) == nil)
		return;
	if(d->ops->rdblock(d, blk, rbuf) < 0)
		kprintf("blkread %s:%u: read failed\n", name, blk);
	else
		kprintf("blkread %s:%u: fnv=%08x\n", name, blk, fnv(rbuf));
}

/* a byte on COM2, within a minute */
static void
waitcom2(uint round)
{
	struct blkwait w;

	kprintf("blktest: round %u waits for COM2\n", round);
	blkwait_start(&w, 60000);
	do{
		uart_poll();
		if(uart_getc(1) >= 0)
			return;
	}while(!blkwait_over(&w));
}

void
blktest_run(void)
{
	uint f, i;

	if(tests[0] == 0 && reads[0] == 0)
		return;
	f = readeflags();
	if(intr)
		sti();
	for(i = 0; tests[0] && i < repeat; i++){
		if(i > 0)
			waitcom2(i + 1);
		list(tests, 0, testone);
	}
	if(reads[0])
		list(reads, 1, readone);
	kprintf("blktest: done\n");
	if(!(f & FL_IF))
		cli();
}

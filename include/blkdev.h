/*
 * blkdev.h - the block devices (docs/blockdev.md): the RAM disk
 * (drivers/ramdisk.c, ".ramdisk"), the floppy (drivers/floppy.c,
 * ".floppy", with the 8237 DMA controller of drivers/isadma.c) and the
 * ATA disk on the primary channel (drivers/ata.c, ".disk"). Each is a
 * DEV_BLOCK node of device.h with blocks of BLKSIZE bytes; rdblock and
 * wrblock return 0, or -1 for any error, and never hang.
 *
 * Bounded waits: a driver that polls a chip gives the poll a budget in
 * milliseconds (struct blkwait, below). Each poll reads the PIT's
 * channel 0 counter (a latch command: it does not disturb the count)
 * and adds up how far it has counted down since the last poll. That
 * works with interrupts off, when the PIT's tick count stands still
 * (the calls enter through interrupt gates), and measures real time on
 * hardware and the emulators' virtual time alike; it is right while
 * polls come less than a tick (1 ms) apart, and only undercounts when
 * they do not. So with interrupts on, pit_ms() is asked as well, and
 * the wait ends when either says the budget is spent. As a last guard,
 * should the PIT stand still, a wait ends after BLKWAIT_POLLS polls per
 * millisecond of budget (a poll takes 3 port accesses: on ISA, over 2 us).
 */
#define BLKSIZE		1024	/* bytes in a block, every block device */

struct device;
extern const struct chip chip_isadma, chip_ramdisk, chip_floppy, chip_ata;

struct blkwait {
	uint	ms;		/* the budget */
	uint	start;		/* pit_ms() at the start */
	uint	last;		/* the PIT's counter at the last poll */
	uint	clocks;		/* PIT input clocks counted down since the start */
	uint	polls;
};
#define BLKWAIT_POLLS	20000

/* the helpers exist where x86.h and pit.h are included first */
#ifdef PIT_HZ
/* channel 0's counter: counts down from the divisor to 1, again and again */
static inline uint
blkwait_counter(void)
{
	uint f, v;

	f = irqsave();
	outb(0x43, 0x00);		/* latch channel 0 */
	v = inb(0x40);
	v |= inb(0x40) << 8;
	irqrestore(f);
	return v;
}

static inline void
blkwait_start(struct blkwait *w, uint ms)
{
	w->ms = ms;
	w->start = pit_ms();
	w->last = blkwait_counter();
	w->clocks = 0;
	w->polls = 0;
}

/* one poll; 1 when the budget is spent */
static inline int
blkwait_over(struct blkwait *w)
{
	uint c, div, hz;

	if(++w->polls >= w->ms * BLKWAIT_POLLS)
		return 1;
	if((readeflags() & FL_IF) && pit_ms() - w->start >= w->ms)
		return 1;
	hz = pit_gethz();
	div = hz ? (PIT_CLOCK + hz/2) / hz : 0x10000;
	c = blkwait_counter();
	if(c <= w->last)
		w->clocks += w->last - c;
	else
		w->clocks += w->last + div - c;
	w->last = c;
	return w->clocks >= w->ms * (PIT_CLOCK / 1000);
}

/* wait about ms milliseconds */
static inline void
blk_delay(uint ms)
{
	struct blkwait w;

	blkwait_start(&w, ms);
	while(!blkwait_over(&w))
		;
}
#endif

/* drivers/isadma.c: the 8237 DMA controller, channels 0-3 (8-bit) */
enum { DMA_TOMEM, DMA_FROMMEM };		/* device -> memory, memory -> device */
int	isadma_start(int chan, uint addr, uint len, int dir);	/* 0, or -1 if not DMA-able */
void	isadma_stop(int chan);
int	isadma_ok(uint addr, uint len);	/* 1: below 16 MiB, no 64 KiB boundary crossed */

/* drivers/ramdisk.c: ramdisk=<KiB> (docs/blockdev.md) */
#define RAMDISK_DEFKIB	256
int	ramdisk_option(const char *value);	/* 0 if value is a valid size */

/* kernel/blktest.c: the test-only options blktest=, blkseed=, blkread=, blkintr=,
 * blkrepeat= */
int	blktest_option(const char *value);
int	blkseed_option(const char *value);
int	blkread_option(const char *value);
int	blkintr_option(const char *value);
int	blkrepeat_option(const char *value);
void	blktest_run(void);		/* after "ready.": the tests asked for, if any */
struct device *blk_lookup(const char *name);	/* a block device by canonical name */

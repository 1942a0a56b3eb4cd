/*
 * floppy.c - the 82077AA floppy disk controller (and its NEC 765
 * ancestors' command set), drive 0 only, a 1.44 MB 3.5" medium:
 * 80 cylinders, 2 heads, 18 sectors of 512 bytes. The device ".floppy"
 * has BLKSIZE-byte blocks, two sectors each, numbered from 0: block b
 * is sectors 2b and 2b+1 (LBA order: cylinder, head, sector), which
 * always share a track, so one READ DATA or WRITE DATA moves a block.
 *
 * Data moves by ISA DMA channel 2 (drivers/isadma.c) through dmabuf,
 * a static buffer aligned to its size: it lies in the kernel, far
 * below 16 MiB, and cannot cross a 64 KiB boundary (init checks).
 * Everything is polled, with interrupts on or off: the result phase by
 * the main status register, the end of a seek or recalibrate by SENSE
 * INTERRUPT STATUS, which answers 0x80 while nothing is pending. IRQ 6
 * is registered only to take the controller's interrupts; it counts.
 * Every wait has a budget (blkwait, blkdev.h); a command that outlives
 * it is abandoned by resetting the controller.
 *
 * One operation: motor on (300 ms spin-up), medium check, recalibrate
 * if the head position is unknown, seek, DMA + command, result; up to
 * three tries, recalibrating between them; motor off. The medium check
 * uses the disk-change line (DIR bit 7): set after a medium left the
 * drive (and at power-on); a step pulse clears it only when a medium
 * is in, so: seek to cylinder 1 and recalibrate, and if the line is
 * still set, the drive is empty and the call fails at once (nblocks 0).
 * A write-protected medium fails without retries.
 * Drive 0 must be a 1.44 or 2.88 MB drive in the CMOS (register 0x10,
 * high nibble 4 or 5), else there is no ".floppy".
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "trap.h"
#include "chip.h"
#include "pit.h"
#include "device.h"
#include "blkdev.h"

enum {
	DOR = 0x3f2,		/* digital output register */
	MSR = 0x3f4,		/* main status register (read) */
	FIFO = 0x3f5,
	DIR = 0x3f7,		/* digital input register (read) */
	CCR = 0x3f7,		/* configuration control register (write): data rate */

	DOR_NRESET = 0x04, DOR_DMA = 0x08, DOR_MOTOR0 = 0x10,	/* drive select 0 */
	MSR_RQM = 0x80, MSR_DIO = 0x40, MSR_CB = 0x10,
	DIR_CHANGED = 0x80,
	RATE500K = 0x00,	/* 1.44 MB media */

	C_SPECIFY = 0x03, C_RECAL = 0x07, C_SENSEINT = 0x08, C_SEEK = 0x0f,
	C_READ = 0x46, C_WRITE = 0x45,	/* MFM, READ DATA / WRITE DATA */
	SPEC1 = 0xdf,		/* step rate 3 ms, head unload 240 ms */
	SPEC2 = 0x02,		/* head load 4 ms, DMA mode */
	SIZE512 = 2,		/* N: 128 << 2 bytes per sector */
	GAP3 = 0x1b,

	ST0_IC = 0xc0, ST0_SE = 0x20, ST0_EC = 0x10, ST0_INVALID = 0x80,
	ST1_NW = 0x02,		/* not writable */

	CYLS = 80, HEADS = 2, SECTS = 18, SECSIZE = 512,
	SECPERBLK = BLKSIZE / SECSIZE,
	NBLK = CYLS * HEADS * SECTS / SECPERBLK,
	DMACHAN = 2,
	TRIES = 3,

	/* budgets, ms */
	T_BYTE = 100,		/* one command or result byte */
	T_SEEK = 1000,		/* a seek: up to 80 steps of 3 ms, and the settling */
	T_RECAL = 3000,
	T_XFER = 2000,		/* a sector needs a revolution or two (200 ms each) */
	T_RESET = 500,
	T_SPINUP = 300,
	T_SETTLE = 15,
	T_LOCK = 5000,
};

static uchar dmabuf[BLKSIZE] __attribute__((aligned(BLKSIZE)));
static int cyl = -1;		/* where the head is; -1: unknown, recalibrate */
static int busy;
static volatile uint fdirqs;	/* IRQ 6 taken: for debugging */

static int
cmos(int reg)
{
	uint f;
	int v;

	f = irqsave();
	outb(0x70, reg);
	v = inb(0x71);
	irqrestore(f);
	return v;
}

static int
sendbyte(uchar b)
{
	struct blkwait w;

	blkwait_start(&w, T_BYTE);
	do{
		if((inb(MSR) & (MSR_RQM | MSR_DIO)) == MSR_RQM){
			outb(FIFO, b);
			return 0;
		}
	}while(!blkwait_over(&w));
	return -1;
}

/* a command's bytes; result bytes left over from before are dropped */
static int
command(const uchar *c, int n)
{
	int i;

	for(i = 0; i < 16 && (inb(MSR) & (MSR_RQM | MSR_DIO)) == (MSR_RQM | MSR_DIO); i++)
		inb(FIFO);
	for(i = 0; i < n; i++)
		if(sendbyte(c[i]) < 0)
			return -1;
	return 0;
}

/* the result phase: up to max bytes into r; how many came, -1 on timeout */
static int
result(uchar *r, int max)
{
	struct blkwait w;
	int n;
	uchar m;

	n = 0;
	blkwait_start(&w, T_BYTE);
	for(;;){
		m = inb(MSR);
		if((m & (MSR_RQM | MSR_DIO)) == (MSR_RQM | MSR_DIO)){
			if(n < max)
				r[n] = inb(FIFO);
			else
				inb(FIFO);
			n++;
			blkwait_start(&w, T_BYTE);
			continue;
		}
		if((m & (MSR_RQM | MSR_DIO | MSR_CB)) == MSR_RQM)
			return n;	/* back in the command phase */
		if(blkwait_over(&w))
			return -1;
	}
}

/* SENSE INTERRUPT STATUS until an interrupt was pending, within ms */
static int
senseint(uchar *st0, uchar *pcn, uint ms)
{
	struct blkwait w;
	uchar c, r[2];

	c = C_SENSEINT;
	blkwait_start(&w, ms);
	do{
		if(command(&c, 1) == 0 && result(r, 2) >= 1 && r[0] != ST0_INVALID){
			*st0 = r[0];
			*pcn = r[1];
			return 0;
		}
	}while(!blkwait_over(&w));
	return -1;
}

static void
motor(int on)
{
	outb(DOR, DOR_NRESET | DOR_DMA | (on ? DOR_MOTOR0 : 0));
}

/* reset the controller: after it, four drives report a ready change */
static int
reset(void)
{
	static const uchar spec[] = { C_SPECIFY, SPEC1, SPEC2 };
	uchar st0, pcn;
	int i, motoron;

	motoron = inb(DOR) & DOR_MOTOR0;
	cyl = -1;
	outb(DOR, 0);
	for(i = 0; i < 10; i++)
		iodelay();
	outb(DOR, DOR_NRESET | DOR_DMA | motoron);
	for(i = 0; i < 4; i++)
		if(senseint(&st0, &pcn, T_RESET) < 0)
			return -1;
	outb(CCR, RATE500K);
	return command(spec, sizeof spec);
}

static int
recalibrate(void)
{
	uchar c[2], st0, pcn;
	int i;

	c[0] = C_RECAL;
	c[1] = 0;
	for(i = 0; i < 2; i++){	/* 80 cylinders may need more than one */
		if(command(c, 2) < 0 || senseint(&st0, &pcn, T_RECAL) < 0)
			return -1;
		if((st0 & (ST0_IC | ST0_SE | ST0_EC)) == ST0_SE && pcn == 0){
			cyl = 0;
			return 0;
		}
	}
	return -1;
}

static int
seek(int c, int head)
{
	uchar cmd[3], st0, pcn;

	if(c == cyl)
		return 0;
	cmd[0] = C_SEEK;
	cmd[1] = head << 2;
	cmd[2] = c;
	if(command(cmd, 3) < 0 || senseint(&st0, &pcn, T_SEEK) < 0)
		return -1;
	if((st0 & (ST0_IC | ST0_SE)) != ST0_SE || pcn != c){
		cyl = -1;
		return -1;
	}
	cyl = c;
	blk_delay(T_SETTLE);
	return 0;
}

/* is a medium in the drive? (the motor is on) */
static int
medium(void)
{
	if(!(inb(DIR) & DIR_CHANGED))
		return 1;
	/* a step pulse clears the change line if there is a medium */
	cyl = -1;
	if(recalibrate() == 0 && seek(1, 0) == 0)
		recalibrate();
	return !(inb(DIR) & DIR_CHANGED);
}

/* one block between dmabuf and the medium; 0, -1 error, -2 write-protected */
static int
xfer(uint blk, int write)
{
	struct blkwait w;
	uint lba;
	int c, h, s, n;
	uchar cmd[9], r[7];

	lba = blk * SECPERBLK;
	c = lba / (HEADS * SECTS);
	h = lba / SECTS % HEADS;
	s = lba % SECTS + 1;
	if(cyl < 0 && recalibrate() < 0)
		return -1;
	if(seek(c, h) < 0)
		return -1;
	if(isadma_start(DMACHAN, (uint)dmabuf, BLKSIZE, write ? DMA_FROMMEM : DMA_TOMEM) < 0)
		return -1;
	cmd[0] = write ? C_WRITE : C_READ;
	cmd[1] = h << 2;
	cmd[2] = c;
	cmd[3] = h;
	cmd[4] = s;
	cmd[5] = SIZE512;
	cmd[6] = s + SECPERBLK - 1;	/* the last sector: the block's second */
	cmd[7] = GAP3;
	cmd[8] = 0xff;
	if(command(cmd, sizeof cmd) < 0)
		goto abandon;
	blkwait_start(&w, T_XFER);
	while((inb(MSR) & (MSR_RQM | MSR_DIO)) != (MSR_RQM | MSR_DIO))
		if(blkwait_over(&w))
			goto abandon;
	n = result(r, sizeof r);
	isadma_stop(DMACHAN);
	if(n < 7)
		goto abandon;
	if((r[0] & ST0_IC) == 0)
		return 0;
	cyl = -1;
	if(r[1] & ST1_NW)
		return -2;
	return -1;

abandon:
	isadma_stop(DMACHAN);
	reset();
	return -1;
}

static int
lock(void)
{
	struct blkwait w;
	uint f;

	blkwait_start(&w, T_LOCK);
	for(;;){
		f = irqsave();
		if(!busy){
			busy = 1;
			irqrestore(f);
			return 0;
		}
		irqrestore(f);
		if(blkwait_over(&w))
			return -1;
	}
}

/* read into rbuf or write wbuf (the other is nil) */
static int
fdio(struct device *d, uint blk, void *rbuf, const void *wbuf)
{
	int i, r, write;

	write = wbuf != nil;
	if(blk >= NBLK || lock() < 0)
		return -1;
	motor(1);
	blk_delay(T_SPINUP);
	r = -1;
	if(!medium()){
		d->nblocks = 0;
		goto out;
	}
	d->nblocks = NBLK;
	if(write)
		memcpy(dmabuf, wbuf, BLKSIZE);
	for(i = 0; i < TRIES; i++){
		r = xfer(blk, write);
		if(r == 0 || r == -2)
			break;
	}
	if(r == 0 && !write)
		memcpy(rbuf, dmabuf, BLKSIZE);
out:
	motor(0);
	busy = 0;
	return r == 0 ? 0 : -1;
}

static int
fdread(struct device *d, uint blk, void *buf)
{
	return fdio(d, blk, buf, nil);
}

static int
fdwrite(struct device *d, uint blk, const void *buf)
{
	return fdio(d, blk, nil, buf);
}

static const struct devops fdops = {
	.rdblock = fdread,
	.wrblock = fdwrite,
};

static void
fdintr(int irq, struct trapframe *tf)
{
	(void)irq;
	(void)tf;
	fdirqs++;
}

static int
fdinit(void)
{
	struct device *d;
	int type;

	type = cmos(0x10) >> 4;
	if(type != 4 && type != 5)
		return -1;
	if(inb(MSR) == 0xff || !isadma_ok((uint)dmabuf, BLKSIZE))
		return -1;
	if(reset() < 0)
		return -1;
	d = dev_add(".floppy", DEV_BLOCK, CH_READ | CH_WRITE, &fdops);
	d->blksize = BLKSIZE;
	d->nblocks = NBLK;
	return 0;
}

const struct chip chip_floppy = {
	.name = "82077aa floppy",
	.init = fdinit,
	.intr = fdintr,
	.irqs = 1 << 6,
};

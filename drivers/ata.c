/*
 * ata.c - an ATA disk, the master drive of the primary IDE channel
 * (command block 0x1f0-0x1f7, control 0x3f6), by PIO and LBA28.
 * The device ".disk" has BLKSIZE-byte blocks of two 512-byte sectors:
 * block b is sectors 2b and 2b+1. Its size is IDENTIFY DEVICE's count
 * of LBA28 sectors (words 60-61), halved.
 *
 * Polled only: nIEN is set in the device control register, so the
 * drive never raises IRQ 14, and the calls work with interrupts on or
 * off. Every wait for BSY to clear or DRQ to come has a budget
 * (blkwait, blkdev.h); a drive that outlives it gets a soft reset and
 * the call fails. Status ERR or DF after a command fails the call.
 * A write ends with FLUSH CACHE when the drive has one, so a written
 * block is on the medium when wrblock returns.
 *
 * The drive is absent, and there is no ".disk", when the status
 * register floats (0xff), the command block does not keep what is
 * written to it, the status after IDENTIFY is 0, or the drive answers
 * IDENTIFY with the ATAPI signature (a CD-ROM) or an error.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "chip.h"
#include "pit.h"
#include "device.h"
#include "blkdev.h"

enum {
	DATA = 0x1f0, FEATURES = 0x1f1, COUNT = 0x1f2,
	LBA0 = 0x1f3, LBA1 = 0x1f4, LBA2 = 0x1f5, DRIVE = 0x1f6,
	STATUS = 0x1f7, CMD = 0x1f7,
	ALTSTATUS = 0x3f6, DEVCTL = 0x3f6,

	ST_BSY = 0x80, ST_DRDY = 0x40, ST_DF = 0x20, ST_DRQ = 0x08, ST_ERR = 0x01,
	CTL_NIEN = 0x02, CTL_SRST = 0x04,
	DRV_MASTER = 0xa0, DRV_LBA = 0x40,

	C_READ = 0x20, C_WRITE = 0x30, C_FLUSH = 0xe7, C_IDENTIFY = 0xec,

	SECSIZE = 512,
	SECPERBLK = BLKSIZE / SECSIZE,
	LBA28MAX = 1 << 28,
	TRIES = 2,

	/* budgets, ms */
	T_RESET = 3000,		/* a drive may take this long after a reset */
	T_CMD = 2000,		/* BSY before a command, or until a sector is ready */
	T_FLUSH = 5000,
	T_LOCK = 5000,
};

static uint nsect;		/* LBA28 sectors */
static int canflush;
static int busy;

/* 400 ns for the status to become valid: four reads of the alternate status */
static void
delay400(void)
{
	int i;

	for(i = 0; i < 4; i++)
		inb(ALTSTATUS);
}

/* wait until BSY clears: the status, or -1 after ms */
static int
notbusy(uint ms)
{
	struct blkwait w;
	uchar st;

	blkwait_start(&w, ms);
	do{
		st = inb(STATUS);
		if(!(st & ST_BSY))
			return st;
	}while(!blkwait_over(&w));
	return -1;
}

/* software reset of both drives on the channel; interrupts stay off */
static int
softreset(void)
{
	int i;

	outb(DEVCTL, CTL_NIEN | CTL_SRST);
	for(i = 0; i < 10; i++)
		iodelay();
	outb(DEVCTL, CTL_NIEN);
	blk_delay(2);
	return notbusy(T_RESET) < 0 ? -1 : 0;
}

static void
seldrive(uint lba)
{
	outb(DRIVE, DRV_MASTER | DRV_LBA | ((lba >> 24) & 0x0f));
	delay400();
}

/* one command on sectors lba, lba+1, ... */
static void
issue(uchar cmd, uint lba, uint n)
{
	outb(FEATURES, 0);
	outb(COUNT, n);
	outb(LBA0, lba);
	outb(LBA1, lba >> 8);
	outb(LBA2, lba >> 16);
	outb(CMD, cmd);
	delay400();
}

/* wait for a sector's data: 0 when DRQ is up, -1 on error or timeout */
static int
drq(void)
{
	int st;

	st = notbusy(T_CMD);
	if(st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
		return -1;
	return 0;
}

static int
xfer(uint blk, uchar *rbuf, const uchar *wbuf)
{
	uint lba, s, i, v;
	int st;

	lba = blk * SECPERBLK;
	if(notbusy(T_CMD) < 0)
		return -1;
	seldrive(lba);
	if(notbusy(T_CMD) < 0)
		return -1;
	issue(rbuf ? C_READ : C_WRITE, lba, SECPERBLK);
	for(s = 0; s < SECPERBLK; s++){
		if(drq() < 0)
			return -1;
		if(rbuf){
			for(i = s*SECSIZE; i < (s+1)*SECSIZE; i += 2){
				v = inw(DATA);
				rbuf[i] = v;
				rbuf[i+1] = v >> 8;
			}
		}else{
			for(i = s*SECSIZE; i < (s+1)*SECSIZE; i += 2)
				outw(DATA, wbuf[i] | wbuf[i+1] << 8);
			delay400();
		}
	}
	st = notbusy(T_CMD);
	if(st < 0 || (st & (ST_ERR | ST_DF)))
		return -1;
	if(wbuf && canflush){
		issue(C_FLUSH, 0, 0);
		st = notbusy(T_FLUSH);
		if(st < 0 || (st & (ST_ERR | ST_DF)))
			return -1;
	}
	return 0;
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

static int
ataio(uint blk, void *rbuf, const void *wbuf)
{
	int i, r;

	if(blk >= nsect / SECPERBLK || lock() < 0)
		return -1;
	r = -1;
	for(i = 0; i < TRIES && r < 0; i++){
		r = xfer(blk, rbuf, wbuf);
		if(r < 0)
			softreset();
	}
	busy = 0;
	return r;
}

static int
ataread(struct device *d, uint blk, void *buf)
{
	(void)d;
	return ataio(blk, buf, nil);
}

static int
atawrite(struct device *d, uint blk, const void *buf)
{
	(void)d;
	return ataio(blk, nil, buf);
}

static const struct devops ataops = {
	.rdblock = ataread,
	.wrblock = atawrite,
};

/* IDENTIFY DEVICE into id; -1 if no ATA drive answers */
static int
identify(ushort *id)
{
	struct blkwait w;
	int st, i;

	seldrive(0);
	outb(COUNT, 0);
	outb(LBA0, 0);
	outb(LBA1, 0);
	outb(LBA2, 0);
	outb(CMD, C_IDENTIFY);
	delay400();
	if(inb(STATUS) == 0)
		return -1;
	if(notbusy(T_CMD) < 0)
		return -1;
	if(inb(LBA1) != 0 || inb(LBA2) != 0)
		return -1;	/* ATAPI or SATA: not ours */
	blkwait_start(&w, T_CMD);
	for(;;){
		st = inb(STATUS);
		if(st & ST_ERR)
			return -1;
		if(st & ST_DRQ)
			break;
		if(blkwait_over(&w))
			return -1;
	}
	for(i = 0; i < 256; i++)
		id[i] = inw(DATA);
	return 0;
}

static int
atainit(void)
{
	static ushort id[256];
	struct device *d;

	if(inb(STATUS) == 0xff)
		return -1;		/* nothing on the channel: the bus floats */
	outb(DEVCTL, CTL_NIEN);
	seldrive(0);
	outb(COUNT, 0x55);
	outb(LBA0, 0xaa);
	if(inb(COUNT) != 0x55 || inb(LBA0) != 0xaa)
		return -1;
	if(softreset() < 0 || identify(id) < 0)
		return -1;
	if(!(id[49] & (1 << 9)))
		return -1;		/* no LBA */
	nsect = id[60] | (uint)id[61] << 16;
	if(nsect >= LBA28MAX)
		nsect = LBA28MAX - 1;
	if(nsect < SECPERBLK)
		return -1;
	canflush = (id[83] & 0xc000) == 0x4000 && (id[83] & (1 << 12));
	d = dev_add(".disk", DEV_BLOCK, CH_READ | CH_WRITE, &ataops);
	d->blksize = BLKSIZE;
	d->nblocks = nsect / SECPERBLK;
	return 0;
}

const struct chip chip_ata = {
	.name = "ata pio disk",
	.init = atainit,
};

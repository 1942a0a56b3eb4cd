/*
 * ramdisk.c - the RAM disk ".ramdisk": BLKSIZE-byte blocks in memory,
 * lost at reboot. Its size is the kernel option ramdisk=<KiB> (a whole
 * number of blocks, at least one), RAMDISK_DEFKIB when not given.
 * The disk is carved from the top of the RAM above 1 MiB at boot, and
 * bootinfo.memtop is lowered below it so that nothing else (the process
 * allocator, kernel/mem.c) hands that memory out; none of it is in the
 * kernel's image or .bss. It may take at most half of the RAM between the
 * kernel's end and memtop; a size that does not fit is refused (the option
 * is then named unknown) and the default is used; if even the default does
 * not fit, there is no RAM disk.
 * The option is read here, from bootinfo.cmdline, because the chips
 * start before the command line is applied; ramdisk_option only tells
 * kernel/cmdline.c whether this file accepted it.
 * A block number at or past the end fails (-1); nothing else can.
 */
#include "types.h"
#include "kernel.h"
#include "chip.h"
#include "multiboot.h"
#include "device.h"
#include "blkdev.h"

static uchar *disk;
static uint nblk;
static int optgiven, optok;

static int
rdread(struct device *d, uint blk, void *buf)
{
	(void)d;
	if(blk >= nblk)
		return -1;
	memcpy(buf, disk + blk * BLKSIZE, BLKSIZE);
	return 0;
}

static int
rdwrite(struct device *d, uint blk, const void *buf)
{
	(void)d;
	if(blk >= nblk)
		return -1;
	memcpy(disk + blk * BLKSIZE, buf, BLKSIZE);
	return 0;
}

static const struct devops rdops = {
	.rdblock = rdread,
	.wrblock = rdwrite,
};

/* a decimal number of KiB, 1 to 4 GiB; 0 if the text is not one */
static uint
kib(const char *v)
{
	uint n;

	if(*v == 0)
		return 0;
	for(n = 0; *v && *v != ' '; v++){
		if(*v < '0' || *v > '9' || n > 4*1024*1024/10)
			return 0;
		n = n*10 + *v - '0';
	}
	return n;
}

/* the value of the first "ramdisk=" word on the command line, or nil */
static const char*
findopt(const char *s)
{
	static const char name[] = "ramdisk=";

	for(;;){
		while(*s == ' ')
			s++;
		if(*s == 0)
			return nil;
		if(strncmp(s, name, sizeof name - 1) == 0)
			return s + sizeof name - 1;
		while(*s && *s != ' ')
			s++;
	}
}

/* the disk's memory for n KiB, or nil if that does not fit */
static uchar*
carve(uint n)
{
	uint end, base, avail;

	if(n == 0)
		return nil;
	end = ((uint)_end + 0xfff) & ~0xfffu;
	if(bootinfo.memtop <= end)
		return nil;
	avail = (bootinfo.memtop - end) >> 10;
	if(n > avail / 2)
		return nil;
	base = (bootinfo.memtop - (n << 10)) & ~0xfffu;
	bootinfo.memtop = base;
	return (uchar*)base;
}

int
ramdisk_option(const char *value)
{
	(void)value;
	return optgiven && optok ? 0 : -1;
}

static int
ramdiskinit(void)
{
	struct device *d;
	const char *v;
	uint n;

	n = RAMDISK_DEFKIB;
	disk = nil;
	if((v = findopt(bootinfo.cmdline)) != nil){
		optgiven = 1;
		n = kib(v);
		if((disk = carve(n)) != nil)
			optok = 1;
	}
	if(disk == nil && (disk = carve(n = RAMDISK_DEFKIB)) == nil)
		return -1;
	nblk = n * 1024 / BLKSIZE;
	memset(disk, 0, nblk * BLKSIZE);
	d = dev_add(".ramdisk", DEV_BLOCK, CH_READ | CH_WRITE, &rdops);
	d->blksize = BLKSIZE;
	d->nblocks = nblk;
	return 0;
}

const struct chip chip_ramdisk = {
	.name = "ram disk",
	.init = ramdiskinit,
};

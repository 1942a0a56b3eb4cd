/*
 * isadma.c - the 8237 DMA controller of the ISA bus, the first (8-bit)
 * controller: channels 0-3. The floppy controller uses channel 2.
 * A transfer is one block of memory below 16 MiB that does not cross a
 * 64 KiB boundary (the page register holds address bits 16-23, and the
 * 8237 counts only the low 16 bits). isadma_start programs a channel
 * for one single-mode transfer and unmasks it; the device then moves
 * the bytes; isadma_stop masks the channel again. Channel 4 is the
 * cascade of the second controller and is never touched here.
 */
#include "types.h"
#include "x86.h"
#include "chip.h"
#include "pit.h"
#include "blkdev.h"

enum {
	MASK1 = 0x0a,		/* single channel mask: bit 2 set masks, bits 0-1 the channel */
	MODE = 0x0b,
	FLIPFLOP = 0x0c,	/* any write: the next address/count byte is the low one */
	SINGLE = 0x40,		/* mode: single transfer */
	WRITEMEM = 0x04,	/* mode: device -> memory (a "write" transfer) */
	READMEM = 0x08,		/* mode: memory -> device */
	MASKON = 0x04,
	LIMIT = 16 << 20,	/* the 24 address lines */
};

static const uchar addrport[4] = { 0x00, 0x02, 0x04, 0x06 };
static const uchar countport[4] = { 0x01, 0x03, 0x05, 0x07 };
static const uchar pageport[4] = { 0x87, 0x83, 0x81, 0x82 };

int
isadma_ok(uint addr, uint len)
{
	if(len == 0 || len > 0x10000 || addr >= LIMIT || len > LIMIT - addr)
		return 0;
	return (addr >> 16) == ((addr + len - 1) >> 16);
}

int
isadma_start(int chan, uint addr, uint len, int dir)
{
	uint f;

	if(chan < 0 || chan > 3 || !isadma_ok(addr, len))
		return -1;
	f = irqsave();
	outb(MASK1, MASKON | chan);
	outb(FLIPFLOP, 0);
	outb(MODE, SINGLE | (dir == DMA_TOMEM ? WRITEMEM : READMEM) | chan);
	outb(addrport[chan], addr);
	outb(addrport[chan], addr >> 8);
	outb(pageport[chan], addr >> 16);
	outb(FLIPFLOP, 0);
	outb(countport[chan], len - 1);
	outb(countport[chan], (len - 1) >> 8);
	outb(MASK1, chan);
	irqrestore(f);
	return 0;
}

void
isadma_stop(int chan)
{
	if(chan >= 0 && chan <= 3)
		outb(MASK1, MASKON | chan);
}

static int
isadmainit(void)
{
	isadma_stop(2);		/* the floppy's channel, until a transfer needs it */
	return 0;
}

const struct chip chip_isadma = {
	.name = "8237 isa dma",
	.init = isadmainit,
};

/*
 * stream.c - the driver side of stream devices: input rings that only count up.
 * dev_input appends what a driver received; when the ring is full the oldest
 * bytes are overwritten (readers that fell behind are told how much they lost
 * when they next receive: see devices/calls.c). Called from interrupt handlers
 * or with interrupts off.
 */
#include "types.h"
#include "device.h"

void
dev_input(struct device *d, const uchar *buf, uint n)
{
	uint mask = d->insize - 1;

	while(n-- > 0)
		d->in[d->incount++ & mask] = *buf++;
}

/*
 * chips.c - the drivers, in the order they start. The PIC comes first
 * (everything masked), VGA and the UARTs next so that anything later
 * can be reported; interrupts stay off until kmain is done.
 */
#include "types.h"
#include "trap.h"
#include "chip.h"
#include "blkdev.h"

static const struct chip *chips[] = {
	&chip_pic8259,
	&chip_vga,
	&chip_uart16550,
	&chip_pit8254,
	&chip_kbd8042,
	&chip_rtc,
	&chip_speaker,
	&chip_isadma,
	&chip_ramdisk,
	&chip_floppy,
	&chip_ata,
};
static uchar present[nelem(chips)];

void
chips_init(void)
{
	uint i;
	int irq;
	const struct chip *c;

	for(i = 0; i < nelem(chips); i++){
		c = chips[i];
		present[i] = c->init() == 0;
		if(!present[i] || c->intr == nil)
			continue;
		for(irq = 0; irq < NIRQ; irq++)
			if(c->irqs & (1 << irq))
				irq_register(irq, c->intr);
	}
}

int
chip_present(const struct chip *c)
{
	uint i;

	for(i = 0; i < nelem(chips); i++)
		if(chips[i] == c)
			return present[i];
	return 0;
}

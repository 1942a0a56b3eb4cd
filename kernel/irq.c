/*
 * irq.c - hardware interrupts: one handler per IRQ line.
 * irq_register installs a handler and unmasks the line; an IRQ with no
 * handler stays masked. irq_dispatch drops spurious IRQ 7/15 (the 8259
 * wants no EOI for them), acknowledges the others *before* calling the
 * handler, so a handler may switch to another process and return much
 * later, and runs with interrupts off (interrupt gates).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "pic.h"

static irqhandler *handlers[NIRQ];
uint irqcount[NIRQ];
uint irqspurious;

int
irq_register(int irq, irqhandler *h)
{
	uint f;

	if(irq < 0 || irq >= NIRQ || h == nil)
		return -1;
	f = irqsave();
	if(handlers[irq] && handlers[irq] != h){
		irqrestore(f);
		return -1;
	}
	handlers[irq] = h;
	pic_unmask(irq);
	irqrestore(f);
	return 0;
}

void
irq_unregister(int irq)
{
	uint f;

	if(irq < 0 || irq >= NIRQ)
		return;
	f = irqsave();
	pic_mask(irq);
	handlers[irq] = nil;
	irqrestore(f);
}

void
irq_dispatch(struct trapframe *tf)
{
	int irq;

	irq = tf->vector - T_IRQ0;
	if(pic_spurious(irq)){
		irqspurious++;
		return;
	}
	pic_eoi(irq);
	irqcount[irq]++;
	if(handlers[irq])
		handlers[irq](irq, tf);
}

/*
 * pic8259.c - the master and slave 8259A interrupt controllers.
 * Init remaps IRQ 0-7 to vectors 0x20-0x27 and IRQ 8-15 to 0x28-0x2f
 * (away from the CPU exceptions) and masks every line but the cascade.
 * A line is unmasked only when a handler is registered (kernel/irq.c).
 * EOI: the slave's lines need an EOI to both chips.
 * Spurious IRQ 7/15: the chip raised a line then dropped it; the
 * in-service bit is then clear, and it must get no EOI (but a spurious
 * IRQ 15 still took the master's cascade line, which does).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "chip.h"
#include "pic.h"

enum {
	PIC1 = 0x20, PIC1DATA = 0x21,
	PIC2 = 0xa0, PIC2DATA = 0xa1,
	ICW1 = 0x11,		/* edge triggered, cascade, ICW4 follows */
	ICW4 = 0x01,		/* 8086 mode, normal EOI */
	OCW3ISR = 0x0b,		/* next read of the command port gives ISR */
	EOI = 0x20,
	CASCADE = 2,
};

static ushort mask = 0xffff;	/* slave<<8 | master; 1 = masked */

static void
setmask(void)
{
	outb(PIC1DATA, mask);
	outb(PIC2DATA, mask >> 8);
}

void
pic_mask(int irq)
{
	uint f;

	if(irq < 0 || irq >= NIRQ)
		return;
	f = irqsave();
	mask |= 1 << irq;
	setmask();
	irqrestore(f);
}

void
pic_unmask(int irq)
{
	uint f;

	if(irq < 0 || irq >= NIRQ)
		return;
	f = irqsave();
	mask &= ~(1 << irq);
	if(irq >= 8)
		mask &= ~(1 << CASCADE);
	setmask();
	irqrestore(f);
}

void
pic_eoi(int irq)
{
	if(irq >= 8)
		outb(PIC2, EOI);
	outb(PIC1, EOI);
}

ushort
pic_isr(void)
{
	outb(PIC1, OCW3ISR);
	outb(PIC2, OCW3ISR);
	return inb(PIC2) << 8 | inb(PIC1);
}

int
pic_spurious(int irq)
{
	if(irq != 7 && irq != 15)
		return 0;
	if(pic_isr() & (1 << irq))
		return 0;
	if(irq == 15)
		outb(PIC1, EOI);
	return 1;
}

static int
picinit(void)
{
	outb(PIC1DATA, 0xff);
	outb(PIC2DATA, 0xff);
	outb(PIC1, ICW1); iodelay();
	outb(PIC2, ICW1); iodelay();
	outb(PIC1DATA, T_IRQ0); iodelay();
	outb(PIC2DATA, T_IRQ0 + 8); iodelay();
	outb(PIC1DATA, 1 << CASCADE); iodelay();	/* slave on IRQ 2 */
	outb(PIC2DATA, CASCADE); iodelay();		/* slave's identity */
	outb(PIC1DATA, ICW4); iodelay();
	outb(PIC2DATA, ICW4); iodelay();
	mask = 0xffff & ~(1 << CASCADE);
	setmask();
	return 0;
}

const struct chip chip_pic8259 = {
	.name = "8259A pic",
	.init = picinit,
};

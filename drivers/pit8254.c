/*
 * pit8254.c - the 8253/8254 programmable interval timer, channel 0.
 * Channel 0 runs in mode 2 (rate generator) at pit_hz; each IRQ 0 adds
 * one to the tick count and then calls the tick hook, if any (the
 * scheduler's preempt will hang here). Channel 2 belongs to speaker.c.
 * Invariant: ticks only grows; read it with pit_ticks() (64 bits).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "chip.h"
#include "pit.h"

enum {
	CH0 = 0x40,
	MODE = 0x43,
	CH0_LOHI_RATE = 0x34,	/* channel 0, low byte then high, mode 2, binary */
};

static volatile uvlong ticks;
static uint hz;
static void (*tickhook)(struct trapframe *tf);

void
pit_sethz(uint h)
{
	uint div, f;

	if(h < 19)		/* the divisor is 16 bits */
		h = 19;
	if(h > PIT_CLOCK/2)
		h = PIT_CLOCK/2;
	div = (PIT_CLOCK + h/2) / h;
	f = irqsave();
	outb(MODE, CH0_LOHI_RATE);
	outb(CH0, div);
	outb(CH0, div >> 8);
	hz = h;
	irqrestore(f);
}

uint
pit_gethz(void)
{
	return hz;
}

uvlong
pit_ticks(void)
{
	uvlong t;
	uint f;

	f = irqsave();
	t = ticks;
	irqrestore(f);
	return t;
}

uint
pit_ms(void)
{
	uint t;

	t = pit_ticks();	/* the low 32 bits: no 64-bit division here */
	if(hz == 1000)
		return t;
	return t/hz*1000 + t%hz*1000/hz;
}

void
pit_ontick(void (*fn)(struct trapframe *tf))
{
	tickhook = fn;
}

static void
pitintr(int irq, struct trapframe *tf)
{
	(void)irq;
	ticks++;
	if(tickhook)
		tickhook(tf);
}

static int
pitinit(void)
{
	pit_sethz(PIT_HZ);
	return 0;
}

const struct chip chip_pit8254 = {
	.name = "8254 pit",
	.init = pitinit,
	.intr = pitintr,
	.irqs = 1 << 0,
};

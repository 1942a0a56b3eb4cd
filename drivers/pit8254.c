/*
 * pit8254.c - the 8253/8254 programmable interval timer, channel 0.
 * Channel 0 runs in mode 2 (rate generator) at pit_hz; each IRQ 0 adds
 * one to the tick count and then calls the tick hook, if any (the
 * scheduler's preempt will hang here). Channel 2 belongs to speaker.c.
 * Invariant: ticks only grows; read it with pit_ticks() (64 bits).
 *
 * The reflex (docs/reflex.md) takes channel 0's output as its NMI too: while
 * it runs, the channel runs at the reflex's rate (pit_setdivisor) and so does
 * the tick; pit_gethz() always tells the channel's rate, which is the tick's.
 * Milliseconds are counted from the PIT's input clocks, so pit_ms() stays
 * right across such changes. The tick also finishes the stop of a reflex
 * that stopped itself (reflex_deferred).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "chip.h"
#include "pit.h"
#include "device.h"
#include "reflex.h"

enum {
	CH0 = 0x40,
	MODE = 0x43,
	CH0_LOHI_RATE = 0x34,	/* channel 0, low byte then high, mode 2, binary */
};

static volatile uvlong ticks;
static uint hz, divisor;
static volatile uint ms;		/* milliseconds since boot */
static uint msclocks;			/* PIT clocks * 1000 not yet a millisecond */
static void (*tickhook)(struct trapframe *tf);

/*
 * Channel 0 counts div input clocks a period (2 .. 65536; 0 is 65536). The
 * period starts when the count's high byte is written: the TSC just before
 * that write is returned (docs/reflex.md: the expiries are computed from it).
 * hz is the rate rounded, unless pit_sethz asked for a rate of its own.
 */
uvlong
pit_setdivisor(uint div)
{
	uint f, lo, hi;

	if(div < 2)
		div = 2;
	if(div > 65536)
		div = 65536;
	f = irqsave();
	outb(MODE, CH0_LOHI_RATE);
	outb(CH0, div);
	asm volatile("rdtsc\n\t"
		"movl %%eax, %0\n\t"
		"movl %%edx, %1\n\t"
		"movb %%cl, %%al\n\t"
		"outb %%al, $0x40"
		: "=m"(lo), "=m"(hi) : "c"((div >> 8) & 0xff) : "eax", "edx", "memory");
	divisor = div;
	hz = (PIT_CLOCK + div/2) / div;
	irqrestore(f);
	return (uvlong)hi << 32 | lo;
}

uint
pit_divisor(void)
{
	return divisor;
}

void
pit_sethz(uint h)
{
	if(h < 19)		/* the divisor is 16 bits */
		h = 19;
	if(h > PIT_CLOCK/2)
		h = PIT_CLOCK/2;
	pit_setdivisor((PIT_CLOCK + h/2) / h);
	hz = h;
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
	return ms;
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
	if(rx_state)
		reflex_tick(tf);
	ticks++;
	msclocks += divisor * 1000;
	while(msclocks >= PIT_CLOCK){
		msclocks -= PIT_CLOCK;
		ms++;
	}
	if(rx_pending)
		reflex_deferred();
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

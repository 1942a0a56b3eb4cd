/*
 * clock.c - ".clock": the PIT's ticks as a stream device, receive only
 * (docs/streams.md). Every tick of channel 0 (pit_hz a second, 1000 at boot)
 * appends one byte to the ring: the low 8 bits of the tick count since boot
 * (pit_ticks). So a reader's ring count grows by exactly one a tick, lapped or
 * not: the difference of two receives' counts is the time between them in
 * ticks, and the bytes themselves count up by one, mod 256, with no gaps.
 * The ring holds CLOCKRING ticks; a reader that waits longer is lapped and
 * the overwritten ticks are added to its lost count.
 *
 * The tick hook here is also the tick of the other stream devices that need
 * one: the keyboard feed (devices/keyboard.c) and the speaker's note timer
 * (devices/speaker_dev.c). pit_ontick holds one function: whoever else wants
 * the tick (the scheduler) must call clock_tick() from its own hook.
 */
#include "types.h"
#include "chip.h"
#include "device.h"
#include "pit.h"

#define CLOCKRING	1024

void	keyboard_feed(void);		/* devices/keyboard.c */
void	speaker_dev_tick(void);		/* devices/speaker_dev.c */

static uchar ring[CLOCKRING];
static struct device *clk;
static const struct devops clock_ops;	/* nothing to poll: the tick appends */

/* once a tick, interrupts off */
void
clock_tick(struct trapframe *tf)
{
	uchar b;

	(void)tf;
	if(clk){
		b = pit_ticks();
		dev_input(clk, &b, 1);
	}
	keyboard_feed();
	speaker_dev_tick();
}

/* called from terminal_init */
void
clock_init(void)
{
	if(!chip_present(&chip_pit8254))
		return;
	clk = dev_add(".clock", DEV_STREAM, CH_RECEIVE, &clock_ops);
	clk->in = ring;
	clk->insize = CLOCKRING;
	pit_ontick(clock_tick);
}

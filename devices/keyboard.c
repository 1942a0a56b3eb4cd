/*
 * keyboard.c - ".keyboard": the PS/2 keyboard as a stream device of its own,
 * receive only (docs/streams.md). Its bytes are what drivers/kbd8042.c makes
 * of the keys: ASCII, and the escape sequences of the arrows and the editing
 * keys (docs/glyph-display.md); a sequence always arrives whole.
 *
 * One feed, two readers. The 8042 driver keeps what was typed in a ring with a
 * single consumer (kbd_getc), so two devices reading it would steal bytes from
 * each other. Here keyboard_feed() is that single consumer: it moves every byte
 * into the .keyboard ring and, when the system console is VGA + keyboard, into
 * the .console ring as well; the console's own poll is replaced by the feed
 * (keyboard_init). Receive multiplexes readers over a device ring, so the line
 * editor of the console and any number of .keyboard readers all see every key.
 * The feed runs on each clock tick (devices/clock.c) and on each receive from
 * either device, so a key never waits in the driver: a reader that falls more
 * than KBDRING bytes behind is lapped, and told how much it lost, never
 * silently (the driver's own ring would have dropped the newest keys instead).
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "chip.h"
#include "device.h"
#include "console.h"
#include "kbd.h"

#define KBDRING		1024

static uchar ring[KBDRING];
static struct device *kbd;		/* .keyboard */
static struct device *con;		/* .console when it is VGA + keyboard */
static struct devops conops;
static int held;			/* keys go to .keyboard only (please tetris) */		/* .console's ops, poll replaced by the feed */

/* everything the driver holds into the device rings; any context */
void
keyboard_feed(void)
{
	uint f;
	int c;
	uchar b;

	if(kbd == 0)
		return;
	f = irqsave();
	while((c = kbd_getc()) >= 0){
		b = c;
		dev_input(kbd, &b, 1);
		if(con && !held)
			dev_input(con, &b, 1);
	}
	irqrestore(f);
}

static void
keyboard_poll(struct device *d)
{
	(void)d;
	keyboard_feed();
}

static const struct devops keyboard_ops = { .poll = keyboard_poll };

/* keys for .keyboard's readers only, or again for the console too */
void
keyboard_hold(int on)
{
	keyboard_feed();	/* what was typed before belongs to the console */
	held = on;
}

/* called from terminal_init, after .console exists */
void
keyboard_init(void)
{
	struct device *c;

	if(!chip_present(&chip_kbd8042))
		return;			/* no controller: no node */
	kbd = dev_add(".keyboard", DEV_STREAM, CH_RECEIVE, &keyboard_ops);
	kbd->in = ring;
	kbd->insize = KBDRING;
	c = dev_byname(".console");
	if(c && console_which() == CONSOLE_VGA){
		if(c->ops)
			conops = *c->ops;
		conops.poll = keyboard_poll;
		c->ops = &conops;
		con = c;
	}
}

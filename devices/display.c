/*
 * display.c - ".display": the console glyph display as a stream device of its
 * own, send only (docs/streams.md). What a process sends goes to vt_write: the
 * VGA text screen's ECMA-48 subset (docs/glyph-display.md), printable ASCII
 * drawn, escape sequences obeyed, anything malformed swallowed. The screen and
 * the cursor are shared with the kernel log and, when console=vga, with the
 * console device: sends interleave in time, each send whole (calls run with
 * interrupts off), and an escape sequence may be split across sends.
 */
#include "types.h"
#include "chip.h"
#include "device.h"
#include "vt.h"

static void
display_output(struct device *d, const uchar *buf, uint n)
{
	(void)d;
	vt_write(buf, n);
}

static const struct devops display_ops = { .output = display_output };

/* called from terminal_init */
void
display_init(void)
{
	if(!chip_present(&chip_vga))
		return;
	dev_add(".display", DEV_STREAM, CH_SEND, &display_ops);
}

/*
 * kbd8042.c - the PS/2 keyboard behind the 8042 controller.
 * The controller translates the keyboard's codes to scan code set 1:
 * one byte per key press, the same byte | 0x80 on release, 0xe0 before
 * the extended keys (keypad enter and /, right ctrl/alt, arrows...) and
 * 0xe1 before the three bytes of Pause. The interrupt turns presses
 * into ASCII (tables below) and queues it; modifier keys only change
 * state. Keys without ASCII give nothing: never a stray byte.
 * Caps lock affects letters only; num lock (taken from the BIOS's
 * state at boot) makes the keypad give digits; control makes a letter
 * its control code (ctrl-c is 3).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "chip.h"
#include "ring.h"
#include "kbd.h"

enum {
	DATA = 0x60, STATUS = 0x64, CMD = 0x64,
	OBF = 0x01, IBF = 0x02, AUXDATA = 0x20,	/* status bits */
	RDCFG = 0x20, WRCFG = 0x60, DIS1 = 0xad, EN1 = 0xae, DIS2 = 0xa7,
	CFG_INT1 = 0x01, CFG_INT2 = 0x02, CFG_NOCLK1 = 0x10, CFG_XLATE = 0x40,
	SPIN = 100000,

	RELEASE = 0x80, EXT = 0xe0, PAUSE = 0xe1,
	LSHIFT = 0x2a, RSHIFT = 0x36, CTRL = 0x1d, CAPS = 0x3a, NUMLOCK = 0x45,
	KP7 = 0x47, KPDOT = 0x53, KPMINUS = 0x4a, KPPLUS = 0x4e,
	KPENTER = 0x1c, KPSLASH = 0x35,		/* after EXT */
	BDAFLAGS = 0x417, BDA_NUM = 0x20, BDA_CAPS = 0x40,
};

static const char normal[0x59] = {
	[0x01] = 0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
	[0x0f] = '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
	[0x1e] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
	[0x2b] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
	[0x37] = '*', [0x39] = ' ',
	[0x47] = '7', '8', '9', '-', '4', '5', '6', '+', '1', '2', '3', '0', '.',
};

static const char shifted[0x59] = {
	[0x01] = 0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
	[0x0f] = '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
	[0x1e] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
	[0x2b] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
	[0x37] = '*', [0x39] = ' ',
	[0x47] = '7', '8', '9', '-', '4', '5', '6', '+', '1', '2', '3', '0', '.',
};

static struct ring rx;
static int lshift, rshift, lctrl, rctrl, caps, numlock;
static int ext, skip;		/* saw 0xe0; bytes of Pause still to ignore */

static int
isletter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* the ASCII of a set 1 code (release bit clear); -1 for none */
static int
ascii(int code, int isext)
{
	int c, shift;

	if(isext){
		if(code == KPENTER)
			return '\n';
		if(code == KPSLASH)
			return '/';
		return -1;
	}
	if(code >= (int)sizeof normal)
		return -1;
	if(code >= KP7 && code <= KPDOT && code != KPMINUS && code != KPPLUS && !numlock)
		return -1;	/* keypad navigation keys */
	shift = lshift || rshift;
	c = normal[code];
	if(c == 0)
		return -1;
	if(isletter(c)){
		if(shift ^ caps)
			c = shifted[code];
	}else if(shift)
		c = shifted[code];
	if(lctrl || rctrl){
		if(isletter(c))
			return c & 0x1f;
		if(c == '[' || c == '\\' || c == ']')
			return c & 0x1f;
	}
	return c;
}

/* the extended keys that send an escape sequence (docs/glyph-display.md) */
static const struct { uchar code; char seq[5]; } extkeys[] = {
	{ 0x48, "\x1b[A" },	/* up */
	{ 0x50, "\x1b[B" },	/* down */
	{ 0x4d, "\x1b[C" },	/* right */
	{ 0x4b, "\x1b[D" },	/* left */
	{ 0x47, "\x1b[H" },	/* Home */
	{ 0x4f, "\x1b[F" },	/* End */
	{ 0x52, "\x1b[2~" },	/* Insert */
	{ 0x53, "\x1b[3~" },	/* Delete */
	{ 0x49, "\x1b[5~" },	/* Page Up */
	{ 0x51, "\x1b[6~" },	/* Page Down */
};

/* a whole sequence into the ring, or nothing: never a stray ESC [ */
static void
putseq(const char *s)
{
	uint n = 0;

	while(s[n])
		n++;
	if(RINGSZ - ring_len(&rx) < n)
		return;
	while(*s)
		ring_put(&rx, *s++);
}

static void
scancode(int b)
{
	int code, up, isext, c;

	if(skip){
		skip--;
		return;
	}
	switch(b){
	case EXT:
		ext = 1;
		return;
	case PAUSE:
		skip = 2;
		return;
	case 0x00: case 0xee: case 0xfa: case 0xfe: case 0xff:	/* errors, acks, echo */
		return;
	}
	isext = ext;
	ext = 0;
	up = b & RELEASE;
	code = b & ~RELEASE;
	switch(code){
	case LSHIFT:
	case RSHIFT:
		if(!isext){		/* 0xe0 0x2a is a fake shift from Print Screen */
			if(code == LSHIFT)
				lshift = !up;
			else
				rshift = !up;
		}
		return;
	case CTRL:
		if(isext)
			rctrl = !up;
		else
			lctrl = !up;
		return;
	case CAPS:
		if(!up && !isext)
			caps = !caps;
		return;
	case NUMLOCK:
		if(!up && !isext)
			numlock = !numlock;
		return;
	}
	if(up)
		return;
	if(isext){
		uint i;
		for(i = 0; i < sizeof extkeys / sizeof extkeys[0]; i++)
			if(extkeys[i].code == code){
				putseq(extkeys[i].seq);
				return;
			}
	}
	if((c = ascii(code, isext)) >= 0)
		ring_put(&rx, c);	/* a full ring drops the key */
}

static void
kbdintr(int irq, struct trapframe *tf)
{
	int i, st;

	(void)irq;
	(void)tf;
	for(i = 0; i < 16; i++){
		st = inb(STATUS);
		if(!(st & OBF))
			break;
		if(st & AUXDATA)
			inb(DATA);	/* a mouse byte: not ours */
		else
			scancode(inb(DATA));
	}
}

int
kbd_getc(void)
{
	return ring_get(&rx);
}

int
kbd_pending(void)
{
	return ring_len(&rx);
}

static int
waitin(void)		/* until the controller can take a byte */
{
	int i;

	for(i = 0; i < SPIN; i++)
		if(!(inb(STATUS) & IBF))
			return 0;
	return -1;
}

static int
waitout(void)		/* until the controller has a byte for us */
{
	int i;

	for(i = 0; i < SPIN; i++)
		if(inb(STATUS) & OBF)
			return 0;
	return -1;
}

static int
kbdinit(void)
{
	int i, cfg;
	uchar bda;

	if(inb(STATUS) == 0xff)
		return -1;		/* floating bus: no controller */
	if(waitin() < 0)
		return -1;
	outb(CMD, DIS1);
	waitin();
	outb(CMD, DIS2);
	for(i = 0; i < 32 && (inb(STATUS) & OBF); i++)
		inb(DATA);
	waitin();
	outb(CMD, RDCFG);
	if(waitout() < 0)
		return -1;
	cfg = inb(DATA);
	cfg |= CFG_INT1 | CFG_XLATE;
	cfg &= ~(CFG_INT2 | CFG_NOCLK1);
	waitin();
	outb(CMD, WRCFG);
	waitin();
	outb(DATA, cfg);
	waitin();
	outb(CMD, EN1);

	bda = peekb(BDAFLAGS);	/* what the BIOS last saw */
	numlock = (bda & BDA_NUM) != 0;
	caps = (bda & BDA_CAPS) != 0;
	return 0;
}

const struct chip chip_kbd8042 = {
	.name = "8042 keyboard",
	.init = kbdinit,
	.intr = kbdintr,
	.irqs = 1 << 1,
};

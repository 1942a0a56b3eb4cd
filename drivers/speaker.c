/*
 * speaker.c - the PC speaker. PIT channel 2 makes a square wave (mode 3)
 * at the tone's frequency; port 0x61 bit 0 gates the channel and bit 1
 * connects it to the speaker. Both bits clear: silence.
 */
#include "types.h"
#include "x86.h"
#include "chip.h"
#include "pit.h"
#include "speaker.h"

enum {
	CH2 = 0x42, MODE = 0x43, PORTB = 0x61,
	CH2_LOHI_SQUARE = 0xb6,	/* channel 2, low byte then high, mode 3, binary */
	GATE = 0x01, SPKR = 0x02,
};

void
speaker_off(void)
{
	outb(PORTB, inb(PORTB) & ~(GATE | SPKR));
}

void
speaker_tone(uint hz)
{
	uint div, f;

	if(hz < 19 || hz > PIT_CLOCK/2){
		speaker_off();
		return;
	}
	div = PIT_CLOCK / hz;
	f = irqsave();
	outb(MODE, CH2_LOHI_SQUARE);
	outb(CH2, div);
	outb(CH2, div >> 8);
	outb(PORTB, inb(PORTB) | GATE | SPKR);
	irqrestore(f);
}

static int
speakerinit(void)
{
	speaker_off();
	return 0;
}

const struct chip chip_speaker = {
	.name = "pc speaker",
	.init = speakerinit,
};

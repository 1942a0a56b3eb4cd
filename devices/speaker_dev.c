/*
 * speaker_dev.c - ".speaker": the PC speaker as a stream device, send only
 * (docs/streams.md). The bytes sent are lines of ASCII, each one command:
 *
 *	<hz> <ms>\n	a tone of hz Hz (20 .. 20000) for ms milliseconds (1 .. 60000)
 *	0 <ms>\n	a rest: silence for ms milliseconds
 *	0\n		silence now, and forget every note still queued
 *
 * Numbers are decimal digits only, separated by spaces or tabs; a CR is a
 * blank, so CR LF ends a line too, and an empty line is nothing. Notes and rests
 * queue (up to NQUEUE; more are dropped) and play one after the other, each
 * stopped on its own by the clock tick when its time is up (speaker_dev_tick,
 * called by devices/clock.c), so a process may send a whole tune at once.
 * Anything else - other words, numbers out of range, a missing or extra
 * field, a line longer than LINEMAX bytes - is ignored as a whole line: it
 * never sounds, never stops what plays, and the next line is read afresh.
 * A command may be split across sends.
 */
#include "types.h"
#include "x86.h"
#include "chip.h"
#include "device.h"
#include "pit.h"
#include "speaker.h"

#define NQUEUE		16
#define LINEMAX		32

struct note {
	uint	hz;		/* 0: a rest */
	uint	ticks;
};

static struct note queue[NQUEUE];
static uint qhead, qtail;		/* notes ever taken, ever queued */
static volatile uint left;		/* ticks left of what plays; 0: idle */
static char line[LINEMAX];
static uint linelen;
static int overlong;			/* this line is past LINEMAX: ignore it */

static uint
ms2ticks(uint ms)
{
	uint hz = pit_gethz(), t;

	t = ms/1000*hz + (ms%1000*hz + 999)/1000;	/* rounded up; no 64-bit division */
	return t ? t : 1;
}

/* the next queued note, or silence; interrupts off */
static void
next(void)
{
	struct note *n;

	if(qhead == qtail){
		speaker_off();
		left = 0;
		return;
	}
	n = &queue[qhead++ % NQUEUE];
	if(n->hz)
		speaker_tone(n->hz);
	else
		speaker_off();
	left = n->ticks;
}

/* once a clock tick, interrupts off */
void
speaker_dev_tick(void)
{
	if(left && --left == 0)
		next();
}

/* a decimal field of at most 6 digits; -1 if it is not one */
static int
field(const char *s, uint n)
{
	int v = 0;
	uint i;

	if(n == 0 || n > 6)
		return -1;
	for(i = 0; i < n; i++){
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = v*10 + s[i] - '0';
	}
	return v;
}

/* one command line (without its LF); interrupts off */
static void
command(const char *s, uint n)
{
	int v[3];
	uint i = 0, start, nf = 0;

	while(i < n){
		while(i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if(i == n)
			break;
		start = i;
		while(i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			i++;
		if(nf == 3)
			return;			/* too many fields */
		if((v[nf++] = field(s + start, i - start)) < 0)
			return;
	}
	if(nf == 1 && v[0] == 0){		/* silence now */
		qhead = qtail;
		next();
		return;
	}
	if(nf != 2 || (v[0] != 0 && (v[0] < 20 || v[0] > 20000)) || v[1] < 1 || v[1] > 60000)
		return;
	if(qtail - qhead >= NQUEUE)
		return;				/* the queue is full: dropped */
	queue[qtail % NQUEUE].hz = v[0];
	queue[qtail % NQUEUE].ticks = ms2ticks(v[1]);
	qtail++;
	if(left == 0)
		next();
}

static void
speaker_output(struct device *d, const uchar *buf, uint n)
{
	uint f = irqsave();

	(void)d;
	while(n-- > 0){
		uchar c = *buf++;
		if(c == '\n'){
			if(!overlong)
				command(line, linelen);
			linelen = 0;
			overlong = 0;
		}else if(linelen < LINEMAX)
			line[linelen++] = c;
		else
			overlong = 1;
	}
	irqrestore(f);
}

static const struct devops speaker_ops = { .output = speaker_output };

/* called from terminal_init */
void
speaker_dev_init(void)
{
	if(!chip_present(&chip_speaker))
		return;
	dev_add(".speaker", DEV_STREAM, CH_SEND, &speaker_ops);
}

/*
 * rest.c - the please message `rest` without the please interpreter
 * (docs/please.md, "The rest fast path"). Processes waiting for input rest
 * once a tick, so `rest` is most of the please messages a quiet system reads,
 * and the interpreter takes about 2,000 instructions for it. A message that is
 * the bare word, with nothing but white bytes around it (spaces and control
 * bytes other than SOH, STX and ETX: what h3sm/please.fs skips between words),
 * is answered here with what the interpreter's path answers: the caller rests
 * (cycle_wait), the reply is `ok`, the result TRUE. Anything else - a comment,
 * an address, an argument - goes to the interpreter as before.
 */
#include "types.h"
#include "kernel.h"
#include "please.h"

uint	please_rest_fast;	/* rests answered here (tests/test_please.py reads it) */

static int
white(uchar c)
{
	return c < 33 && (c < 1 || c > 3);
}

/* 1 if msg is the bare word rest: then the caller has rested and r holds the reply */
int
please_rest(const char *msg, uint len, struct reply *r)
{
	const uchar *p = (const uchar*)msg, *e = p + len;

	while(p < e && white(*p))
		p++;
	if(e - p < 4 || p[0] != 'r' || p[1] != 'e' || p[2] != 's' || p[3] != 't')
		return 0;
	for(p += 4; p < e; p++)
		if(!white(*p))
			return 0;
	please_rest_fast++;
	cycle_wait();
	if(r->cap >= 2){	/* the reply, as reply_say would write it */
		r->buf[0] = 'o';
		r->buf[1] = 'k';
		r->len = 2;
	}else
		reply_say(r, "ok");
	return 1;
}

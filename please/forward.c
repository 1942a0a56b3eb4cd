/*
 * forward.c - a please message addressed to a service goes to the process
 * behind it (docs/services.md, "Please to a service").
 *
 * The kernel's interpreter reads the message as usual; what a service is asked
 * comes here as its words: the command and its arguments. They become a frame
 * in the service's inbox, SOH "<pid> <bytes> <owner|guest> <user> please <tag>"
 * STX "<command> <arg> ...", an argument that is not a plain word (binary data,
 * or bytes a reader would take for something else) written as ETX 4 <count>
 * <bytes>. The caller waits, resting a Cycle at a time, until the service
 * answers with its own please message
 *
 *	reply <tag> <text>		(the text usually ETX 2 <count> <bytes>)
 *
 * or FORWARD_MS pass, or the service ends. The answer's text is the caller's
 * reply, cut at its buffer and marked as any reply; an answer that starts with
 * "error" is a failure (0), any other a success (TRUE). A tag is good for one
 * answer, from the service asked, while its caller waits: a late answer, a
 * second one or another process's is refused.
 *
 * The caller's buffer stays where it is while it waits (a process in a call
 * neither moves nor ends), so the answer is copied into it directly. The
 * arguments live in the interpreter's segment, which others' messages rewrite
 * while this one waits: they are copied into the inbox before the wait.
 */
#include "types.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "please.h"
#include "pit.h"
#include "service.h"
#include "forward.h"

#define TRUE	0xffffffffu
#define ETX	3

struct asking {
	uint	tag;		/* 0: this process asks nothing now */
	int	service;	/* the pid whose answer is wanted */
	struct reply *r;	/* the caller's reply, in its buffer */
	uint	res, done;
};

static struct asking asks[NPROC];	/* by the caller's slot in procs */
static uint lasttag;

/* may a reader take this argument as a plain word? */
static int
plain(const uchar *p, uint n)
{
	uint i;

	if(n == 0 || n > 63 || p[0] == '#' || ((p[0] == '\\' || p[0] == '(') && n == 1))
		return 0;
	for(i = 0; i < n; i++)
		if(p[i] <= ' ')
			return 0;
	return 1;
}

uint
forward(struct device *d, uchar **a, uint *len, uint n, struct reply *r)
{
	static const uchar space = ' ';
	uchar etx[MAXITEMS][6];
	struct piece pc[3 * MAXITEMS];
	struct asking *k;
	uint i, np = 0, began;
	int pid = service_pid(d);
	const char *why;

	if(curproc < procs || curproc >= procs + NPROC){	/* the interpreter's own: never */
		reply_say(r, "error: no process to wait");
		return 0;
	}
	k = &asks[curproc - procs];
	if(pid == 0){
		reply_say(r, "error: no such device");
		return 0;
	}
	if(pid == curproc->pid){
		reply_say(r, "error: a service cannot wait for its own answer");
		return 0;
	}
	for(i = 0; i < n && i < MAXITEMS; i++){
		if(i > 0)
			pc[np++] = (struct piece){ &space, 1 };
		if(!plain(a[i], len[i])){
			etx[i][0] = ETX;
			etx[i][1] = 4;
			etx[i][2] = len[i] >> 24;
			etx[i][3] = len[i] >> 16;
			etx[i][4] = len[i] >> 8;
			etx[i][5] = len[i];
			pc[np++] = (struct piece){ etx[i], 6 };
		}
		pc[np++] = (struct piece){ a[i], len[i] };
	}
	if(++lasttag > 999999999)	/* please.c reads at most 9 digits */
		lasttag = 1;
	if((why = service_ask(d, lasttag, pc, np)) != 0){
		reply_say(r, "error: ");
		reply_say(r, why);
		return 0;
	}
	/* from here a and len are not read again: they are the interpreter's */
	k->tag = lasttag;
	k->service = pid;
	k->r = r;
	k->done = 0;
	began = pit_ms();
	while(!k->done){
		if(service_pid(d) != pid){
			k->tag = 0;
			reply_say(r, "error: the service ended before it answered");
			return 0;
		}
		if(pit_ms() - began > FORWARD_MS){
			k->tag = 0;
			reply_say(r, "error: the service did not answer in time");
			return 0;
		}
		cycle_wait();
	}
	k->tag = 0;
	return k->res;
}

uint
forward_answer(uint tag, const uchar *t, uint n, struct reply *r)
{
	struct asking *k;

	for(k = asks; k < asks + NPROC; k++)
		if(tag != 0 && k->tag == tag && !k->done && k->service == curproc->pid)
			break;
	if(k == asks + NPROC){
		reply_say(r, "error: no such request (answered, timed out, or not yours)");
		return 0;
	}
	k->res = n >= 5 && memcmp(t, "error", 5) == 0 ? 0 : TRUE;
	k->r->len = n < k->r->cap ? n : k->r->cap;
	k->r->trunc = n > k->r->cap;
	memcpy(k->r->buf, t, k->r->len);
	k->done = 1;
	reply_say(r, "ok");
	return TRUE;
}

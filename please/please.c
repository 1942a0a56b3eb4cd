/*
 * please.c - please messages. This first version reads a message word by word
 * in C: an optional device address (#name, #a#b Plan 9 style, or SOH name STX),
 * Forth comments, and the commands rest, bye, login, open, close, devices,
 * identify, memory ("<free bytes> <largest span> <processes>"), boot (the TSC when
 * the console's login prompt first waited: instructions from reset under icount).
 * The please issue replaces the reading with the kernel's own H3sm instance and
 * adds every other command; the reply conventions below stay.
 *
 * Replies are ASCII: the answer, or "error: <why>". A reply longer than the
 * buffer is cut at its capacity and marked PLEASE_TRUNCATED.
 */
#include "types.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "please.h"
#include "mem.h"
#include "service.h"
#include "reflex.h"
#include "names.h"

#define SOH	1
#define STX	2

struct reply {
	char *buf;
	uint cap, len, trunc;
};

static void
say(struct reply *r, const char *s)
{
	while(*s){
		if(r->len < r->cap)
			r->buf[r->len++] = *s;
		else
			r->trunc = 1;
		s++;
	}
}

static void
saynum(struct reply *r, uint n)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do{
		b[--i] = '0' + n % 10;
		n /= 10;
	}while(n);
	say(r, b + i);
}

/* the device an address names, if the caller may see it */
static struct device*
lookup(const char *name)
{
	const char *rest;
	struct device *d = names_lookup(name, &rest);	/* a name, an alias, a #path */

	if(d == 0 || !dev_usable(d, CH_PLEASE))	/* invisible = missing */
		return 0;
	if(!names_walk(d, rest))		/* a #rest the device does not take */
		return 0;
	return d;
}

uint
please(char *msg, uint len, uint cap, uint *lenp)
{
	char words[8][DEV_NAMELEN+1], addr[DEV_NAMELEN+1];
	uint i = 0, nw = 0, n, res = 0;
	struct reply r;
	struct device *d = 0;

	addr[0] = 0;
	while(i < len){
		uchar c = msg[i];
		if(c <= ' ' && c != SOH){
			i++;
			continue;
		}
		if(c == '\\'){				/* comment to the end of the line */
			while(i < len && msg[i] != '\n')
				i++;
			continue;
		}
		if(c == '(' && (i+1 >= len || msg[i+1] <= ' ')){	/* ( comment ) */
			while(i < len && msg[i] != ')')
				i++;
			i++;
			continue;
		}
		if(c == SOH || c == '#'){		/* a device address */
			uchar end = c == SOH ? STX : ' ';
			n = 0;
			for(i++; i < len && (uchar)msg[i] != end && (c == SOH || (uchar)msg[i] > ' '); i++)
				if(n < DEV_NAMELEN)	/* the whole path: names_lookup splits it */
					addr[n++] = msg[i];
			if(c == SOH)
				i++;
			addr[n] = 0;
			continue;
		}
		n = 0;
		while(i < len && (uchar)msg[i] > ' '){
			if(nw < 8 && n < DEV_NAMELEN)
				words[nw][n++] = msg[i];
			i++;
		}
		if(nw < 8)
			words[nw++][n] = 0;
	}

	r.buf = msg;
	r.cap = cap;
	r.len = 0;
	r.trunc = 0;
	if(addr[0] && (d = lookup(addr)) == 0){
		say(&r, "error: no such device");
		goto out;
	}
	if(nw == 0){
		say(&r, "error: empty message");
		goto out;
	}
	if(nw == 3 && (strcmp(words[0], "login") == 0 || strcmp(words[2], "login") == 0)){
		const char *why = "login incorrect";
		char *n = strcmp(words[0], "login") == 0 ? words[1] : words[0];
		char *pw = strcmp(words[0], "login") == 0 ? words[2] : words[1];
		res = proc_login(n, strlen(n), pw, strlen(pw), &why);
		memset(words, 0, sizeof words);		/* no password left behind */
		memset(msg, 0, len);
		if(res)
			say(&r, "ok");
		else{
			say(&r, "error: ");
			say(&r, why);
		}
		goto out;
	}
	/* services (devices/service.c, docs/services.md): register, unregister,
	 * and identify addressed to a service's node */
	if(strcmp(words[0], "register") == 0 || strcmp(words[0], "unregister") == 0
	|| (strcmp(words[0], "identify") == 0 && service_node(d))){
		res = service_please(d, words, nw, r.buf, r.cap, &n);
		if(n > r.cap){
			r.len = r.cap;
			r.trunc = 1;
		}else
			r.len = n;
		goto out;
	}
	/* the reflex (kernel/reflex.c, docs/reflex.md): install, start, stop and
	 * calibrate, plain or addressed to #.reflex; owners only */
	if(reflex_command(words[0])){
		res = reflex_please(d, words, nw, r.buf, r.cap, &n);
		if(n > r.cap){
			r.len = r.cap;
			r.trunc = 1;
		}else
			r.len = n;
		goto out;
	}
	if(nw > 1){
		say(&r, "error: one command at a time");
		goto out;
	}
	if(strcmp(words[0], "rest") == 0){
		cycle_wait();
		say(&r, "ok");
		res = 1;
	}else if(strcmp(words[0], "bye") == 0){
		if(login_off && curproc->user == 0 && !(curproc->flags & PROC_GETTY))
			proc_restart();		/* login=off: the console starts afresh */
		proc_exit(0);
	}else if(strcmp(words[0], "open") == 0){
		if(d == 0)
			say(&r, "error: open needs a device");
		else{
			res = dev_id(d);
			d->opened = 1;
			saynum(&r, res);	/* "<id> <throughput>": a reader starts from now */
			say(&r, " ");
			if(d->ops && d->ops->poll)
				d->ops->poll(d);
			saynum(&r, d->incount);
		}
	}else if(strcmp(words[0], "memory") == 0){	/* free bytes, largest span, processes */
		struct proc *q;
		uint np = 0;
		for(q = procs; q < procs + NPROC; q++)
			np += q->state == P_RUN;
		saynum(&r, mem_free_bytes());
		say(&r, " ");
		saynum(&r, mem_largest());
		say(&r, " ");
		saynum(&r, np);
		res = 1;
	}else if(strcmp(words[0], "boot") == 0){	/* instructions from reset to the login prompt */
		extern uvlong boot_to_login;
		saynum(&r, (uint)boot_to_login);
		res = 1;
	}else if(strcmp(words[0], "close") == 0){
		say(&r, "ok");
		res = 1;
	}else if(strcmp(words[0], "devices") == 0){
		/* the visible names the caller may use, sorted, with aliases (devices/names.c) */
		n = names_list(r.buf + r.len, r.cap - r.len);
		if(n > r.cap - r.len){
			r.len = r.cap;
			r.trunc = 1;
		}else
			r.len += n;
		res = 1;
	}else if(strcmp(words[0], "identify") == 0){
		if(d){
			say(&r, d->name);
			say(&r, d->kind == DEV_BLOCK ? " block device" : " stream device");
		}else
			say(&r, "Ha3sm 0.1");
		res = 1;
	}else{
		say(&r, "error: unknown command: ");
		say(&r, words[0]);
	}
out:
	*lenp = r.len | (r.trunc ? PLEASE_TRUNCATED : 0);
	return res;
}

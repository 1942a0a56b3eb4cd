/*
 * please.c - please messages (docs/please.md). The kernel's own H3sm instance
 * reads every message (h3sm/please.fs, run by please/kinst.c): the syntax, the
 * address, the command and its arguments, the owner-only refusals, and the
 * replies that are only facts (identify, date, time, epoch, uptime, loading,
 * processes). What must happen in the caller's name comes back here as a
 * command (KA_CMD): an address, a command word and its arguments, which this
 * file checks again and carries out with curproc = the caller.
 *
 * Replies are ASCII: the answer, or "error: <why>". A reply longer than the
 * buffer is cut at its capacity and marked PLEASE_TRUNCATED.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "please.h"
#include "mem.h"
#include "service.h"
#include "reflex.h"
#include "names.h"
#include "pit.h"
#include "kinst.h"
#include "forward.h"
#include "h3sm_layout.h"

#define MAXARGS	8
#define TRUE	0xffffffffu

void
reply_say(struct reply *r, const char *s)
{
	while(*s){
		if(r->len < r->cap)
			r->buf[r->len++] = *s;
		else
			r->trunc = 1;
		s++;
	}
}

void
reply_num(struct reply *r, uint n)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do{
		b[--i] = '0' + n % 10;
		n /= 10;
	}while(n);
	reply_say(r, b + i);
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

/* another writer put n bytes of reply at r->buf + r->len, or wanted to:
 * more than the room left means the reply is cut and marked */
static void
written(struct reply *r, uint n)
{
	if(n > r->cap - r->len){
		r->len = r->cap;
		r->trunc = 1;
	}else
		r->len += n;
}

/* the arguments of a KA_CMD answer: 2-byte little-endian length, then bytes */
struct args {
	uint	n;
	uchar	*a[MAXARGS + 2];
	uint	len[MAXARGS + 2];
};

static int
unpack(uchar *t, uint len, struct args *v)
{
	uint i = 0, l;

	v->n = 0;
	while(i < len){
		if(v->n == MAXARGS + 2 || len - i < 2)
			return 0;
		l = t[i] | t[i+1] << 8;
		i += 2;
		if(l > len - i)
			return 0;
		v->a[v->n] = t + i;
		v->len[v->n++] = l;
		i += l;
	}
	return v->n >= 2;
}

/* argument i is the word w: compared a byte at a time, so a command that is
 * not w is told at its first byte (command() asks for one word after another) */
static int
is(struct args *v, uint i, const char *w)
{
	uint k;

	if(i >= v->n)
		return 0;
	for(k = 0; k < v->len[i]; k++)
		if(w[k] == 0 || v->a[i][k] != (uchar)w[k])
			return 0;
	return w[k] == 0;
}

/* argument i as a C string of at most DEV_NAMELEN characters; 0 if longer */
static int
word(struct args *v, uint i, char *to)
{
	if(i >= v->n || v->len[i] > DEV_NAMELEN)
		return 0;
	memcpy(to, v->a[i], v->len[i]);
	to[v->len[i]] = 0;
	return 1;
}

static int
number(struct args *v, uint i, uint *x)
{
	uint k, n = 0;

	if(i >= v->n || v->len[i] == 0 || v->len[i] > 9)
		return 0;
	for(k = 0; k < v->len[i]; k++){
		if(v->a[i][k] < '0' || v->a[i][k] > '9')
			return 0;
		n = n*10 + v->a[i][k] - '0';
	}
	*x = n;
	return 1;
}

/* does the kernel take this message addressed to d? What every node takes;
 * other than that, a service's process answers what is addressed to it, and a
 * driver's node takes only register's refusal and the reflex's commands
 * (reflex_please refuses every node but the reflex) */
static int
for_kernel(struct device *d, struct args *v)
{
	char w[DEV_NAMELEN+1];

	if(is(v, 1, "identify") || is(v, 1, "open") || is(v, 1, "close") || is(v, 1, "wait")
	|| is(v, 1, "unregister"))
		return 1;
	if(service_node(d))
		return 0;
	return is(v, 1, "register") || (word(v, 1, w) && reflex_command(w));
}

/* the reboot: the 8042's reset line, then a triple fault if that did nothing */
static void
reboot(void)
{
	static const ushort nullidt[3];
	uint i;

	cli();
	for(i = 0; i < 100000 && (inb(0x64) & 2); i++)
		;
	outb(0x64, 0xfe);
	for(i = 0; i < 1000000; i++)
		inb(0x80);
	asm volatile("lidt (%0); int $3" :: "r"(nullidt));
	for(;;)
		asm volatile("hlt");
}

void	bequeath(const uchar *bin, uint len) __attribute__((noreturn));	/* please/bequeath.c */
uint	tetris(struct reply *r);	/* please/tetris.c */

/* a command the interpreter read, carried out in the caller's name. v points
 * into the interpreter's segment: a command that waits (rest, calibrate, a
 * failed login, tetris) lets other processes say please meanwhile, which
 * rewrites it, so nothing reads v after waiting */
static uint
command(struct args *v, struct reply *r)
{
	char addr[DEV_NAMELEN+1], words[MAXARGS+1][DEV_NAMELEN+1];
	uint i, n, res = 0, nw;
	struct device *d = 0;

	if(!word(v, 0, addr)){
		reply_say(r, "error: device name too long");
		return 0;
	}
	if(addr[0] && (d = lookup(addr)) == 0){
		reply_say(r, "error: no such device");
		return 0;
	}
	if(d && !for_kernel(d, v)){
		if(service_node(d))
			return forward(d, v->a + 1, v->len + 1, v->n - 1, r);
		reply_say(r, "error: ");
		reply_say(r, d->name);
		reply_say(r, " does not take this command");
		return 0;
	}
	if(is(v, 1, "reply")){		/* a service answers a forwarded message */
		uint tag;
		if(v->n != 4 || !number(v, 2, &tag)){
			reply_say(r, "error: reply <tag> <text>");
			return 0;
		}
		return forward_answer(tag, v->a[3], v->len[3], r);
	}
	if(is(v, 1, "login")){
		const char *why = "login incorrect";
		if(v->n != 4 || v->len[2] > 31 || v->len[3] > 63){
			reply_say(r, "error: login <name> <password>");
			return 0;
		}
		res = proc_login((char*)v->a[2], v->len[2], (char*)v->a[3], v->len[3], &why);
		if(res)
			reply_say(r, "ok");
		else{
			reply_say(r, "error: ");
			reply_say(r, why);
		}
		return res;
	}
	if(is(v, 1, "bequeath")){
		uint off, len;
		uchar *bin;
		if(!(curproc->flags & PROC_OWNER)){
			reply_say(r, "error: bequeath is for owners only");
			return 0;
		}
		if(v->n == 3){
			bin = v->a[2];
			len = v->len[2];
		}else if(v->n == 4 && number(v, 2, &off) && number(v, 3, &len) && (bin = uptr(off, len)) != 0){
		}else{
			reply_say(r, "error: bequeath ETX <binary>, or bequeath <offset> <length> inside your memory");
			return 0;
		}
		if(len == 0 || len > BEQUEATH_MAX){
			reply_say(r, "error: a binary is 1 to 557056 bytes");
			return 0;
		}
		bequeath(bin, len);
	}
	/* services, the reflex: their own readers take the words */
	nw = v->n - 1;
	for(i = 0; i < nw; i++)
		if(!word(v, i + 1, words[i])){
			reply_say(r, "error: argument too long (31 characters at most)");
			return 0;
		}
	if(is(v, 1, "register") || is(v, 1, "unregister") || (is(v, 1, "identify") && service_node(d))){
		res = service_please(d, words, nw, r->buf + r->len, r->cap - r->len, &n);
		written(r, n);
		return res;
	}
	if(reflex_command(words[0])){
		int cal = is(v, 1, "calibrate");	/* v is the interpreter's: read it before waiting */
		res = reflex_please(d, words, nw, r->buf + r->len, r->cap - r->len, &n);
		written(r, n);
		if(res && cal){	/* the other timer: the system tick */
			reply_say(r, "; system tick ");
			reply_num(r, pit_gethz());
			reply_say(r, " Hz");
		}
		return res;
	}
	if(is(v, 1, "rest")){
		cycle_wait();
		reply_say(r, "ok");
		return TRUE;
	}
	if(is(v, 1, "wait")){		/* #dev wait: rest until the device has input for the caller */
		if(d == 0 || d->kind != DEV_STREAM || !dev_usable(d, CH_RECEIVE)){
			reply_say(r, "error: wait is for a stream you may receive from");
			return 0;
		}
		input_wait(d);
		reply_say(r, "ok");
		return TRUE;
	}
	if(is(v, 1, "bye")){
		if(login_off && curproc->user == 0 && !(curproc->flags & PROC_GETTY))
			proc_restart();		/* login=off: the console starts afresh */
		proc_exit(0);
	}
	if(is(v, 1, "open")){
		res = dev_id(d);
		d->opened = 1;
		/* "<id> <throughput> <ring> <largest send>": a reader starts from now; a
		 * receive ring need not be bigger than the device's; a send may be up to
		 * the device's buffer (0: no send channel; any: no buffer of its own) */
		reply_num(r, res);
		reply_say(r, " ");
		if(d->ops && d->ops->poll)
			d->ops->poll(d);
		reply_num(r, d->incount);
		reply_say(r, " ");
		reply_num(r, d->channels & CH_RECEIVE ? d->insize : 0);
		reply_say(r, " ");
		if(d->channels & CH_SEND && d->outsize == 0)
			reply_say(r, "any");	/* the driver takes it straight: the sender's ring is the limit */
		else
			reply_num(r, d->channels & CH_SEND ? d->outsize : 0);
		return res;
	}
	if(is(v, 1, "close")){
		/* a process's channel state is in its own memory (its rings, its count);
		 * the kernel keeps only the receive fast path's bit and any lock */
		if(d == 0 && (!number(v, 2, &i) || (d = dev_byid(i)) == 0 || !dev_usable(d, CH_PLEASE))){
			reply_say(r, "error: no such device");
			return 0;
		}
		curproc->rxok &= ~(1u << (dev_id(d) - 1));
		if(d->lockholder == curproc->pid)
			d->lockholder = 0;
		reply_say(r, "ok");
		return TRUE;
	}
	if(is(v, 1, "memory")){		/* free bytes, largest span, processes */
		struct proc *q;
		uint np = 0;
		for(q = procs; q < procs + NPROC; q++)
			np += q->state == P_RUN;
		reply_num(r, mem_free_bytes());
		reply_say(r, " ");
		reply_num(r, mem_largest());
		reply_say(r, " ");
		reply_num(r, np);
		return TRUE;
	}
	if(is(v, 1, "boot")){		/* instructions from reset to the login prompt */
		extern uvlong boot_to_login;
		reply_num(r, (uint)boot_to_login);
		return TRUE;
	}
	if(is(v, 1, "checksum")){	/* owners: "<FNV-1a hex> <bytes>" of the kernel's
					 * code and rodata (kernel/checksum.c, issue 9) */
		uint kernel_checksum(uint *bytes), sum, bytes;
		if(!(curproc->flags & PROC_OWNER)){
			reply_say(r, "error: checksum is for owners only");
			return 0;
		}
		sum = kernel_checksum(&bytes);
		for(n = 28; n < 32; n -= 4){
			char hex[2] = { "0123456789abcdef"[(sum >> n) & 15], 0 };
			reply_say(r, hex);
		}
		reply_say(r, " ");
		reply_num(r, bytes);
		return TRUE;
	}
	if(is(v, 1, "devices")){
		/* the visible names the caller may use, sorted, with aliases (devices/names.c) */
		written(r, names_list(r->buf + r->len, r->cap - r->len));
		return TRUE;
	}
	if(is(v, 1, "identify") && d){
		reply_say(r, d->name);
		reply_say(r, d->kind == DEV_BLOCK ? " block device" : " stream device");
		return TRUE;
	}
	if(is(v, 1, "kill")){		/* kill <pid> (kernel/proc.c proc_kill) */
		const char *why;
		if(v->n != 3 || !number(v, 2, &i) || !proc_kill((int)i, &why)){
			reply_say(r, "error: ");
			reply_say(r, v->n != 3 || !number(v, 2, &i) ? "kill <pid>" : why);
			return 0;
		}
		reply_say(r, "ok");
		return TRUE;
	}
	if(is(v, 1, "reboot")){
		if(!(curproc->flags & PROC_OWNER)){
			reply_say(r, "error: reboot is for owners only");
			return 0;
		}
		kprintf("reboot: asked by process %d\n", curproc->pid);
		reboot();
	}
	if(is(v, 1, "tetris"))
		return tetris(r);
	reply_say(r, "error: the kernel does not know this command");
	return 0;
}

uint
please(char *msg, uint len, uint cap, uint *lenp)
{
	struct reply r;
	struct args v;
	const char *why;
	uint *a, res = 0, n;

	r.buf = msg;
	r.cap = cap;
	r.len = 0;
	r.trunc = 0;
	if(len > KREQ_MAX){
		reply_say(&r, "error: message too long (7936 bytes at most)");
		goto out;
	}
	if(please_rest(msg, len, &r)){		/* please/rest.c: the same answer, faster */
		res = TRUE;
		goto out;
	}
	a = kinst_ask(msg, len, cap, &why);
	if(a == 0){
		reply_say(&r, "error: the please interpreter stopped: ");
		reply_say(&r, why);
		goto out;
	}
	n = a[KANS_LEN/4];
	if(a[KANS_OP/4] == KA_REPLY){
		uchar *t = (uchar*)&a[KANS_TEXT/4];
		if(n > cap){
			n = cap;
			r.trunc = 1;
		}
		memcpy(msg, t, n);
		r.len = n;
		res = a[KANS_RESULT/4];
	}else if(a[KANS_OP/4] == KA_CMD && unpack((uchar*)&a[KANS_TEXT/4], n, &v)){
		if(is(&v, 1, "login"))
			memset(msg, 0, len);	/* no password stays in the caller's buffer either */
		res = command(&v, &r);
		memset(&a[KANS_TEXT/4], 0, n);	/* nor a password in the interpreter */
	}else
		reply_say(&r, "error: the please interpreter answered nonsense");
out:
	*lenp = r.len | (r.trunc ? PLEASE_TRUNCATED : 0);
	return res;
}

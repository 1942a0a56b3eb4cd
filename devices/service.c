/*
 * service.c - services: pseudo-devices whose channels live in a process's
 * memory (docs/services.md, include/service.h).
 *
 * A process registers a service with `please register <name> <inbox> <outbox>
 * [guest=<channels>]`: two rings in its own segment (the layout of
 * docs/calls.md; offsets, 0 = none). The kernel adds (or reuses) a stream node
 * ".<name>" whose `service` is the pid, and the five calls reach it with no
 * code of their own:
 *
 *  - send: call_send hands each contiguous piece of the client's pending bytes
 *    to svc_output, which appends a frame to the inbox: a stamp
 *    SOH "<pid> <bytes> <owner|guest> <user>" STX, then the bytes. The stamp is
 *    the kernel's word on who sent them; a client cannot forge it, because the
 *    service reads frame by frame (the byte count says where the next stamp is).
 *    Unread bytes are never overwritten: d->outsize is kept at the inbox's room
 *    less two stamps (a send is at most two pieces), so call_send refuses a
 *    send that does not fit; with no room the node loses CH_SEND until there
 *    is. The room is measured whenever the kernel touches the node (a send, a
 *    receive, an open): the service frees room by consuming its inbox in its
 *    own memory, without a call, so the room a client sees is never more than
 *    the real room. A send to a service never waits.
 *  - receive: the node's input ring IS the outbox's data in the service's
 *    memory; svc_poll copies the outbox's count into d->incount, and
 *    call_receive does the rest (every client keeps its own count; lapping is
 *    reported as for any device).
 *  - please: `identify` on the node answers from the registration (name, user,
 *    pid); `unregister` ends it; anything else is the process's to answer
 *    (please/forward.c): service_ask appends it as a frame whose stamp ends
 *    "please <tag>".
 *
 * The service writes its outbox and reads its inbox directly: it is its own
 * memory. The kernel reads the rings' headers at every touch and trusts none of
 * their fields: every copy is masked to the size registered, inside the region
 * checked at registration. Calls are not preempted, so a service cannot end in
 * the middle of one; when its process ends, proc_exit calls dev_gone on the
 * node (d->service == pid), which takes its channels and ops away: from then
 * on every call on it fails and it cannot be opened. The node stays in devtab
 * under its name (the device table only grows): a later service of the same
 * name gets it back, with the same device ID.
 *
 * Names: a service's node has a canonical name like every node, "." and 1..30
 * of a-z 0-9 - _ ("register kv" and "register .kv" both make ".kv"). The name
 * space resolves a canonical name that names.conf does not know by scanning
 * devtab, so the node is reachable (OPEN .kv), concealed, never listed. A name
 * that is taken (a node, alive or not, or any name of the name space), or that
 * names.conf gives to a node whose driver is absent (".disk" without a disk),
 * is refused.
 *
 * Permissions: owners get every channel the service has; guests the channels
 * guest= grants, plus please when it grants any (without please nobody could
 * open it). A process can grant only what it has: the channels of its rings
 * (send needs an inbox, receive an outbox, and a service has no read or write).
 * devperm= boot options do not apply to services.
 */
#include "types.h"
#include "kernel.h"
#include "device.h"
#include "proc.h"
#include "names.h"
#include "users.h"
#include "service.h"
#include "h3sm_layout.h"

#define SOH		1
#define STX		2
#define STAMPMAX	64		/* SOH "4294967295 4294967295 owner <31>" STX */
#define INBOX_MIN	256		/* room for a stamp or two and a request */
#define RING_MAX	(64u << 10)
#define PERPROC		4		/* services one process may have */

struct service {
	struct device *d;	/* its node; 0: devtab[i] is not a service's */
	int	pid;		/* the process behind it */
	const char *user;	/* its user's name */
	uint	owner;		/* registered by an owner */
	uint	base;		/* the process's segment (linear) */
	uint	inbox, insize;	/* offsets of the rings in the segment, their sizes */
	uint	outbox, outsize;
	uint	channels;	/* CH_* it has (d->channels loses CH_SEND when full) */
};

static struct service svc[NDEV];	/* by node index */

/* ---- replies ---- */

struct out {
	char	*buf;
	uint	cap, len;
};

static void
say(struct out *o, const char *s)
{
	for(; *s; s++, o->len++)
		if(o->len < o->cap)
			o->buf[o->len] = *s;
}

static void
saynum(struct out *o, uint n)
{
	char b[12];

	ksnprintf(b, sizeof b, "%u", n);
	say(o, b);
}

static uint
fail(struct out *o, const char *why)
{
	say(o, "error: ");
	say(o, why);
	return 0;
}

/* ---- the node's ops: a client is curproc, the service's memory is s->base ---- */

static int
alive(struct service *s)
{
	return s->d && s->pid && s->d->service == s->pid;
}

static uint*
header(struct service *s, uint off)
{
	return (uint*)(s->base + off);
}

/* bytes the inbox can take now (0 if the service spoiled its header) */
static uint
room(struct service *s)
{
	uint *h = header(s, s->inbox), used = h[RING_COUNT/4] - h[RING_MARK/4];

	if(h[RING_SIZE/4] != s->insize || used > s->insize)
		return 0;
	return s->insize - used;
}

/* what a send may bring, given the inbox's room r: d->outsize and CH_SEND (see the top) */
static void
limit(struct service *s, uint r)
{
	if(!(s->channels & CH_SEND))
		return;
	if(r > 2*STAMPMAX){
		s->d->outsize = r - 2*STAMPMAX;
		s->d->channels |= CH_SEND;
	}else{
		s->d->outsize = 1;
		s->d->channels &= ~CH_SEND;
	}
}

static void
measure(struct service *s)
{
	limit(s, room(s));
}

/* n bytes into a ring's data at count c: at most two pieces (it may wrap) */
static inline void
put(uchar *data, uint mask, uint c, const uchar *p, uint n)
{
	uint at = c & mask, first = mask + 1 - at;

	if(first >= n){
		kcopy(data + at, p, n);
		return;
	}
	kcopy(data + at, p, first);
	kcopy(data, p + first, n - first);
}

/* u in decimal at e; the end */
static char*
decimal(char *e, uint u)
{
	char b[10];
	int i = 0;

	do
		b[i++] = '0' + u % 10;
	while((u /= 10) != 0);
	while(i > 0)
		*e++ = b[--i];
	return e;
}

/* the string s, at most max bytes, at e; the end */
static char*
copy(char *e, const char *s, int max)
{
	while(*s && max-- > 0)
		*e++ = *s++;
	return e;
}

/*
 * The stamp SOH "<pid> <bytes> <owner|guest> <user>" STX. All but the byte
 * count depends only on the sender, so its two parts are kept for the last
 * sender (a pid is never used twice, and a process's user and class never
 * change): head SOH "<pid> ", tail " <owner|guest> <user>" STX; and the whole
 * stamp for the last byte count, since a sender often sends the same amount.
 */
#define HEADMAX	12		/* SOH and 10 digits and a blank */
#define TAILMAX	(STAMPMAX - HEADMAX - 10)
static struct {
	int	pid;		/* whose parts these are; 0: nobody's */
	uint	nhead, ntail;
	char	head[HEADMAX], tail[TAILMAX];
	uint	n, len;		/* the stamp for n bytes, len long */
	char	stamp[STAMPMAX];
} sender;

/* the stamp of curproc's n bytes into sender (svc_output calls it when it is not there) */
static void
stamp(uint n)
{
	char *e;

	if(curproc->pid != sender.pid){
		e = sender.head;
		*e++ = SOH;
		e = decimal(e, curproc->pid);
		*e++ = ' ';
		sender.nhead = e - sender.head;
		e = sender.tail;
		*e++ = ' ';
		e = copy(e, curproc->flags & PROC_OWNER ? "owner" : "guest", 5);
		*e++ = ' ';
		e = copy(e, curproc->user ? curproc->user->name : "-", sender.tail + TAILMAX - 1 - e);
		*e++ = STX;
		sender.ntail = e - sender.tail;
		sender.pid = curproc->pid;
	}
	memcpy(sender.stamp, sender.head, sender.nhead);
	e = decimal(sender.stamp + sender.nhead, n);
	memcpy(e, sender.tail, sender.ntail);
	sender.len = e + sender.ntail - sender.stamp;
	sender.n = n;
}

/* a frame into the inbox, all or nothing (nothing only if the header is
 * spoiled); the room is measured once, before, and what is left after sets
 * what the next send may bring */
static void
svc_output(struct device *d, const uchar *buf, uint n)
{
	struct service *s = d->drv;
	uint *h, c, k, r, mask;

	if(s->pid == 0 || d->service != s->pid)	/* alive (dev_gone takes output away too) */
		return;
	if(curproc->pid != sender.pid || n != sender.n)	/* (a send has a process) */
		stamp(n);
	k = sender.len;
	h = header(s, s->inbox);
	r = room(s);
	if(k + n > r){
		h[RING_LOST/4] += k + n;
		limit(s, r);
		return;
	}
	c = h[RING_COUNT/4];
	mask = s->insize - 1;
	put((uchar*)h + RING_DATA, mask, c, (const uchar*)sender.stamp, k);
	put((uchar*)h + RING_DATA, mask, c + k, buf, n);
	h[RING_COUNT/4] = c + k + n;
	limit(s, r - k - n);
}

static void
svc_poll(struct device *d)
{
	struct service *s = d->drv;

	if(!alive(s))
		return;
	if(s->outsize)
		d->incount = header(s, s->outbox)[RING_COUNT/4];
	measure(s);
}

static const struct devops svc_ops = { .output = svc_output, .poll = svc_poll };

/* a please message for the service (please/forward.c): one frame whose stamp
 * says "please <tag>" after the sender's, the pieces its bytes */
const char*
service_ask(struct device *d, uint tag, const struct piece *pc, uint npc)
{
	struct service *s;
	char st[STAMPMAX + 24], *e;
	uint *h, c, mask, i, n = 0;
	uchar *data;

	if(!service_node(d) || !alive(s = &svc[d - devtab]))
		return "no such device";
	if(s->insize == 0)
		return "the service takes no messages (it has no inbox)";
	for(i = 0; i < npc; i++)
		n += pc[i].n;
	if(curproc->pid != sender.pid || n != sender.n)
		stamp(n);		/* a send's stamp, then " please <tag>" before its STX */
	memcpy(st, sender.stamp, sender.len - 1);
	e = copy(st + sender.len - 1, " please ", 8);
	e = decimal(e, tag);
	*e++ = STX;
	if(e - st + n > room(s))
		return "the service is busy (its inbox is full)";
	h = header(s, s->inbox);
	data = (uchar*)h + RING_DATA;
	mask = s->insize - 1;
	c = h[RING_COUNT/4];
	put(data, mask, c, (const uchar*)st, e - st);
	c += e - st;
	for(i = 0; i < npc; i++){
		put(data, mask, c, pc[i].p, pc[i].n);
		c += pc[i].n;
	}
	h[RING_COUNT/4] = c;
	measure(s);
	return 0;
}

int
service_pid(struct device *d)
{
	if(!service_node(d) || !alive(&svc[d - devtab]))
		return 0;
	return svc[d - devtab].pid;
}

int
service_node(struct device *d)
{
	return d && d >= devtab && d < devtab + NDEV && svc[d - devtab].d == d;
}

/* ---- registration ---- */

static int
isnum(const char *w, uint *v)
{
	uint base = 10, n = 0, dig;

	if(w[0] == '$')
		base = 16, w++;
	else if(w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
		base = 16, w += 2;
	if(*w == 0)
		return 0;
	for(; *w; w++){
		if(*w >= '0' && *w <= '9')
			dig = *w - '0';
		else if(base == 16 && (*w|0x20) >= 'a' && (*w|0x20) <= 'f')
			dig = (*w|0x20) - 'a' + 10;
		else
			return 0;
		if(n > (0xffffffffu - dig) / base)
			return 0;
		n = n*base + dig;
	}
	*v = n;
	return 1;
}

/* a ring at off in the caller's segment: its size, or 0 if it is no good */
static uint
ringsize(uint off, uint min)
{
	uint *h = uptr(off, RING_DATA), size;

	if(h == 0)
		return 0;
	size = h[RING_SIZE/4];
	if(size < min || size > RING_MAX || (size & (size - 1)) != 0
	|| uptr(off + RING_DATA, size) == 0)
		return 0;
	return size;
}

/* guest=<channels>: what to grant guests, or why not */
static const char*
grants(const char *list, uint have, uint *mask)
{
	static const struct { const char *w; uint ch; } cw[] = {
		{ "read", CH_READ }, { "write", CH_WRITE }, { "send", CH_SEND },
		{ "receive", CH_RECEIVE }, { "please", CH_PLEASE }, { "none", 0 }, { "all", 0 },
	};
	char w[DEV_NAMELEN+1];
	uint i, n, k;

	*mask = 0;
	while(*list){
		for(n = 0; list[n] && list[n] != ','; n++)
			if(n < DEV_NAMELEN)
				w[n] = list[n];
		w[n < DEV_NAMELEN ? n : DEV_NAMELEN] = 0;
		list += n + (list[n] == ',');
		for(k = 0; k < nelem(cw); k++)
			if(strcmp(w, cw[k].w) == 0)
				break;
		if(k == nelem(cw))
			return "guest= takes read, write, send, receive, please, all or none";
		if(strcmp(w, "all") == 0){
			*mask |= have;
			continue;
		}
		if((cw[k].ch & have) != cw[k].ch){
			i = cw[k].ch;
			return i == CH_READ || i == CH_WRITE ? "cannot grant it: a service has no read or write"
				: i == CH_SEND ? "cannot grant send: no inbox"
				: "cannot grant receive: no outbox";
		}
		*mask |= cw[k].ch;
	}
	if(*mask)
		*mask |= CH_PLEASE;
	return 0;
}

/* ".name", lower case, from "name" or ".name"; 0 if it is not a good name */
static int
mkname(const char *w, char *name)
{
	uint n = 1;

	if(*w == '.')
		w++;
	name[0] = '.';
	for(; *w; w++){
		char c = *w;
		if(c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
		if(n >= DEV_NAMELEN)
			return 0;
		name[n++] = c;
	}
	name[n] = 0;
	return n > 1;
}

/*
 * Does the name space give this node a name the listing shows (names.conf's
 * node for an absent driver, ".disk" without a disk)? The node is named and
 * has no channels; the listing's length with and without it tells.
 */
static int
listed(struct device *d)
{
	uint without, with;

	d->channels = d->perm_owner = d->perm_guest = 0;
	without = names_list(nil, 0);
	d->channels = d->perm_owner = d->perm_guest = CH_PLEASE;
	with = names_list(nil, 0);
	d->channels = d->perm_owner = d->perm_guest = 0;
	return with != without;
}

/* a node for name: a dead service's of that name, a spare one, or a new one */
static struct device*
node(const char *name, struct out *o)
{
	struct device *d, *found;
	int i;

	found = names_lookup(name, nil);
	if(found){
		if(service_node(found) && !alive(&svc[found - devtab]) && strcmp(found->name, name) == 0)
			return found;		/* it was this name's before: same ID again */
		fail(o, "name taken");
		return 0;
	}
	d = 0;
	for(i = 0; i < ndev; i++)		/* a spare: a node refused a name before */
		if(svc[i].d == &devtab[i] && devtab[i].name[0] == 0){
			d = &devtab[i];
			break;
		}
	if(d == 0){
		if(ndev >= NDEV){
			fail(o, "device table full");
			return 0;
		}
		d = dev_add("", DEV_STREAM, 0, nil);
		svc[d - devtab].d = d;
	}
	d->channels = d->perm_owner = d->perm_guest = 0;
	d->ops = nil;
	d->service = 0;
	memset(d->name, 0, sizeof d->name);
	memcpy(d->name, name, strlen(name));
	if(names_lookup(name, nil) != d || listed(d)){
		memset(d->name, 0, sizeof d->name);	/* a spare again */
		fail(o, "name taken");
		return 0;
	}
	return d;
}

static uint
do_register(char (*w)[DEV_NAMELEN+1], uint nw, struct out *o)
{
	char name[DEV_NAMELEN+1];
	uint i, nnum = 0, num[2], guest = 0, have, mine = 0, in = 0, out = 0;
	const char *perm = "", *why;
	struct service *s;
	struct device *d;

	if(curproc == 0)
		return fail(o, "no process");
	if(nw < 4)
		return fail(o, "register <name> <inbox> <outbox> [guest=<channels>]");
	if(!mkname(w[1], name))
		return fail(o, "a name is 1 to 30 of a-z 0-9 - _");
	for(i = 2; i < nw; i++){
		if(strncmp(w[i], "guest=", 6) == 0)
			perm = w[i] + 6;
		else if(nnum < 2 && isnum(w[i], &num[nnum]))
			nnum++;
		else
			return fail(o, "register <name> <inbox> <outbox> [guest=<channels>]");
	}
	if(nnum != 2)
		return fail(o, "register <name> <inbox> <outbox> [guest=<channels>]");
	if(num[0] == 0 && num[1] == 0)
		return fail(o, "no rings");
	if(num[0] && (in = ringsize(num[0], INBOX_MIN)) == 0)
		return fail(o, "bad inbox (a ring of 256 to 65536 bytes in your memory)");
	if(num[1] && (out = ringsize(num[1], 16)) == 0)
		return fail(o, "bad outbox (a ring of 16 to 65536 bytes in your memory)");
	if(in && out && num[0] < num[1] + RING_DATA + out && num[1] < num[0] + RING_DATA + in)
		return fail(o, "the inbox and the outbox overlap");
	have = CH_PLEASE | (in ? CH_SEND : 0) | (out ? CH_RECEIVE : 0);
	if((why = grants(perm, have, &guest)) != 0)
		return fail(o, why);
	for(i = 0; i < NDEV; i++)
		if(alive(&svc[i]) && svc[i].pid == curproc->pid)
			mine++;
	if(mine >= PERPROC)
		return fail(o, "too many services in one process");
	if((d = node(name, o)) == 0)
		return 0;

	s = &svc[d - devtab];
	s->pid = curproc->pid;
	s->user = curproc->user ? curproc->user->name : "-";
	s->owner = (curproc->flags & PROC_OWNER) != 0;
	s->base = curproc->base;
	s->inbox = num[0];
	s->insize = in;
	s->outbox = num[1];
	s->outsize = out;
	s->channels = have;
	d->kind = DEV_STREAM;
	d->drv = s;
	d->in = out ? (uchar*)(s->base + s->outbox + RING_DATA) : nil;
	d->insize = out;
	d->incount = out ? header(s, s->outbox)[RING_COUNT/4] : 0;
	d->out = nil;			/* svc_output copies: a frame per piece */
	d->outcount = 0;
	d->lockholder = 0;
	d->lockreqs = 0;
	d->refuse_shift = 0;
	d->opened = 0;
	d->terminal = 0;
	d->blksize = d->nblocks = 0;
	d->channels = have;
	d->perm_owner = have;
	d->perm_guest = guest;
	d->ops = &svc_ops;
	d->service = s->pid;		/* alive from here: proc_exit will dev_gone it */
	dev_forget(d);			/* a node used before: its permissions are new */
	measure(s);
	saynum(o, dev_id(d));
	return dev_id(d);
}

static uint
do_unregister(struct device *d, char (*w)[DEV_NAMELEN+1], uint nw, struct out *o)
{
	char name[DEV_NAMELEN+1];
	int i;

	if(d == 0){
		if(nw != 2 || !mkname(w[1], name))
			return fail(o, "unregister <name>");
		for(i = 0; i < ndev; i++)
			if(svc[i].d == &devtab[i] && strcmp(devtab[i].name, name) == 0)
				d = &devtab[i];
	}else if(nw != 1)
		return fail(o, "unregister <name>");
	if(!service_node(d) || !alive(&svc[d - devtab]))
		return fail(o, "no such service");
	if(curproc == 0 || svc[d - devtab].pid != curproc->pid)
		return fail(o, "not your service");
	dev_gone(d);
	say(o, "ok");
	return 1;
}

static uint
do_identify(struct device *d, struct out *o)
{
	struct service *s = &svc[d - devtab];

	if(!alive(s))
		return fail(o, "no such service");
	say(o, d->name);
	say(o, " service, user ");
	say(o, s->user);
	say(o, ", pid ");
	saynum(o, s->pid);
	return 1;
}

uint
service_please(struct device *d, char (*w)[DEV_NAMELEN+1], uint nw, char *reply, uint cap, uint *len)
{
	struct out o = { reply, cap, 0 };
	uint res = 0;

	if(strcmp(w[0], "register") == 0){
		if(d)
			res = fail(&o, "register takes the name as a word, not an address");
		else
			res = do_register(w, nw, &o);
	}else if(strcmp(w[0], "unregister") == 0)
		res = do_unregister(d, w, nw, &o);
	else if(strcmp(w[0], "identify") == 0 && nw == 1 && service_node(d))
		res = do_identify(d, &o);
	else
		res = fail(&o, "not a service message");
	*len = o.len;
	return res;
}

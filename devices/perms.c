/*
 * perms.c - which channels of a device a user may use (include/perms.h,
 * docs/users.md).
 *
 * Unix-like, in two layers. A node's perm_owner and perm_guest (set from
 * devices/names.conf and the devperm= boot options by devices/names.c) are
 * the class bits, like a file's group bits: what every owner and every guest
 * may use. The perms field of a user's record refines them for that user:
 * grants add channels, removals take them away, item by item, left to right.
 * A grant always brings the node's please channel with it: the other
 * channels are reached through an ID that only `open` (a please message to
 * the node) hands out, so a user granted send alone could not use it.
 * Without please nothing is left: a node the user cannot see (`!com3=p`, or
 * a class without please) it cannot use either, even knowing its ID.
 *
 * The record's text is checked and its names made canonical at build time
 * (tools/genusers.py), so here a name is compared with the node's canonical
 * name as it is. Whatever the text, this never reads past its end and
 * never grants a channel the node does not have.
 *
 * No kernel library calls: tests/test_perms.py builds this file on the host.
 */
#include "types.h"
#include "device.h"
#include "users.h"
#include "perms.h"

#define CH_ALL	(CH_READ|CH_WRITE|CH_SEND|CH_RECEIVE|CH_PLEASE)

uint
perms_letter(int c)
{
	switch(c){
	case 'r':	return CH_READ;
	case 'w':	return CH_WRITE;
	case 's':	return CH_SEND;
	case 'v':	return CH_RECEIVE;
	case 'p':	return CH_PLEASE;
	}
	return 0;
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* is s[0..n-1] the name "*" or the canonical name canon? */
static int
names(const char *s, uint n, const char *canon)
{
	uint i;

	if(n == 1 && s[0] == '*')
		return 1;
	for(i = 0; i < n; i++)
		if(canon[i] == 0 || fold((uchar)s[i]) != fold((uchar)canon[i]))
			return 0;
	return canon[n] == 0;
}

uint
perms_apply(const char *p, const char *canon, uint ch)
{
	const char *name;
	uint n, set, neg, eq;

	if(p == nil)
		return ch;
	while(*p){
		neg = *p == '!';
		if(neg)
			p++;
		name = p;
		while(*p && *p != '=' && *p != ',')
			p++;
		n = p - name;
		eq = *p == '=';
		set = eq ? 0 : CH_ALL;
		if(eq)
			for(p++; *p && *p != ','; p++)
				set |= perms_letter((uchar)*p);
		if(*p == ',')
			p++;
		if(n == 0 || (!neg && !eq && n == 1 && (name[0] == '*' || name[0] == '-')))
			continue;		/* "*" and "-": the class's channels as they are */
		if(!names(name, n, canon))
			continue;
		if(neg)
			ch &= ~set;
		else
			ch |= set | CH_PLEASE;
	}
	return ch;
}

uint
perms_for(const struct user *u, struct device *d)
{
	uint ch;

	if(d == nil)
		return 0;
	ch = u && u->owner ? d->perm_owner : d->perm_guest;
	if(u)
		ch = perms_apply(u->perms, d->name, ch);
	ch &= d->channels;
	return ch & CH_PLEASE ? ch : 0;		/* what it cannot see it cannot use */
}

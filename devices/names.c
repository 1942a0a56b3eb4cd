/*
 * names.c - the device name space (docs/devices.md, include/names.h).
 *
 * Device nodes are devtab's, added by the drivers under their canonical,
 * concealed names (".floppy"). Names are the sorted table that
 * tools/gennames.py makes from devices/names.conf: every visible name and
 * alias and every canonical name, each pointing at a node of names.conf,
 * which points at devtab by its canonical name. A lookup is a binary search
 * with ASCII case folded; a canonical name names.conf does not know still
 * reaches its node (never listed). Names of nodes no driver added resolve
 * to nothing.
 *
 * Paths are Plan 9 style: "#keyboard#qwerty" and "keyboard#qwerty" are the
 * keyboard node with the rest "qwerty", which is the device's business: it
 * is offered to the device as the please message "walk qwerty", and a
 * device that does not take it makes the lookup fail.
 *
 * Permissions: names_apply_defaults gives each node names.conf declares its
 * owner and guest channels and its refusal exponent from there (a node it
 * does not know, a service's for one, keeps what its maker set), then
 * applies the command line's devperm= options (a test, or an owner, can
 * take a device away at boot). The check itself is dev_usable's
 * (devices/calls.c).
 *
 * No kernel library calls: this file is also built on the host by
 * tests/test_names.py, against a fake devtab.
 */
#include "types.h"
#include "device.h"
#include "multiboot.h"
#include "names.h"
#include "names_table.h"

#define WALKMSG		"walk "

static int napplied;		/* devtab[0 .. napplied-1] have their defaults */

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* compare s[0..n-1], case folded, with the NUL-terminated lower case t */
static int
namecmp(const char *s, uint n, const char *t)
{
	uint i;
	int a, b;

	for(i = 0; i < n; i++){
		a = fold((uchar)s[i]);
		b = (uchar)t[i];
		if(b == 0 || a != b)
			return b == 0 ? 1 : a - b;
	}
	return t[n] == 0 ? 0 : -1;
}

static int
streq(const char *a, const char *b)
{
	while(*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* the node that the name s[0..n-1] names; nil if none or absent */
static struct device*
resolve(const char *s, uint n)
{
	int lo, hi, mid, c, i;
	uint k;

	if(n == 0 || n > DEV_NAMELEN)
		return nil;
	lo = 0;
	hi = NAMES_NNAME - 1;
	while(lo <= hi){
		mid = (lo + hi) / 2;
		c = namecmp(s, n, names_names[mid].name);
		if(c == 0)
			return dev_byname(names_nodes[names_names[mid].node].canon);
		if(c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	for(i = 0; i < ndev; i++){	/* a canonical name names.conf lacks (a service's) */
		const char *c = devtab[i].name;
		if(s[0] != '.'){	/* a service is also visible by its name without the dot */
			if(!devtab[i].service || c[0] != '.')
				continue;
			c++;
		}
		for(k = 0; k < n && fold((uchar)s[k]) == fold((uchar)c[k]); k++)
			;
		if(k == n && c[n] == 0)
			return &devtab[i];
	}
	return nil;
}

struct device*
names_lookup(const char *path, const char **rest)
{
	const char *p;
	struct device *d;

	names_apply_defaults();
	if(*path == '#')
		path++;
	for(p = path; *p && *p != '#'; p++)
		;
	d = resolve(path, p - path);
	if(rest)
		*rest = *p == '#' ? p + 1 : p;
	return d;
}

int
names_walk(struct device *d, const char *rest)
{
	char msg[sizeof WALKMSG + DEV_NAMELEN];
	uint n, k, replylen;

	if(d == nil)
		return 0;
	if(*rest == 0)
		return 1;
	if(d->ops == nil || d->ops->please == nil)
		return 0;
	for(n = 0; WALKMSG[n]; n++)
		msg[n] = WALKMSG[n];
	for(k = 0; rest[k]; k++){
		if(n >= sizeof msg)
			return 0;			/* longer than any sub-path */
		msg[n++] = rest[k];
	}
	replylen = 0;
	return d->ops->please(d, msg, n, sizeof msg, &replylen) != 0;
}

/* ---- permissions ---- */

static const struct {
	const char *word;
	uint ch;
} chwords[] = {
	{ "read", CH_READ }, { "write", CH_WRITE }, { "send", CH_SEND },
	{ "receive", CH_RECEIVE }, { "please", CH_PLEASE },
	{ "all", CH_READ|CH_WRITE|CH_SEND|CH_RECEIVE|CH_PLEASE }, { "none", 0 },
};

/* a channel list s[0..n-1]: none, all, or read,write,...; -1 if malformed */
static int
chlist(const char *s, uint n, uint *mask)
{
	uint i, j, w;

	*mask = 0;
	for(i = 0; i < n; i = j + 1){
		for(j = i; j < n && s[j] != ','; j++)
			;
		for(w = 0; w < nelem(chwords); w++)
			if(namecmp(s + i, j - i, chwords[w].word) == 0)
				break;
		if(w == nelem(chwords))
			return -1;
		*mask |= chwords[w].ch;
	}
	return 0;
}

/*
 * devperm=<name>:<owner>:<guest>[:<refuse>], the value in v[0..n-1]. Checks
 * it; with d, applies it to d when the name is d's (d's node must be added).
 */
static int
devperm(const char *v, uint n, struct device *d)
{
	uint f[5], i, k, owner, guest, refuse;

	for(i = 0, k = 0, f[0] = 0; i < n; i++)
		if(v[i] == ':'){
			if(++k > 3)
				return -1;
			f[k] = i + 1;
		}
	if(k < 2 || f[1] == 1)
		return -1;
	f[k + 1] = n + 1;
	if(chlist(v + f[1], f[2] - f[1] - 1, &owner) < 0 ||
	   chlist(v + f[2], f[3] - f[2] - 1, &guest) < 0)
		return -1;
	refuse = 0;
	if(k == 3){
		if(f[4] - f[3] - 1 == 0 || f[4] - f[3] - 1 > 2)
			return -1;
		for(i = f[3]; i < n; i++){
			if(v[i] < '0' || v[i] > '9')
				return -1;
			refuse = refuse * 10 + v[i] - '0';
		}
		if(refuse > 31)
			return -1;
	}
	if(d && resolve(v[0] == '#' ? v + 1 : v, f[1] - 1 - (v[0] == '#')) == d){
		d->perm_owner = owner & d->channels;
		d->perm_guest = guest & d->channels;
		if(k == 3)
			d->refuse_shift = refuse;
	}
	return 0;
}

int
names_option(const char *v)
{
	uint n;

	for(n = 0; v[n]; n++)
		;
	return devperm(v, n, nil);
}

/* the command line's devperm= words, for d */
static void
cmdline_perms(struct device *d)
{
	static const char opt[] = "devperm=";
	const char *s = bootinfo.cmdline;
	uint n, k;

	while(*s){
		while(*s == ' ')
			s++;
		for(n = 0; s[n] && s[n] != ' '; n++)
			;
		for(k = 0; k < sizeof opt - 1 && k < n && s[k] == opt[k]; k++)
			;
		if(k == sizeof opt - 1)
			devperm(s + k, n - k, d);
		s += n;
	}
}

void
names_apply_defaults(void)
{
	struct device *d;
	const struct names_node *c;
	int i;

	for(; napplied < ndev; napplied++){
		d = &devtab[napplied];
		for(i = 0; i < NAMES_NNODE; i++){
			c = &names_nodes[i];
			if(streq(c->canon, d->name)){
				d->perm_owner = c->owner & d->channels;
				d->perm_guest = c->guest & d->channels;
				d->refuse_shift = c->refuse;
				break;
			}
		}
		cmdline_perms(d);	/* a node names.conf does not know keeps its own */
	}
}

/* ---- the listing ---- */

static void
put(char *buf, uint cap, uint *len, const char *s)
{
	for(; *s; s++, (*len)++)
		if(*len < cap)
			buf[*len] = *s;
}

uint
names_list(char *buf, uint cap)
{
	const struct names_node *c;
	struct device *d;
	uint len = 0;
	int i;

	names_apply_defaults();
	for(i = 0; i < NAMES_NNODE; i++){
		c = &names_nodes[i];
		if(c->primary[0] == 0)
			continue;
		d = dev_byname(c->canon);
		if(d == nil || !dev_usable(d, CH_PLEASE))
			continue;
		put(buf, cap, &len, c->primary);
		if(c->aliases[0]){
			put(buf, cap, &len, " ");
			put(buf, cap, &len, c->aliases);
		}
		put(buf, cap, &len, "\n");
	}
	for(i = 0; i < ndev; i++){		/* the services the caller may use */
		d = &devtab[i];
		if(!d->service || d->name[0] != '.' || !dev_usable(d, CH_PLEASE))
			continue;
		put(buf, cap, &len, d->name + 1);
		put(buf, cap, &len, " (service)\n");
	}
	return len;
}

/*
 * devtab.c - the device nodes. Drivers add their nodes at boot with dev_add;
 * a node's id, what the calls and please open/close speak of, is its index
 * plus one (0 is never a device: it is the calls' failure value).
 * Names are looked up through the name space (devices/names.c), which maps
 * many names, concealed ones and aliases among them, to these nodes.
 */
#include "types.h"
#include "kernel.h"
#include "device.h"

struct device devtab[NDEV];
int ndev;

struct device*
dev_add(const char *name, int kind, uint channels, const struct devops *ops)
{
	struct device *d;
	uint n;

	if(ndev >= NDEV)
		panic("dev_add: device table full (%s)", name);
	d = &devtab[ndev++];
	n = strlen(name);
	if(n > DEV_NAMELEN)
		n = DEV_NAMELEN;
	memcpy(d->name, name, n);
	d->name[n] = 0;
	d->kind = kind;
	d->channels = channels | CH_PLEASE;
	d->ops = ops;
	d->perm_owner = d->channels;
	d->perm_guest = 0;
	return d;
}

struct device*
dev_byid(uint id)
{
	if(id == 0 || id > (uint)ndev)
		return 0;
	return &devtab[id-1];
}

uint
dev_id(struct device *d)
{
	return d - devtab + 1;
}

/* the node with this canonical name; the name space (aliases, # paths) is above */
struct device*
dev_byname(const char *name)
{
	int i;

	for(i = 0; i < ndev; i++)
		if(strcmp(devtab[i].name, name) == 0)
			return &devtab[i];
	return 0;
}

/* a service's process ended: every call on the node fails from now on */
void
dev_gone(struct device *d)
{
	d->channels = 0;
	d->perm_owner = d->perm_guest = 0;
	d->service = 0;
	d->ops = 0;
	dev_forget(d);
}

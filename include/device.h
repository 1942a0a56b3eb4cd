/*
 * device.h - devices: what the five calls reach (devices/, docs/calls.md).
 *
 * A device is a node with up to five channels: read and write (block devices),
 * receive and send (stream devices), please (every device). The calls have no
 * device-specific code: they use the node's data and the few entry points here.
 *
 * Stream devices. Device -> process (receive): the driver appends bytes to the
 * node's input ring (dev_input); `incount` counts every byte ever appended, and
 * masking it with insize-1 gives the cursor. Readers keep their own count and
 * are told how much they lost when the device lapped them. Process -> device
 * (send): the call locks the node, copies the process's pending bytes into the
 * output ring and calls the driver's `output` to drain them; `outcount` counts.
 *
 * Block devices: fixed-size blocks numbered from 0; `rdblock`/`wrblock` move
 * one block and return 0, or -1 on any error (absent medium, past the end,
 * hardware error). They never hang: drivers bound every wait.
 */
#define DEV_STREAM	1
#define DEV_BLOCK	2

#define CH_READ		0x01
#define CH_WRITE	0x02
#define CH_SEND		0x04
#define CH_RECEIVE	0x08
#define CH_PLEASE	0x10

#define DEV_NAMELEN	31

struct device;

struct devops {
	/* stream: drain the output ring (bytes outcount-n .. outcount-1 are new) */
	void	(*output)(struct device *d, const uchar *buf, uint n);
	/* stream: move bytes waiting in the driver into the input ring (may be nil) */
	void	(*poll)(struct device *d);
	/* block: one block to or from buf */
	int	(*rdblock)(struct device *d, uint blk, void *buf);
	int	(*wrblock)(struct device *d, uint blk, const void *buf);
	/* please: a message for this device; the reply replaces it (devices/please) */
	int	(*please)(struct device *d, char *msg, uint len, uint cap, uint *replylen);
};

struct device {
	char	name[DEV_NAMELEN+1];	/* canonical name: the concealed utility name,
					   e.g. ".keyboard"; the names people see and
					   their aliases are in devices/names.conf */
	int	kind;			/* DEV_STREAM or DEV_BLOCK */
	uint	channels;		/* CH_* this device has */
	const struct devops *ops;
	void	*drv;			/* the driver's own data */

	/* permissions: per channel, rwx-like bits for owner and guests */
	uint	perm_owner;		/* CH_* owners may use */
	uint	perm_guest;		/* CH_* guests may use */

	/* lock (write and send) */
	int	lockholder;		/* process id, 0 = free */
	uint	lockreqs;		/* lock requests so far */
	uint	refuse_shift;		/* N: every 2^N-th request is refused; 0 = never */

	/* stream */
	uchar	*in;			/* input ring, insize bytes (a power of two) */
	uint	insize;
	volatile uint incount;
	uchar	*out;			/* output ring */
	uint	outsize;
	uint	outcount;

	int	opened;		/* some process opened it (an unopened line echoes) */
	int	terminal;	/* a terminal: gets a login prompt when nobody uses it */
	int	service;	/* pid of the process behind a service, 0 for a driver */

	/* block */
	uint	blksize;		/* bytes in a block */
	uint	nblocks;		/* blocks on the medium now (0 = none or unknown) */
};

/* devices/devtab.c: the table of device nodes */
#define NDEV		32
extern struct device devtab[NDEV];
extern int ndev;
struct device *dev_add(const char *name, int kind, uint channels, const struct devops *ops);
struct device *dev_byid(uint id);	/* id = index + 1; nil if none */
uint	dev_id(struct device *d);
struct device *dev_byname(const char *name);	/* canonical names only */
void	dev_gone(struct device *d);	/* a service's process ended: the node fails */

/* devices/calls.c: may the current process use channel ch of d? */
int	dev_usable(struct device *d, uint ch);
/* d's permissions changed: every process checks them again (the calls' caches) */
void	dev_forget(struct device *d);

/* devices/terminal.c: the console and the serial lines as stream devices */
void	terminal_init(void);
void	terminal_echo_idle(void);	/* echo on lines nobody has opened */

/* devices/stream.c */
void	dev_input(struct device *d, const uchar *buf, uint n);	/* driver: bytes arrived */

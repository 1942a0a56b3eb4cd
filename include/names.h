/*
 * names.h - the device name space (devices/names.c, docs/devices.md).
 *
 * Two structures, as the design has it: the device nodes (devtab, which the
 * drivers fill with dev_add under their canonical, concealed names) and a
 * sorted list of names pointing at them, many names to one node. The list
 * and each node's default permissions are generated from devices/names.conf
 * by tools/gennames.py into $(B)/gen/names_table.h, which only names.c
 * includes; the two structs below are its element types.
 *
 * Lookups ignore ASCII case. A path is "name", "#name", "name#rest" or
 * "#name#rest" (Plan 9 style): the name picks the node, the rest is the
 * device's own business (names_walk). A name whose node no driver added
 * (.disk without a disk) resolves to nothing and is not listed.
 */

struct device;

/* a node that names.conf knows */
struct names_node {
	const char	*canon;		/* canonical name, as the driver gives dev_add */
	const char	*primary;	/* the name `please devices` lists it under; "" = none */
	const char	*aliases;	/* the rest of its listing line: "de:diskette fr:..." */
	uint		owner;		/* default CH_* owners may use */
	uint		guest;		/* default CH_* guests may use */
	uint		refuse;		/* default refuse_shift */
};

/* one name; the table is sorted by name (bytes, unsigned) */
struct names_name {
	const char	*name;		/* lower case */
	uint		node;		/* index into the nodes table */
	const char	*langs;		/* "en", "de", "en fr", ...; "" for a concealed name */
	uint		concealed;	/* begins with '.': never listed */
};

/*
 * The node a path names, nil if none (or its node is absent); *rest (if
 * rest is not nil) gets what follows the name's '#', "" if nothing. No
 * permission check: the caller does that (dev_usable), and hands a nonempty
 * rest to names_walk.
 */
struct device	*names_lookup(const char *path, const char **rest);

/*
 * Offer a path's rest to its device: a device that has sub-paths answers its
 * please message "walk <rest>" with nonzero. Returns nonzero if the rest is
 * empty or the device took it; 0 (the lookup fails) otherwise.
 */
int		names_walk(struct device *d, const char *rest);

/*
 * Give every node added since the last call its defaults from names.conf
 * (a node the file does not declare keeps its permissions), then the
 * devperm= options of the command line. Idempotent and cheap; names_lookup
 * and names_list call it too.
 */
void		names_apply_defaults(void);

/*
 * The `please devices` listing: one line per node the caller may use (its
 * please channel) that has a visible name, sorted by that name, followed
 * by its aliases: "floppy de:diskette fr:disquette es:disquete\n".
 * Writes at most cap bytes into buf; returns the listing's whole length.
 */
uint		names_list(char *buf, uint cap);

/*
 * devperm=<name>:<owner>:<guest>[:<refuse>] (kernel command line): 0 if v
 * is well formed, -1 if not. For kernel/cmdline.c's option table; the
 * values are applied by names_apply_defaults, which reads the command line.
 */
int		names_option(const char *v);

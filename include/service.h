/*
 * service.h - services: pseudo-devices whose channels live in a process's
 * memory (devices/service.c, docs/services.md).
 *
 * A process registers a service with the please message
 *
 *	register <name> <inbox> <outbox> [guest=<channels>]
 *
 * naming two rings in its own segment (offsets, 0 = none). The kernel adds a
 * stream device node ".<name>" whose `service` is the process's pid: a client's
 * send appends a frame (a stamp saying who sent it, then the bytes) to the
 * inbox, a client's receive reads the outbox. When the process ends, proc_exit
 * calls dev_gone on the node and every call on it fails.
 */

/*
 * A please message for the services: `register ...`, `unregister <name>` or
 * `#<name> unregister`, and `identify` addressed to a service's node (d).
 * words[0..nw-1] are the message's words. The reply goes into reply[0..cap-1];
 * *len gets its whole length, which may be more than cap (the caller cuts it
 * and marks it truncated). Returns the call's result: the node's device ID for
 * register, nonzero for the others, 0 on failure ("error: ..." replies).
 */
uint	service_please(struct device *d, char (*words)[DEV_NAMELEN+1], uint nw,
		char *reply, uint cap, uint *len);

/* is d a service's node (alive or not)? */
int	service_node(struct device *d);

/* a please message addressed to a service goes to its process (please/forward.c):
 * a frame SOH "<pid> <bytes> <owner|guest> <user> please <tag>" STX <bytes>
 * in its inbox, the bytes the pieces. 0, or why not (the inbox is full: the
 * frame is all or nothing) */
struct piece {
	const uchar *p;
	uint n;
};
const char*	service_ask(struct device *d, uint tag, const struct piece *pc, uint npc);

/* the pid of the live service behind d, 0 if none */
int	service_pid(struct device *d);

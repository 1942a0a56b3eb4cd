/*
 * please.h - the please call's messages (please/please.c, docs/please.md).
 * please(msg, len, cap, lenp): msg holds len bytes of message in a buffer of
 * cap bytes; the reply replaces it and *lenp gets its length, with
 * PLEASE_TRUNCATED set when the reply did not fit. Returns the call's result:
 * nonzero on success (a device ID for open), 0 on failure.
 */
#define PLEASE_TRUNCATED	0x80000000u
#define BEQUEATH_AT	0x8000u		/* where please bequeath puts the binary */
#define BEQUEATH_MAX	(0x90000u - BEQUEATH_AT)

/* a reply being built in the caller's buffer (please/please.c) */
struct reply {
	char *buf;
	uint cap, len, trunc;
};
void	reply_say(struct reply *r, const char *s);
void	reply_num(struct reply *r, uint n);

uint	please(char *msg, uint len, uint cap, uint *lenp);
int	please_rest(const char *msg, uint len, struct reply *r);	/* please/rest.c */
void	cycle_wait(void);	/* give up the CPU for one Cycle (kernel/sched.c) */
struct device;
void	input_wait(struct device *d);	/* rest until d has input for the caller (kernel/sched.c) */

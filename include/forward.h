/*
 * forward.h - please messages to a service's process (please/forward.c,
 * docs/services.md "Please to a service").
 */
#define FORWARD_MS	2000	/* how long a caller waits for the service's answer */
#define MAXITEMS	10	/* the command and its arguments (please.c's MAXARGS + 2) */

/* the items a[0..n-1] (the command and its arguments) to the service behind
 * d; the caller waits for its answer, which becomes r. Returns the result */
uint	forward(struct device *d, uchar **a, uint *len, uint n, struct reply *r);

/* the service's answer to the request tag: "reply <tag> <text>" */
uint	forward_answer(uint tag, const uchar *t, uint n, struct reply *r);

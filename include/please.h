/*
 * please.h - the please call's messages (please/please.c, docs/please.md).
 * please(msg, len, cap, lenp): msg holds len bytes of message in a buffer of
 * cap bytes; the reply replaces it and *lenp gets its length, with
 * PLEASE_TRUNCATED set when the reply did not fit. Returns the call's result:
 * nonzero on success (a device ID for open), 0 on failure.
 */
#define PLEASE_TRUNCATED	0x80000000u

uint	please(char *msg, uint len, uint cap, uint *lenp);
void	cycle_wait(void);	/* give up the CPU for one Cycle (kernel/proc.c) */

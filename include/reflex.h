/*
 * reflex.h - the reflex: one periodic hard-realtime routine run on the
 * machine's highest-priority interrupt (docs/reflex.md).
 *
 * PIT channel 0 times it; its output reaches the I/O APIC's input 2, which
 * delivers it as an NMI, so nothing the kernel does with IF (cli, interrupt
 * gates) delays it. asm/reflex.asm is the NMI entry and the built-in
 * routines; kernel/reflex.c the control (please install, start, stop,
 * calibrate, from owners only), the ".reflex" stream device (one byte per
 * run: the device's count is the number of runs) and the stop of a reflex
 * that faulted or overran its period.
 *
 * The system tick stays on PIT channel 0 through the 8259's IRQ 0: while a
 * reflex runs, the channel runs at the reflex's rate, so the tick does too,
 * and pit_gethz() says so (drivers/pit8254.c, kernel/sched.c).
 */
#define RXRING		4096	/* the .reflex device's ring (asm/reflex.asm has it too) */
#define RXCODE		1024	/* the largest routine install copies (asm/reflex.asm too) */
#define RXSCRATCH	256	/* the routine's own bytes, EDX on entry */

/*
 * please install / start / stop / calibrate (please/please.c; device.h first).
 * words[0..nw-1] are the message's words, d the device it is addressed to (or
 * nil). The reply goes into reply[0..cap-1] and *len gets its whole length,
 * which may be more than cap (the caller cuts it). Returns the call's result:
 * nonzero on success, 0 with an "error: ..." reply.
 */
int	reflex_command(const char *word);
uint	reflex_please(struct device *d, char (*words)[DEV_NAMELEN+1], uint nw,
		char *reply, uint cap, uint *len);

/* drivers/pit8254.c: channel 0 at div input clocks a period; the TSC just
 * before the count's high byte, which starts the first period, is returned */
uvlong	pit_setdivisor(uint div);
uint	pit_divisor(void);

/* the tick's part: set by the NMI when a reflex stopped itself; the PIT's
 * interrupt then calls reflex_deferred (drivers/pit8254.c), interrupts off */
extern volatile uchar rx_pending, rx_state;
void	reflex_deferred(void);
struct trapframe;
void	reflex_tick(struct trapframe *tf);	/* IRQ 0's own latency, for comparison */

/*
 * kinst.h - the kernel's own H3sm instance, the please interpreter
 * (please/kinst.c, docs/please.md).
 */
struct trapframe;

extern struct proc kinst;

void	kinst_boot(void);		/* start it: compile h3sm/please.fs, wait for requests */
uint*	kinst_ask(const char *msg, uint len, uint cap, const char **why);
					/* the answer at KANS (h3sm/layout.inc), or 0 and why */
uint	kinst_call(uint off);		/* the instance's own please call */
void	kinst_fault(struct trapframe *tf) __attribute__((noreturn));
void	kinst_tick(struct trapframe *tf);	/* the watchdog, on each tick while it runs */
void	kinst_stats(uint *starts, uint *faults);

/*
 * proc.h - H3sm instances: processes, each in a segment of its own
 * (kernel/proc.c). A process's memory is one contiguous allocation; its LDT
 * holds a ring-3 code and a data descriptor over exactly that allocation (and,
 * for an owner, a flat data descriptor over all memory). The H3sm image sits at
 * IMAGE_ORG in it (build/gen/h3sm_layout.h); addresses a process gives the
 * calls are offsets in its segment and are checked against its size.
 */
#define PROC_OWNER	1		/* BIRTH_OWNER: sees all of RAM and I/O */
#define PROC_CONSOLE	2		/* BIRTH_CONSOLE */

#define LDT_CODE	0
#define LDT_DATA	1
#define LDT_FLAT	2
#define NLDT		3
#define USEL(i)		((i)<<3 | 4 | 3)	/* LDT selector, RPL 3 */

#define KSTACK		4096

#define NPROC		16
#define PROC_GETTY	4		/* BIRTH_GETTY: a login prompt */

enum { P_FREE, P_RUN };

struct device;
struct trapframe;
struct user;

struct proc {
	int	pid;
	int	state;			/* P_FREE, P_RUN */
	uint	flags;			/* PROC_* (= the BIRTH_* flags of h3sm/layout.inc) */
	const struct user *user;	/* 0 for a login prompt or the login=off console */
	uint	base, size;		/* the segment: linear base and bytes */
	struct device *term;		/* its terminal */
	struct device *blocks;		/* the block device its H3sm BLOCK uses */
	uint	ldtsel;			/* GDT selector of its LDT */
	uint	ldt[2*NLDT];		/* descriptors, two words each */
	uint	faults;			/* faults turned into THROWs in a row */
	uint	kesp;			/* saved kernel stack pointer (asm/swtch.asm) */
	uint	resting;		/* please rest: the tick it rested in + 1; passed over until the next tick */
	uint	ticks;			/* timer ticks it ran (loading) */
	uint	load, loadmark;		/* ticks it ran in the last interval; ticks at its start */
	struct device *rxdev;		/* the device of its last receive by the full path, */
	uint	rxseen;			/* and the device's count then (please #dev wait) */
	struct device *waiting;		/* please #dev wait: passed over until d's count moves, */
	uint	waitend;		/* or until this tick (a second) */
	uint	since;			/* the tick it was runnable from (kernel/sched.c) */
	uint	maxwait;		/* the longest it waited for the CPU once runnable, ms */
	uint	missed;			/* Cycles it was runnable through without the CPU */
	uchar	cycleready, cycleran;	/* runnable when this Cycle began; had the CPU in it */
	uint	rxok;			/* bit i: device i+1 has been received from by the
					   full path and needs no poll (the fast path's cache) */
	uint	txok;			/* bit i: this process may send to device i+1 (a
					   permission checked once; dev_forget clears it) */
	uchar	*kstack;		/* its KSTACK bytes of kernel stack: one of the
					   block proc_init allocates, the slot's for good */
	int	killer;			/* please kill: the pid that ended it (0: none); it
					   ends at its next call's return or tick in ring 3 */
};

extern struct proc procs[NPROC];
extern struct proc *curproc;
extern uint proc_nrun;			/* processes in P_RUN */
extern uint procs_used;		/* slots ever used: procs[0..procs_used) */
extern int login_off;

void	proc_init(void);			/* the TSS and the allocator */
void	proc_boot(void);			/* login prompts (or the login=off console) */
struct proc *proc_create(const struct user *u, uint flags, uint bytes, struct device *term);
struct proc *proc_getty(struct device *term);
int	proc_setup(struct proc *p, const struct user *u, uint flags, uint bytes,
	struct device *term, int slot);	/* an instance in p: memory, LDT, image; -1 if refused */
void	proc_prepare(struct proc *p);
void	countedname(uchar *to, const char *name, uint max);	/* a counted string in max bytes */		/* its memory and entry frame afresh */
void	proc_exit(const char *why) __attribute__((noreturn));	/* the current one ends */
int	proc_kill(int pid, const char **why);	/* please kill: mark it; 0 and why if refused */
void	proc_killed(void) __attribute__((noreturn));	/* the current one was killed: it ends */
void	proc_fault(struct trapframe *tf);	/* a CPU exception in ring 3 */
void	proc_restart(void) __attribute__((noreturn));	/* the instance starts afresh */
int	proc_login(const char *name, uint nlen, const char *pw, uint pwlen, const char **why);

/* the current process's memory at off, len bytes, checked (0 if outside);
 * inline: every call checks its arguments with it, several times */
static inline void*
uptr(uint off, uint len)
{
	struct proc *p = curproc;

	if(p == 0 || off > p->size || len > p->size - off)
		return 0;
	return (void*)(p->base + off);
}

/* kernel/sched.c */
void	yield(void);
void	sched_ready(struct proc *p);		/* a new process: runnable from now */
void	sched_start(void) __attribute__((noreturn));
extern uint sched_cycles, sched_switches;
extern uint sched_interval;		/* ticks in the last loading interval */

/* asm/enter.asm: iret into ring 3 with every data segment register = ss */
void	enter_ring3(uint eip, uint cs, uint eflags, uint esp, uint ss) __attribute__((noreturn));

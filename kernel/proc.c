/*
 * proc.c - processes: H3sm instances, each in a segment of its own.
 *
 * A process is born by login (no fork, no exec): one allocation (kernel/mem.c),
 * an LDT whose ring-3 code and data descriptors are bounded to it (plus, for an
 * owner, a flat data descriptor over all memory, and IOPL 3), the H3sm image at
 * IMAGE_ORG, a birth record naming its terminal and block device, and a kernel
 * stack holding a frame that "returns" into ring 3 at IMAGE_START. It has no I/O
 * until its H3sm opens the terminal the birth record names.
 *
 * A terminal nobody is logged in on runs a login prompt: a small instance whose
 * birth flags say so (BIRTH_GETTY); a successful login replaces it with the
 * user's process, and when that process ends a new prompt comes back.
 *
 * A CPU exception in ring 3 never reaches panic. A guest (or a login prompt) is
 * logged out with a one-line reason on its terminal. An owner's H3sm gets the
 * fault as a THROW (the error path reports it, the prompt comes back), and is
 * restarted if it keeps faulting there.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "gdt.h"
#include "trap.h"
#include "proc.h"
#include "device.h"
#include "console.h"
#include "please.h"
#include "mem.h"
#include "users.h"
#include "multiboot.h"
#include "pit.h"
#include "cmdline.h"
#include "kinst.h"
#include "h3sm_layout.h"

extern uchar h3sm_image[], h3sm_image_end[];
extern uchar please_src[], please_src_end[], game_src[], game_src_end[];	/* asm/h3sm_texts.asm */
void	swtch(uint *save, uint next);
void	trapret(void);

struct tss {
	uint	link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint	eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint	es, cs, ss, ds, fs, gs, ldt;
	ushort	trap, iomap;
};

static struct tss tss;
struct proc procs[NPROC];
struct proc *curproc;
uint	proc_nrun;
static int lastpid;
int	login_off;			/* login=off: the console's owner H3sm without a login */

#define GETTY_MEM	(256u << 10)
#define SINGLE_MEM	(2u << 20)
#define EFLAGS_IF	0x200
#define EFLAGS_IOPL3	0x3000

/* one descriptor: base, size in bytes (a multiple of 4 KiB above 1 MiB), access */
static void
mkdesc(uint *d, uint base, uint size, uint access)
{
	uint limit = size - 1, flags = 0x4;		/* 32-bit */

	if(size > (1u << 20)){
		limit = (size >> 12) - 1;
		flags |= 0x8;			/* 4 KiB granularity */
	}
	d[0] = (limit & 0xffff) | (base << 16);
	d[1] = ((base >> 16) & 0xff) | (access << 8) | (limit & 0xf0000)
		| (flags << 20) | (base & 0xff000000);
}

/* the kernel stacks of the process slots and the please interpreter, one
 * block from the allocator at boot (not .bss: kernel_bytes, docs/performance.md);
 * each struct proc that proc_setup sees takes the next and keeps it */
uchar	*kstacks;
static int nkstacks;

void
proc_init(void)
{
	tss.ss0 = SEL_KDATA;
	tss.iomap = sizeof tss;		/* no I/O bitmap: IOPL decides */
	gdt_set(GDT_TSS, (uint)&tss, sizeof tss - 1, GDT_P | GDT_TSS32, 0);
	asm volatile("ltr %w0" :: "r"(SEL_TSS));
	mem_init((uint)_end, bootinfo.memtop);
	kstacks = (uchar*)mem_alloc((NPROC + 1) * KSTACK, -1);
	if(kstacks == 0)
		panic("proc_init: no memory for the kernel stacks");
	memset(kstacks, 0, (NPROC + 1) * KSTACK);	/* (tests/test_kstack.py measures the depth) */
}

void
proc_activate(struct proc *p)
{
	tss.esp0 = (uint)(p->kstack + KSTACK);
	asm volatile("lldt %w0" :: "r"(p->ldtsel));
}

/* name as a counted string in a field of max bytes (the count byte included) */
void
countedname(uchar *to, const char *name, uint max)
{
	uint n = name ? strlen(name) : 0;

	if(n > max - 1)
		n = max - 1;
	to[0] = n;
	memcpy(to + 1, name, n);
}

/* the memory of a new instance and the frame that enters it */
void
proc_prepare(struct proc *p)
{
	uchar *m = (uchar*)p->base;
	uint *sp;
	struct trapframe *tf;

	memset(m, 0, IMAGE_ORG);
	memcpy(m + IMAGE_ORG, h3sm_image, h3sm_image_end - h3sm_image);
	*(uint*)(m + BIRTH_OFF + BIRTH_FLAGS) = p->flags;
	countedname(m + BIRTH_OFF + BIRTH_TERM, p->term ? p->term->name : 0, 32);
	countedname(m + BIRTH_OFF + BIRTH_BLOCKS, p->blocks ? p->blocks->name : 0, 32);
	if(p->flags & (BIRTH_PLEASE | BIRTH_GAME)){	/* its own source, at the segment's top */
		uchar *s = p->flags & BIRTH_PLEASE ? please_src : game_src;
		uint n = (p->flags & BIRTH_PLEASE ? please_src_end : game_src_end) - s;
		uint at = (p->size - n) & ~3u;
		memcpy(m + at, s, n);
		*(uint*)(m + BIRTH_OFF + BIRTH_SRC) = at;
		*(uint*)(m + BIRTH_OFF + BIRTH_SRCLEN) = n;
	}else
		*(uint*)(m + BIRTH_OFF + BIRTH_SRC) = 0;

	sp = (uint*)(p->kstack + KSTACK);
	tf = (struct trapframe*)((uchar*)sp - sizeof *tf);
	memset(tf, 0, sizeof *tf);
	tf->gs = tf->fs = tf->es = tf->ds = USEL(LDT_DATA);
	tf->eip = IMAGE_START;
	tf->cs = USEL(LDT_CODE);
	tf->eflags = EFLAGS_IF | (p->flags & PROC_OWNER ? EFLAGS_IOPL3 : 0);
	tf->esp = RSTACK_TOP;
	tf->ss = USEL(LDT_DATA);
	sp = (uint*)tf;
	*--sp = (uint)trapret;		/* swtch "returns" into the trap exit */
	*--sp = 0;			/* ebp */
	*--sp = 0;			/* ebx */
	*--sp = 0;			/* esi */
	*--sp = 0;			/* edi */
	p->kesp = (uint)sp;
	p->faults = 0;
	p->resting = 0;
}

/* an H3sm instance in p (a process slot, or the please interpreter's): its
 * memory, an LDT in GDT slot GDT_FREE+slot, the image and its entry frame */
int
proc_setup(struct proc *p, const struct user *u, uint flags, uint bytes,
	struct device *term, int slot)
{
	uchar *ks = p->kstack;

	if(bytes < IMAGE_ORG + (128u << 10))
		bytes = IMAGE_ORG + (128u << 10);
	memset(p, 0, sizeof *p);
	if(ks == 0){
		if(nkstacks > NPROC)
			panic("proc_setup: more instances than kernel stacks");
		ks = kstacks + nkstacks++ * KSTACK;
	}
	p->kstack = ks;
	p->pid = ++lastpid;
	if((p->base = mem_alloc(bytes, p->pid)) == 0)
		return -1;
	p->size = (bytes + MEM_PAGE - 1) & ~(MEM_PAGE - 1);
	p->flags = flags;
	p->user = u;
	p->term = term;
	p->blocks = dev_byname(".disk");
	if(p->blocks == 0)
		p->blocks = dev_byname(".ramdisk");
	mkdesc(&p->ldt[2*LDT_CODE], p->base, p->size, 0xfa);	/* P, DPL 3, code, readable */
	mkdesc(&p->ldt[2*LDT_DATA], p->base, p->size, 0xf2);	/* P, DPL 3, data, writable */
	if(flags & PROC_OWNER){
		p->ldt[2*LDT_FLAT] = 0x0000ffff;		/* all 4 GiB: base 0, limit 0xfffff */
		p->ldt[2*LDT_FLAT+1] = 0x00cff200;		/* pages, 32-bit, P, DPL 3, data */
	}
	p->ldtsel = gdt_set(GDT_FREE + slot, (uint)p->ldt, sizeof p->ldt - 1, GDT_P | GDT_LDTDESC, 0);
	proc_prepare(p);
	return 0;
}

uint	procs_used;	/* the slots below this have held a process: pick looks no further */

struct proc*
proc_create(const struct user *u, uint flags, uint bytes, struct device *term)
{
	struct proc *p = 0;
	int i;

	for(i = 0; i < NPROC; i++)
		if(procs[i].state == P_FREE){
			p = &procs[i];
			break;
		}
	if(p == 0 || proc_setup(p, u, flags, bytes, term, i) < 0)
		return 0;
	p->state = P_RUN;
	proc_nrun++;
	if((uint)i >= procs_used)
		procs_used = i + 1;
	sched_ready(p);
	return p;
}

/* a login prompt on term */
struct proc*
proc_getty(struct device *term)
{
	return proc_create(0, BIRTH_GETTY | (term == dev_byname(".console") ? BIRTH_CONSOLE : 0),
		GETTY_MEM, term);
}

/* the processes at boot: a login prompt on every terminal, or with login=off the
 * console's owner H3sm alone (the serial lines then echo) */
void
proc_boot(void)
{
	struct device *con = dev_byname(".console");
	int i;

	kinst_boot();		/* please/kinst.c: before anyone can say please */
	if(login_off){
		if(proc_create(0, PROC_OWNER | PROC_CONSOLE, SINGLE_MEM, con) == 0)
			panic("proc_boot: no memory for the console");
		return;
	}
	for(i = 0; i < ndev; i++)
		if(devtab[i].terminal && proc_getty(&devtab[i]) == 0)
			panic("proc_boot: no memory for the login prompt on %s", devtab[i].name);
}

static void
say(struct device *term, const char *s)
{
	if(term && term->ops && term->ops->output)
		term->ops->output(term, (const uchar*)s, strlen(s));
}

/* the current process ends: everything it held is given back */
void
proc_exit(const char *why)
{
	struct proc *p = curproc, *q;
	struct device *term = p->term;
	int i, alone = 1;

	cli();
	if(why){
		say(term, "\n[logged out: ");
		say(term, why);
		say(term, "]\n");
	}
	for(i = 0; i < ndev; i++){
		if(devtab[i].lockholder == p->pid)
			devtab[i].lockholder = 0;
		if(devtab[i].service == p->pid)
			dev_gone(&devtab[i]);
	}
	mem_free(p->base);
	for(q = procs; q < procs + NPROC; q++)
		if(q != p && q->state == P_RUN && q->term == term)
			alone = 0;
	/* the new prompt takes another slot: this one is still running, and yield()
	 * saves this context into p->kesp (a prompt here would lose its frame) */
	if(term && alone && !(login_off && !(p->flags & BIRTH_GETTY)))
		proc_getty(term);
	p->state = P_FREE;
	proc_nrun--;
	yield();
	panic("proc_exit: came back");
}

/* please kill <pid>: an owner may end any process, anyone else only processes
 * of their own user. The process is marked and woken; it ends (proc_killed) at
 * its next call's return to ring 3 or at a tick that finds it in ring 3, so it
 * never ends in the middle of a call (a lock or a forwarded please half done),
 * and a wait for a lock or a slow line gives up once it is marked. */
int
proc_kill(int pid, const char **why)
{
	struct proc *q;

	for(q = procs; q < procs + NPROC; q++)
		if(q->state == P_RUN && q->pid == pid)
			break;
	if(q == procs + NPROC || pid <= 0){
		*why = "no such process";
		return 0;
	}
	if(!(curproc->flags & PROC_OWNER) && (q->user == 0 || q->user != curproc->user)){
		*why = "not your process";
		return 0;
	}
	if(q->killer == 0)
		q->killer = curproc->pid;
	q->waiting = 0;			/* a #dev wait or a rest ends now */
	q->resting = 0;
	return 1;
}

void
proc_killed(void)
{
	static char why[48];

	ksnprintf(why, sizeof why, "ended by process %d", curproc->killer);
	proc_exit(why);
}

void
proc_restart(void)
{
	struct proc *p = curproc;

	cli();
	proc_prepare(p);
	proc_activate(p);
	asm volatile("movl %0, %%esp; jmp trapret" :: "r"(p->kesp + 20));
	for(;;)
		;
}

/* the THROW code an exception becomes (h3sm/interp.inc's error table): a
 * segment fault with a stack pointer outside its stack names that stack */
static int
throwcode(struct trapframe *tf)
{
	uint vector = tf->vector;

	if(vector == T_SS || vector == T_GP){
		if(tf->ebp > DSTACK_TOP + 64 || tf->ebp < DSTACK_TOP - 4*DSTACK_CELLS - 64)
			return tf->ebp > DSTACK_TOP ? -4 : -3;	/* data stack under/overflow */
		if(tf->esi > PSTACK_TOP + 64 || tf->esi < PSTACK_TOP - 4*PSTACK_CELLS - 64)
			return tf->esi > PSTACK_TOP ? -257 : -258;
		if(tf->esp < 0x400)
			return -5;			/* return stack overflow */
	}
	switch(vector){
	case T_DE:	return -10;		/* division by zero */
	case 6:		return -259;		/* illegal instruction */
	case T_BP:	return -28;		/* user interrupt */
	case T_SS:	return -5;		/* return stack overflow */
	default:	return -9;		/* invalid memory address */
	}
}

extern const char *exception_names[];

void
proc_fault(struct trapframe *tf)
{
	struct proc *p = curproc;
	static char why[64];

	if(p == 0)
		panic_trap(tf);
	if(p == &kinst)
		kinst_fault(tf);	/* the please interpreter: abandoned, the asker told */
	if(!(p->flags & PROC_OWNER)){
		ksnprintf(why, sizeof why, "%s at %x",
			tf->vector < 32 ? exception_names[tf->vector] : "exception", tf->eip);
		proc_exit(why);
	}
	if(++p->faults > 3 || tf->eip == IMAGE_FAULT){
		say(p->term, "\n[restarted after repeated faults]\n");
		proc_restart();
	}
	tf->eax = throwcode(tf);
	tf->eip = IMAGE_FAULT;
}

/* please login: a new process for a user on the caller's terminal.
 * Failed logins are counted twice over: once for the console, once for the
 * guest side (every serial line and every process together, with or without
 * a terminal), so more lines or more processes buy no more guesses. Each
 * failure's answer waits count seconds (at most 8) after the previous failure's
 * answer on that side: failures queue, and the guest side allows at most 7.5 a
 * minute however they are spread. A success does not clear the count; a minute
 * without failures takes one off. The console's owner keeps its own count, so
 * guests cannot slow the owner's login. */
static struct { uint count, last, next; } fails[2];	/* [0] guests, [1] the console */

static void
login_failed(struct device *term)
{
	int side = term != 0 && term == dev_byname(".console");
	uint now = pit_ms(), quiet = (now - fails[side].last) / 60000, wait;

	fails[side].count = quiet >= fails[side].count ? 0 : fails[side].count - quiet;
	if(fails[side].count < 8)
		fails[side].count++;
	fails[side].last = now;
	wait = ((int)(fails[side].next - now) > 0 ? fails[side].next : now)
		+ fails[side].count * 1000;
	fails[side].next = wait;
	while((int)(wait - pit_ms()) > 0)
		cycle_wait();
}
uvlong	login_start;			/* make bench: TSC at the last please login ... */
int	login_pid;			/* ... whose new process has not yet waited (devices/calls.c) */

int
proc_login(const char *name, uint nlen, const char *pw, uint pwlen, const char **why)
{
	struct proc *caller = curproc, *p, *q;
	struct device *term = caller->term;
	const struct user *u;
	int i, spare = 0;

	asm volatile("rdtsc" : "=A"(login_start));
	u = user_check(name, nlen, pw, pwlen);
	if(u == 0){
		login_failed(term);
		*why = "login incorrect";
		return 0;
	}
	/* a guest's login from a process (not a prompt) starts a process with no
	 * terminal: it may not take the slots every terminal needs for its prompt
	 * and a login there (an owner's may: it is the owner's box) */
	if(!(caller->flags & (BIRTH_GETTY | PROC_OWNER))){
		for(q = procs; q < procs + NPROC; q++)
			spare += q->state == P_FREE;
		for(i = 0; i < ndev; i++)
			spare -= devtab[i].terminal ? 2 : 0;
		if(spare < 1){
			*why = "no process slot";
			return 0;
		}
	}
	if(u->owner && (term == 0 || term != dev_byname(".console") || !(caller->flags & BIRTH_GETTY))){
		*why = "owners log in at the console only";
		return 0;
	}
	if(!u->owner && cmdline_oneper)
		for(q = procs; q < procs + NPROC; q++)
			if(q->state == P_RUN && q->user == u){
				*why = "one process per guest";
				return 0;
			}
	p = proc_create(u, u->owner ? PROC_OWNER : 0, u->memkib << 10,
		caller->flags & BIRTH_GETTY ? term : 0);
	if(p == 0){
		*why = "no memory for the process";
		return 0;
	}
	login_pid = p->pid;
	if(caller->flags & BIRTH_GETTY){	/* the prompt hands its terminal over */
		caller->term = 0;
		proc_exit(0);
	}
	return p->pid;
}

/*
 * sched.c - the scheduler: round robin over the process table, preemptive.
 *
 * A Cycle is once around the process list. The timer tick preempts a process
 * that has used its slice (slice= on the command line, in ms; default 10) when
 * it interrupted ring 3; the kernel itself is never preempted. `rest` gives up
 * the CPU: a process that rested is passed over until the next tick, so the
 * others go first, and when every process has rested during this tick the CPU
 * halts until the next one (an idle system wakes each resting process once a
 * tick). `#dev wait` is a rest that lasts until the device has input for the
 * process: pick polls the device once a tick for it, and it does not run
 * meanwhile (an idle prompt costs a poll a tick, not a switch). A switch saves only
 * the kernel's callee-saved registers (asm/swtch.asm): a preempted process's
 * full state is already in its trapframe. A slice whose last tick lands in the
 * kernel ends at the next tick that finds the process in ring 3.
 *
 * Starvation is measured per process (please loading, docs/please.md): the
 * Cycles it was runnable through from start to end without getting the CPU
 * (missed), and the longest it waited for the CPU once runnable (ms). Runnable
 * means in the table and neither resting nor waiting: a process that rested,
 * or waits (a wait is a rest), is runnable again from the next tick.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "trap.h"
#include "proc.h"
#include "device.h"
#include "pit.h"
#include "cmdline.h"
#include "kinst.h"
#include "please.h"

void	swtch(uint *save, uint next);
void	proc_activate(struct proc *p);	/* kernel/proc.c: LDT and TSS for p */

static uint slice = 10;		/* ticks */
static uint slicehz;		/* the tick rate slice was reckoned for */
static uint left;
static volatile int idling;	/* halted in yield: a tick now is nobody's */
static volatile uint tickno;	/* the timer's ticks, counted by tick() (pit_ticks's low half) */
uint	sched_cycles;		/* Cycles completed */
uint	sched_switches;
uint	sched_halted;		/* TSC ticks spent halted in yield (low 32 bits): make bench
				   subtracts them, under icount a halt jumps virtual time */

/* the tick count a rest is measured in: a process that rested during this tick
 * is passed over until the next one (its resting field is this count + 1) */
static uint
now(void)
{
	return tickno + 1;
}

/* a process in please #dev wait, at most once a tick: has the device received
 * more than its last receive brought in, or has a second passed (a service
 * that ended moves no more)? If not, it is passed over until the next tick
 * (the device is polled as a receive would) */
static int
news(struct proc *q, uint t)
{
	struct device *d = q->waiting;

	if(d->ops && d->ops->poll)
		d->ops->poll(d);
	if(d->incount == q->rxseen && (int)(t - q->waitend) < 0){
		q->resting = t;
		return 0;
	}
	q->waiting = 0;
	return 1;
}

/* a Cycle ends (the scan passes the table's end): a process runnable when it
 * began that has not had the CPU since missed it; then who is runnable now */
static void
cycle_end(uint t)
{
	struct proc *q, *end = procs + (procs_used ? procs_used : NPROC);

	sched_cycles++;
	for(q = procs; q < end; q++){
		if(q->state == P_RUN && q->cycleready && !q->cycleran && q != curproc)
			q->missed++;
		q->cycleran = 0;
		q->cycleready = q->state == P_RUN && q->resting != t && !q->waiting;
	}
}

/* the next process to run after p, or 0 if every one rested during this tick */
static struct proc*
pick(struct proc *p)
{
	uint i, n = procs_used ? procs_used : NPROC, t = now();
	struct proc *end = procs + n, *q = p >= procs && p < end ? p : end - 1;

	for(i = 0; i < n; i++){
		if(++q == end){		/* once around the list: a Cycle */
			q = procs;
			cycle_end(t);
		}
		if(q->state != P_RUN)
			continue;
		if(q->resting == t)	/* it rested in this tick: the others go first */
			continue;
		if(q->waiting){
			if(!news(q, t))
				continue;
			q->since = tickno;	/* runnable from its news on */
		}
		q->resting = 0;
		q->cycleran = 1;
		return q;
	}
	return 0;
}

/* q is runnable from now (a tick count, not now()'s tick + 1) */
void
sched_ready(struct proc *q)
{
	q->since = tickno;
}

/* n gets the CPU: how long it waited since it was runnable; p gives it up */
static void
waited(struct proc *n, struct proc *p, uint t)
{
	uint ms, hz = pit_gethz();

	ms = hz && (int)(tickno - n->since) > 0 ? (tickno - n->since) * 1000 / hz : 0;
	if(ms > n->maxwait)
		n->maxwait = ms;
	if(p && p->state == P_RUN)	/* a rest is runnable from the next tick */
		p->since = p->resting == t ? p->resting : tickno;
}

/* give up the CPU; returns when this process is chosen again */
void
yield(void)
{
	uint f = irqsave();
	struct proc *p = curproc, *n;

	while((n = pick(p)) == 0){
		terminal_echo_idle();
		uint t0, t1;
		idling = 1;
		asm volatile("rdtsc" : "=a"(t0) :: "edx");
		stihlt();		/* everybody rested: wait for an interrupt */
		cli();
		asm volatile("rdtsc" : "=a"(t1) :: "edx");
		sched_halted += t1 - t0;
		idling = 0;
	}
	left = slice;
	if(n != p){
		waited(n, p, now());
		sched_switches++;
		curproc = n;
		proc_activate(n);
		swtch(&p->kesp, n->kesp);
	}
	irqrestore(f);
}

/* please rest: wait one Cycle */
void
cycle_wait(void)
{
	if(curproc)
		curproc->resting = now();
	yield();
}

/* please #dev wait: rest until d has received more than the caller's last
 * receive from it brought in, for a second at most; a plain rest if that
 * receive was from another device (or by the fast path, which polls nothing:
 * the device moves by itself) */
void
input_wait(struct device *d)
{
	if(curproc && curproc->rxdev == d){
		curproc->waiting = d;
		curproc->waitend = now() + pit_gethz();
	}
	cycle_wait();
}

void	clock_tick(struct trapframe *tf);	/* devices/clock.c: .clock, keyboard, speaker */

/* the slice in ticks: slice= ms (default 10) at the tick's rate, which a
 * reflex changes while it runs (docs/reflex.md) */
static void
setslice(void)
{
	uint ms = cmdline_slice ? cmdline_slice : 10;

	slicehz = pit_gethz();
	slice = ms * slicehz / 1000 ? ms * slicehz / 1000 : 1;
	if(left > slice)
		left = slice;
}

/* loading: every second, each process's ticks in that second (please loading) */
uint	sched_interval;
static uint intervalstart, intervalticks;

static void
loading(void)
{
	struct proc *p;

	intervalticks++;
	if(pit_ms() - intervalstart < 1000)
		return;
	for(p = procs; p < procs + NPROC; p++){
		p->load = p->ticks - p->loadmark;
		p->loadmark = p->ticks;
	}
	sched_interval = intervalticks;
	intervalticks = 0;
	intervalstart = pit_ms();
}

static void
tick(struct trapframe *tf)
{
	tickno++;
	clock_tick(tf);
	if(pit_gethz() != slicehz)
		setslice();
	if(curproc == &kinst){		/* the please interpreter is never preempted */
		kinst_tick(tf);
		return;
	}
	loading();
	if(curproc == 0 || idling)
		return;
	curproc->ticks++;
	if(curproc->killer && (tf->cs & 3) == 3)	/* please kill: a loop in ring 3 ends here */
		proc_killed();
	if(left)
		left--;
	if(left == 0 && (tf->cs & 3) == 3)	/* a slice that ran out in the kernel ends here */
		yield();
}

/* start the first process; never returns */
void
sched_start(void)
{
	static uint bootesp;
	struct proc *n;

	setslice();
	left = slice;
	pit_ontick(tick);
	n = pick(0);
	if(n == 0)
		panic("sched_start: no process");
	waited(n, 0, now());
	curproc = n;
	proc_activate(n);
	swtch(&bootesp, n->kesp);
	panic("sched_start: returned");
}

/*
 * trap.c - where every vector's stub lands (asm/trap.asm calls trap).
 * IRQs go to irq_dispatch; an exception goes to the handler installed
 * for it with trap_sethandler; with none, an exception in ring 3 goes to the
 * process (kernel/proc.c) and one in the kernel is a panic. A handler
 * that returns resumes the interrupted code through the frame (which
 * it may have changed).
 */
#include "types.h"
#include "x86.h"
#include "trap.h"
#include "proc.h"

static traphandler *handlers[NIDT];

void
trap_sethandler(int vector, traphandler *h)
{
	if(vector >= 0 && vector < NIDT)
		handlers[vector] = h;
}

void
trap(struct trapframe *tf)
{
	if(tf->vector >= T_IRQ0 && tf->vector < T_IRQ0 + NIRQ){
		irq_dispatch(tf);
		return;
	}
	if(tf->vector < NIDT && handlers[tf->vector]){
		handlers[tf->vector](tf);
		return;
	}
	if((tf->cs & 3) == 3){		/* a process's fault is the process's business */
		proc_fault(tf);
		return;
	}
	panic_trap(tf);
}

/* from ring 0 the CPU pushes no esp/ss: the old stack ends where they would be */
uint
trap_esp(struct trapframe *tf)
{
	if(tf->cs & 3)
		return tf->esp;
	return (uint)&tf->esp;
}

uint
trap_ss(struct trapframe *tf)
{
	if(tf->cs & 3)
		return tf->ss;
	return rss();
}

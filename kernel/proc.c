/*
 * proc.c - H3sm instances in segments of their own. For now there is one: the
 * console's, an owner instance started after the banner (the login issue brings
 * more, and the scheduler). It gets a contiguous allocation, an LDT with ring-3
 * descriptors bounded to it, the H3sm image at IMAGE_ORG, a birth record naming
 * its terminal, and is entered at IMAGE_START with ESP = RSTACK_TOP.
 *
 * A CPU exception in ring 3 never reaches panic: the instance is sent to
 * IMAGE_FAULT with a THROW code in EAX, so the H3sm error path reports it and
 * the prompt comes back. An instance that keeps faulting there is restarted.
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
#include "multiboot.h"
#include "h3sm_layout.h"

extern uchar h3sm_image[], h3sm_image_end[];

struct tss {
	uint	link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint	eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint	es, cs, ss, ds, fs, gs, ldt;
	ushort	trap, iomap;
};

static struct tss tss;
static struct proc console_proc;
struct proc *curproc;

#define CONSOLE_MEM	(2u << 20)	/* bytes for the console's instance */
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

void*
uptr(uint off, uint len)
{
	struct proc *p = curproc;

	if(p == 0 || off > p->size || len > p->size - off)
		return 0;
	return (void*)(p->base + off);
}

static void
tss_init(void)
{
	static int done;

	if(done)
		return;
	done = 1;
	tss.ss0 = SEL_KDATA;
	tss.iomap = sizeof tss;		/* no I/O bitmap: IOPL decides */
	gdt_set(GDT_TSS, (uint)&tss, sizeof tss - 1, GDT_P | GDT_TSS32, 0);
	asm volatile("ltr %w0" :: "r"(SEL_TSS));
}

/* the memory after the kernel, aligned; the allocator of the process issue replaces this */
static uint
console_memory(void)
{
	uint base = ((uint)_end + 0xffff) & ~0xffffu;

	if(base + CONSOLE_MEM > bootinfo.memtop)
		panic("proc_console: %u KiB of memory is too little", bootinfo.memtop >> 10);
	return base;
}

static void
start(struct proc *p) __attribute__((noreturn));

static void
start(struct proc *p)
{
	uchar *m = (uchar*)p->base;
	uint n = h3sm_image_end - h3sm_image;
	const char *tn = p->term ? p->term->name : "";
	uint tl = strlen(tn);

	memset(m, 0, IMAGE_ORG);
	memcpy(m + IMAGE_ORG, h3sm_image, n);
	*(uint*)(m + BIRTH_OFF + BIRTH_FLAGS) = p->flags;
	if(tl > 31)
		tl = 31;
	m[BIRTH_OFF + BIRTH_TERM] = tl;
	memcpy(m + BIRTH_OFF + BIRTH_TERM + 1, tn, tl);
	if(p->blocks){
		tl = strlen(p->blocks->name);
		m[BIRTH_OFF + BIRTH_BLOCKS] = tl;
		memcpy(m + BIRTH_OFF + BIRTH_BLOCKS + 1, p->blocks->name, tl);
	}
	p->faults = 0;
	curproc = p;
	tss.esp0 = (uint)(p->kstack + KSTACK);
	asm volatile("lldt %w0" :: "r"(p->ldtsel));
	enter_ring3(IMAGE_START, USEL(LDT_CODE),
		EFLAGS_IF | (p->flags & PROC_OWNER ? EFLAGS_IOPL3 : 0),
		RSTACK_TOP, USEL(LDT_DATA));
}

void
proc_console(void)
{
	struct proc *p = &console_proc;

	tss_init();
	p->pid = 1;
	p->flags = PROC_OWNER | PROC_CONSOLE;
	p->base = console_memory();
	p->size = CONSOLE_MEM;
	p->term = dev_byname(".console");
	p->blocks = dev_byname(".disk");		/* BLOCK's device: the disk, if any */
	if(p->blocks == 0)
		p->blocks = dev_byname(".ramdisk");
	mkdesc(&p->ldt[2*LDT_CODE], p->base, p->size, 0xfa);	/* P, DPL 3, code, readable */
	mkdesc(&p->ldt[2*LDT_DATA], p->base, p->size, 0xf2);	/* P, DPL 3, data, writable */
	p->ldt[2*LDT_FLAT] = 0x0000ffff;			/* all 4 GiB: base 0, limit 0xfffff */
	p->ldt[2*LDT_FLAT+1] = 0x00cff200;			/* pages, 32-bit, P, DPL 3, data */
	p->ldtsel = gdt_set(GDT_FREE, (uint)p->ldt, sizeof p->ldt - 1, GDT_P | GDT_LDTDESC, 0);
	start(p);
}

/* one Cycle: with one process, until the next interrupt; serial lines nobody has
 * opened echo meanwhile (the scheduler of the process issue replaces this) */
void
cycle_wait(void)
{
	terminal_echo_idle();
	stihlt();
	cli();
}

void
proc_restart(void)
{
	start(curproc);
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

void
proc_fault(struct trapframe *tf)
{
	struct proc *p = curproc;

	if(p == 0)
		panic_trap(tf);
	if(++p->faults > 3 || tf->eip == IMAGE_FAULT){
		cprintf("\n[instance restarted after repeated faults]\n");
		proc_restart();
	}
	tf->eax = throwcode(tf);
	tf->eip = IMAGE_FAULT;
}

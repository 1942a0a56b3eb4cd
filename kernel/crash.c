/*
 * crash.c - crash=<kind> on the command line (tests only): make the CPU
 * raise a real exception, so the tests see the whole path from the IDT
 * to the panic. Each kind has its own function, so the panic must name
 * it (crash_de+0x...). ss and np borrow the GDT's last slot for a
 * descriptor marked not present; the machine halts anyway.
 */
#include "types.h"
#include "kernel.h"
#include "gdt.h"

#define NOINLINE __attribute__((noinline))

static NOINLINE void
crash_de(void)		/* #DE: divide by zero */
{
	asm volatile("xorl %%edx, %%edx; movl $1, %%eax; xorl %%ecx, %%ecx; divl %%ecx"
		: : : "eax", "ecx", "edx");
}

static NOINLINE void
crash_ud(void)		/* #UD: the instruction defined to be invalid */
{
	asm volatile("ud2");
}

static NOINLINE void
crash_gp(void)		/* #GP: a selector beyond the GDT's limit */
{
	asm volatile("movw $0xfff8, %%ax; movw %%ax, %%ds" : : : "eax", "memory");
}

static NOINLINE void
crash_bp(void)		/* #BP: a breakpoint nobody handles */
{
	asm volatile("int3");
}

static uint
absent(void)		/* a data segment marked not present */
{
	return gdt_set(GDT_NSLOTS - 1, 0, 0xfffff, GDT_DATA, GDT_G | GDT_D);
}

static NOINLINE void
crash_ss(void)		/* #SS: ss loaded with a segment not present */
{
	asm volatile("movw %w0, %%ss" : : "r"(absent()) : "memory");
}

static NOINLINE void
crash_np(void)		/* #NP: ds loaded with a segment not present */
{
	asm volatile("movw %w0, %%ds" : : "r"(absent()) : "memory");
}

static const struct {
	char name[4];
	void (*fn)(void);
} kinds[] = {
	{ "de", crash_de },
	{ "ud", crash_ud },
	{ "gp", crash_gp },
	{ "bp", crash_bp },
	{ "ss", crash_ss },
	{ "np", crash_np },
};

void
crash(const char *kind)
{
	uint i;

	for(i = 0; i < nelem(kinds); i++)
		if(strcmp(kind, kinds[i].name) == 0)
			kinds[i].fn();
	panic("crash: %s did not trap", kind);
}

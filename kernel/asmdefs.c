/*
 * asmdefs.c - constants the assembler shares with C, generated, not copied.
 * Never linked: mk/kernel.mk compiles it with -S and turns every
 * "->NAME value" line of the output into "%define NAME value" in
 * build/gen/asmdefs.inc, which the .asm files include.
 */
#include "types.h"
#include "gdt.h"
#include "trap.h"
#include "device.h"
#include "proc.h"
#include "h3sm_layout.h"

#define DEF(name, v)	asm volatile("\n->" #name " %c0" : : "i"(v))
#define OFF(name, s, m)	DEF(name, __builtin_offsetof(struct s, m))

void
asmdefs(void)
{
	OFF(TF_GS, trapframe, gs);
	OFF(TF_FS, trapframe, fs);
	OFF(TF_ES, trapframe, es);
	OFF(TF_DS, trapframe, ds);
	OFF(TF_EDI, trapframe, edi);
	OFF(TF_EAX, trapframe, eax);
	OFF(TF_VECTOR, trapframe, vector);
	OFF(TF_ERR, trapframe, err);
	OFF(TF_EIP, trapframe, eip);
	OFF(TF_CS, trapframe, cs);
	OFF(TF_EFLAGS, trapframe, eflags);
	OFF(TF_ESP, trapframe, esp);
	OFF(TF_SS, trapframe, ss);
	DEF(TF_SIZE, sizeof(struct trapframe));

	DEF(T_IRQ0, T_IRQ0);
	DEF(NIRQ, NIRQ);
	DEF(T_CALL0, T_CALL0);
	DEF(NCALLS, NCALLS);
	DEF(NIDT, NIDT);

	DEF(GDT_NSLOTS, GDT_NSLOTS);
	DEF(GDT_KCODE, GDT_KCODE);
	DEF(GDT_KDATA, GDT_KDATA);
	DEF(SEL_KCODE, SEL_KCODE);
	DEF(SEL_KDATA, SEL_KDATA);

	/* the receive fast path (asm/calls.asm) */
	OFF(PROC_SIZE, proc, size);
	OFF(PROC_RXOK, proc, rxok);
	OFF(PROC_KILLER, proc, killer);
	OFF(DEV_CHANNELS, device, channels);
	OFF(DEV_INCOUNT, device, incount);
	DEF(DEV_SIZE, sizeof(struct device));
	DEF(NDEV, NDEV);
	DEF(CH_RECEIVE, CH_RECEIVE);
	DEF(RING_COUNT, RING_COUNT);
	DEF(RING_DATA, RING_DATA);
}

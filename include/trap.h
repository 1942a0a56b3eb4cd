/*
 * trap.h - interrupt vectors, the trap frame, and how C hooks into them.
 *
 * Every vector's stub (asm/trap.asm) builds a struct trapframe on the
 * current stack and calls trap(tf). The layout is this struct; the
 * assembler gets its offsets from build/gen/asmdefs.inc, generated from
 * this file by kernel/asmdefs.c, and asm/trap.asm refuses to assemble
 * if its push order does not build exactly this struct.
 *
 * Vectors (docs/contracts.md): 0x00-0x1f exceptions, 0x20-0x2f IRQ 0-15,
 * 0x30-0x34 the five calls (the only DPL 3 gates), the rest not present.
 */
#define T_DE		0	/* divide error */
#define T_DB		1
#define T_NMI		2
#define T_BP		3	/* int3 */
#define T_DF		8
#define T_TS		10
#define T_NP		11	/* segment not present */
#define T_SS		12	/* stack-segment fault */
#define T_GP		13	/* general protection */
#define T_PF		14
#define T_IRQ0		0x20	/* IRQ n is vector T_IRQ0+n */
#define NIRQ		16
#define T_CALL0		0x30	/* read, write, send, receive, please */
#define NCALLS		5
#define NIDT		256

struct trapframe {
	/* pushed by trapcommon, last first */
	uint gs, fs, es, ds;
	uint edi, esi, ebp, oesp, ebx, edx, ecx, eax;	/* pushal; oesp unused */
	/* pushed by the vector's stub */
	uint vector;
	uint err;		/* CPU error code, or 0 pushed by the stub */
	/* pushed by the CPU */
	uint eip, cs, eflags;
	uint esp, ss;		/* only when the trap came from ring 3 */
};

typedef void traphandler(struct trapframe *tf);
typedef void irqhandler(int irq, struct trapframe *tf);

void trap(struct trapframe *tf);			/* called by asm/trap.asm */
void panic_trap(struct trapframe *tf) __attribute__((noreturn));	/* kernel/panic.c */
void trap_sethandler(int vector, traphandler *h);	/* exceptions; nil = panic */
int irq_register(int irq, irqhandler *h);	/* install h and unmask irq; -1 if taken */
void irq_unregister(int irq);		/* mask irq and forget its handler */
void irq_dispatch(struct trapframe *tf);
extern uint irqcount[NIRQ];		/* interrupts taken per line */
extern uint irqspurious;		/* spurious IRQ 7/15 seen */

/* asm/idt.asm */
void idt_set(int vector, void (*entry)(void), int dpl);	/* present 32-bit interrupt gate */
void idt_clear(int vector);				/* not present */

/* the trap's esp and ss as they were before the CPU pushed the frame */
uint trap_esp(struct trapframe *tf);
uint trap_ss(struct trapframe *tf);

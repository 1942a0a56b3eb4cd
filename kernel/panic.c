/*
 * panic.c - stop the machine and say why, on VGA and COM1.
 * panic_trap prints an unhandled exception in the format of
 * docs/contracts.md (names the vector and the function holding eip);
 * panic(fmt, ...) is for the kernel's own "function: reason" and adds
 * the chain of callers. Both halt with interrupts off, forever.
 * COM1 is written by polling: interrupts are off and the transmit
 * ring may be half updated. A panic during a panic just halts.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "trap.h"
#include "uart.h"
#include "vga.h"

const char *exception_names[32] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint",
	"overflow", "bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack-segment fault", "general protection", "page fault", "reserved 15",
	"x87 floating-point error", "alignment check", "machine check", "SIMD floating-point",
	"virtualization", "control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"hypervisor injection", "VMM communication", "security", "reserved 31",
};

static int panicking;
extern char kstack[], kstack_top[];

static void
put(int c)
{
	vga_putc(c);
	if(c == '\n')
		uart_putc_polled(0, '\r');
	uart_putc_polled(0, c);
}

static void
pprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(put, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn))
halt(void)
{
	for(;;)
		asm volatile("cli; hlt");
}

static void
start(void)
{
	cli();
	if(panicking++)
		halt();
	uart_flush_polled(0);	/* what was said before the panic, in order */
	vga_setcolor(VGA_WHITE, VGA_RED);
	if(!klogbol)
		pprintf("\n");
}

static void
symbol(uint addr)
{
	const char *name;
	uint off;

	if((name = ksym_lookup(addr, &off)) == nil)
		pprintf("?+0x%x", addr);
	else
		pprintf("%s+0x%x", name, off);
}

void
panic_trap(struct trapframe *tf)
{
	start();
	pprintf("PANIC: %s (vector %d) error code 0x%08x\n",
		tf->vector < 32 ? exception_names[tf->vector] : "unexpected interrupt", tf->vector, tf->err);
	pprintf("eip=%08x ", tf->eip);
	symbol(tf->eip);
	pprintf("  cs=%04x eflags=%08x\n", tf->cs & 0xffff, tf->eflags);
	pprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	pprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi, tf->ebp, trap_esp(tf));
	pprintf("ds=%04x es=%04x fs=%04x gs=%04x ss=%04x cr0=%08x cr2=%08x\n",
		tf->ds & 0xffff, tf->es & 0xffff, tf->fs & 0xffff, tf->gs & 0xffff,
		trap_ss(tf) & 0xffff, rcr0(), rcr2());
	pprintf("system halted.\n");
	halt();
}

void
panic(const char *fmt, ...)
{
	va_list ap;
	uint *fp, i;

	start();
	pprintf("PANIC: ");
	va_start(ap, fmt);
	kvprintf(put, fmt, ap);
	va_end(ap);
	pprintf("\ncallers:");
	/* the frame-pointer chain (mk/kernel.mk keeps ebp); _start ends it with 0 */
	fp = (uint*)rebp();
	for(i = 0; i < 10 && (char*)fp >= kstack && (char*)(fp+2) <= kstack_top; i++){
		pprintf(" ");
		symbol(fp[1]);
		fp = (uint*)fp[0];
	}
	pprintf("\nsystem halted.\n");
	halt();
}

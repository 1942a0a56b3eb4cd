/*
 * bequeath.c - please bequeath (owners only, docs/please.md): leave Ha3sm for
 * a binary. The binary (from the message after ETX, or from the owner's
 * memory) is copied to BEQUEATH_AT and entered with this machine state:
 *
 *   protected mode, no paging, ring 0; interrupts off (IF clear), every 8259
 *   line masked, NMI off (CMOS port 0x70 bit 7), the IDT empty (limit 0: any
 *   interrupt or exception resets the machine until the binary loads its own);
 *   the kernel's GDT: CS = 0x08 flat code, DS ES FS GS SS = 0x10 flat data;
 *   EIP = BEQUEATH_AT, ESP = BEQUEATH_AT (the stack grows down below it);
 *   EAX = 0x4833534d ("H3SM"), EBX = usable RAM in KiB, ECX = the binary's
 *   length, EDX = the end of the RAM that starts at 1 MiB; A20 on; the VGA
 *   text screen and the serial lines as Ha3sm left them.
 *
 * Nothing comes back: the processes, the devices and the kernel are gone.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "please.h"
#include "multiboot.h"

void
bequeath(const uchar *bin, uint len)
{
	static const ushort noidt[3];

	cli();
	outb(0x70, 0x80);		/* NMI off */
	outb(0x21, 0xff);		/* every 8259 line masked */
	outb(0xa1, 0xff);
	kprintf("bequeath: %u bytes at %x\n", len, BEQUEATH_AT);
	memmove((void*)BEQUEATH_AT, bin, len);
	asm volatile(
		"lidt (%0)\n\t"
		"movl %1, %%esp\n\t"
		"pushl $0x08\n\t"
		"pushl %1\n\t"
		"movl $0x10, %%eax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"movw %%ax, %%ss\n\t"
		"movl $0x4833534d, %%eax\n\t"
		"lret"
		:: "r"(noidt), "r"(BEQUEATH_AT), "b"(bootinfo.memkib), "c"(len), "d"(bootinfo.memtop)
		: "memory");
	for(;;)
		;
}

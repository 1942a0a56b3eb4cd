/*
 * main.c - kmain, where C starts (asm/boot.asm calls it with the GDT and
 * IDT loaded, interrupts off). It reads the multiboot information,
 * starts the drivers, prints the banner of docs/contracts.md on VGA
 * and COM1, applies the command line, makes the terminals devices and
 * starts the console's H3sm instance in ring 3. It never returns.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "multiboot.h"
#include "chip.h"
#include "console.h"
#include "cmdline.h"
#include "blkdev.h"
#include "device.h"
#include "trap.h"
#include "proc.h"
#include "names.h"

void crash(const char *kind);

static void
unknown(const char *word)
{
	kprintf("unknown option: %s (ignored)\n", word);
}

void
kmain(uint magic, struct mbinfo *mbi)
{
	multiboot_parse(magic, mbi);
	chips_init();
	kprintf("Ha3sm 0.1 -- Hohensee's autonomous 3-stack machine\n");
	kprintf("memory: %u KiB\n", bootinfo.memkib);
	kprintf("command line: %s\n", bootinfo.hascmdline ? bootinfo.cmdline : "(none)");
	cmdline_parse(bootinfo.cmdline, unknown);
	console_select(cmdline_console);
	kprintf("ready.\n");
	blktest_run();
	if(cmdline_crash[0])
		crash(cmdline_crash);
	login_off = !cmdline_login;
	terminal_init();
	names_apply_defaults();
	proc_init();
	proc_boot();
	sched_start();
}

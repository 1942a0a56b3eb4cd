/*
 * multiboot.h - what GRUB legacy (multiboot 0.6.96) hands the kernel,
 * and bootinfo, the kernel's digest of it (kernel/multiboot.c).
 */
#define MB_BOOTMAGIC	0x2BADB002	/* in eax at _start */

#define MBI_MEM		(1<<0)		/* mem_lower, mem_upper valid */
#define MBI_CMDLINE	(1<<2)
#define MBI_MMAP	(1<<6)

struct mbinfo {
	uint flags;
	uint mem_lower;		/* KiB below 1 MiB */
	uint mem_upper;		/* KiB from 1 MiB up to the first hole */
	uint boot_device;
	uint cmdline;		/* physical address of a NUL-terminated string */
	uint mods_count, mods_addr;
	uint syms[4];
	uint mmap_length, mmap_addr;
};

/* entries are size bytes long, not counting size itself */
struct mbmmap {
	uint size;
	uvlong addr, len;
	uint type;		/* 1: usable RAM */
} __attribute__((packed));

struct bootinfo {
	uint memkib;		/* usable RAM in KiB, all of it */
	uint memtop;		/* end of the usable RAM that starts at 1 MiB */
	char cmdline[256];	/* copy of the command line; "" if none */
	int hascmdline;
};

extern struct bootinfo bootinfo;
void multiboot_parse(uint magic, struct mbinfo *mbi);

/*
 * multiboot.c - read what the loader says about the machine into
 * bootinfo: usable memory (from the memory map when there is one, else
 * mem_lower + mem_upper) and a copy of the command line (trailing
 * spaces cut: qemu -kernel adds one). Without the multiboot magic
 * nothing in *mbi can be trusted, and bootinfo stays empty.
 */
#include "types.h"
#include "kernel.h"
#include "multiboot.h"

struct bootinfo bootinfo;

static void
memmap(struct mbinfo *mbi)
{
	struct mbmmap *m;
	uint a, end;
	uvlong top, kib;

	kib = 0;
	end = mbi->mmap_addr + mbi->mmap_length;
	for(a = mbi->mmap_addr; a < end; a += m->size + 4){
		m = (struct mbmmap*)a;
		if(m->type != 1 || m->addr >= 0x100000000ULL)
			continue;
		top = m->addr + m->len;
		if(top > 0x100000000ULL)
			top = 0x100000000ULL;
		kib += (top - m->addr) >> 10;
		if(m->addr <= 0x100000 && top > 0x100000)
			bootinfo.memtop = top == 0x100000000ULL ? 0xfffff000 : (uint)top;
	}
	bootinfo.memkib = kib;
}

void
multiboot_parse(uint magic, struct mbinfo *mbi)
{
	const char *s;
	uint n;

	if(magic != MB_BOOTMAGIC)
		return;
	if(mbi->flags & MBI_MMAP)
		memmap(mbi);
	if(bootinfo.memkib == 0 && (mbi->flags & MBI_MEM)){
		bootinfo.memkib = mbi->mem_lower + mbi->mem_upper;
		bootinfo.memtop = 0x100000 + (mbi->mem_upper << 10);
	}
	if((mbi->flags & MBI_CMDLINE) && mbi->cmdline){
		s = (const char*)mbi->cmdline;
		for(n = 0; s[n] && n < sizeof bootinfo.cmdline - 1; n++)
			bootinfo.cmdline[n] = s[n];
		while(n > 0 && bootinfo.cmdline[n-1] == ' ')
			n--;
		bootinfo.cmdline[n] = 0;
		bootinfo.hascmdline = n > 0;
	}
}

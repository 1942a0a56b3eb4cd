/*
 * gdt.h - the global descriptor table (asm/gdt.asm).
 * Slots: 0 null, 1 ring-0 flat code (0x08), 2 ring-0 flat data (0x10),
 * 3 the TSS (0x18, filled in by whoever creates the TSS), 4.. free.
 * Callers own the slots they set; GDT_FREE..GDT_NSLOTS-1 are unclaimed
 * at boot (crash=ss/np borrows the last one, then the CPU halts).
 * These numbers reach the assembler through build/gen/asmdefs.inc.
 */
#define GDT_NULL	0
#define GDT_KCODE	1
#define GDT_KDATA	2
#define GDT_TSS		3
#define GDT_FREE	4	/* first slot nobody owns */
#define GDT_NSLOTS	64

#define SEL(slot, rpl)	((slot)<<3 | (rpl))
#define SEL_KCODE	SEL(GDT_KCODE, 0)
#define SEL_KDATA	SEL(GDT_KDATA, 0)
#define SEL_TSS		SEL(GDT_TSS, 0)
#define SEL_LDT		4	/* table indicator bit: the selector indexes the LDT */

/* access byte */
#define GDT_P		0x80	/* present */
#define GDT_DPL(n)	((n)<<5)
#define GDT_S		0x10	/* code or data (not a system descriptor) */
#define GDT_CODE	0x1a	/* S | executable | readable */
#define GDT_DATA	0x12	/* S | writable */
#define GDT_TSS32	0x09	/* available 386 TSS (system) */
#define GDT_LDTDESC	0x02	/* LDT (system) */

/* flags nibble */
#define GDT_G		0x8	/* limit counts 4 KiB pages */
#define GDT_D		0x4	/* 32-bit segment */

/*
 * Fill slot index: base, a 20-bit limit (bytes, or pages with GDT_G),
 * the access byte and the flags nibble. Returns the selector (RPL 0),
 * or 0 if index is out of range or the null slot.
 */
uint gdt_set(uint index, uint base, uint limit, uint access, uint flags);

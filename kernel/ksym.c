/*
 * ksym.c - name the function that contains an address, from the table
 * the build embeds in the kernel (tools/gensyms.sh writes it from the
 * first link; see mk/kernel.mk). ksym_table is sorted by address and
 * holds every text symbol; names are NUL-terminated in ksym_names.
 */
#include "types.h"
#include "kernel.h"

struct ksym {
	uint addr;
	uint name;		/* offset in ksym_names */
};

extern const uint ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

const char*
ksym_lookup(uint addr, uint *off)
{
	int lo, hi, mid;

	if(ksym_count == 0 || addr < ksym_table[0].addr || addr >= (uint)_etext)
		return nil;
	lo = 0;
	hi = ksym_count - 1;
	while(lo < hi){		/* the last entry with addr <= the address */
		mid = (lo + hi + 1) / 2;
		if(ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	if(off)
		*off = addr - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}

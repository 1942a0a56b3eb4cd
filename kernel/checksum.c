/*
 * checksum.c - a checksum of the kernel's code and read-only data, from the
 * start of .text (1 MiB) to the end of .rodata (kernel/kernel.ld: _erodata).
 * Nothing there may change while the system runs: the call fuzzer
 * (tests/fuzz/calls.fs, tests/test_fuzz_calls.py) asks for it with the
 * owner-only please command `checksum` before and after a run and compares.
 * FNV-1a, 32 bits: cheap, and any changed byte changes it.
 */
#include "types.h"
#include "kernel.h"

extern uchar _erodata[];

uint
kernel_checksum(uint *bytes)
{
	const uchar *p = (const uchar*)0x100000, *e = _erodata;
	uint h = 2166136261u;

	*bytes = e - p;
	for(; p < e; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

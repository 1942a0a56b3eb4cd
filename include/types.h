/*
 * types.h - the kernel's integer types, xv6/Plan 9 style.
 * Every kernel file includes this first. The kernel is 32-bit i386:
 * uint and pointers are 32 bits wide, uvlong is 64.
 */
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long long uvlong;
typedef long long vlong;

#define nil ((void*)0)
#define nelem(a) (sizeof(a)/sizeof((a)[0]))

/*
 * x86.h - inline wrappers for the instructions C cannot say:
 * port I/O, interrupt flag, control registers.
 * irqsave()/irqrestore() are the kernel's only lock (one CPU):
 *	uint f = irqsave(); ...touch shared state...; irqrestore(f);
 * They nest, and restore IF exactly as it was.
 */
#define FL_IF 0x200		/* eflags: interrupts enabled */

static inline uchar
inb(ushort port)
{
	uchar v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outb(ushort port, uchar v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* n bytes from buf to one port (rep outsb: a FIFO's worth in one instruction) */
static inline void
outsb(ushort port, const uchar *buf, uint n)
{
	asm volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

/* how many bytes of s[0..n-1] come before the first c (n if none): repne scasb */
static inline uint
spanto(const uchar *s, uint n, uchar c)
{
	uint left = n;

	if(n == 0)
		return 0;
	asm volatile("repne scasb" : "+D"(s), "+c"(left) : "a"(c) : "memory", "cc");
	return s[-1] == c ? n - left - 1 : n;
}

static inline ushort
inw(ushort port)
{
	ushort v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(ushort port, ushort v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/* a write to an unused port: about 1 us on ISA, enough for old chips */
static inline void
iodelay(void)
{
	outb(0x80, 0);
}

static inline uint
readeflags(void)
{
	uint f;

	asm volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void
cli(void)
{
	asm volatile("cli" ::: "memory");
}

static inline void
sti(void)
{
	asm volatile("sti" ::: "memory");
}

/* enable interrupts and sleep until one arrives; sti delays IF by one
 * instruction, so no interrupt can slip between the two */
static inline void
stihlt(void)
{
	asm volatile("sti; hlt" ::: "memory");
}

static inline uint
irqsave(void)
{
	uint f;

	asm volatile("pushfl; popl %0; cli" : "=r"(f) : : "memory");
	return f;
}

static inline void
irqrestore(uint f)
{
	if(f & FL_IF)
		asm volatile("sti" ::: "memory");
}

static inline uint
rcr0(void)
{
	uint v;

	asm volatile("movl %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint
rcr2(void)
{
	uint v;

	asm volatile("movl %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint
rebp(void)
{
	uint v;

	asm volatile("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline ushort
rss(void)
{
	ushort v;

	asm volatile("movw %%ss, %0" : "=r"(v));
	return v;
}

/* a byte of memory at a fixed physical address (the BIOS data area);
 * the empty asm hides the constant from gcc's array-bounds warning */
static inline uchar
peekb(uint addr)
{
	volatile uchar *p;

	p = (volatile uchar*)addr;
	asm("" : "+r"(p));
	return *p;
}

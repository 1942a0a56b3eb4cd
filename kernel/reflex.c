/*
 * reflex.c - the reflex: one periodic hard-realtime routine on the machine's
 * highest-priority interrupt, the NMI (docs/reflex.md, include/reflex.h).
 *
 * The timer: PIT channel 0. Its output goes to the 8259's IRQ 0 (the system
 * tick, as always) and to the I/O APIC's input 2; while a reflex runs, that
 * input is programmed for NMI delivery to the boot CPU, and the channel runs
 * at the reflex's period (the tick follows: drivers/pit8254.c, kernel/sched.c).
 * asm/reflex.asm is the NMI's entry: it runs the routine once per expiry,
 * whatever the CPU was doing, and keeps the figures the bench reads.
 *
 * Control, owners only, through please (please/please.c):
 *	install count | tone <hz> | sample <port> | <address> <length>
 *	start <period> [<runs>]		(period: <n>, <n>hz, <n>khz, <n>us, <n>ns)
 *	stop				(the report of the last run, also later)
 *	calibrate [<period>]		(the timer against the TSC, the entry's cost)
 * A routine given by address is copied out of the caller's segment into the
 * kernel (rx_code), so the process may change or leave its memory afterwards.
 *
 * A reflex that faults (a CPU exception in the routine: the handlers installed
 * here for the exceptions a routine can raise) or overruns (its next expiry
 * finds it still running: asm/reflex.asm) is abandoned at once and marked
 * stopping; the next tick masks the NMI, puts the PIT back to PIT_HZ and logs
 * the report (reflex_deferred). Nothing else stops the machine for it.
 *
 * The figures are TSC ticks: under QEMU -icount shift=0 a TSC tick is one
 * guest instruction (and one nanosecond of virtual time). The latency of run
 * k is its start minus the expiry E_k = t0 + RX_LOADK + (k * div + 1) PIT
 * clocks (expiry()), where t0 is the TSC just before the PIT count was loaded
 * (pit_setdivisor) and a PIT clock is tpci.tpcf TSC ticks (10^9 / 1193182
 * until calibrate measures it), kept as 32.32 fixed point.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "trap.h"
#include "device.h"
#include "proc.h"
#include "pit.h"
#include "please.h"
#include "reflex.h"

enum { RX_OFF, RX_RUN, RX_STOPPING };
enum { WHY_NONE, WHY_STOP, WHY_LIMIT, WHY_OVERRUN, WHY_FAULT };
enum { K_COUNT, K_TONE, K_SAMPLE, K_CODE, K_MEASURE };

/* asm/reflex.asm */
extern volatile uchar rx_busy, rx_why;
extern volatile uint rx_routine, rx_scratchp, rx_incp, rx_where, rx_late, rx_runmax, rx_worstip;
extern volatile uint rx_per, rx_perf, rx_expf, rx_jitmax, rx_hist[6];
extern volatile int rx_latmax, rx_latmin, rx_latprev, rx_haltmax, rx_busymax;
extern volatile uint rx_haltn, rx_haltip, rx_oddn, rx_odd[32];
extern volatile uvlong rx_runs, rx_limit, rx_exp, rx_t, rx_tfirst;
extern volatile vlong rx_latsum;
extern uchar rx_ring[RXRING], rx_code[RXCODE];
void	reflex_nmi(void), rx_abort(void);
void	rx_count(void), rx_tone(void), rx_sample(void), rx_measure(void);

#define IOAPIC		0xfec00000u
#define PITPIN		2		/* ISA IRQ 0's I/O APIC input (the MADT's override) */
#define RED_NMI		(4 << 8)	/* delivery mode NMI; edge, active high, physical */
#define RED_MASKED	(1 << 16)
#define RX_LOADK	5		/* TSC ticks from t0 to the period's start (measured) */
#define RX_EXPF0	0		/* the expiries' starting fraction (measured) */
#define MINDIV		24		/* 49,716 Hz: the fastest reflex */
#define CALRUNS		1000

static int inited;
static const char *hwerr;		/* why this machine cannot run a reflex, or nil */
static uint apicid;			/* the boot CPU's, the NMI's destination */
static struct device *rxdev;
static uint scratch[RXSCRATCH/4];	/* the routine's own bytes (EDX) */
static int kind;
static uint tonehz, port, codelen;
static uint tpci, tpcf;			/* TSC ticks per PIT input clock, 32.32 */
static int calibrated;
static uint div;			/* the PIT divisor of the current or last run */
static uvlong t0, tstop;		/* its start (the TSC at the PIT's load) and stop */
static int started;
static uint why, faultvec;		/* why the last run stopped */
static const struct devops rxops;	/* nothing to poll: the NMI appends */
static uint tickn, tickmax, tickwhere;	/* IRQ 0 on the reflex's expiries (reflex_tick) */
static uvlong ticksum;

extern const char *exception_names[];	/* kernel/panic.c */

static const int faultvecs[] = { 0, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19 };

static inline uvlong
rdtsc(void)
{
	uint lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uvlong)hi << 32 | lo;
}

static volatile uint*
mmio(uint addr)
{
	volatile uint *p = (volatile uint*)addr;

	asm("" : "+r"(p));		/* a fixed address: hide it from gcc's bounds checks */
	return p;
}

static uint
ioapic_read(uint reg)
{
	*mmio(IOAPIC) = reg;
	return *mmio(IOAPIC + 0x10);
}

static void
ioapic_write(uint reg, uint v)
{
	*mmio(IOAPIC) = reg;
	*mmio(IOAPIC + 0x10) = v;
}

/* (hi:lo) / d for hi < d: one divl */
static uint
div64(uint hi, uint lo, uint d, uint *rem)
{
	uint q, r;

	asm("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
	if(rem)
		*rem = r;
	return q;
}

/* n / d, 64 by 32 bits (no libgcc here) */
static uvlong
udiv(uvlong n, uint d, uint *rem)
{
	uint hi = n >> 32, qhi = hi / d;

	return (uvlong)qhi << 32 | div64(hi % d, (uint)n, d, rem);
}

/* i.f * n, 32.32 times an integer, as 32.32 */
static void
mul32(uint i, uint f, uint n, uint *ri, uint *rf)
{
	uvlong lo = (uvlong)f * n;

	*rf = (uint)lo;
	*ri = i * n + (uint)(lo >> 32);
}

/* ---- the machine: a local APIC, an I/O APIC ---- */

static int
hascpuid(void)
{
	uint a, b;

	asm volatile("pushfl; popl %0; movl %0, %1; xorl $0x200000, %0;"
		"pushl %0; popfl; pushfl; popl %0; pushl %1; popfl"
		: "=&r"(a), "=&r"(b));
	return ((a ^ b) & 0x200000) != 0;
}

static const char*
probe(void)
{
	uint a, b, c, d, lo, hi, v;

	if(!hascpuid())
		return "no CPUID, so no local APIC: the reflex needs an NMI from the I/O APIC";
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if(!(d & (1 << 9)) || !(d & (1 << 5)))
		return "no local APIC: the reflex needs an NMI from the I/O APIC";
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1b));
	if(!(lo & (1 << 11)))
		return "the local APIC is disabled";
	apicid = *mmio((lo & 0xfffff000) + 0x20) >> 24;
	v = ioapic_read(1);
	if((v & 0xff) < 0x10 || (v & 0xff) > 0x2f || ((v >> 16) & 0xff) < PITPIN)
		return "no I/O APIC at $FEC00000: the reflex needs its NMI delivery";
	return 0;
}

static void	rx_fault(struct trapframe *tf);

static void
init(void)
{
	uint i;

	if(inited)
		return;
	inited = 1;
	tpci = 1000000000u / PIT_CLOCK;		/* the TSC counts nanoseconds (icount) */
	tpcf = div64(1000000000u % PIT_CLOCK, 0, PIT_CLOCK, 0);
	/* the idle loop's sti; hlt (kernel/sched.c, yield): an NMI that finds the
	 * CPU there woke it, and QEMU's clock may have moved on by itself */
	for(i = 0; i < 128; i++)
		if(((uchar*)yield)[i] == 0xfb && ((uchar*)yield)[i+1] == 0xf4){
			rx_haltip = (uint)yield + i + 2;
			break;
		}
	rx_scratchp = (uint)scratch;
	rx_routine = (uint)rx_count;
	kind = K_COUNT;
	if((hwerr = probe()) == 0)
		ioapic_write(0x10 + 2*PITPIN, RED_MASKED | RED_NMI);
	idt_set(T_NMI, reflex_nmi, 0);
	for(i = 0; i < nelem(faultvecs); i++)
		trap_sethandler(faultvecs[i], rx_fault);
	if(ndev < NDEV){
		rxdev = dev_add(".reflex", DEV_STREAM, CH_RECEIVE, &rxops);
		rxdev->in = rx_ring;
		rxdev->insize = RXRING;
		rx_incp = (uint)&rxdev->incount;
	}
}

/* ---- running and stopping ---- */

/*
 * The expiry of run k (1, 2, ...): the PIT loads the count one input clock
 * after it is written, so the k-th period ends k*div + 1 clocks after t0:
 * t0 + RX_LOADK + (k*div + 1) clocks, a clock being tpci.tpcf TSC ticks and
 * a period rx_per.rx_perf (set by start).
 */
static uvlong
expiry(uvlong k)
{
	return t0 + RX_LOADK + tpci + k * rx_per
		+ (((uvlong)RX_EXPF0 + tpcf + k * rx_perf) >> 32);
}

static const char*
start(uint d, uvlong limit)
{
	uint pi, pf, f;
	uvlong e;

	if(hwerr)
		return hwerr;
	if(rx_state != RX_OFF)
		return "the reflex is running: stop it first";
	mul32(tpci, tpcf, d, &pi, &pf);
	if(kind == K_TONE){
		if(2 * tonehz * d >= PIT_CLOCK)
			return "the tone is too high for that period (at most half the rate)";
		scratch[0] = 0;
		scratch[1] = div64(2 * tonehz * d, 0, PIT_CLOCK, 0);
	}
	rx_per = pi;
	rx_perf = pf;
	rx_runs = 0;
	rx_limit = limit ? limit : ~0ull;
	rx_latsum = 0;
	rx_latmax = (int)0x80000000;
	rx_latmin = 0x7fffffff;
	rx_latprev = 0;
	rx_haltn = 0;
	rx_oddn = 0;
	rx_haltmax = rx_busymax = (int)0x80000000;
	rx_jitmax = 0;
	rx_runmax = 0;
	rx_late = 0;
	memset((void*)rx_hist, 0, sizeof rx_hist);
	tickn = tickmax = 0;
	ticksum = 0;
	rx_why = WHY_NONE;
	rx_busy = 0;
	rx_pending = 0;
	faultvec = 0;
	f = irqsave();
	rx_state = RX_RUN;
	div = d;
	t0 = pit_setdivisor(d);
	e = expiry(1);
	rx_exp = e;
	rx_expf = (uint)(RX_EXPF0 + tpcf + pf);
	ioapic_write(0x11 + 2*PITPIN, apicid << 24);
	ioapic_write(0x10 + 2*PITPIN, RED_NMI);		/* unmasked: the NMIs begin */
	started = 1;
	irqrestore(f);
	return 0;
}

/* the NMI off, the PIT back to the tick's rate; interrupts off */
static void
halt(uint reason)
{
	ioapic_write(0x10 + 2*PITPIN, RED_MASKED | RED_NMI);
	tstop = rdtsc();
	if(rx_state == RX_RUN)
		rx_why = reason;
	rx_state = RX_OFF;
	rx_pending = 0;
	why = rx_why;
	pit_sethz(PIT_HZ);
	if(kind == K_TONE)
		outb(0x61, inb(0x61) & ~3);
}

static void
rx_fault(struct trapframe *tf)
{
	if(rx_busy && (tf->cs & 3) == 0){	/* the routine: abandon it */
		if(rx_state == RX_RUN){
			rx_where = tf->eip;
			faultvec = tf->vector;
			rx_why = WHY_FAULT;
			rx_state = RX_STOPPING;
			rx_pending = 1;
		}
		tf->eip = (uint)rx_abort;
		return;
	}
	if((tf->cs & 3) == 3)			/* what trap() does without a handler */
		proc_fault(tf);
	else
		panic_trap(tf);
}

/* ---- the report ---- */

struct out {
	char	*buf;
	uint	cap, len;
};

static void
put(struct out *o, const char *s)
{
	for(; *s; s++, o->len++)
		if(o->len < o->cap)
			o->buf[o->len] = *s;
}

static void
putu64(struct out *o, uvlong n)
{
	char b[24];
	int i = 23;

	b[i] = 0;
	do{
		b[--i] = '0' + (uint)(n % 10);
		n = udiv(n, 10, 0);
	}while(n);
	put(o, b + i);
}

/* i.f with three decimals */
static void
putfix(struct out *o, uint i, uint f)
{
	char b[16];
	uint m = ((uvlong)f * 1000 + (1u << 31)) >> 32;

	if(m == 1000){
		i++;
		m = 0;
	}
	ksnprintf(b, sizeof b, "%u.%03u", i, m);
	put(o, b);
}

static void
say(struct out *o, const char *fmt, uint a, uint b, uint c)
{
	char t[160];

	ksnprintf(t, sizeof t, fmt, a, b, c);
	put(o, t);
}

/* where: an address in the routine as +offset */
static void
putwhere(struct out *o, uint eip)
{
	uint base = rx_routine;

	if(kind == K_CODE && eip >= base && eip < base + RXCODE)
		say(o, "+%u in the routine", eip - base, 0, 0);
	else
		say(o, "%x", eip, 0, 0);
}


/* how many expiries came at or before t */
static uvlong
expiries(uvlong t)
{
	uvlong k;

	if(t < expiry(1))
		return 0;
	k = udiv(t - t0, rx_per, 0);		/* not fewer than there are */
	while(k > 0 && expiry(k) > t)
		k--;
	return k;
}

static void
report(struct out *o)
{
	uvlong runs = rx_runs, n;
	vlong sum = rx_latsum;
	uint neg = sum < 0, mi, mr;

	put(o, "stopped ");
	switch(why){
	case WHY_STOP:
		put(o, "by stop");
		break;
	case WHY_LIMIT:
		put(o, "after its ");
		putu64(o, runs);
		put(o, " runs");
		break;
	case WHY_OVERRUN:
		put(o, "by an overrun at ");
		putwhere(o, rx_where);
		break;
	case WHY_FAULT:
		say(o, "by a fault: %s at ", (uint)(faultvec < 32 ? exception_names[faultvec] : "?"), 0, 0);
		putwhere(o, rx_where);
		break;
	}
	/* the expiries until the stop, or until the last run began when the
	 * reflex stopped itself (a run that faulted or overran counts as lost) */
	n = why == WHY_STOP ? expiries(tstop) : expiries(rx_t);
	put(o, ": runs ");
	putu64(o, runs);
	put(o, " of ");
	putu64(o, n);
	put(o, " expiries, lost ");
	putu64(o, n > runs ? n - runs : 0);
	say(o, ", late %u", rx_late, 0, 0);
	if(runs){
		n = udiv((uvlong)(neg ? -sum : sum) * 100, (uint)runs, 0);
		mi = udiv(n, 100, &mr);
		say(o, "; latency mean %s%u.%02u", (uint)(neg ? "-" : ""), mi, mr);
		say(o, " worst %d (at %x) best %d", rx_latmax, rx_worstip, rx_latmin);
		say(o, " jitter %u", rx_jitmax, 0, 0);
		say(o, " (runs at 0: %u, 1: %u, 2-9: %u", rx_hist[0], rx_hist[1], rx_hist[2]);
		say(o, ", 10-99: %u, 100-299: %u, 300+: %u)", rx_hist[3], rx_hist[4], rx_hist[5]);
		say(o, "; executing: %u runs", (uint)runs - rx_haltn, 0, 0);
		if(runs > rx_haltn)
			say(o, ", worst %d", rx_busymax, 0, 0);
		say(o, "; halted: %u runs", rx_haltn, 0, 0);
		if(rx_haltn)
			say(o, ", worst %d", rx_haltmax, 0, 0);
		if(rx_oddn){
			uint i, k;
			say(o, "; %u runs 10 or more late, the last:", rx_oddn, 0, 0);
			for(i = rx_oddn > 8 ? rx_oddn - 8 : 0; i < rx_oddn; i++){
				k = (i & 7) * 4;
				say(o, " %d@%x", rx_odd[k], rx_odd[k+1], 0);
				say(o, "/%x#%u", rx_odd[k+2], rx_odd[k+3], 0);
			}
		}
		say(o, "; run worst %u; span ", rx_runmax, 0, 0);
		putu64(o, rx_t - rx_tfirst);
		if(tickn){
			n = udiv(ticksum, tickn, 0);
			say(o, "; IRQ 0 on the same expiries: %u ticks, latency mean %u worst %u",
				tickn, (uint)n, tickmax);
			say(o, " (at %x)", tickwhere, 0, 0);
		}
	}
	put(o, " (TSC ticks)");
}

/* ---- the tick's part ---- */

/*
 * For comparison, the same expiries as a maskable interrupt: the PIT's IRQ 0
 * handler calls this first thing while a reflex runs. The tick comes after the
 * reflex's run of the same expiry (an NMI goes first), so its expiry is the
 * one before rx_exp; the time from there to here is what an IRQ 0 reflex
 * would have waited (plus the reflex's own run and the IRQ entry). Ticks
 * the 8259 merged (IF off for more than a period) show as missing.
 */
void
reflex_tick(struct trapframe *tf)
{
	uvlong now = rdtsc(), e;
	uint lat;

	if(rx_state != RX_RUN || rx_runs == 0)
		return;
	e = rx_exp - rx_per;
	lat = now - e;
	if(lat > rx_per)			/* torn by a run in between: skip it */
		return;
	tickn++;
	ticksum += lat;
	if(lat > tickmax){
		tickmax = lat;
		tickwhere = tf->eip;	/* where the interrupts came back on */
	}
}

void
reflex_deferred(void)
{
	char b[320];
	struct out o = { b, sizeof b - 1, 0 };

	rx_pending = 0;
	if(rx_state != RX_STOPPING)
		return;
	halt(WHY_STOP);
	if(why == WHY_OVERRUN || why == WHY_FAULT){
		put(&o, "reflex: ");
		report(&o);
		b[o.len < o.cap ? o.len : o.cap] = 0;
		kprintf("%s\n", b);
	}
}

/* ---- please ---- */

static uint
fail(struct out *o, const char *why, const char *arg)
{
	put(o, "error: ");
	say(o, why, (uint)arg, 0, 0);
	return 0;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* a number: decimal, $hex or 0xhex; then an optional suffix (returned in *rest) */
static int
number(const char *s, uvlong *v, const char **rest)
{
	uint base = 10, d, n = 0;
	uvlong x = 0;

	if(s[0] == '$'){
		base = 16;
		s++;
	}else if(s[0] == '0' && lower(s[1]) == 'x'){
		base = 16;
		s += 2;
	}
	for(;; s++, n++){
		int c = lower(*s);
		if(c >= '0' && c <= '9')
			d = c - '0';
		else if(base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if(x > 0xffffffffffull)
			return 0;
		x = x * base + d;
	}
	if(n == 0)
		return 0;
	*v = x;
	if(rest)
		*rest = s;
	else if(*s)
		return 0;
	return 1;
}

static int
suffix(const char *s, const char *t)
{
	for(; *s && *t; s++, t++)
		if(lower(*s) != *t)
			return 0;
	return *s == 0 && *t == 0;
}

/* a period: <n> or <n>hz, <n>khz, <n>us, <n>ns; the PIT divisor, or 0 */
static uint
period(const char *s)
{
	uvlong v, d;
	const char *u;

	if(!number(s, &v, &u) || v == 0 || v > 0xffffffffull)
		return 0;
	if(*u == 0 || suffix(u, "hz"))
		d = ((uint)PIT_CLOCK + (uint)v/2) / (uint)v;
	else if(suffix(u, "khz"))
		d = v > PIT_CLOCK/1000 ? 0 : ((uint)PIT_CLOCK + (uint)v*500) / ((uint)v*1000);
	else if(suffix(u, "us"))
		d = udiv(v * PIT_CLOCK + 500000, 1000000, 0);
	else if(suffix(u, "ns"))
		d = udiv(v * PIT_CLOCK + 500000000, 1000000000, 0);
	else
		return 0;
	if(d < MINDIV || d > 65535)
		return 0;
	return d;
}

static void
putperiod(struct out *o, uint d)
{
	uint rem, ns;

	ns = udiv((uvlong)d * 1000000000u, PIT_CLOCK, &rem);
	put(o, "period ");
	putfix(o, ns, div64(rem, 0, PIT_CLOCK, 0));
	say(o, " ns (PIT divisor %u, %u Hz)", d, (PIT_CLOCK + d/2) / d, 0);
}

static uint
do_install(char (*w)[DEV_NAMELEN+1], uint nw, struct out *o)
{
	uvlong a, n;
	uchar *src;

	if(rx_state != RX_OFF)
		return fail(o, "the reflex is running: stop it first", 0);
	if(nw == 2 && strcmp(w[1], "count") == 0){
		kind = K_COUNT;
		rx_routine = (uint)rx_count;
		memset(scratch, 0, sizeof scratch);
		put(o, "ok: count");
		return 1;
	}
	if(nw == 3 && strcmp(w[1], "tone") == 0){
		if(!number(w[2], &n, 0) || n < 1 || n > 25000)
			return fail(o, "tone <hz>: 1 to 25000", 0);
		kind = K_TONE;
		tonehz = n;
		rx_routine = (uint)rx_tone;
		memset(scratch, 0, sizeof scratch);
		say(o, "ok: tone %u Hz", tonehz, 0, 0);
		return 1;
	}
	if(nw == 3 && strcmp(w[1], "sample") == 0){
		if(!number(w[2], &n, 0) || n > 0xffff)
			return fail(o, "sample <port>: 0 to $FFFF", 0);
		kind = K_SAMPLE;
		port = n;
		rx_routine = (uint)rx_sample;
		memset(scratch, 0, sizeof scratch);
		scratch[0] = port;
		say(o, "ok: sample port $%x", port, 0, 0);
		return 1;
	}
	if(nw == 3 && number(w[1], &a, 0) && number(w[2], &n, 0)){
		if(n < 1 || n > RXCODE)
			return fail(o, "a routine is 1 to 1024 bytes", 0);
		if(a > 0xffffffffull || (src = uptr(a, n)) == 0)
			return fail(o, "the routine is not in your memory", 0);
		memset(rx_code, 0xcc, RXCODE);	/* running off its end: int3, a fault */
		memcpy(rx_code, src, n);
		codelen = n;
		kind = K_CODE;
		rx_routine = (uint)rx_code;
		memset(scratch, 0, sizeof scratch);
		say(o, "ok: %u bytes at $%x, scratch at $%x", codelen, (uint)rx_code, (uint)scratch);
		return 1;
	}
	return fail(o, "install count | tone <hz> | sample <port> | <address> <length>", 0);
}

static uint
do_start(char (*w)[DEV_NAMELEN+1], uint nw, struct out *o)
{
	uint d;
	uvlong limit = 0;
	const char *err;

	if(nw < 2 || nw > 3 || (d = period(w[1])) == 0)
		return fail(o, "start <period> [<runs>]: <n>hz (19 to 49716), <n>khz, <n>us or <n>ns", 0);
	if(nw == 3 && (!number(w[2], &limit, 0) || limit == 0))
		return fail(o, "the runs: a number, 1 or more", 0);
	if((err = start(d, limit)) != 0)
		return fail(o, "%s", err);
	put(o, "ok: ");
	putperiod(o, d);
	if(limit){
		put(o, ", ");
		putu64(o, limit);
		put(o, " runs");
	}
	return 1;
}

static uint
do_stop(uint nw, struct out *o)
{
	uint f;

	if(nw != 1)
		return fail(o, "stop takes nothing", 0);
	f = irqsave();
	if(rx_state != RX_OFF)
		halt(WHY_STOP);
	irqrestore(f);
	if(!started)
		return fail(o, "the reflex has not run", 0);
	report(o);
	return 1;
}

static uint
do_calibrate(char (*w)[DEV_NAMELEN+1], uint nw, struct out *o)
{
	uint d = 119, oldroutine, oldkind, f, r, pi, pf, entry;
	uint oldscratch[RXSCRATCH/4];
	uvlong span;
	const char *err;
	uint ms;

	if(nw > 2 || (nw == 2 && (d = period(w[1])) == 0))
		return fail(o, "calibrate [<period>]", 0);
	if(hwerr)
		return fail(o, "%s", hwerr);
	if(rx_state != RX_OFF)
		return fail(o, "the reflex is running: stop it first", 0);
	oldroutine = rx_routine;
	oldkind = kind;
	memcpy(oldscratch, scratch, sizeof scratch);
	memset(scratch, 0, sizeof scratch);
	rx_routine = (uint)rx_measure;
	kind = K_MEASURE;
	err = start(d, CALRUNS);
	for(ms = pit_ms(); err == 0 && rx_state != RX_OFF && pit_ms() - ms < 5000; )
		cycle_wait();			/* the tick stops it after CALRUNS runs */
	f = irqsave();
	if(rx_state != RX_OFF)
		halt(WHY_STOP);
	irqrestore(f);
	entry = scratch[0];
	rx_routine = oldroutine;
	kind = oldkind;
	memcpy(scratch, oldscratch, sizeof scratch);
	if(err)
		return fail(o, "%s", err);
	if(why != WHY_LIMIT || rx_runs != CALRUNS)
		return fail(o, "the calibration did not finish", 0);
	span = rx_t - rx_tfirst;			/* CALRUNS-1 periods */
	pi = udiv(span, CALRUNS - 1, &r);
	pf = div64(r, 0, CALRUNS - 1, 0);
	tpci = pi / d;
	tpcf = div64(pi % d, pf, d, 0);
	calibrated = 1;
	put(o, "calibrated: ");
	putperiod(o, d);
	put(o, "; ");
	putfix(o, pi, pf);
	say(o, " TSC ticks a period; entry %u, empty run %u, latency worst %d (TSC ticks)",
		entry, rx_runmax, rx_latmax);
	return 1;
}

int
reflex_command(const char *w)
{
	return strcmp(w, "install") == 0 || strcmp(w, "start") == 0
		|| strcmp(w, "stop") == 0 || strcmp(w, "calibrate") == 0;
}

uint
reflex_please(struct device *d, char (*w)[DEV_NAMELEN+1], uint nw, char *reply, uint cap, uint *len)
{
	struct out o = { reply, cap, 0 };
	uint res;

	if(curproc == 0 || !(curproc->flags & PROC_OWNER))
		res = fail(&o, "the reflex is the owners': a guest may not %s it", w[0]);
	else{
		init();
		if(d && d != rxdev)
			res = fail(&o, "only the reflex takes %s", w[0]);
		else if(strcmp(w[0], "install") == 0)
			res = do_install(w, nw, &o);
		else if(strcmp(w[0], "start") == 0)
			res = do_start(w, nw, &o);
		else if(strcmp(w[0], "stop") == 0)
			res = do_stop(nw, &o);
		else
			res = do_calibrate(w, nw, &o);
	}
	*len = o.len;
	return res;
}

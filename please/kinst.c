/*
 * kinst.c - the kernel's own H3sm instance: the please interpreter
 * (docs/please.md). It is an H3sm instance like a process's, in a segment of
 * its own, born with BIRTH_PLEASE: it compiles h3sm/please.fs and serves. It is
 * not a process: it is on no list, never scheduled, never preempted; it runs
 * only while a please call of some process waits for it.
 *
 * The exchange (h3sm/layout.inc, KREQ KANS KQRES). kinst_ask writes the request
 * into its segment (who asks, facts, the message) and switches to it; the
 * instance is parked in its own please call, which returns, and HANDLE reads
 * the message. It answers with a please call on KANS: a query (KQ_*) is filled
 * in at KQRES and the instance goes on; an answer (KA_REPLY, KA_CMD) switches
 * back to the asker, the instance staying parked in that call until the next
 * request. So one please is two switches of kernel stacks, with no scheduler.
 *
 * Nothing the instance does can hurt the kernel: its segment is bounded like a
 * guest's, it has no port I/O, and every answer is checked by please/please.c.
 * A fault in it, or a request that runs longer than KINST_LIMIT ms (a bug in
 * please.fs looping), abandons it: the asker gets an error reply, and the next
 * request starts a fresh instance first.
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "trap.h"
#include "proc.h"
#include "device.h"
#include "please.h"
#include "mem.h"
#include "pit.h"
#include "rtc.h"
#include "chip.h"
#include "users.h"
#include "kinst.h"
#include "h3sm_layout.h"

void	swtch(uint *save, uint next);
void	proc_activate(struct proc *p);

#define KINST_MEM	(192u << 10)
#define KINST_LIMIT	250		/* ms one request may take */

struct proc kinst;
static uint *askersave;		/* where the asker's kernel stack pointer is */
static uint askerstack;		/* the asker's saved kernel stack pointer */
static int ready;		/* parked in its serve call, waiting for a request */
static int stale;		/* abandoned: start afresh before the next request */
static const char *why;		/* why it was abandoned */
static uint began;		/* pit_ms() when the request was handed over */
static uint kinst_faults, kinst_starts;
static struct proc *asker;
static uint cpufam, cpumodel;
static char vendor[12];
static const char *reqname;	/* the user name now at KREQ_USER ... */
static int reqnamed;		/* ... once written since the instance started */

static uchar*
seg(uint off)
{
	return (uchar*)kinst.base + off;
}

static void
cpu(void)
{
	uint a, b, c, d, f;

	asm volatile("pushfl; popl %0; movl %0, %1; xorl $0x200000, %0;"
		"pushl %0; popfl; pushfl; popl %0; pushl %1; popfl"
		: "=&r"(a), "=&r"(f));
	if(((a ^ f) & 0x200000) == 0){
		memcpy(vendor, "no cpuid    ", 12);
		return;
	}
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	cpufam = (a >> 8) & 0xf;
	cpumodel = (a >> 4) & 0xf;
	if(cpufam == 0xf)
		cpufam += (a >> 20) & 0xff;
	if(cpufam == 6 || cpufam >= 0xf)
		cpumodel |= ((a >> 16) & 0xf) << 4;
}

/* run the instance until it answers (or is abandoned); save = where this
 * context's kernel stack pointer goes */
static void
run(void)
{
	struct proc *me = curproc;
	uint f = irqsave();

	asker = me;
	askersave = &askerstack;
	began = pit_ms();
	curproc = &kinst;
	proc_activate(&kinst);
	swtch(&askerstack, kinst.kesp);
	curproc = me;
	if(me)
		proc_activate(me);
	irqrestore(f);
}

/* the facts of a request that never change, once into a fresh instance's
 * request area (the instance writes nowhere there; if a bug did, only its own
 * answers would be wrong) */
static void
facts(void)
{
	uint *r = (uint*)seg(KREQ);

	r[KREQ_TOTAL/4] = mem_total();
	r[KREQ_CPUFAM/4] = cpufam;
	r[KREQ_CPUMODEL/4] = cpumodel;
	memcpy(seg(KREQ + KREQ_VENDOR), vendor, 12);
	reqnamed = 0;
}

/* a fresh instance, run until it is ready to serve; 0 if it cannot start */
static int
start(void)
{
	uint *a;

	if(kinst.base == 0){
		cpu();
		if(proc_setup(&kinst, 0, BIRTH_PLEASE, KINST_MEM, 0, NPROC) < 0)
			return 0;
	}else
		proc_prepare(&kinst);
	kinst_starts++;
	ready = stale = 0;
	why = 0;
	facts();
	run();
	a = (uint*)seg(KANS);
	if(stale || !ready){
		kprintf("please: the interpreter did not start: %s\n", why ? why : "?");
		stale = 1;
		return 0;
	}
	if(a[KANS_RESULT/4] != 0){	/* please.fs did not compile: THROW code */
		kprintf("please: h3sm/please.fs failed to compile (THROW %d)\n", a[KANS_RESULT/4]);
		stale = 1;
		return 0;
	}
	return 1;
}

void
kinst_boot(void)
{
	if(!start())
		kprintf("please: no interpreter: every please will fail\n");
}

uint*
kinst_ask(const char *msg, uint len, uint cap, const char **whyp)
{
	uchar *q;
	uint *r;
	struct proc *p = curproc;
	const char *name = p && p->user ? p->user->name : 0;

	if(stale || !ready){
		if(!start()){
			*whyp = why ? why : "the please interpreter is not running";
			return 0;
		}
	}
	q = seg(KREQ);
	r = (uint*)q;		/* the fixed facts are there since start(): facts() */
	r[KREQ_PID/4] = p ? p->pid : 0;
	r[KREQ_FLAGS/4] = p ? p->flags : 0;
	if(!reqnamed || name != reqname){	/* user names never change: the same pointer, the same name */
		countedname(q + KREQ_USER, name, 32);
		reqname = name;
		reqnamed = 1;
	}
	r[KREQ_UPTIME/4] = pit_ms();
	r[KREQ_FREE/4] = mem_free_bytes();	/* kept by kernel/mem.c, no walk */
	r[KREQ_LARGEST/4] = mem_largest();
	r[KREQ_NPROC/4] = proc_nrun;
	r[KREQ_CAP/4] = cap;
	r[KREQ_LEN/4] = len;
	memcpy(q + KREQ_TEXT, msg, len);
	ready = 0;
	run();
	memset(q + KREQ_TEXT, 0, len);	/* a password is never left behind */
	if(stale){
		*whyp = why;
		return 0;
	}
	return (uint*)seg(KANS);
}

/* ---- queries ---- */

static void
query_procs(void)
{
	uint *r = (uint*)seg(KQRES), n = 0;
	uchar *rec = seg(KQRES + 4);
	struct proc *p;

	for(p = procs; p < procs + NPROC; p++){
		uint *c = (uint*)rec;
		if(p->state != P_RUN)
			continue;
		memset(rec, 0, KP_SIZE);
		c[KP_PID/4] = p->pid;
		c[KP_FLAGS/4] = p->flags;
		c[KP_MEM/4] = p->size;
		c[KP_LOAD/4] = p->load;
		c[KP_TICKS/4] = p->ticks;
		c[KP_INTERVAL/4] = sched_interval;
		c[KP_MISSED/4] = p->missed;
		c[KP_MAXWAIT/4] = p->maxwait;
		countedname(rec + KP_USER, p->user ? p->user->name : 0, 16);
		countedname(rec + KP_TERM, p->term ? p->term->name : 0, 16);
		rec += KP_SIZE;
		n++;
	}
	r[0] = n;
}

static uint bootsecs, bootms, rtcread;	/* the RTC at the first query, and pit_ms() then */

static void
query_rtc(void)
{
	uint *r = (uint*)seg(KQRES);
	struct rtctime t;
	uvlong us;

	memset(r, 0, KR_OK + 4);
	if(!chip_present(&chip_rtc))
		return;
	rtc_read(&t);
	r[KR_YEAR/4] = t.year;
	r[KR_MONTH/4] = t.month;
	r[KR_DAY/4] = t.day;
	r[KR_HOUR/4] = t.hour;
	r[KR_MIN/4] = t.min;
	r[KR_SEC/4] = t.sec;
	/* microseconds since 2000-01-01: the RTC's seconds at the first query, then
	 * the PIT's milliseconds since (the RTC has no finer grain than a second) */
	if(!rtcread){
		bootsecs = rtc_epoch(&t) - 946684800u;
		bootms = pit_ms();
		rtcread = 1;
	}
	us = (uvlong)bootsecs * 1000000u + (uvlong)(pit_ms() - bootms) * 1000u;
	r[KR_USEC_LO/4] = (uint)us;
	r[KR_USEC_HI/4] = (uint)(us >> 32);
	r[KR_OK/4] = 1;
}

/* the instance's please call: a query, or an answer that ends its turn */
uint
kinst_call(uint off)
{
	uint *a = (uint*)seg(KANS);

	if(off != KANS)
		return 0;
	switch(a[KANS_OP/4]){
	case KQ_PROCS:
		query_procs();
		return 1;
	case KQ_RTC:
		query_rtc();
		return 1;
	case KA_READY:
	case KA_REPLY:
	case KA_CMD:
		if(a[KANS_LEN/4] > KANS_MAX)
			a[KANS_LEN/4] = KANS_MAX;
		ready = 1;
		swtch(&kinst.kesp, *askersave);	/* back to the asker ... */
		return 1;			/* ... and here again with a request */
	}
	return 0;
}

/* abandon the instance (on its kernel stack, from a trap): the asker goes on */
static void __attribute__((noreturn))
abandon(const char *reason)
{
	uint dummy;

	why = reason;
	stale = 1;
	ready = 0;
	kinst_faults++;
	kprintf("please: interpreter abandoned: %s\n", reason);
	swtch(&dummy, *askersave);
	panic("kinst: an abandoned instance came back");
	for(;;)
		;
}

void
kinst_fault(struct trapframe *tf)
{
	(void)tf;
	abandon("it faulted");
}

void
kinst_tick(struct trapframe *tf)
{
	if((tf->cs & 3) == 3 && pit_ms() - began > KINST_LIMIT)
		abandon("it took too long");
}

void
kinst_stats(uint *starts, uint *faults)
{
	*starts = kinst_starts;
	*faults = kinst_faults;
}

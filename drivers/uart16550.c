/*
 * uart16550.c - the 16550 UARTs of COM1-COM4 (ports 0-3).
 * Each present port is programmed explicitly: divisor for UART_BAUD,
 * 8 data bits, no parity, 1 stop bit, FIFOs on (Bochs's BIOS leaves
 * 5 data bits, so nothing may be left to the BIOS). A port is present
 * if its scratch register holds what we write and a byte sent in
 * loopback mode comes back.
 * Receive: RDA and timeout interrupts move bytes into rx. When rx is
 * full the receive interrupt is off and bytes wait in the chip until
 * uart_getc makes room; bytes the chip itself lost count in
 * uart_overruns.
 * Transmit: uart_putc queues into tx; txkick fills the FIFO when the
 * transmitter is empty and keeps the THRE interrupt enabled exactly
 * while tx holds bytes. With interrupts off (boot, panic) output is
 * polled instead, after whatever the ring still held.
 * COM1/COM3 share IRQ 4 and COM2/COM4 IRQ 3, so an interrupt services
 * every port of its line, and uart_poll() recovers lost edges.
 */
#include "types.h"
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "chip.h"
#include "ring.h"
#include "uart.h"

enum {
	RBR = 0, THR = 0, DLL = 0,	/* registers, offsets from base */
	IER = 1, DLM = 1,
	IIR = 2, FCR = 2,
	LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7,

	IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04,
	IIR_NONE = 0x01, IIR_ID = 0x0e,
	IIR_MSR = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_RLS = 0x06, IIR_TIMEOUT = 0x0c,
	IIR_FIFO = 0xc0,		/* both set: FIFOs work (16550A) */
	FCR_ON = 0xc7,			/* enable, clear both, interrupt at 14 bytes */
	LCR_8N1 = 0x03, LCR_DLAB = 0x80,
	MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT2 = 0x08, MCR_LOOP = 0x10,	/* OUT2 gates the IRQ */
	LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20,
	SPIN = 100000,			/* polls before giving up on a silent chip */
};

struct port {
	ushort base;
	uchar irq;
	uchar present;
	uchar fifo;		/* bytes the transmitter takes when empty */
	uchar ier;		/* what IER holds */
	uchar queued;		/* bytes written since THRE was last seen: the FIFO's fill at most */
	struct ring rx, tx;
};

static const struct {
	ushort base;
	uchar irq;
} com[NUART] = {
	{ 0x3f8, 4 },
	{ 0x2f8, 3 },
	{ 0x3e8, 4 },
	{ 0x2e8, 3 },
};
static struct port ports[NUART];	/* .bss: the rings need no bytes in the file */
uint uart_overruns[NUART];

static struct port*
port(int n)
{
	if(n < 0 || n >= NUART || !ports[n].present)
		return nil;
	return &ports[n];
}

int
uart_present(int n)
{
	return port(n) != nil;
}

static void
setier(struct port *p, int ier)
{
	if(p->ier != ier){
		p->ier = ier;
		outb(p->base + IER, ier);
	}
}

static void
setdivisor(struct port *p, uint div)
{
	outb(p->base + LCR, LCR_DLAB);
	outb(p->base + DLL, div);
	outb(p->base + DLM, div >> 8);
	outb(p->base + LCR, LCR_8N1);
}

int
uart_setbaud(int n, uint baud)
{
	struct port *p;
	uint f;

	if((p = port(n)) == nil || baud == 0 || 115200 % baud != 0)
		return -1;
	f = irqsave();
	setdivisor(p, 115200 / baud);
	irqrestore(f);
	return 0;
}

/*
 * interrupts off. A full ring leaves bytes in the chip and turns the
 * receive interrupt off until uart_getc makes room: the chip's FIFO
 * then fills and holds off the sender (QEMU waits; a real line
 * overruns, which LSR reports and we count).
 */
static void
rxdrain(struct port *p)
{
	int i, lsr;

	for(i = 0; i < 256; i++){
		lsr = inb(p->base + LSR);
		if(lsr & LSR_OE)
			uart_overruns[p - ports]++;
		if(!(lsr & LSR_DR))
			break;
		if(ring_len(&p->rx) >= RINGSZ){
			setier(p, p->ier & ~IER_RDA);
			return;
		}
		ring_put(&p->rx, inb(p->base + RBR));
	}
}

/* is the transmitter's FIFO empty (THRE)? Then nothing written before waits in it */
static int
thre(struct port *p)
{
	if(!(inb(p->base + LSR) & LSR_THRE))
		return 0;
	p->queued = 0;
	return 1;
}

/* interrupts off: up to k bytes of tx into the transmitter, a piece at a time */
static void
txsome(struct port *p, uint k)
{
	uint at, piece;

	while(k > 0 && (piece = ring_len(&p->tx)) > 0){
		at = p->tx.r & (RINGSZ-1);
		if(piece > RINGSZ - at)
			piece = RINGSZ - at;
		if(piece > k)
			piece = k;
		outsb(p->base + THR, p->tx.buf + at, piece);
		p->queued += piece;
		p->tx.r += piece;
		k -= piece;
	}
}

/* interrupts off */
static void
txkick(struct port *p)
{
	/* a FIFO's worth each time it is empty (QEMU's empties at once) */
	while(ring_len(&p->tx) && thre(p))
		txsome(p, p->fifo);
	if(ring_len(&p->tx))
		setier(p, p->ier | IER_THRE);
	else
		setier(p, p->ier & ~IER_THRE);
}

static void
service(struct port *p)
{
	int i, iir;

	for(i = 0; i < 64; i++){
		iir = inb(p->base + IIR);
		if(iir & IIR_NONE)
			break;
		switch(iir & IIR_ID){
		case IIR_RLS:
			if(inb(p->base + LSR) & LSR_OE)
				uart_overruns[p - ports]++;
			break;
		case IIR_RDA:
		case IIR_TIMEOUT:
			rxdrain(p);
			break;
		case IIR_THRE:
			txkick(p);
			break;
		case IIR_MSR:
			inb(p->base + MSR);
			break;
		}
	}
	rxdrain(p);		/* whatever arrived after the last IIR read */
}

static void
uartintr(int irq, struct trapframe *tf)
{
	int n;

	(void)tf;
	for(n = 0; n < NUART; n++)
		if(ports[n].present && ports[n].irq == irq)
			service(&ports[n]);
}

void
uart_poll(void)
{
	int n;
	uint f;

	for(n = 0; n < NUART; n++)
		if(ports[n].present){
			f = irqsave();
			rxdrain(&ports[n]);
			if(ring_len(&ports[n].tx) || (ports[n].ier & IER_THRE))
				txkick(&ports[n]);	/* with nothing queued it has nothing to do */
			irqrestore(f);
		}
}

/*
 * c into the transmitter at once while its FIFO has room by our count (bytes
 * written since it was last seen empty); when it is full, wait, polling, for
 * THRE, and should it never come (a host that stopped reading), put c in
 * after SPIN polls for each byte in the FIFO anyway: the chip drops its
 * oldest then, and a call never hangs on a line. The TSC ticks spent waiting
 * count in uart_waited (low 32 bits): how long a line that could not keep up
 * held the CPU (make bench subtracts them: under QEMU it is the host's pace,
 * docs/performance.md).
 */
uint	uart_waited;

static void
putpolled(struct port *p, int c)
{
	uint t0, t1, i;

	if(p->queued >= p->fifo && !thre(p)){
		asm volatile("rdtsc" : "=a"(t0) :: "edx");
		for(i = 0; i < SPIN * p->fifo && !thre(p); i++)
			;
		asm volatile("rdtsc" : "=a"(t1) :: "edx");
		uart_waited += t1 - t0;
	}
	outb(p->base + THR, c);
	if(p->queued < 255)
		p->queued++;
}

/* what tx holds, polled (putpolled: it never overruns the FIFO but for a line that stopped) */
void
uart_flush_polled(int n)
{
	struct port *p;
	int c;

	if((p = port(n)) == nil)
		return;
	while((c = ring_get(&p->tx)) >= 0)
		putpolled(p, c);
}

void
uart_putc_polled(int n, int c)
{
	struct port *p;

	if((p = port(n)) != nil)
		putpolled(p, c);
}

void
uart_putc(int n, int c)
{
	struct port *p;
	uint f;

	if((p = port(n)) == nil)
		return;
	for(;;){
		f = irqsave();
		if(!(f & FL_IF)){
			/* nobody will take the THRE interrupt: send it now, in order */
			uart_flush_polled(n);
			putpolled(p, c);
			irqrestore(f);
			return;
		}
		if(ring_put(&p->tx, c) == 0){
			txkick(p);
			irqrestore(f);
			return;
		}
		txkick(p);	/* ring full: push by hand in case an edge was lost */
		irqrestore(f);
	}
}

/*
 * Bytes to port n's line, LF as CR LF, in order after whatever tx holds.
 * While tx is empty and the transmitter's FIFO too (THRE), a FIFO's worth
 * goes straight into the chip; the rest waits in tx for the THRE interrupt,
 * which txkick enables. A send runs with interrupts off, so the interrupt
 * comes after it: tx drains then. Only a full tx with interrupts off is
 * drained here, polled, as uart_putc does; with interrupts on, they drain it.
 * Nothing is dropped either way.
 */
void
uart_write(int n, const uchar *buf, uint len)
{
	struct port *p;
	uint f, k, run, room, at, lf = 0;	/* lf: the CR of the LF at buf is out */
	int direct;

	if((p = port(n)) == nil)
		return;
	f = irqsave();
	while(len > 0){
		direct = ring_len(&p->tx) == 0 && thre(p);
		at = p->tx.w & (RINGSZ-1);
		room = RINGSZ - ring_len(&p->tx);
		if(direct)
			k = p->fifo;		/* the FIFO is empty: it takes this much */
		else if(room == 0){
			if(f & FL_IF){		/* the THRE interrupt drains it */
				txkick(p);
				irqrestore(f);
				f = irqsave();
			}else
				uart_flush_polled(n);
			continue;
		}else
			k = room < RINGSZ - at ? room : RINGSZ - at;
		while(k > 0 && len > 0){
			if(*buf == '\n' && !lf){
				lf = 1;		/* its CR first */
				if(direct){
					outb(p->base + THR, '\r');
					p->queued++;
				}
				else
					ring_put(&p->tx, '\r');
				k--;
				continue;
			}
			/* buf[0] goes, and what follows up to the next LF */
			run = 1 + spanto(buf + 1, (k < len ? k : len) - 1, '\n');
			if(direct){
				outsb(p->base + THR, buf, run);
				p->queued += run;
			}
			else{
				memcpy(p->tx.buf + (p->tx.w & (RINGSZ-1)), buf, run);
				p->tx.w += run;
			}
			buf += run;
			len -= run;
			k -= run;
			lf = 0;
		}
	}
	txkick(p);
	irqrestore(f);
}

/* free bytes in the transmit ring (devices/terminal.c waits for them) */
uint
uart_txroom(int n)
{
	struct port *p = port(n);

	return p ? RINGSZ - ring_len(&p->tx) : 0;
}

int
uart_getc(int n)
{
	struct port *p;
	uint f;
	int c;

	if((p = port(n)) == nil)
		return -1;
	c = ring_get(&p->rx);
	if(!(p->ier & IER_RDA) && ring_len(&p->rx) <= RINGSZ/2){
		f = irqsave();
		setier(p, p->ier | IER_RDA);	/* what waits in the chip interrupts now */
		irqrestore(f);
	}
	return c;
}

int
uart_pending(int n)
{
	struct port *p;

	if((p = port(n)) == nil)
		return 0;
	return ring_len(&p->rx);
}

static int
probe(struct port *p)
{
	int b, i, ok;

	b = p->base;
	outb(b + SCR, 0x5a);
	if(inb(b + SCR) != 0x5a)
		return 0;
	outb(b + SCR, 0xa5);
	if(inb(b + SCR) != 0xa5)
		return 0;

	outb(b + IER, 0);
	setdivisor(p, 115200 / UART_BAUD);
	outb(b + FCR, FCR_ON);
	outb(b + MCR, MCR_LOOP | MCR_DTR | MCR_RTS);
	for(i = 0; i < 32 && (inb(b + LSR) & LSR_DR); i++)
		inb(b + RBR);
	outb(b + THR, 0xae);
	for(i = 0; i < SPIN && !(inb(b + LSR) & LSR_DR); i++)
		;
	ok = (inb(b + LSR) & LSR_DR) && inb(b + RBR) == 0xae;
	outb(b + MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	if(!ok)
		return 0;

	p->fifo = (inb(b + IIR) & IIR_FIFO) == IIR_FIFO ? 16 : 1;
	for(i = 0; i < 32 && (inb(b + LSR) & LSR_DR); i++)
		inb(b + RBR);
	inb(b + LSR);
	inb(b + MSR);
	inb(b + IIR);
	p->ier = 0xff;		/* force the write */
	setier(p, IER_RDA | IER_RLS);
	return 1;
}

static int
uartinit(void)
{
	int n, any;

	any = 0;
	for(n = 0; n < NUART; n++){
		ports[n].base = com[n].base;
		ports[n].irq = com[n].irq;
		ports[n].present = probe(&ports[n]);
		any |= ports[n].present;
	}
	return any ? 0 : -1;
}

const struct chip chip_uart16550 = {
	.name = "16550 uart",
	.init = uartinit,
	.intr = uartintr,
	.irqs = 1 << 3 | 1 << 4,
};

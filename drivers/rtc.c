/*
 * rtc.c - the CMOS real-time clock (MC146818 and its descendants).
 * The clock is read only; nothing here sets it or uses its interrupt.
 * A read waits while the chip says an update is in progress, then
 * reads all fields, and repeats until two reads in a row agree, so a
 * second rolling over between fields cannot tear the result.
 * Status B says whether fields are BCD or binary and whether the hour
 * is 12-hour (bit 7 of the hour is then PM) or 24-hour.
 */
#include "types.h"
#include "x86.h"
#include "chip.h"
#include "rtc.h"

enum {
	INDEX = 0x70, DATA = 0x71,
	SEC = 0x00, MIN = 0x02, HOUR = 0x04, DAY = 0x07, MONTH = 0x08, YEAR = 0x09,
	STATA = 0x0a, STATB = 0x0b, CENTURY = 0x32,
	UIP = 0x80,		/* status A: update in progress */
	BINARY = 0x04,		/* status B: fields are binary, not BCD */
	H24 = 0x02,		/* status B: 24-hour hours */
	PM = 0x80,		/* hour, 12-hour format */
};

static uint
cmos(uint reg)
{
	outb(INDEX, reg);
	return inb(DATA);
}

static uint
bcd(uint v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

struct raw {
	uint sec, min, hour, day, month, year, century;
};

static void
readraw(struct raw *r)
{
	int i;

	for(i = 0; i < 1000000 && (cmos(STATA) & UIP); i++)
		;
	r->sec = cmos(SEC);
	r->min = cmos(MIN);
	r->hour = cmos(HOUR);
	r->day = cmos(DAY);
	r->month = cmos(MONTH);
	r->year = cmos(YEAR);
	r->century = cmos(CENTURY);
}

void
rtc_read(struct rtctime *t)
{
	struct raw a, b;
	uint stb, pm, i, f;

	f = irqsave();		/* the index register is shared state */
	readraw(&b);
	for(i = 0; i < 10; i++){
		a = b;
		readraw(&b);
		if(a.sec == b.sec && a.min == b.min && a.hour == b.hour &&
		   a.day == b.day && a.month == b.month && a.year == b.year)
			break;
	}
	stb = cmos(STATB);
	irqrestore(f);

	pm = b.hour & PM;
	b.hour &= ~PM;
	if(!(stb & BINARY)){
		b.sec = bcd(b.sec);
		b.min = bcd(b.min);
		b.hour = bcd(b.hour);
		b.day = bcd(b.day);
		b.month = bcd(b.month);
		b.year = bcd(b.year);
		b.century = bcd(b.century);
	}
	if(!(stb & H24)){
		if(b.hour == 12)
			b.hour = 0;
		if(pm)
			b.hour += 12;
	}
	if(b.century < 19 || b.century > 29)	/* no century register */
		b.century = 20;
	t->year = b.century * 100 + b.year;
	t->month = b.month;
	t->day = b.day;
	t->hour = b.hour;
	t->min = b.min;
	t->sec = b.sec;
}

/* days from 1970-01-01 to year-month-day, proleptic Gregorian */
static uint
days(uint y, uint m, uint d)
{
	static const ushort before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	uint n, py;

	if(m < 1 || m > 12)
		m = 1;
	py = y - 1;
	n = (y - 1970) * 365 + (py/4 - 1969/4) - (py/100 - 1969/100) + (py/400 - 1969/400);
	n += before[m-1] + d - 1;
	if(m > 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)))
		n++;
	return n;
}

uint
rtc_epoch(const struct rtctime *t)
{
	return days(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->min * 60 + t->sec;
}

static int
rtcinit(void)
{
	return cmos(STATB) == 0xff ? -1 : 0;	/* floating bus: no CMOS */
}

const struct chip chip_rtc = {
	.name = "cmos rtc",
	.init = rtcinit,
};

/*
 * rtc.h - the CMOS real-time clock (drivers/rtc.c). rtc_read waits out
 * an update in progress and reads until two reads agree; BCD and the
 * 12-hour format are converted: fields are plain binary, hour 0-23,
 * year in full (2000-2099 unless the CMOS keeps a century).
 */
struct rtctime {
	uint year, month, day;
	uint hour, min, sec;
};

void	rtc_read(struct rtctime *t);
uint	rtc_epoch(const struct rtctime *t);	/* seconds since 1970-01-01 UTC */

/*
 * pit.h - the 8253/8254 interval timer (drivers/pit8254.c).
 * Channel 0 interrupts on IRQ 0 at pit_hz (PIT_HZ at boot) and counts
 * ticks; channel 2 drives the PC speaker (drivers/speaker.c).
 */
struct trapframe;

#define PIT_CLOCK	1193182	/* input clock, Hz */
#define PIT_HZ		1000

void	pit_sethz(uint hz);
uint	pit_gethz(void);
uvlong	pit_ticks(void);	/* ticks since boot */
uint	pit_ms(void);		/* milliseconds since boot (wraps after 49 days) */
void	pit_ontick(void (*fn)(struct trapframe *tf));	/* called each tick after counting */

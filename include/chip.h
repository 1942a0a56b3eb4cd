/*
 * chip.h - the one interface every driver presents. Each file in
 * drivers/ handles one chip and ends with its table:
 *	const struct chip chip_uart16550 = { .name = ..., .init = ..., ... };
 * kernel/chips.c lists the tables in init order; chips_init() calls
 * each init and, when it reports the chip present, registers intr on
 * every IRQ line named in irqs (which unmasks the line).
 */
struct trapframe;

struct chip {
	const char *name;
	int (*init)(void);	/* find and program the chip: 0 present, -1 absent */
	void (*intr)(int irq, struct trapframe *tf);	/* nil: raises no interrupt */
	ushort irqs;		/* bit n set: intr serves IRQ n */
};

extern const struct chip chip_pic8259, chip_pit8254, chip_rtc, chip_uart16550,
	chip_vga, chip_kbd8042, chip_speaker;

void chips_init(void);
int chip_present(const struct chip *c);

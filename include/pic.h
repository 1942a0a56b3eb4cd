/*
 * pic.h - the two 8259A interrupt controllers (drivers/pic8259.c),
 * remapped so IRQ 0-7 are vectors 0x20-0x27 and IRQ 8-15 0x28-0x2f.
 * All lines start masked except the cascade (IRQ 2).
 */
void	pic_mask(int irq);
void	pic_unmask(int irq);
void	pic_eoi(int irq);
int	pic_spurious(int irq);	/* 1 for a spurious IRQ 7/15 (then EOI is handled) */
ushort	pic_isr(void);		/* in-service bits, slave<<8 | master */

/*
 * kbd.h - the 8042 controller's PS/2 keyboard (drivers/kbd8042.c).
 * Scan code set 1 (the 8042 translates) becomes ASCII with shift,
 * caps lock and control. Enter gives '\n', backspace '\b', escape 0x1b.
 * Keys with no ASCII meaning (arrows, function keys, ...) give nothing.
 */
int	kbd_getc(void);		/* next character typed, -1 if none */
int	kbd_pending(void);

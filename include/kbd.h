/*
 * kbd.h - the 8042 controller's PS/2 keyboard (drivers/kbd8042.c).
 * Scan code set 1 (the 8042 translates) becomes ASCII with shift,
 * caps lock and control. Enter gives '\n', backspace '\b', escape 0x1b.
 * The arrows, Home, End, Insert, Delete, Page Up and Page Down send the
 * escape sequences of docs/glyph-display.md (ESC [ A ...); other keys with
 * no ASCII meaning (function keys, ...) give nothing.
 */
int	kbd_getc(void);		/* next character typed, -1 if none */
int	kbd_pending(void);

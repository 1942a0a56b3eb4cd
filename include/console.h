/*
 * console.h - the system console: where the owner's terminal is.
 * console=vga (the default): VGA text out, PS/2 keyboard in.
 * console=com1: COM1 both ways.
 * Output of '\n' to a serial console becomes CR LF. console_getc
 * returns the next byte typed, or -1 at once when nothing is waiting.
 */
enum { CONSOLE_VGA, CONSOLE_COM1 };

void	console_select(int which);
int	console_which(void);
void	console_putc(int c);
void	console_write(const char *buf, int n);
int	console_getc(void);

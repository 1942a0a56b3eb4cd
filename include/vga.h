/*
 * vga.h - the VGA text screen, 80x25 at 0xb8000 (drivers/vga.c).
 * vga_putc understands \n (new line), \r, \t (to a multiple of 8),
 * \b (back one cell and erase it); other control bytes and bytes
 * >= 0x7f are dropped. The screen scrolls; the hardware cursor follows.
 */
enum {
	VGA_BLACK, VGA_BLUE, VGA_GREEN, VGA_CYAN, VGA_RED, VGA_MAGENTA,
	VGA_BROWN, VGA_LGREY, VGA_DGREY, VGA_LBLUE, VGA_LGREEN, VGA_LCYAN,
	VGA_LRED, VGA_LMAGENTA, VGA_YELLOW, VGA_WHITE,
};
#define VGA_COLS	80
#define VGA_ROWS	25

void	vga_putc(int c);
void	vga_clear(void);
void	vga_setcolor(int fg, int bg);
void	vga_goto(int row, int col);

/*
 * vga.h - the VGA text screen, 80x25 at 0xb8000 (drivers/vga.c).
 * vga_putc understands \n (new line), \r, \t (to a multiple of 8),
 * \b (back one cell and erase it); other control bytes and bytes
 * >= 0x7f are dropped. The screen scrolls; the hardware cursor follows.
 * The kernel log (kprintf, panic) writes here through vga_putc.
 *
 * Colour attribute byte: background << 4 | foreground, each 0-15 (the
 * VGA_* colours). vgainit turns the blink bit into a bright background,
 * so all 16 colours work as backgrounds.
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
void	vga_goto(int row, int col);	/* 0-based; out of range: nothing */

/*
 * The cell interface. The escape-sequence interpreter (drivers/vt.c)
 * draws only through these, so it also builds on a host against a fake
 * screen (tests/vt_check.c). Rows and columns are 0-based; a "position"
 * is row*VGA_COLS + col, and runs of cells go in reading order, from the
 * end of one row on to the start of the next. The kernel's versions
 * clip anything outside the screen; the host fake reports it as a bug.
 * The cursor is shared with vga_putc: vga_where says where it is now.
 */
void	vga_cell(int row, int col, int ch, int attr);	/* one character cell */
void	vga_fill(int row, int col, int n, int attr);	/* n blanks (' ', attr) */
/* the printable ASCII (0x20-0x7e) that begins s[0..n-1], drawn from (row, col)
 * on along the row, at most to its end; how many cells it drew */
int	vga_text(int row, int col, const uchar *s, int n, int attr);
void	vga_move(int drow, int dcol, int srow, int scol, int n);	/* n cells, overlap ok */
void	vga_where(int *row, int *col);		/* the cursor */
void	vga_showcursor(int on);			/* the hardware cursor shown or hidden */
uint	vga_lock(void);				/* interrupts off around screen changes */
void	vga_unlock(uint f);

/*
 * cmdline.h - the kernel command line (docs/contracts.md), parsed once
 * at boot by kernel/cmdline.c. Known options set the variables below;
 * any other word is handed to the caller's unknown() to be named.
 */
extern int cmdline_console;	/* CONSOLE_VGA or CONSOLE_COM1 */
extern char cmdline_crash[4];	/* "de", "ud", "gp", "bp", "ss", "np" or "" */
extern uint cmdline_slice;	/* scheduler slice in ms; 0: not given */
extern int cmdline_login;	/* login=off: the console's owner H3sm with no login */
extern int cmdline_oneper;	/* oneper=on: at most one process per guest user */

void cmdline_parse(const char *line, void (*unknown)(const char *word));

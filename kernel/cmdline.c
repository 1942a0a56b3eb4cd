/*
 * cmdline.c - the kernel command line: words separated by spaces,
 * each a name=value option (docs/contracts.md). The loader's first
 * word is the kernel's path: GRUB writes "/boot/..." or "(fd0)/...",
 * and qemu -kernel the file name as given, so a first word that starts
 * with '/' or '(' or ends in ".elf" is skipped. A word that is not a
 * known option with a valid value is passed to unknown(), unchanged.
 */
#include "types.h"
#include "kernel.h"
#include "console.h"
#include "cmdline.h"
#include "names.h"
#include "blkdev.h"

int cmdline_console = CONSOLE_VGA;
char cmdline_crash[4];
uint cmdline_slice;

static int
setconsole(const char *v)
{
	if(strcmp(v, "vga") == 0)
		cmdline_console = CONSOLE_VGA;
	else if(strcmp(v, "com1") == 0)
		cmdline_console = CONSOLE_COM1;
	else
		return -1;
	return 0;
}

static int
setcrash(const char *v)
{
	static const char *kinds[] = { "de", "ud", "gp", "bp", "ss", "np" };
	uint i;

	for(i = 0; i < nelem(kinds); i++)
		if(strcmp(v, kinds[i]) == 0){
			memcpy(cmdline_crash, kinds[i], 3);
			return 0;
		}
	return -1;
}

static int
setslice(const char *v)
{
	uint n;

	if(*v == 0)
		return -1;
	for(n = 0; *v; v++){
		if(*v < '0' || *v > '9' || n > 100000)
			return -1;
		n = n*10 + *v - '0';
	}
	if(n == 0)
		return -1;
	cmdline_slice = n;
	return 0;
}

int cmdline_login = 1;
int cmdline_oneper;

static int
yesno(const char *v, int *to)
{
	if(strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
		*to = 1;
	else if(strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
		*to = 0;
	else
		return -1;
	return 0;
}

static int
setlogin(const char *v)
{
	return yesno(v, &cmdline_login);
}

static int
setoneper(const char *v)
{
	return yesno(v, &cmdline_oneper);
}

static const struct {
	const char *name;
	int (*set)(const char *value);
} opts[] = {
	{ "console", setconsole },
	{ "crash", setcrash },
	{ "slice", setslice },
	{ "login", setlogin },
	{ "devperm", names_option },
	{ "oneper", setoneper },
	{ "ramdisk", ramdisk_option },
	{ "blktest", blktest_option },
	{ "blkseed", blkseed_option },
	{ "blkread", blkread_option },
	{ "blkintr", blkintr_option },
	{ "blkrepeat", blkrepeat_option },
};

static int
option(const char *w)
{
	uint i, n;

	for(i = 0; i < nelem(opts); i++){
		n = strlen(opts[i].name);
		if(strncmp(w, opts[i].name, n) == 0 && w[n] == '=')
			return opts[i].set(w + n + 1);
	}
	return -1;
}

static int
ispath(const char *w)
{
	uint n;

	n = strlen(w);
	return w[0] == '/' || w[0] == '(' || (n > 4 && strcmp(w + n - 4, ".elf") == 0);
}

void
cmdline_parse(const char *line, void (*unknown)(const char *word))
{
	char word[256];
	uint n, first;

	for(first = 1; *line; first = 0){
		while(*line == ' ')
			line++;
		for(n = 0; *line && *line != ' '; line++)
			if(n < sizeof word - 1)
				word[n++] = *line;
		word[n] = 0;
		if(n == 0 || (first && ispath(word)))
			continue;
		if(option(word) < 0)
			unknown(word);
	}
}

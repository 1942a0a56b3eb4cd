/*
 * mkuser.c -- host tool: make one user record line for users/users.conf.
 *
 *   mkuser [-i ITERATIONS] [-p PERMS] NAME owner|guest MEMKIB FIRST
 *
 * The password is never an argument (it would show in `ps` and shell history):
 * it is read from the terminal, twice and without echo, or, when standard input
 * is not a terminal, as the first line of standard input (the newline is not
 * part of it). The record goes to standard output:
 *
 *   name:kind:memKiB:iterations:salt_hex:hash_hex:perms:first
 *
 * salt: 16 bytes from /dev/urandom; hash: PBKDF2-HMAC-SHA256(password, salt,
 * iterations, 32 bytes). docs/users-hash.md describes every field.
 *
 * Build: gcc -O2 -o mkuser tools/mkuser.c users/pbkdf2.c users/sha256.c
 * (the same freestanding hash code the kernel links).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "../users/pbkdf2.h"

#define SALT_LEN        16
#define HASH_LEN        32
#define ITER_DEFAULT    10000u
#define ITER_MIN        10000u
#define NAME_MAX_LEN    31
#define PW_MAX_LEN      1024
#define MEM_MAX_KIB     4194303ul   /* memKiB * 1024 still fits in 32 bits */

static void usage(void)
{
	fprintf(stderr,
		"usage: mkuser [-i ITERATIONS] [-p PERMS] NAME owner|guest MEMKIB FIRST\n"
		"  NAME        1-%d of A-Z a-z 0-9 _ - (not starting with -)\n"
		"  MEMKIB      process memory in KiB, 1..%lu\n"
		"  FIRST       h3sm | load=DEVICE,BLOCK,COUNT\n"
		"  -i N        PBKDF2 iterations, at least %u (default %u)\n"
		"  -p PERMS    device permissions: * or - (the class's), or a list of\n"
		"              [!]DEVICE[=LETTERS] with LETTERS of r w s v p\n"
		"              (read write send receive please; default: * for owner,\n"
		"              - for guest; docs/users.md)\n"
		"  The password is read from the terminal (twice, not echoed) or, if\n"
		"  standard input is not a terminal, from its first line.\n",
		NAME_MAX_LEN, MEM_MAX_KIB, ITER_MIN, ITER_DEFAULT);
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "mkuser: %s\n", what);
	exit(1);
}

/* Decimal digits only, no sign, no overflow past max. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		if (x > (max - (unsigned long)(*s - '0')) / 10)
			return 0;
		x = x * 10 + (unsigned long)(*s - '0');
	}
	*v = x;
	return 1;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > NAME_MAX_LEN || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* One printable token, none of the characters in `bad`. */
static int valid_token(const char *s, const char *bad)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~' || strchr(bad, *s))
			return 0;
	return 1;
}

/*
 * The perms field (docs/users.md): "*" or "-" (the class's channels), or a
 * comma list of [!]DEVICE[=LETTERS], LETTERS from r w s v p, each at most
 * once; DEVICE a device name or "*" (every device: "*=LETTERS" or "!*...").
 * Whether DEVICE is in devices/names.conf is tools/genusers.py's check.
 */
static int valid_perms(const char *s)
{
	const char *name;
	size_t n;
	unsigned seen;

	if (!strcmp(s, "*") || !strcmp(s, "-"))
		return 1;
	for (;;) {
		int neg = *s == '!', eq;
		if (neg)
			s++;
		name = s;
		while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		       (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		       *s == '_' || *s == '*')
			s++;
		n = (size_t)(s - name);
		if (n == 0 || n > NAME_MAX_LEN ||
		    (memchr(name, '*', n) && (n != 1 || (!neg && *s != '='))))
			return 0;
		eq = *s == '=';
		if (eq) {
			seen = 0;
			for (s++; *s && *s != ','; s++) {
				const char *l = strchr("rwsvp", *s);
				if (!l || seen & 1u << (l - "rwsvp"))
					return 0;
				seen |= 1u << (l - "rwsvp");
			}
			if (!seen)
				return 0;
		}
		if (!*s)
			return 1;
		if (*s != ',' || !*++s)
			return 0;
	}
}

/* h3sm, or load=DEVICE,BLOCK,COUNT with COUNT >= 1. */
static int valid_first(const char *s)
{
	char dev[256], *p, *q;
	unsigned long block, count;

	if (!strcmp(s, "h3sm"))
		return 1;
	if (strncmp(s, "load=", 5) || strlen(s + 5) >= sizeof dev)
		return 0;
	strcpy(dev, s + 5);
	p = strchr(dev, ',');
	if (!p)
		return 0;
	*p++ = 0;
	q = strchr(p, ',');
	if (!q)
		return 0;
	*q++ = 0;
	return valid_token(dev, ":,=") && parse_ulong(p, 0xfffffffful, &block) &&
	       parse_ulong(q, 0xfffffffful, &count) && count >= 1;
}

/* Reads one line (without its newline) into buf; returns its length or -1. */
static long read_line(FILE *f, char *buf, size_t size)
{
	size_t n = 0;
	int c;

	while ((c = fgetc(f)) != EOF && c != '\n') {
		if (n + 1 >= size)
			return -2;
		buf[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = 0;
	return (long)n;
}

static long prompt_tty(FILE *tty, const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int fd = fileno(tty), restore;
	long n;

	fputs(prompt, tty);
	fflush(tty);
	restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	n = read_line(tty, buf, size);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	return n;
}

static size_t get_password(char *pw, size_t size)
{
	static char again[PW_MAX_LEN + 2];
	long n;

	if (isatty(STDIN_FILENO)) {
		FILE *tty = fopen("/dev/tty", "r+");
		if (!tty)
			die("cannot open /dev/tty");
		n = prompt_tty(tty, "password: ", pw, size);
		if (n >= 0 && prompt_tty(tty, "again: ", again, sizeof again) != n)
			n = -3;
		if (n >= 0 && strcmp(pw, again))
			n = -3;
		sha256_wipe(again, sizeof again);
		fclose(tty);
	} else {
		n = read_line(stdin, pw, size);
	}
	if (n == -1)
		die("no password given");
	if (n == -2)
		die("password too long (at most 1024 bytes)");
	if (n == -3)
		die("passwords differ");
	if (n == 0)
		die("empty password refused");
	return (size_t)n;
}

static void read_salt(uint8_t *salt, size_t n)
{
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0)
		die("cannot open /dev/urandom");
	while (got < n) {
		ssize_t r = read(fd, salt + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("cannot read /dev/urandom");
		got += (size_t)r;
	}
	close(fd);
}

static void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

int main(int argc, char **argv)
{
	static char pw[PW_MAX_LEN + 2];
	uint8_t salt[SALT_LEN], hash[HASH_LEN];
	unsigned long iterations = ITER_DEFAULT, mem;
	const char *perms = NULL, *name, *kind, *first;
	size_t pwlen;
	int opt;

	while ((opt = getopt(argc, argv, "i:p:h")) != -1) {
		switch (opt) {
		case 'i':
			if (!parse_ulong(optarg, 0xfffffffful, &iterations) ||
			    iterations < ITER_MIN) {
				fprintf(stderr, "mkuser: iterations must be %u..4294967295\n",
					ITER_MIN);
				return 2;
			}
			break;
		case 'p':
			perms = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 4)
		usage();
	name = argv[optind];
	kind = argv[optind + 1];
	first = argv[optind + 3];

	if (!valid_name(name))
		die("bad NAME (1-31 of A-Z a-z 0-9 _ -, not starting with -)");
	if (strcmp(kind, "owner") && strcmp(kind, "guest"))
		die("kind must be owner or guest");
	if (!parse_ulong(argv[optind + 2], MEM_MAX_KIB, &mem) || mem == 0)
		die("bad MEMKIB (a decimal number of KiB, 1..4194303)");
	if (!valid_first(first))
		die("bad FIRST (h3sm or load=DEVICE,BLOCK,COUNT)");
	if (!perms)
		perms = strcmp(kind, "owner") ? "-" : "*";
	if (!valid_perms(perms))
		die("bad PERMS (* or - or [!]DEVICE[=rwsvp],...: docs/users.md)");

	pwlen = get_password(pw, sizeof pw - 1);
	read_salt(salt, sizeof salt);
	if (!pbkdf2_hmac_sha256((const uint8_t *)pw, pwlen, salt, sizeof salt,
				(uint32_t)iterations, hash, sizeof hash))
		die("pbkdf2 refused");
	sha256_wipe(pw, sizeof pw);

	printf("%s:%s:%lu:%lu:", name, kind, mem, iterations);
	print_hex(salt, sizeof salt);
	putchar(':');
	print_hex(hash, sizeof hash);
	printf(":%s:%s\n", perms, first);
	if (fflush(stdout) || ferror(stdout))
		die("cannot write the record");
	return 0;
}

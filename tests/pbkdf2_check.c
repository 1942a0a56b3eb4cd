/*
 * pbkdf2_check.c -- host driver for tests/test_pbkdf2.py.
 *
 * Built by the test with users/sha256.c and users/pbkdf2.c (and -DSHA256_COUNT).
 * Reads one command per line on stdin, writes one answer line per command.
 * All byte strings are hex ("-" is the empty string).
 *
 *   sha256 MSG                      digest
 *   sha256split MSG CHUNK           digest, fed to update() CHUNK bytes at a time
 *   sha256rep BYTEHEX COUNT CHUNK   digest of COUNT copies of one byte, CHUNK at a time
 *   hmac KEY MSG                    HMAC-SHA256
 *   hmacsplit KEY MSG CHUNK         same, streamed; then a second message
 *                                   (restart) must give the same MAC again
 *   pbkdf2 PW SALT ITER DKLEN       DK hex, or "refused"
 *   count PW SALT ITER DKLEN        compressions that pbkdf2 call cost
 *   verify PW SALT ITER HASH        1 or 0
 *   equal A B                       hash_equal: 1 or 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sha256.h"
#include "pbkdf2.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decodes hex into a fresh malloc'd buffer (never NULL, even when empty). */
static uint8_t *unhex(const char *s, size_t *n)
{
	size_t len = strcmp(s, "-") == 0 ? 0 : strlen(s), i;
	uint8_t *b = malloc(len / 2 + 1);

	if (!b || len % 2) {
		fprintf(stderr, "bad hex: %s\n", s);
		exit(2);
	}
	for (i = 0; i < len / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			fprintf(stderr, "bad hex: %s\n", s);
			exit(2);
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*n = len / 2;
	return b;
}

static void puthex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

int main(void)
{
	static char line[1 << 20];
	static char cmd[32], a[1 << 18], b[1 << 18], c[64], d[1 << 10];
	uint8_t dig[32];

	while (fgets(line, sizeof line, stdin)) {
		int k = sscanf(line, "%31s %262143s %262143s %63s %1023s", cmd, a, b, c, d);
		size_t n1, n2, n3;
		uint8_t *x, *y, *z;

		if (k < 1)
			continue;
		if (!strcmp(cmd, "sha256") && k == 2) {
			x = unhex(a, &n1);
			sha256(x, n1, dig);
			puthex(dig, 32);
			free(x);
		} else if (!strcmp(cmd, "sha256split") && k == 3) {
			struct sha256_ctx s;
			size_t step = strtoul(b, 0, 10), off;
			x = unhex(a, &n1);
			sha256_init(&s);
			for (off = 0; off < n1; off += step)
				sha256_update(&s, x + off, n1 - off < step ? n1 - off : step);
			sha256_final(&s, dig);
			puthex(dig, 32);
			free(x);
		} else if (!strcmp(cmd, "sha256rep") && k == 4) {
			struct sha256_ctx s;
			size_t count = strtoul(b, 0, 10), step = strtoul(c, 0, 10), off;
			uint8_t *buf = malloc(step);
			x = unhex(a, &n1);
			memset(buf, x[0], step);
			sha256_init(&s);
			for (off = 0; off < count; off += step)
				sha256_update(&s, buf, count - off < step ? count - off : step);
			sha256_final(&s, dig);
			puthex(dig, 32);
			free(x);
			free(buf);
		} else if (!strcmp(cmd, "hmac") && k == 3) {
			x = unhex(a, &n1);
			y = unhex(b, &n2);
			hmac_sha256(x, n1, y, n2, dig);
			puthex(dig, 32);
			free(x);
			free(y);
		} else if (!strcmp(cmd, "hmacsplit") && k == 4) {
			struct hmac_sha256_ctx h;
			uint8_t dig2[32];
			size_t step = strtoul(c, 0, 10), off;
			x = unhex(a, &n1);
			y = unhex(b, &n2);
			hmac_sha256_init(&h, x, n1);
			for (off = 0; off < n2; off += step)
				hmac_sha256_update(&h, y + off, n2 - off < step ? n2 - off : step);
			hmac_sha256_final(&h, dig);
			hmac_sha256_restart(&h);
			hmac_sha256_update(&h, y, n2);
			hmac_sha256_final(&h, dig2);
			if (memcmp(dig, dig2, 32))
				printf("restart-mismatch\n");
			else
				puthex(dig, 32);
			free(x);
			free(y);
		} else if ((!strcmp(cmd, "pbkdf2") || !strcmp(cmd, "count")) && k == 5) {
			unsigned long iter = strtoul(c, 0, 10);
			size_t dklen = strtoul(d, 0, 10);
			uint8_t *out = malloc(dklen + 1);
			int ok;
			x = unhex(a, &n1);
			y = unhex(b, &n2);
			sha256_compressions = 0;
			ok = pbkdf2_hmac_sha256(x, n1, y, n2, (uint32_t)iter, out, dklen);
			if (!strcmp(cmd, "count"))
				printf("%lu\n", sha256_compressions);
			else if (!ok)
				printf("refused\n");
			else
				puthex(out, dklen);
			free(x);
			free(y);
			free(out);
		} else if (!strcmp(cmd, "verify") && k == 5) {
			unsigned long iter = strtoul(c, 0, 10);
			x = unhex(a, &n1);
			y = unhex(b, &n2);
			z = unhex(d, &n3);
			printf("%d\n", pbkdf2_hmac_sha256_verify(x, n1, y, n2, (uint32_t)iter, z, n3));
			free(x);
			free(y);
			free(z);
		} else if (!strcmp(cmd, "equal") && k == 3) {
			x = unhex(a, &n1);
			y = unhex(b, &n2);
			printf("%d\n", hash_equal(x, y, n1 < n2 ? n1 : n2));
			free(x);
			free(y);
		} else {
			fprintf(stderr, "bad command: %s", line);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}

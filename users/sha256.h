/*
 * sha256.h -- SHA-256 (FIPS 180-4), freestanding: no libc, no heap.
 *
 * Interface:
 *   sha256_init / sha256_update / sha256_final   streaming hash
 *   sha256                                        one-shot hash
 *   sha256_compress / sha256_compress_words       one 64-byte block into a state
 *
 * Rules:
 *   - A context is plain data. Never copy one with a struct assignment: gcc may
 *     turn that into a memcpy call, and the kernel has no libc.
 *   - sha256_final wipes the context; init it again before reuse.
 *   - Messages up to 2^61-1 bytes (the length is kept in bytes in 64 bits).
 *   - Built with -DSHA256_COUNT (tests only), every compression adds one to
 *     sha256_compressions, so a test can state what a password check costs.
 */
#ifndef USERS_SHA256_H
#define USERS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BLOCK_SIZE  64
#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
	uint32_t h[8];      /* chaining state H0..H7 */
	uint64_t len;       /* message bytes seen so far */
	uint32_t buflen;    /* bytes waiting in buf, 0..63 */
	uint8_t  buf[SHA256_BLOCK_SIZE];
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

/* One compression: state := state + f(state, block). block is 64 message bytes. */
void sha256_compress(uint32_t state[8], const uint8_t block[SHA256_BLOCK_SIZE]);
/* Same, with the block already read as 16 big-endian words (PBKDF2's fast loop). */
void sha256_compress_words(uint32_t state[8], const uint32_t w[16]);

/* Overwrite n bytes with zeros through a volatile pointer (not optimised away). */
void sha256_wipe(void *p, size_t n);

#ifdef SHA256_COUNT
extern unsigned long sha256_compressions;
#endif

#endif

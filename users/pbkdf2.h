/*
 * pbkdf2.h -- HMAC-SHA256 (RFC 2104), PBKDF2-HMAC-SHA256 (RFC 8018 5.2) and a
 * constant-time compare, for password records (docs/users-hash.md).
 * Freestanding: no libc, no heap; everything lives on the caller's stack.
 *
 * Interface:
 *   hmac_sha256_init / _update / _final   streaming HMAC
 *   hmac_sha256                           one-shot HMAC
 *   pbkdf2_hmac_sha256                    derive outlen bytes; 1 = done, 0 = refused
 *   pbkdf2_hmac_sha256_verify             derive and compare with a stored hash
 *   hash_equal                            1 if n bytes are equal, 0 if not; its
 *                                         time depends only on n
 *
 * Results follow the Ha3sm rule: success (or "equal") is nonzero, failure is 0.
 */
#ifndef USERS_PBKDF2_H
#define USERS_PBKDF2_H

#include <stddef.h>
#include <stdint.h>
#include "sha256.h"

/*
 * An HMAC key is turned into two chaining states once: the state after
 * compressing K^ipad and after compressing K^opad. Every message under that
 * key then starts from them, so PBKDF2 pays the key schedule only once.
 */
struct hmac_sha256_ctx {
	uint32_t istate[8];         /* SHA-256 state after the K ^ ipad block */
	uint32_t ostate[8];         /* SHA-256 state after the K ^ opad block */
	struct sha256_ctx inner;    /* the running inner hash of the message */
};

void hmac_sha256_init(struct hmac_sha256_ctx *c, const uint8_t *key, size_t keylen);
/* Start a new message under the same key (no key schedule cost). */
void hmac_sha256_restart(struct hmac_sha256_ctx *c);
void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len);
/* Writes the MAC; the key states are kept, so restart() may follow. */
void hmac_sha256_final(struct hmac_sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE]);
void hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
		 uint8_t out[SHA256_DIGEST_SIZE]);

/*
 * DK = PBKDF2(P = pw, S = salt, c = iterations, dkLen = outlen).
 * Refuses (returns 0, out untouched) when iterations == 0, outlen == 0, or
 * outlen > (2^32 - 1) * 32. Cost in compressions: 2 for the key (plus
 * ceil((pwlen + 9) / 64) when pwlen > 64), then per 32-byte output block
 * ceil((saltlen + 13) / 64) + 1 for U1 and 2 for each further iteration.
 * A login record (16-byte salt, 32-byte hash, c = 10000): 2 + 2 * c = 20002.
 */
int pbkdf2_hmac_sha256(const uint8_t *pw, size_t pwlen,
		       const uint8_t *salt, size_t saltlen, uint32_t iterations,
		       uint8_t *out, size_t outlen);

#define PBKDF2_VERIFY_MAX 64    /* longest stored hash _verify accepts, bytes */

/* 1 if PBKDF2(pw, salt, iterations, n) equals expected[0..n), else 0 (also for
 * n == 0 or n > PBKDF2_VERIFY_MAX). The comparison is constant-time. */
int pbkdf2_hmac_sha256_verify(const uint8_t *pw, size_t pwlen,
			      const uint8_t *salt, size_t saltlen,
			      uint32_t iterations,
			      const uint8_t *expected, size_t n);

int hash_equal(const void *a, const void *b, size_t n);

#endif

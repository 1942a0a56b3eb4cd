/*
 * pbkdf2.c -- HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256 (RFC 8018 5.2).
 *
 *   HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m))
 *   K0 = K padded with zeros to 64 bytes (K hashed first if longer than 64).
 *
 *   PBKDF2: for each 32-byte output block i (1, 2, ...):
 *     U1 = HMAC(P, S || INT32_BE(i)),  Uj = HMAC(P, U(j-1)),
 *     T_i = U1 ^ U2 ^ ... ^ Uc;  DK = T_1 || T_2 || ... truncated to dkLen.
 *
 * The inner loop (j >= 2) hashes a 32-byte U after a 64-byte pad block, and
 * the outer hash a 32-byte digest after a 64-byte pad block: each is exactly
 * one more block, whose padding (0x80, zeros, length 96 * 8 = 768 bits) never
 * changes. So that loop keeps U as eight words, starts from the saved pad
 * states, and costs exactly two compressions per iteration.
 */
#include "pbkdf2.h"

#define IPAD 0x36
#define OPAD 0x5c

static inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The state of a SHA-256 that has just consumed one 64-byte pad block. */
static void start_from(struct sha256_ctx *s, const uint32_t state[8])
{
	unsigned i;

	for (i = 0; i < 8; i++)
		s->h[i] = state[i];
	s->len = SHA256_BLOCK_SIZE;
	s->buflen = 0;
}

void hmac_sha256_init(struct hmac_sha256_ctx *c, const uint8_t *key, size_t keylen)
{
	uint8_t k0[SHA256_BLOCK_SIZE], pad[SHA256_BLOCK_SIZE];
	size_t i;

	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		k0[i] = 0;
	if (keylen > SHA256_BLOCK_SIZE)
		sha256(key, keylen, k0);
	else
		for (i = 0; i < keylen; i++)
			k0[i] = key[i];

	sha256_init(&c->inner);
	for (i = 0; i < 8; i++)
		c->istate[i] = c->ostate[i] = c->inner.h[i];
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = k0[i] ^ IPAD;
	sha256_compress(c->istate, pad);
	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] = k0[i] ^ OPAD;
	sha256_compress(c->ostate, pad);

	sha256_wipe(k0, sizeof k0);
	sha256_wipe(pad, sizeof pad);
	hmac_sha256_restart(c);
}

void hmac_sha256_restart(struct hmac_sha256_ctx *c)
{
	start_from(&c->inner, c->istate);
}

void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len)
{
	sha256_update(&c->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx outer;
	uint8_t ih[SHA256_DIGEST_SIZE];

	sha256_final(&c->inner, ih);
	start_from(&outer, c->ostate);
	sha256_update(&outer, ih, sizeof ih);
	sha256_final(&outer, out);
	sha256_wipe(ih, sizeof ih);
}

void hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t len,
		 uint8_t out[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx c;

	hmac_sha256_init(&c, key, keylen);
	hmac_sha256_update(&c, data, len);
	hmac_sha256_final(&c, out);
	sha256_wipe(&c, sizeof c);
}

int pbkdf2_hmac_sha256(const uint8_t *pw, size_t pwlen,
		       const uint8_t *salt, size_t saltlen, uint32_t iterations,
		       uint8_t *out, size_t outlen)
{
	struct hmac_sha256_ctx hc;
	uint32_t u[16];     /* inner block: U(j-1), then fixed padding */
	uint32_t o[16];     /* outer block: inner digest, then fixed padding */
	uint32_t st[8];     /* working chaining state */
	uint32_t t[8];      /* T_i, the running xor */
	uint8_t  b[SHA256_DIGEST_SIZE];
	uint32_t blk, j;
	size_t done, i, n;

	if (iterations == 0 || outlen == 0 ||
	    (outlen - 1) / SHA256_DIGEST_SIZE >= 0xffffffffu)
		return 0;

	hmac_sha256_init(&hc, pw, pwlen);

	/* Padding of a 64 + 32 byte message: 0x80, zeros, 768 as a 64-bit length. */
	for (i = 8; i < 16; i++)
		u[i] = o[i] = 0;
	u[8] = o[8] = 0x80000000u;
	u[15] = o[15] = (SHA256_BLOCK_SIZE + SHA256_DIGEST_SIZE) * 8;

	for (blk = 1, done = 0; done < outlen; blk++, done += n) {
		/* U1 = HMAC(P, S || INT(blk)) through the general path. */
		hmac_sha256_restart(&hc);
		hmac_sha256_update(&hc, salt, saltlen);
		store_be32(b, blk);
		hmac_sha256_update(&hc, b, 4);
		hmac_sha256_final(&hc, b);
		for (i = 0; i < 8; i++)
			t[i] = u[i] = load_be32(b + 4 * i);

		/* U2..Uc: two compressions each. */
		for (j = 1; j < iterations; j++) {
			for (i = 0; i < 8; i++)
				st[i] = hc.istate[i];
			sha256_compress_words(st, u);
			for (i = 0; i < 8; i++) {
				o[i] = st[i];
				st[i] = hc.ostate[i];
			}
			sha256_compress_words(st, o);
			for (i = 0; i < 8; i++) {
				u[i] = st[i];
				t[i] ^= st[i];
			}
		}

		for (i = 0; i < 8; i++)
			store_be32(b + 4 * i, t[i]);
		n = outlen - done < SHA256_DIGEST_SIZE ? outlen - done : SHA256_DIGEST_SIZE;
		for (i = 0; i < n; i++)
			out[done + i] = b[i];
	}

	sha256_wipe(&hc, sizeof hc);
	sha256_wipe(u, sizeof u);
	sha256_wipe(o, sizeof o);
	sha256_wipe(st, sizeof st);
	sha256_wipe(t, sizeof t);
	sha256_wipe(b, sizeof b);
	return 1;
}

int pbkdf2_hmac_sha256_verify(const uint8_t *pw, size_t pwlen,
			      const uint8_t *salt, size_t saltlen,
			      uint32_t iterations,
			      const uint8_t *expected, size_t n)
{
	uint8_t dk[PBKDF2_VERIFY_MAX];
	int ok;

	if (n == 0 || n > PBKDF2_VERIFY_MAX)
		return 0;
	ok = pbkdf2_hmac_sha256(pw, pwlen, salt, saltlen, iterations, dk, n) &&
	     hash_equal(dk, expected, n);
	sha256_wipe(dk, sizeof dk);
	return ok;
}

/*
 * Every byte is read and folded into d whatever the earlier bytes were, so the
 * time says nothing about where the first difference is. The volatile reads
 * keep the compiler from turning the loop into an early-exit compare.
 */
int hash_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint32_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= (uint32_t)(x[i] ^ y[i]);
	/* d is 0..255: d - 1 has bit 8 set only when d == 0. */
	return (int)(1 & ((d - 1) >> 8));
}

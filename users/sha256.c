/*
 * sha256.c -- SHA-256 as FIPS 180-4 section 6.2 describes it.
 *
 * The message is processed in 64-byte blocks; each block goes through one
 * compression: the 64-word message schedule (256 bytes of stack), then 64
 * rounds. Padding (5.1.1): one 0x80 byte,
 * zeros up to 56 mod 64, then the message length in bits, big-endian, 64 bits.
 *
 * No libc: the byte loops below are written out, and no struct is assigned
 * whole, so gcc has no reason to emit memcpy/memset calls (tests check the
 * object file has no undefined symbols).
 */
#include "sha256.h"

#ifdef SHA256_COUNT
unsigned long sha256_compressions;
#endif

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
	0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
	0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
	0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
	0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
	0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
	0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
	0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
	0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
	0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
	0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
	0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
	0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
	0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
	0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* First 32 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint32_t H0[8] = {
	0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
	0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/*
 * The six functions of FIPS 180-4 4.1.2. Ch and Maj are written in equivalent
 * forms with fewer operations: Ch picks y where x is 1 and z where x is 0;
 * Maj is the bitwise majority vote.
 */
#define CH(x, y, z)  ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x)     (ror((x), 2) ^ ror((x), 13) ^ ror((x), 22))
#define BSIG1(x)     (ror((x), 6) ^ ror((x), 11) ^ ror((x), 25))
#define SSIG0(x)     (ror((x), 7) ^ ror((x), 18) ^ ((x) >> 3))
#define SSIG1(x)     (ror((x), 17) ^ ror((x), 19) ^ ((x) >> 10))

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

void sha256_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

/*
 * One round, FIPS 180-4 6.2.2 step 3, with the eight working variables renamed
 * instead of shifted: after a round, the old h is the new a and the old d the
 * new e, so eight rounds with rotated argument lists bring every name back to
 * its place. This spares eight moves per round (measured: ~15% of a compression
 * on i386, where the eight variables do not fit in registers anyway).
 */
#define ROUND(a, b, c, d, e, f, g, h, i) do {                           \
		uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + K[i] + W[i];  \
		(d) += t1_;                                                 \
		(h) = t1_ + BSIG0(a) + MAJ(a, b, c);                        \
	} while (0)

/* The schedule holds message words (secrets, in PBKDF2): clear it a word at a time. */
static void wipe_words(uint32_t *p, unsigned n)
{
	volatile uint32_t *v = p;

	while (n--)
		*v++ = 0;
}

void sha256_compress_words(uint32_t state[8], const uint32_t w[16])
{
	uint32_t W[64];
	uint32_t a, b, c, d, e, f, g, h;
	unsigned t;

#ifdef SHA256_COUNT
	sha256_compressions++;
#endif
	/* The message schedule, 6.2.2 step 1. */
	for (t = 0; t < 16; t++)
		W[t] = w[t];
	for (t = 16; t < 64; t++)
		W[t] = SSIG1(W[t - 2]) + W[t - 7] + SSIG0(W[t - 15]) + W[t - 16];

	a = state[0]; b = state[1]; c = state[2]; d = state[3];
	e = state[4]; f = state[5]; g = state[6]; h = state[7];
	for (t = 0; t < 64; t += 8) {
		ROUND(a, b, c, d, e, f, g, h, t);
		ROUND(h, a, b, c, d, e, f, g, t + 1);
		ROUND(g, h, a, b, c, d, e, f, t + 2);
		ROUND(f, g, h, a, b, c, d, e, t + 3);
		ROUND(e, f, g, h, a, b, c, d, t + 4);
		ROUND(d, e, f, g, h, a, b, c, t + 5);
		ROUND(c, d, e, f, g, h, a, b, t + 6);
		ROUND(b, c, d, e, f, g, h, a, t + 7);
	}
	state[0] += a; state[1] += b; state[2] += c; state[3] += d;
	state[4] += e; state[5] += f; state[6] += g; state[7] += h;
	wipe_words(W, 64);
}

void sha256_compress(uint32_t state[8], const uint8_t block[SHA256_BLOCK_SIZE])
{
	uint32_t w[16];
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	sha256_compress_words(state, w);
	wipe_words(w, 16);
}

void sha256_init(struct sha256_ctx *c)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		c->h[i] = H0[i];
	c->len = 0;
	c->buflen = 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	c->len += len;
	/* Top up a partial block first. */
	while (len > 0 && c->buflen != 0) {
		c->buf[c->buflen++] = *p++;
		len--;
		if (c->buflen == SHA256_BLOCK_SIZE) {
			sha256_compress(c->h, c->buf);
			c->buflen = 0;
		}
	}
	/* Whole blocks straight from the caller's memory. */
	while (len >= SHA256_BLOCK_SIZE) {
		sha256_compress(c->h, p);
		p += SHA256_BLOCK_SIZE;
		len -= SHA256_BLOCK_SIZE;
	}
	/* Keep the tail. */
	while (len > 0) {
		c->buf[c->buflen++] = *p++;
		len--;
	}
}

void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = c->len << 3;
	unsigned i;

	c->buf[c->buflen++] = 0x80;
	if (c->buflen > SHA256_BLOCK_SIZE - 8) {
		/* No room for the length: pad this block out and start another. */
		while (c->buflen < SHA256_BLOCK_SIZE)
			c->buf[c->buflen++] = 0;
		sha256_compress(c->h, c->buf);
		c->buflen = 0;
	}
	while (c->buflen < SHA256_BLOCK_SIZE - 8)
		c->buf[c->buflen++] = 0;
	store_be32(c->buf + 56, (uint32_t)(bits >> 32));
	store_be32(c->buf + 60, (uint32_t)bits);
	sha256_compress(c->h, c->buf);

	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, c->h[i]);
	sha256_wipe(c, sizeof *c);
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

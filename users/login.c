/*
 * login.c - checking a password against the user records. The hash is
 * PBKDF2-HMAC-SHA256 with the record's salt and iteration count (users/pbkdf2.c);
 * the comparison takes the same time whatever matches, and an unknown name
 * costs a full check too, so timing tells nothing about which names exist.
 * Interrupts stay on during the check (it is about 0.1 G instructions).
 */
#include "types.h"
#include "x86.h"
#include "kernel.h"
#include "users.h"
#include "pbkdf2.h"
#include "users_table.h"

#define NUSERS	(sizeof users / sizeof users[0])

const struct user*
user_byname(const char *name, uint nlen)
{
	uint i;

	for(i = 0; i < NUSERS; i++)
		if(strlen(users[i].name) == nlen && memcmp(users[i].name, name, nlen) == 0)
			return &users[i];
	return 0;
}

const struct user*
user_check(const char *name, uint nlen, const char *pw, uint pwlen)
{
	const struct user *u = user_byname(name, nlen), *probe = u ? u : &users[0];
	uint f;
	int ok;

	f = irqsave();
	sti();
	ok = pbkdf2_hmac_sha256_verify((const uchar*)pw, pwlen, probe->salt, sizeof probe->salt,
		probe->iterations, probe->hash, sizeof probe->hash);
	irqrestore(f);
	return u && ok ? u : 0;
}

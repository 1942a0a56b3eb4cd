/*
 * users.h - the user records (users/users.conf, compiled in by tools/genusers.py)
 * and the password check (users/login.c). docs/users.md has the rules.
 */
struct user {
	const char *name;
	int	owner;			/* an owner may see all of RAM and I/O */
	uint	memkib;			/* the allocation its process gets */
	uint	iterations;		/* PBKDF2-HMAC-SHA256 */
	uchar	salt[16];
	uchar	hash[32];
	const char *perms;		/* device permissions ("*" all, "-" none beyond its terminal) */
	const char *first;		/* the first program: "h3sm" */
};

/* the user whose name and password these are, or 0; the same work either way */
const struct user *user_check(const char *name, uint nlen, const char *pw, uint pwlen);
const struct user *user_byname(const char *name, uint nlen);

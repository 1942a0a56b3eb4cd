/*
 * perms.h - per-user device permissions (devices/perms.c, docs/users.md).
 *
 * Unix-like: a device node's channels for the user's class (perm_owner or
 * perm_guest, from devices/names.conf and devperm=) are the "group" bits;
 * the perms field of the user's record (users/users.conf) refines them per
 * device, left to right:
 *
 *   *  or  -          no refinement: the class's channels as they are
 *   name=letters      grant these channels, and please with them
 *   name              grant every channel
 *   !name=letters     take these channels away
 *   !name             take every channel away (the node is invisible)
 *   *=letters, !*...  the same for every device
 *
 * letters: r read, w write, s send, v receive, p please. tools/genusers.py
 * checks the field and writes each name as its node's canonical name
 * (".ramdisk"), which is what perms_apply compares with.
 *
 * The user's own terminal is not decided here: dev_usable (devices/calls.c)
 * lets a process use every channel of its terminal whatever its record says.
 */
struct user;
struct device;

/* the CH_* the user u may use on d: its class's, refined by its record, only
 * those d has, and none at all without please (what you cannot see you cannot
 * use); u = 0 gives the guest class's (a login prompt) */
uint	perms_for(const struct user *u, struct device *d);

/* the channel set ch of the node with canonical name canon, refined by the
 * perms text p (a record's perms field as genusers.py writes it) */
uint	perms_apply(const char *p, const char *canon, uint ch);

/* CH_* of one letter of r w s v p; 0 for any other byte */
uint	perms_letter(int c);

#!/usr/bin/python3
"""genusers.py users.conf > users_table.h -- the user records as C, for the kernel.

Each line of users.conf: name:kind:memKiB:iterations:salt_hex:hash_hex:perms:first
(docs/users.md). Comments start with #. The table carries only salted hashes.
A malformed record stops the build with the line number."""

import re
import sys


def fail(n, why):
    sys.exit("genusers: %s:%d: %s" % (sys.argv[1], n, why))


def main():
    users = []
    names = set()
    with open(sys.argv[1]) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(":")
            if len(fields) != 8:
                fail(n, "a record has 8 fields, this one %d" % len(fields))
            name, kind, mem, it, salt, hsh, perms, first = fields
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,31}", name):
                fail(n, "bad name %r" % name)
            if name in names:
                fail(n, "%s twice" % name)
            names.add(name)
            if kind not in ("owner", "guest"):
                fail(n, "kind is owner or guest, not %r" % kind)
            if not mem.isdigit() or not 64 <= int(mem) <= 65536:
                fail(n, "memory %r KiB is not 64 .. 65536" % mem)
            if not it.isdigit() or int(it) < 10000:
                fail(n, "at least 10000 iterations")
            if not re.fullmatch(r"[0-9a-f]{32}", salt) or not re.fullmatch(r"[0-9a-f]{64}", hsh):
                fail(n, "salt is 16 bytes and hash 32, in hex")
            users.append((name, kind == "owner", int(mem), int(it), salt, hsh, perms, first))
    print("/* generated from %s by tools/genusers.py: do not edit */" % sys.argv[1])
    print("static const struct user users[] = {")
    for name, owner, mem, it, salt, hsh, perms, first in users:
        b = lambda h: ", ".join("0x" + h[i:i+2] for i in range(0, len(h), 2))
        print('\t{ "%s", %d, %d, %d, { %s },\n\t  { %s },\n\t  "%s", "%s" },'
              % (name, owner, mem, it, b(salt), b(hsh), perms, first))
    print("};")


main()

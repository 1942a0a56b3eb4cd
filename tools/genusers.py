#!/usr/bin/python3
"""genusers.py - the user records (users/users.conf) as C for the kernel, and
the checks and the file update behind `make user` (docs/users.md).

    genusers.py [--names NAMES.CONF] USERS.CONF > users_table.h
    genusers.py [--names NAMES.CONF] --args USERS.CONF NAME KIND MEMKIB PERMS FIRST
    genusers.py [--names NAMES.CONF] --put USERS.CONF  < record

Each line of users.conf: name:kind:memKiB:iterations:salt_hex:hash_hex:perms:first.
Comments start with #. The table carries only salted hashes.

The perms field is checked here and its device names, any name or alias of
devices/names.conf (NAMES.CONF; by default the one next to this tool), are
written as their nodes' canonical names, which is what devices/perms.c
compares with. An unknown device name stops the build.

--args   completes and checks the fields `make user` was given, before mkuser
         asks for a password, and prints them for mkuser: NAME KIND MEMKIB PERMS
         FIRST. An empty field is the user's old one if NAME has a record, else
         the default (KIND is needed; MEMKIB 4096 for an owner, 1024 for a guest;
         PERMS * or -; FIRST h3sm).
--put    reads one record (mkuser's output) from standard input, checks it, and
         puts it into USERS.CONF: in place of the line of the user of that name,
         or at the end. The file is replaced in one rename.

A malformed record stops with "genusers: FILE:LINE: why" and exit status 1."""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gennames  # noqa: E402

NAMES_CONF = os.path.join(HERE, "..", "devices", "names.conf")
LETTERS = "rwsvp"                       # read write send receive please
MEM_MIN, MEM_MAX = 64, 65536            # KiB a login may ask for
ITER_MIN = 10000


class RecordError(Exception):
    pass


def device_names(path):
    """Every name of names.conf (case folded) -> its node's canonical name."""
    with open(path) as f:
        _, nodes = gennames.parse(f.read(), path)
    out = {}
    for node in nodes:
        out[node.canon] = node.canon
        for name, _lang in node.names:
            out[name] = node.canon
    return out


def perms(text, names):
    """The perms field checked, with canonical device names; RecordError if bad."""
    if text in ("*", "-"):
        return text
    if not text:
        raise RecordError("empty perms (write * or - for the class's channels)")
    out = []
    for item in text.split(","):
        m = re.fullmatch(r"(!?)([^=!,]*)(?:=(.*))?", item)
        neg, name, letters = m.group(1), m.group(2), m.group(3)
        if not name:
            raise RecordError("perms item %r names no device" % item)
        if letters is not None:
            if not letters or any(c not in LETTERS for c in letters):
                raise RecordError("perms item %r: channels are letters of %s "
                                  "(read write send receive please)" % (item, LETTERS))
            if len(set(letters)) != len(letters):
                raise RecordError("perms item %r: a channel given twice" % item)
        if name == "*":
            if not neg and letters is None:
                raise RecordError("perms item '*' in a list: write *=%s for every channel "
                                  "of every device" % LETTERS)
            canon = "*"
        else:
            canon = names.get(name.lower())
            if canon is None:
                raise RecordError("perms item %r: unknown device name %r "
                                  "(not in devices/names.conf)" % (item, name))
        out.append(neg + canon + ("" if letters is None else "=" + letters))
    return ",".join(out)


def first(text):
    if text == "h3sm":
        return text
    m = re.fullmatch(r"load=([A-Za-z0-9._#-]{1,31}),([0-9]+),([0-9]+)", text)
    if not m or int(m.group(2)) > 0xffffffff or not 1 <= int(m.group(3)) <= 0xffffffff:
        raise RecordError("first is h3sm or load=DEVICE,BLOCK,COUNT, not %r" % text)
    return text


def fields(name, kind, mem, names, perm, fst):
    """The checked fields that do not depend on the password."""
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,30}", name):
        raise RecordError("bad name %r (1-31 of A-Z a-z 0-9 _ -, not starting with -)"
                          % name)
    if kind not in ("owner", "guest"):
        raise RecordError("kind is owner or guest, not %r" % kind)
    if not re.fullmatch(r"[0-9]+", mem) or not MEM_MIN <= int(mem) <= MEM_MAX:
        raise RecordError("memory %r KiB is not %d .. %d" % (mem, MEM_MIN, MEM_MAX))
    return name, kind == "owner", int(mem), perms(perm, names), first(fst)


def record(line, names):
    """One users.conf line as (name, owner, mem, iterations, salt, hash, perms, first)."""
    f = line.split(":")
    if len(f) != 8:
        raise RecordError("a record has 8 fields, this one %d" % len(f))
    name, kind, mem, it, salt, hsh, perm, fst = f
    name, owner, mem, perm, fst = fields(name, kind, mem, names, perm, fst)
    if not re.fullmatch(r"[0-9]+", it) or int(it) < ITER_MIN or int(it) > 0xffffffff:
        raise RecordError("at least %d iterations" % ITER_MIN)
    if not re.fullmatch(r"[0-9a-f]{32}", salt) or not re.fullmatch(r"[0-9a-f]{64}", hsh):
        raise RecordError("salt is 16 bytes and hash 32, in lower case hex")
    return name, owner, mem, int(it), salt, hsh, perm, fst


def records(path, names):
    """Every record of a users.conf, checked: a list of (line number, record)."""
    out, seen = [], set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                r = record(line, names)
            except RecordError as e:
                sys.exit("genusers: %s:%d: %s" % (path, n, e))
            if r[0] in seen:
                sys.exit("genusers: %s:%d: %s twice" % (path, n, r[0]))
            seen.add(r[0])
            out.append((n, r))
    if not out:
        sys.exit("genusers: %s: no users" % path)
    return out


def table(path, names):
    out = ["/* generated from %s by tools/genusers.py: do not edit */" % path,
           "static const struct user users[] = {"]
    for _, (name, owner, mem, it, salt, hsh, perm, fst) in records(path, names):
        b = lambda h: ", ".join("0x" + h[i:i+2] for i in range(0, len(h), 2))
        out.append('\t{ "%s", %d, %d, %d, { %s },\n\t  { %s },\n\t  "%s", "%s" },'
                   % (name, owner, mem, it, b(salt), b(hsh), perm, fst))
    out.append("};")
    return "\n".join(out) + "\n"


def put(path, names):
    """Put the record on standard input into users.conf; returns 'added' or 'replaced'."""
    line = sys.stdin.readline().strip()
    if not line:
        sys.exit("genusers: no record on standard input (users.conf unchanged)")
    try:
        r = record(line, names)
    except RecordError as e:
        sys.exit("genusers: the new record: %s (users.conf unchanged)" % e)
    records(path, names)                        # the file as it is must be sound
    with open(path) as f:
        lines = f.readlines()
    how = "added"
    for i, old in enumerate(lines):
        s = old.strip()
        if s and not s.startswith("#") and s.split(":", 1)[0] == r[0]:
            lines[i] = line + "\n"
            how = "replaced"
            break
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line + "\n")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    os.replace(tmp, path)
    return how, r[0]


def args(path, name, kind, mem, perm, fst, names):
    """The fields for mkuser: those given, the rest from the user's record if it
    exists, else the defaults of the kind. Checked; RecordError if bad."""
    old = None
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s and not s.startswith("#") and s.split(":", 1)[0] == name:
                old = s.split(":")
    if old is not None and len(old) == 8:
        kind = kind or old[1]
        mem = mem or old[2]
        perm = perm or old[6]
        fst = fst or old[7]
    if not name:
        raise RecordError("NAME= is needed")
    if not kind:
        raise RecordError("%s is a new user: KIND=owner or KIND=guest is needed" % name)
    mem = mem or ("4096" if kind == "owner" else "1024")
    perm = perm or ("*" if kind == "owner" else "-")
    fst = fst or "h3sm"
    fields(name, kind, mem, names, perm, fst)
    return name, kind, mem, perm, fst


def main(argv):
    names_conf = NAMES_CONF
    if argv[:1] == ["--names"] and len(argv) >= 2:
        names_conf, argv = argv[1], argv[2:]
    try:
        names = device_names(names_conf)
    except (OSError, gennames.ConfigError) as e:
        sys.exit("genusers: %s" % e)
    if argv[:1] == ["--args"] and len(argv) == 7:
        try:
            print(" ".join(args(argv[1], *argv[2:], names)))
        except RecordError as e:
            sys.exit("genusers: %s" % e)
    elif argv[:1] == ["--put"] and len(argv) == 2:
        how, name = put(argv[1], names)
        print("%s: %s %s" % (argv[1], how, name))
    elif len(argv) == 1 and not argv[0].startswith("-"):
        sys.stdout.write(table(argv[0], names))
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])

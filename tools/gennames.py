#!/usr/bin/python3
"""gennames.py - the device name space's table, from devices/names.conf.

    gennames.py CONFIG [-o OUT]

Reads CONFIG (its syntax is described at the top of devices/names.conf and in
docs/devices.md) and writes C for devices/names.c (to OUT, else stdout):

    NAMES_DEFAULT_OWNER, NAMES_DEFAULT_GUEST, NAMES_DEFAULT_REFUSE
    names_nodes[NAMES_NNODE]   struct names_node, sorted by listed name
                               (nodes without a visible name last)
    names_names[NAMES_NNAME]   struct names_name, sorted by name

Errors (a message "CONFIG:line: why" on stderr, exit status 1, OUT untouched):
a malformed line or word, a node declared twice, a `names` line for a node no
`node` line declares, one spelling for two nodes, the same name twice for one
node in one language, a setting given twice on a line.
"""

import os
import re
import sys

NAMELEN = 31                    # DEV_NAMELEN in include/device.h
CHANNELS = {                    # CH_* in include/device.h
    "read": "CH_READ", "write": "CH_WRITE", "send": "CH_SEND",
    "receive": "CH_RECEIVE", "please": "CH_PLEASE",
}
ORDER = ["read", "write", "send", "receive", "please"]
VISIBLE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
CONCEALED = re.compile(r"\.[a-z0-9][a-z0-9_-]*\Z")
LANG = re.compile(r"[a-z][a-z]\Z")
MAXREFUSE = 31


class ConfigError(Exception):
    pass


class Node:
    def __init__(self, canon, line):
        self.canon = canon
        self.line = line
        self.settings = {}
        self.names = []         # (name, lang) in file order; lang "" if concealed


def channels(value, where):
    if value in ("none", ""):
        return []
    if value == "all":
        return list(ORDER)
    words = value.split(",")
    for w in words:
        if w not in CHANNELS:
            raise ConfigError("%s: unknown channel %r (read write send receive please, "
                              "all, none)" % (where, w))
    if len(set(words)) != len(words):
        raise ConfigError("%s: a channel given twice in %r" % (where, value))
    return [c for c in ORDER if c in words]


def settings(words, where):
    out = {}
    for w in words:
        key, eq, value = w.partition("=")
        if not eq or key not in ("owner", "guest", "refuse"):
            raise ConfigError("%s: %r is not owner=, guest= or refuse=" % (where, w))
        if key in out:
            raise ConfigError("%s: %s= given twice" % (where, key))
        if key == "refuse":
            if not re.fullmatch(r"[0-9]+", value) or int(value) > MAXREFUSE:
                raise ConfigError("%s: refuse=%s: N must be 0..%d" % (where, value, MAXREFUSE))
            out[key] = int(value)
        else:
            out[key] = channels(value, "%s: %s=" % (where, key))
    return out


def checkname(name, where):
    if len(name) > NAMELEN:
        raise ConfigError("%s: %r is longer than %d bytes" % (where, name, NAMELEN))
    if not (VISIBLE.match(name) or CONCEALED.match(name)):
        raise ConfigError("%s: %r is not a name (lower case letters, digits, '-', '_'; "
                          "'.' first if concealed)" % (where, name))


def parse(text, filename="names.conf"):
    """The config's default settings and its nodes, in file order."""
    default = {"owner": list(ORDER), "guest": [], "refuse": 0}
    default_line = None
    nodes = {}
    order = []
    names_lines = []
    for n, raw in enumerate(text.splitlines(), 1):
        where = "%s:%d" % (filename, n)
        words = raw.split("\\", 1)[0].split()
        if not words:
            continue
        kind, args = words[0], words[1:]
        if kind == "default":
            if default_line is not None:
                raise ConfigError("%s: a second default line (the first is line %d)"
                                  % (where, default_line))
            default_line = n
            default.update(settings(args, where))
        elif kind == "node":
            if not args:
                raise ConfigError("%s: node needs a canonical name" % where)
            canon = args[0]
            checkname(canon, where)
            if not CONCEALED.match(canon):
                raise ConfigError("%s: canonical name %r must begin with '.'" % (where, canon))
            if canon in nodes:
                raise ConfigError("%s: node %s declared twice (first on line %d)"
                                  % (where, canon, nodes[canon].line))
            node = Node(canon, n)
            node.settings = settings(args[1:], where)
            nodes[canon] = node
            order.append(node)
        elif kind == "names":
            if len(args) < 2:
                raise ConfigError("%s: names needs a canonical name and at least one name"
                                  % where)
            names_lines.append((where, args[0], args[1:]))
        else:
            raise ConfigError("%s: unknown line kind %r (node, names, default)" % (where, kind))
    if not order:
        raise ConfigError("%s: no node lines" % filename)

    owner = {}                  # name -> (node, where it was first given)
    for where, canon, words in names_lines:
        if canon not in nodes:
            raise ConfigError("%s: unknown canonical name %s (no node line declares it)"
                              % (where, canon))
        node = nodes[canon]
        for w in words:
            lang, colon, name = w.rpartition(":")
            if colon and not LANG.match(lang):
                raise ConfigError("%s: %r: a language is two lower case letters" % (where, w))
            checkname(name, where)
            concealed = name.startswith(".")
            if concealed and colon:
                raise ConfigError("%s: %r: a concealed name takes no language" % (where, w))
            lang = "" if concealed else (lang or "en")
            if name == canon:
                raise ConfigError("%s: %s is the node's canonical name already" % (where, name))
            prev = owner.get(name)
            if prev is None and name in nodes:
                prev = (nodes[name], "line %d" % nodes[name].line)
            if prev is not None and prev[0] is not node:
                raise ConfigError("%s: duplicate name %s: it names %s already (%s)"
                                  % (where, name, prev[0].canon, prev[1]))
            if (name, lang) in node.names:
                raise ConfigError("%s: duplicate name %s (%s) for %s"
                                  % (where, name, lang or "concealed", canon))
            owner.setdefault(name, (node, where))
            node.names.append((name, lang))
    for node in order:
        full = dict(default)
        full.update(node.settings)
        node.settings = full
    return default, order


def table(default, nodes):
    """The names_nodes and names_names rows: plain data, for the C and the tests."""
    rows = []
    for node in nodes:
        visible = [(n, l) for n, l in node.names if l]
        primary = visible[0][0] if visible else ""
        aliases = ["%s:%s" % (l, n) for n, l in visible if (n, l) != (primary, visible[0][1])]
        rows.append({"canon": node.canon, "primary": primary, "aliases": " ".join(aliases),
                     "owner": node.settings["owner"], "guest": node.settings["guest"],
                     "refuse": node.settings["refuse"]})
    rows.sort(key=lambda r: (r["primary"] == "", r["primary"] or r["canon"]))
    index = {r["canon"]: i for i, r in enumerate(rows)}
    names = {}
    for node in nodes:
        names[node.canon] = {"name": node.canon, "node": index[node.canon], "langs": [],
                             "concealed": True}
        for n, l in node.names:
            e = names.setdefault(n, {"name": n, "node": index[node.canon], "langs": [],
                                     "concealed": n.startswith(".")})
            if l:
                e["langs"].append(l)
    namerows = sorted(names.values(), key=lambda e: e["name"].encode())
    for e in namerows:
        e["langs"] = " ".join(e["langs"])
    return rows, namerows


def cmask(chs):
    return "|".join(CHANNELS[c] for c in chs) if chs else "0"


def cstr(s):
    return '"' + s + '"'        # names and tags are checked: no quotes, no backslashes


def generate(default, nodes, source="devices/names.conf"):
    rows, namerows = table(default, nodes)
    out = ["/* generated from %s by tools/gennames.py: do not edit */" % source,
           "#define NAMES_DEFAULT_OWNER\t(%s)" % cmask(default["owner"]),
           "#define NAMES_DEFAULT_GUEST\t(%s)" % cmask(default["guest"]),
           "#define NAMES_DEFAULT_REFUSE\t%d" % default["refuse"],
           "#define NAMES_NNODE\t%d" % len(rows),
           "#define NAMES_NNAME\t%d" % len(namerows),
           "",
           "/* the nodes, in listing order */",
           "static const struct names_node names_nodes[NAMES_NNODE] = {"]
    for r in rows:
        out.append("\t{ %s, %s, %s, %s, %s, %d }," % (
            cstr(r["canon"]), cstr(r["primary"]), cstr(r["aliases"]),
            cmask(r["owner"]), cmask(r["guest"]), r["refuse"]))
    out += ["};", "", "/* every name, sorted */",
            "static const struct names_name names_names[NAMES_NNAME] = {"]
    for e in namerows:
        out.append("\t{ %s, %d, %s, %d },\t/* %s */" % (
            cstr(e["name"]), e["node"], cstr(e["langs"]), int(e["concealed"]),
            rows[e["node"]]["canon"]))
    out += ["};", ""]
    return "\n".join(out)


def main(argv):
    args = list(argv[1:])
    outpath = None
    if "-o" in args:
        i = args.index("-o")
        if i + 1 >= len(args):
            sys.exit("usage: gennames.py CONFIG [-o OUT]")
        outpath = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit("usage: gennames.py CONFIG [-o OUT]")
    path = args[0]
    try:
        with open(path, encoding="ascii") as f:
            text = f.read()
        default, nodes = parse(text, path)
    except (ConfigError, UnicodeDecodeError, OSError) as e:
        print("gennames: %s" % e, file=sys.stderr)
        return 1
    c = generate(default, nodes, path)
    if outpath:
        with open(outpath + ".tmp", "w") as f:
            f.write(c)
        os.replace(outpath + ".tmp", outpath)
    else:
        sys.stdout.write(c)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

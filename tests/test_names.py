"""The device name space (docs/devices.md): devices/names.conf, tools/gennames.py,
devices/names.c, and please's lookup and `devices` (please/please.c).

    Host: the generator (syntax, duplicate names and unknown canonical names
    rejected, sorted output); the shipped config (every device named in English,
    German, French and Spanish, the docs naming each name); devices/names.c built
    for the host against a fake device table (lookups, # paths, walk, the
    listing, permissions from the config and from devperm=).
    Booted (console=com1, typing H3sm at the console): names, aliases, concealed
    names, case and # paths open the same node; the listing; unknown names and
    sub-paths fail; a device the owner may not use (devperm=) is invisible.

Run: /usr/bin/python3 -m pytest -q tests/test_names.py
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gennames  # noqa: E402
from test_h3sm_kernel import Console, console  # noqa: E402,F401 (console: the fixture)

CONF = ROOT / "devices" / "names.conf"
GEN = ROOT / "tools" / "gennames.py"
NAMES_C = ROOT / "devices" / "names.c"
DOC = ROOT / "docs" / "devices.md"
PY = "/usr/bin/python3"
LANGS = ("de", "fr", "es")


def gen(tmp_path, text):
    """Run the generator on a config text: (exit status, C text, stderr)."""
    conf = tmp_path / "names.conf"
    conf.write_text(text)
    out = tmp_path / "names_table.h"
    if out.exists():
        out.unlink()
    r = subprocess.run([PY, str(GEN), str(conf), "-o", str(out)],
                       capture_output=True, text=True)
    return r.returncode, out.read_text() if out.exists() else None, r.stderr


def shipped():
    default, nodes = gennames.parse(CONF.read_text(), str(CONF))
    return gennames.table(default, nodes)


# ------------------------------------------------------------------ the generator

SMALL = """\
\\ a small config
default owner=all guest=none refuse=0
node .b  owner=read,please guest=please refuse=3
node .a
names .b  bee  de:biene  fr:abeille
names .a  ay   de:ah  .alpha
names .b  es:abeja   \\ a second names line for .b
"""


def test_generator_output_is_sorted_and_complete(tmp_path):
    rc, c, err = gen(tmp_path, SMALL)
    assert rc == 0, err
    names = re.findall(r'^\t\{ "([^"]+)", (\d+), "([^"]*)", ([01]) \},', c, re.M)
    assert [n for n, *_ in names] == sorted(n for n, *_ in names)
    assert [n for n, *_ in names] == [".a", ".alpha", ".b", "abeille", "abeja", "ah",
                                      "ay", "bee", "biene"]
    nodes = re.findall(r'^\t\{ "(\.[a-z]+)", "([^"]*)", "([^"]*)", ([^,]+), ([^,]+), (\d+) \},',
                       c, re.M)
    # nodes in listing order (by the listed name), each with its aliases in file order
    assert nodes == [(".a", "ay", "de:ah", "CH_READ|CH_WRITE|CH_SEND|CH_RECEIVE|CH_PLEASE",
                      "0", "0"),
                     (".b", "bee", "de:biene fr:abeille es:abeja", "CH_READ|CH_PLEASE",
                      "CH_PLEASE", "3")]
    byname = {n: (int(i), l, int(k)) for n, i, l, k in names}
    assert byname["biene"] == (1, "de", 0)
    assert byname[".alpha"] == (0, "", 1)
    assert byname[".b"] == (1, "", 1)
    assert "#define NAMES_NNAME\t9" in c and "#define NAMES_NNODE\t2" in c


def test_generator_merges_one_spelling_in_several_languages(tmp_path):
    rc, c, err = gen(tmp_path, "node .c\nnames .c console de:konsole fr:console\n")
    assert rc == 0, err
    assert '{ "console", 0, "en fr", 0 },' in c
    assert '"console", "de:konsole fr:console"' in c


@pytest.mark.parametrize("text,why", [
    ("node .a\nnode .b\nnames .a x\nnames .b de:x\n", "duplicate name x"),
    ("node .a\nnode .b\nnames .a .x\nnames .b .x\n", "duplicate name .x"),
    ("node .a\nnode .b\nnames .a .b\n", "duplicate name .b"),
    ("node .a\nnames .a x de:y de:y\n", "duplicate name y"),
    ("node .a\nnames .a x x\n", "duplicate name x"),
    ("node .a\nnames .nosuch x\n", "unknown canonical name .nosuch"),
    ("node .a\nnames .a x\nnames .flopy y\n", "unknown canonical name .flopy"),
    ("node .a\nnode .a\n", "declared twice"),
    ("node a\n", "must begin with '.'"),
    ("node .a\nnames .a Floppy\n", "is not a name"),
    ("node .a\nnames .a a#b\n", "is not a name"),
    ("node .a\nnames .a " + "x" * 32 + "\n", "longer than 31"),
    ("node .a\nnames .a deu:x\n", "two lower case letters"),
    ("node .a\nnames .a de:.x\n", "concealed name takes no language"),
    ("node .a owner=read,fly\n", "unknown channel 'fly'"),
    ("node .a owner=read owner=write\n", "owner= given twice"),
    ("node .a refuse=32\n", "N must be 0..31"),
    ("node .a refuse=x\n", "N must be 0..31"),
    ("node .a color=red\n", "is not owner=, guest= or refuse="),
    ("node .a\nalias .a x\n", "unknown line kind 'alias'"),
    ("\\ nothing\n", "no node lines"),
    ("default refuse=1\ndefault refuse=2\nnode .a\n", "a second default line"),
])
def test_generator_rejects(tmp_path, text, why):
    rc, c, err = gen(tmp_path, text)
    assert rc == 1 and c is None
    assert why in err
    assert re.search(r"names\.conf(:\d+)?: ", err)


def test_generator_error_names_the_line(tmp_path):
    rc, _, err = gen(tmp_path, "node .a\n\nnames .a x\nnames .b y\n")
    assert rc == 1 and "names.conf:4: unknown canonical name .b" in err


def test_build_uses_the_generator():
    mk = (ROOT / "mk" / "names.mk").read_text()
    assert "tools/gennames.py devices/names.conf" in mk
    assert "include mk/names.mk" in (ROOT / "GNUmakefile").read_text()


# ------------------------------------------------------------------ the shipped config

CANONICAL = {".console", ".com1", ".com2", ".com3", ".com4", ".ramdisk", ".floppy",
             ".disk", ".keyboard", ".display", ".clock", ".speaker"}


def test_shipped_config_names_every_device_in_four_languages():
    nodes, names = shipped()
    assert {n["canon"] for n in nodes} >= CANONICAL
    for n in nodes:
        assert n["primary"], n["canon"]
        langs = [a.split(":")[0] for a in n["aliases"].split()]
        for lang in LANGS:
            assert lang in langs, (n["canon"], lang)
    some = {e["name"]: (nodes[e["node"]]["canon"], e["langs"]) for e in names}
    assert some["tastatur"] == (".keyboard", "de")
    assert some["clavier"] == (".keyboard", "fr")
    assert some["teclado"] == (".keyboard", "es")
    assert some["disquette"] == (".floppy", "fr")
    assert some["haut-parleur"] == (".speaker", "fr")
    assert some["console"] == (".console", "en fr")


def source_canonical_names():
    """Every concealed name a driver or device file gives dev_add."""
    found = set()
    for d in ("drivers", "devices"):
        for f in (ROOT / d).glob("*.c"):
            text = f.read_text(errors="replace")
            found |= set(re.findall(r'dev_add\(\s*"(\.[a-z0-9_-]+)"', text))
    text = (ROOT / "devices" / "terminal.c").read_text()
    found |= set(re.findall(r'"(\.com[1-4])"', text))
    return found


def test_every_device_in_the_sources_has_names():
    nodes, _ = shipped()
    canon = {n["canon"] for n in nodes}
    found = source_canonical_names()
    assert {".console", ".com1", ".floppy", ".ramdisk", ".disk"} <= found
    assert found <= canon, "devices without names in names.conf: %s" % (found - canon)


def test_docs_name_every_name_and_the_defaults():
    doc = DOC.read_text()
    nodes, names = shipped()
    for e in names:
        assert "`%s`" % e["name"] in doc, e["name"]
    def chans(c):
        return "all" if c == gennames.ORDER else ", ".join(c) if c else "none"
    for n in nodes:
        row = [l for l in doc.splitlines() if l.startswith("| `%s` |" % n["canon"])]
        assert len(row) == 1, "no table row for %s" % n["canon"]
        cells = [c.strip() for c in row[0].strip("|").split("|")]
        aliases = dict(a.split(":") for a in n["aliases"].split())
        assert cells[1:5] == ["`%s`" % x for x in
                              [n["primary"]] + [aliases[lang] for lang in LANGS]]
        assert cells[5:8] == [chans(n["owner"]), chans(n["guest"]), str(n["refuse"])]


# ------------------------------------------------------------------ names.c on the host

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "types.h"
#include "device.h"
#include "multiboot.h"
#include "names.h"

struct device devtab[NDEV];
int ndev;
struct bootinfo bootinfo;
static int owner = 1;
static char lastwalk[64];

struct device*
dev_byname(const char *name)
{
	int i;
	for(i = 0; i < ndev; i++)
		if(strcmp(devtab[i].name, name) == 0)
			return &devtab[i];
	return 0;
}

int
dev_usable(struct device *d, uint ch)
{
	if(d == 0 || (d->channels & ch) == 0)
		return 0;
	return ((owner ? d->perm_owner : d->perm_guest) & ch) != 0;
}

/* a device with sub-paths: it takes "walk qwerty" and "walk dvorak" */
static int
kbdplease(struct device *d, char *msg, uint len, uint cap, uint *replylen)
{
	(void)d; (void)cap;
	snprintf(lastwalk, sizeof lastwalk, "%.*s", (int)len, msg);
	*replylen = 0;
	return (len == 11 && memcmp(msg, "walk qwerty", 11) == 0) ||
	       (len == 11 && memcmp(msg, "walk dvorak", 11) == 0);
}
static const struct devops kbdops = { .please = kbdplease };
static const struct devops noops;

static void
add(const char *name, uint ch, int please)
{
	struct device *d = &devtab[ndev++];
	strcpy(d->name, name);
	d->channels = ch | CH_PLEASE;
	d->ops = please ? &kbdops : &noops;
	d->perm_owner = d->channels;	/* as dev_add leaves them */
	d->perm_guest = 0;
}

int
main(void)
{
	char line[512], buf[2048], *arg;
	const char *rest;
	struct device *d;
	uint n;
	int k;

	while(fgets(line, sizeof line, stdin)){
		line[strcspn(line, "\n")] = 0;
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		if(strncmp(line, "add ", 4) == 0){		/* add <canon> <ch> <please> */
			char nm[64]; uint ch; int p;
			sscanf(arg, "%63s %x %d", nm, &ch, &p);
			add(nm, ch, p);
		}else if(strncmp(line, "set ", 4) == 0){	/* set <canon> <owner> <guest> <refuse> */
			char nm[64]; uint o, g, r;
			sscanf(arg, "%63s %x %x %u", nm, &o, &g, &r);
			d = dev_byname(nm);
			d->perm_owner = o;
			d->perm_guest = g;
			d->refuse_shift = r;
		}else if(strncmp(line, "cmdline ", 8) == 0)
			snprintf(bootinfo.cmdline, sizeof bootinfo.cmdline, "%s", arg);
		else if(strcmp(line, "owner") == 0)
			owner = 1;
		else if(strcmp(line, "guest") == 0)
			owner = 0;
		else if(strcmp(line, "apply") == 0)
			names_apply_defaults();
		else if(strncmp(line, "lookup ", 7) == 0){
			rest = "(unset)";
			d = names_lookup(arg, &rest);
			printf("%s [%s]\n", d ? d->name : "-", rest);
		}else if(strncmp(line, "open ", 5) == 0){	/* as please.c's lookup() */
			lastwalk[0] = 0;
			d = names_lookup(arg, &rest);
			if(d == 0 || !dev_usable(d, CH_PLEASE) || !names_walk(d, rest))
				d = 0;
			printf("%s {%s}\n", d ? d->name : "-", lastwalk);
		}else if(strncmp(line, "perm ", 5) == 0){
			d = dev_byname(arg);
			printf("%x %x %u\n", d->perm_owner, d->perm_guest, d->refuse_shift);
		}else if(strncmp(line, "option ", 7) == 0)
			printf("%d\n", names_option(arg));
		else if(strncmp(line, "list ", 5) == 0){	/* list <cap> */
			memset(buf, '@', sizeof buf);
			n = names_list(buf, atoi(arg));
			k = atoi(arg) < (int)n ? atoi(arg) : (int)n;
			printf("%u\n%.*s|%c\n", n, k, buf, buf[k]);
		}else
			printf("? %s\n", line);
		fflush(stdout);
	}
	return 0;
}
"""

CH = {"read": 1, "write": 2, "send": 4, "receive": 8, "please": 16}


@pytest.fixture(scope="module")
def names_host(tmp_path_factory):
    """names.c built for the host with the shipped config's table and the fake devtab;
    a function that feeds it command lines and returns its output lines."""
    tmp = tmp_path_factory.mktemp("names")
    r = subprocess.run([PY, str(GEN), str(CONF), "-o", str(tmp / "names_table.h")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (tmp / "harness.c").write_text(HARNESS)
    exe = tmp / "names_check"
    flags = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fno-builtin", "-g"]
    probe = subprocess.run(["gcc", "-fsanitize=address,undefined", "-x", "c", "-",
                            "-o", str(tmp / "probe")], input="int main(void){return 0;}",
                           capture_output=True, text=True)
    if probe.returncode == 0:
        flags.append("-fsanitize=address,undefined")
    r = subprocess.run(["gcc", *flags, "-I", str(ROOT / "include"), "-I", str(tmp),
                        "-o", str(exe), str(tmp / "harness.c"), str(NAMES_C)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    def run(*cmds):
        r = subprocess.run([str(exe)], input="\n".join(cmds) + "\n",
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        return r.stdout.splitlines()
    return run


# a machine like QEMU's with console=com1 and no disk, plus the keyboard and clock
MACHINE = ["add .console c 0", "add .com2 c 0", "add .com3 c 0", "add .ramdisk 3 0",
           "add .floppy 3 0", "add .keyboard 8 1", "add .clock 8 0", "add .unnamed 4 0"]


def test_host_names_aliases_case_and_concealed(names_host):
    paths = ["floppy", ".floppy", "diskette", "disquette", "disquete", "FLOPPY", "DisKette",
             ".FLOPPY", "#floppy", "floppy#", "#diskette"]
    out = names_host(*MACHINE, *["lookup " + p for p in paths])
    assert out == [".floppy []"] * len(paths)


def test_host_unknown_and_absent_names(names_host):
    out = names_host(*MACHINE, "lookup nosuch", "lookup disk", "lookup platte", "lookup .disk",
                     "lookup .com1", "lookup com1", "lookup ", "lookup #", "lookup ##floppy",
                     "lookup flopp", "lookup floppyy", "lookup " + "a" * 40,
                     "lookup .unnamed", "lookup .UNNAMED#x", "lookup .unname")
    assert out == ["- []", "- []", "- []", "- []", "- []", "- []", "- []", "- []",
                   "- [floppy]", "- []", "- []", "- []", ".unnamed []", ".unnamed [x]", "- []"]


def test_host_hash_paths_and_walk(names_host):
    out = names_host(*MACHINE, "lookup #keyboard#qwerty", "lookup keyboard#qwerty",
                     "lookup #tastatur#qwerty#x", "open #keyboard#qwerty", "open clavier#dvorak",
                     "open #teclado#azerty", "open #keyboard#", "open keyboard",
                     "open #floppy#qwerty", "open #floppy", "open #keyboard#" + "q" * 40)
    assert out == [".keyboard [qwerty]", ".keyboard [qwerty]", ".keyboard [qwerty#x]",
                   ".keyboard {walk qwerty}", ".keyboard {walk dvorak}", "- {walk azerty}",
                   ".keyboard {}", ".keyboard {}", "- {}", ".floppy {}", "- {}"]


def test_host_defaults_from_the_config(names_host):
    nodes, _ = shipped()
    conf = {n["canon"]: n for n in nodes}
    # .floppy's maker set something else: names.conf wins; .unnamed is not in
    # names.conf: it keeps what its maker set
    out = names_host(*MACHINE, "set .floppy 1 1 3", "set .unnamed 4 14 2", "apply",
                     *["perm " + c for c in (".console", ".floppy", ".clock", ".unnamed")])
    for line, canon, ch in zip(out, (".console", ".floppy", ".clock"), (0x1c, 0x13, 0x18)):
        spec = conf[canon]
        o = sum(CH[c] for c in spec["owner"]) & ch
        g = sum(CH[c] for c in spec["guest"]) & ch
        assert line == "%x %x %d" % (o, g, spec["refuse"]), canon
    assert out[2] == "18 18 0"          # the clock: guests may receive
    assert out[0] == "1c 0 8"           # the console: refuse every 256th lock
    assert out[1] == "13 0 0"
    assert out[3] == "4 14 2"
    # nodes added after the first application get theirs at the next lookup
    out = names_host("add .console c 0", "apply", "add .com2 c 0", "set .com2 0 0 0",
                     "lookup serie2", "perm .com2", "add .new 4 0", "set .new 0 0 0",
                     "lookup .new", "perm .new")
    assert out == [".com2 []", "1c 0 8", ".new []", "0 0 0"]


def test_host_devperm_from_the_command_line(names_host):
    out = names_host("cmdline /kernel.elf console=com1 devperm=com3:none:none "
                     "devperm=diskette:read,please:please:5 devperm=#.console:all:receive "
                     "devperm=nosuch:none:none devperm=com2:bad:none devperm=.clock:none",
                     *MACHINE, "apply", "perm .com3", "perm .floppy", "perm .console",
                     "perm .com2", "perm .clock",
                     "open com3", "open .com3", "open serie3", "open com2", "open uhr")
    assert out == ["0 0 8", "11 10 5", "1c 8 8", "1c 0 8", "18 18 0",
                   "- {}", "- {}", "- {}", ".com2 {}", ".clock {}"]


def test_host_devperm_option_syntax(names_host):
    good = ["com3:none:none", "floppy:read,write,please:please", "a::", "#floppy:all:none:0",
            "floppy:ALL:None:31", "x:read,read:none"]
    bad = ["com3", "com3:none", ":none:none", "com3:nonsense:none", "com3:none:none:",
           "com3:none:none:32", "com3:none:none:1x", "com3:none:none:1:2", "com3:read,,x:none",
           "com3:none:none:123"]
    out = names_host(*["option " + v for v in good + bad])
    assert out == ["0"] * len(good) + ["-1"] * len(bad)


def expected_listing(present, owner=True):
    """The listing names.conf gives for these canonical names (owner's view)."""
    nodes, _ = shipped()
    return "".join("%s%s\n" % (n["primary"], " " + n["aliases"] if n["aliases"] else "")
                   for n in nodes if n["canon"] in present and n["primary"]
                   and "please" in n["owner" if owner else "guest"])


def listings(out):
    """The listings in a run's output: (whole length, the bytes written, the byte after)."""
    return re.findall(r"^(\d+)\n(.*?)\|(.)$", "\n".join(out), re.S | re.M)


def test_host_listing(names_host):
    [(n, text, after)] = listings(names_host(*MACHINE, "list 2048"))
    assert after == "@"
    present = {".console", ".com2", ".com3", ".ramdisk", ".floppy", ".keyboard", ".clock"}
    assert text == expected_listing(present)
    assert int(n) == len(text)
    lines = text.splitlines()
    assert [l.split()[0] for l in lines] == ["clock", "com2", "com3", "console", "floppy",
                                             "keyboard", "ramdisk"]
    assert "floppy de:diskette fr:disquette es:disquete" in lines
    assert "console de:konsole fr:console es:consola" in lines
    assert not re.search(r"(^|\s)\.", text)            # nothing concealed
    assert "unnamed" not in text and "\ndisk " not in text


def test_host_listing_is_cut_at_the_capacity(names_host):
    [(whole, text, _)] = listings(names_host(*MACHINE, "list 2048"))
    [(n, cut, after)] = listings(names_host(*MACHINE, "list 10"))
    assert int(n) == int(whole) == len(text)            # the whole length, still
    assert cut == "clock de:u" and after == "@"         # ten bytes, nothing past them


def test_host_listing_for_guests_and_hidden_devices(names_host):
    out = names_host("cmdline devperm=floppy:none:none", *MACHINE, "list 2048", "guest",
                     "list 2048", "open clock", "open floppy", "open .console")
    (_, owner_view, _), (_, guest_view, _) = listings(out)
    assert [l.split()[0] for l in owner_view.splitlines()] == \
        ["clock", "com2", "com3", "console", "keyboard", "ramdisk"]
    assert guest_view == "clock de:uhr fr:horloge es:reloj\n"
    assert out[-3:] == [".clock {}", "- {}", "- {}"]


# ------------------------------------------------------------------ the booted kernel

def open_id(console, name):
    out = console.type("OPEN %s ." % name)
    m = re.fullmatch(r"(-?\d+) ", out)
    assert m, "OPEN %s printed %r" % (name, out)
    return int(m.group(1))


def please(console, msg):
    """(result, reply) of a please message."""
    out = console.type('PLEASE" %s" . .REPLY' % msg)
    m = re.match(r"(-?\d+) (.*)\Z", out, re.S)
    assert m, out
    return int(m.group(1)), m.group(2)


def present_nodes(console):
    """The canonical names of names.conf that this boot has (concealed names resolve)."""
    nodes, _ = shipped()
    return {n["canon"] for n in nodes if open_id(console, n["canon"]) != 0}


def test_names_aliases_and_concealed_names_open_one_node(console):
    floppy = open_id(console, "floppy")
    assert floppy != 0
    for name in (".floppy", "diskette", "disquette", "disquete", "#floppy", "#diskette",
                 "floppy#", "FLOPPY", "Disquette", "#.floppy"):
        assert open_id(console, name) == floppy, name
    assert open_id(console, "nosuch") == 0
    assert open_id(console, ".nosuch") == 0
    assert open_id(console, "flopp") == 0
    console_id = open_id(console, ".console")
    assert console_id not in (0, floppy)
    assert open_id(console, "konsole") == console_id
    assert open_id(console, "consola") == console_id
    assert open_id(console, ".ramdisk") == open_id(console, "ramplatte") != 0
    assert open_id(console, ".com2") == open_id(console, "serie2") != 0
    assert open_id(console, "com1") == 0            # the console is on COM1: no node
    assert please(console, "#tastatur identify")[0] == please(console, "#keyboard identify")[0]


def test_please_identify_through_aliases_and_paths(console):
    assert please(console, "#disquette identify") == (-1, ".floppy block device")
    assert please(console, "#.ramdisk identify") == (-1, ".ramdisk block device")
    assert please(console, "#konsole# identify") == (-1, ".console stream device")


def test_unknown_sub_paths_fail_like_missing_names(console):
    missing = please(console, "#nosuch identify")
    assert missing == (0, "error: no such device")
    assert please(console, "#floppy#nosuch identify") == missing
    assert please(console, "#diskette#a#b identify") == missing
    assert please(console, "#.console#qwerty identify") == missing
    assert please(console, "## open") == missing
    assert open_id(console, "#floppy#nosuch") == 0
    assert open_id(console, "floppy#x") == 0
    assert open_id(console, "#") == 0


def test_devices_lists_visible_names_sorted_with_aliases(console):
    present = present_nodes(console)
    assert {".console", ".com2", ".com3", ".com4", ".ramdisk", ".floppy"} <= present
    assert ".com1" not in present and ".disk" not in present
    result, text = please(console, "devices")
    assert result != 0
    assert text == expected_listing(present)
    lines = text.splitlines()
    firsts = [l.split()[0] for l in lines]
    assert firsts == sorted(firsts)
    assert "floppy de:diskette fr:disquette es:disquete" in lines
    assert "console de:konsole fr:console es:consola" in lines
    assert "com2 de:seriell2 fr:serie2 es:serie2" in lines
    assert not re.search(r"(^|\s)\.", text)          # no concealed name
    assert "com1" not in firsts and "disk" not in firsts


def test_a_disk_is_named_only_when_there_is_one(boot, tmp_path):
    disk = tmp_path / "disk.img"
    disk.write_bytes(b"\0" * (1 << 20))
    c = Console(boot(append="console=com1", drives=[str(disk)]).line(1))
    disk_id = open_id(c, "disk")
    assert disk_id != 0
    assert open_id(c, "platte") == open_id(c, "disque") == open_id(c, "disco") == disk_id
    assert "disk de:platte fr:disque es:disco\n" in please(c, "devices")[1]


def test_a_device_the_owner_may_not_use_is_invisible(boot):
    # devperm=com3:none:none takes every channel of COM3 from owners and guests;
    # devperm=seriell2:send,receive:none leaves COM2's data but not its please channel
    c = Console(boot(append="console=com1 devperm=com3:none:none "
                            "devperm=seriell2:send,receive:none").line(1))
    missing = please(c, "#nosuch open")
    assert missing == (0, "error: no such device")
    for name in ("com3", ".com3", "serie3", "seriell3", "#com3", "COM3", "com2", ".com2",
                 "serie2"):
        assert please(c, "#%s open" % name) == missing, name
        assert please(c, "#%s identify" % name) == missing, name
        assert open_id(c, name) == 0, name
    assert open_id(c, "com4") != 0
    present = present_nodes(c)
    assert ".com3" not in present and ".com2" not in present and ".com4" in present
    text = please(c, "devices")[1]
    firsts = [l.split()[0] for l in text.splitlines()]
    assert "com3" not in firsts and "com2" not in firsts and "com4" in firsts
    assert "serie3" not in text and "serie2" not in text
    assert text == expected_listing(present)

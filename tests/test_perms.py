"""Per-user device permissions (docs/users.md): the perms field of a user record,
tools/genusers.py, devices/perms.c and dev_usable (devices/calls.c).

    Host: devices/perms.c built against a harness, checked on the documented
    examples and against a model of the rules on random records and devices
    (and on random junk, under the sanitizers); genusers.py's checks and its
    canonical names; the shipped records.
    Booted, the shipped kernel (console=com1; guests on COM2/COM3): a guest sees
    exactly its class's devices and its own terminal, every other name opens
    and identifies exactly like a missing one, and a device's ID does not help;
    the owner sees all; devperm= changes the class for every guest, and a class
    without please gives nothing.
    Booted, a kernel built from a copy of the repository with test accounts
    added by `make user`: a guest granted ramdisk=rw reads and writes the RAM
    disk while guest1 cannot; a removed please hides and disables; a grant of
    send alone opens and sends; !* leaves only the terminal; an owner's record
    hides devices from that owner.

Run: /usr/bin/python3 -m pytest -q tests/test_perms.py
"""
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gennames  # noqa: E402
import genusers  # noqa: E402
from test_h3sm_kernel import Console  # noqa: E402
from test_mkuser_make import copy_repo, make, make_user  # noqa: E402

PY = "/usr/bin/python3"
CH = {"r": 1, "w": 2, "s": 4, "v": 8, "p": 16}
R, W, S, V, P = 1, 2, 4, 8, 16
ALL = 31
NAMES = genusers.device_names(genusers.NAMES_CONF)


# ------------------------------------------------------------------ perms.c on the host

HARNESS = r"""
#include <stdio.h>
#include <string.h>
#include "types.h"
#include "device.h"
#include "users.h"
#include "perms.h"

/* lines: <perms|(nil)|(nouser)> <canon> <channels> <perm_owner> <perm_guest> <owner> */
int
main(void)
{
	char line[4096], p[4096], canon[64];
	unsigned ch, po, pg;
	int owner;
	struct device d;
	struct user u;

	while(fgets(line, sizeof line, stdin)){
		if(sscanf(line, "%4095s %63s %x %x %x %d", p, canon, &ch, &po, &pg, &owner) != 6){
			printf("?\n");
			continue;
		}
		memset(&d, 0, sizeof d);
		strcpy(d.name, canon);
		d.channels = ch;
		d.perm_owner = po;
		d.perm_guest = pg;
		memset(&u, 0, sizeof u);
		u.name = "x";
		u.owner = owner;
		u.perms = strcmp(p, "(nil)") == 0 ? 0 : p;
		printf("%x %x\n", perms_for(strcmp(p, "(nouser)") == 0 ? 0 : &u, &d),
		       perms_apply(u.perms, canon, po));
	}
	if(perms_for(&u, 0) != 0)
		printf("nil device usable\n");
	return 0;
}
"""


@pytest.fixture(scope="module")
def perms_host(tmp_path_factory):
    """A function: [(perms, canon, channels, owner_bits, guest_bits, owner)] ->
    [(perms_for, perms_apply on the owner bits)]."""
    tmp = tmp_path_factory.mktemp("perms")
    (tmp / "harness.c").write_text(HARNESS)
    flags = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fno-builtin", "-g"]
    probe = subprocess.run(["gcc", "-fsanitize=address,undefined", "-x", "c", "-",
                            "-o", str(tmp / "probe")], input="int main(void){return 0;}",
                           capture_output=True, text=True)
    if probe.returncode == 0:
        flags.append("-fsanitize=address,undefined")
    exe = tmp / "perms_check"
    r = subprocess.run(["gcc", *flags, "-I", str(ROOT / "include"), "-o", str(exe),
                        str(tmp / "harness.c"), str(ROOT / "devices" / "perms.c")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    def run(cases):
        text = "".join("%s %s %x %x %x %d\n" % c for c in cases)
        r = subprocess.run([str(exe)], input=text, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        out = [tuple(int(x, 16) for x in l.split()) for l in r.stdout.splitlines()]
        assert len(out) == len(cases)
        return out
    return run


def model(p, canon, channels, po, pg, owner):
    """The rules of docs/users.md, for a user with record perms p (None: no user)."""
    ch = po if (p is not None and owner) else pg
    if p is not None and p not in ("*", "-"):
        for item in p.split(","):
            neg = item.startswith("!")
            name, eq, letters = item[neg:].partition("=")
            bits = sum(CH[c] for c in letters) if eq else ALL
            if name == canon or name == "*":
                ch = ch & ~bits if neg else ch | bits | P
    ch &= channels
    return ch if ch & P else 0


# (perms, device, its channels, owner class, guest class, owner?) -> perms_for
EXAMPLES = [
    # the RAM disk: read, write, please; guests get nothing by default
    ("-", ".ramdisk", R | W | P, ALL, 0, 0, 0),
    ("*", ".ramdisk", R | W | P, ALL, 0, 0, 0),
    (".ramdisk=rw", ".ramdisk", R | W | P, ALL, 0, 0, R | W | P),     # please comes along
    (".ramdisk=r", ".ramdisk", R | W | P, ALL, 0, 0, R | P),
    (".ramdisk", ".ramdisk", R | W | P, ALL, 0, 0, R | W | P),
    (".ramdisk=rwsvp", ".ramdisk", R | W | P, ALL, 0, 0, R | W | P),  # only what it has
    (".ramdisk=rw,!.ramdisk=w", ".ramdisk", R | W | P, ALL, 0, 0, R | P),
    (".ramdisk=rw,!.ramdisk=p", ".ramdisk", R | W | P, ALL, 0, 0, 0),  # unseen, unusable
    ("!.ramdisk,.ramdisk=r", ".ramdisk", R | W | P, ALL, 0, 0, R | P),  # left to right
    (".ramdisk=r,!.ramdisk", ".ramdisk", R | W | P, ALL, 0, 0, 0),
    ("*=r", ".ramdisk", R | W | P, ALL, 0, 0, R | P),
    (".com3=s", ".ramdisk", R | W | P, ALL, 0, 0, 0),                  # another device
    (".com3=s", ".com3", S | V | P, ALL, 0, 0, S | P),                 # send alone opens
    # the clock: guests may receive and please by default
    ("-", ".clock", V | P, ALL, V | P, 0, V | P),
    ("!.clock", ".clock", V | P, ALL, V | P, 0, 0),
    ("!.clock=v", ".clock", V | P, ALL, V | P, 0, P),
    ("!.clock=p", ".clock", V | P, ALL, V | P, 0, 0),
    ("!*", ".clock", V | P, ALL, V | P, 0, 0),
    ("!*,.clock=v", ".clock", V | P, ALL, V | P, 0, V | P),
    (".clock=w", ".clock", V | P, ALL, V | P, 0, V | P),
    # owners: the owner class's bits, refined the same way
    ("*", ".com2", S | V | P, S | V | P, 0, 1, S | V | P),
    ("-", ".com2", S | V | P, S | V | P, 0, 1, S | V | P),
    ("!.com2=s", ".com2", S | V | P, S | V | P, 0, 1, V | P),
    ("!.speaker", ".speaker", S | P, S | P, 0, 1, 0),
    ("*", ".com2", S | V | P, S | V, 0, 1, 0),           # devperm= without please: nothing
    (".com2=s", ".com2", S | V | P, S | V, 0, 1, S | V | P),
    ("*", ".floppy", R | W | P, ALL, R | P, 0, R | P),   # a guest's class is perm_guest
    ("*", ".floppy", R | W | P, R | P, ALL, 1, R | P),   # an owner's perm_owner
]


def test_perms_for_on_the_documented_examples(perms_host):
    out = perms_host([c[:6] for c in EXAMPLES])
    for case, (got, _) in zip(EXAMPLES, out):
        assert got == case[6], case
        assert got == model(*case[:6]), case


def test_perms_for_without_a_user_is_the_guest_class(perms_host):
    out = perms_host([("(nouser)", ".clock", V | P, ALL, V | P, 1),
                      ("(nouser)", ".ramdisk", R | W | P, ALL, 0, 1),
                      ("(nouser)", ".clock", V | P, ALL, V, 0),
                      ("(nil)", ".ramdisk", R | W | P, ALL, R | P, 0)])
    assert [o[0] for o in out] == [V | P, 0, 0, R | P]


def random_perms(rng, canons):
    if rng.random() < 0.1:
        return rng.choice(["*", "-"])
    items = []
    for _ in range(rng.randint(1, 5)):
        name = rng.choice(canons + ["*"])
        neg = rng.random() < 0.4
        letters = "".join(rng.sample("rwsvp", rng.randint(1, 5))) if rng.random() < 0.7 else None
        if name == "*" and not neg and letters is None:
            letters = "r"
        items.append(("!" if neg else "") + name + ("" if letters is None else "=" + letters))
    return ",".join(items)


def test_perms_for_agrees_with_the_rules_on_random_records(perms_host):
    rng = random.Random(6)
    canons = [".ramdisk", ".com2", ".clock", ".speaker", ".ramdisk2"]
    cases = []
    for _ in range(3000):
        p = random_perms(rng, canons)
        cases.append((p, rng.choice(canons[:4]), rng.randint(0, ALL) | P, rng.randint(0, ALL),
                      rng.randint(0, ALL), rng.randint(0, 1)))
    out = perms_host(cases)
    for c, (got, applied) in zip(cases, out):
        assert got == model(*c), c
        assert got & ~c[2] == 0


def test_perms_text_that_genusers_would_refuse_is_harmless(perms_host):
    rng = random.Random(7)
    alphabet = "!=,*-.rwsvpabcdmkx"
    cases = []
    for _ in range(3000):
        p = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        cases.append((p, ".ramdisk", R | W | P, rng.randint(0, ALL), rng.randint(0, ALL), 1))
    cases += [("!", ".ramdisk", R | W | P, 0, 0, 1), (",,,", ".ramdisk", R | W | P, 0, 0, 1),
              ("=rw", ".ramdisk", R | W | P, 0, 0, 1), (".ramdisk=", ".ramdisk", R | W | P, 0, 0, 1),
              (".RAMDISK=r", ".ramdisk", R | W | P, 0, 0, 1), (".ramdis=r", ".ramdisk", 19, 0, 0, 1),
              (".ramdiskx=r", ".ramdisk", R | W | P, 0, 0, 1)]
    out = perms_host(cases)
    for c, (got, _) in zip(cases, out):
        assert got & ~c[2] == 0
    assert [o[0] for o in out[-7:]] == [0, 0, 0, P, R | P, 0, 0]


# ------------------------------------------------------------------ genusers.py

@pytest.mark.parametrize("text,canonical", [
    ("*", "*"), ("-", "-"),
    ("ramdisk=rw", ".ramdisk=rw"),
    ("Ramplatte=rw,!SPEAKER", ".ramdisk=rw,!.speaker"),
    ("disque-ram=r,com3=sv,!haut-parleur", ".ramdisk=r,.com3=sv,!.speaker"),
    ("!*,uhr=v", "!*,.clock=v"),
    ("*=r,!.floppy", "*=r,!.floppy"),
    (".disk", ".disk"),
    ("!teclado=p", "!.keyboard=p"),
])
def test_genusers_makes_device_names_canonical(text, canonical):
    assert genusers.perms(text, NAMES) == canonical


@pytest.mark.parametrize("text,why", [
    ("", "empty perms"), ("nosuch=r", "unknown device name 'nosuch'"),
    ("ramdisk=rx", "channels are letters"), ("ramdisk=", "channels are letters"),
    ("ramdisk=rr", "a channel given twice"), ("*", None), ("*,ramdisk", "'*' in a list"),
    ("-,ramdisk", "unknown device name '-'"), ("ramdisk,", "names no device"),
    ("!", "names no device"), ("#ramdisk=r", "unknown device name"),
    ("ramdisk#x=r", "unknown device name"), ("ram disk", "unknown device name"),
])
def test_genusers_refuses_bad_perms(text, why):
    if why is None:
        return
    with pytest.raises(genusers.RecordError, match=re.escape(why)):
        genusers.perms(text, NAMES)


def test_every_name_of_names_conf_is_accepted():
    _, nodes = gennames.parse((ROOT / "devices" / "names.conf").read_text())
    for node in nodes:
        for name, _ in [(node.canon, "")] + node.names:
            assert genusers.perms(name + "=p", NAMES) == node.canon + "=p"
            assert genusers.perms("!" + name.upper(), NAMES) == "!" + node.canon


def test_the_shipped_records_compile(tmp_path):
    r = subprocess.run([PY, str(ROOT / "tools" / "genusers.py"), str(ROOT / "users" / "users.conf")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    users = re.findall(r'\{ "([^"]+)", ([01]), (\d+), 10000,.*?"([^"]*)", "([^"]*)" \},', r.stdout,
                       re.S)
    assert users == [("root", "1", "4096", "*", "h3sm")] + \
        [("guest%d" % i, "0", "1024", "-", "h3sm") for i in range(1, 5)]


def test_genusers_names_the_line_of_a_bad_perms_field(tmp_path):
    conf = tmp_path / "users.conf"
    good = (ROOT / "users" / "users.conf").read_text()
    conf.write_text(good + "eve:guest:1024:10000:" + "00" * 16 + ":" + "11" * 32
                    + ":clock=v,tastatur=vx:h3sm\n")
    r = subprocess.run([PY, str(ROOT / "tools" / "genusers.py"), str(conf)],
                       capture_output=True, text=True)
    n = len(good.splitlines()) + 1
    assert r.returncode == 1 and r.stdout == ""
    assert "users.conf:%d: perms item 'tastatur=vx'" % n in r.stderr


# ------------------------------------------------------------------ booted

def listing_lines():
    """canonical name -> its `please devices` line, in listing order."""
    default, nodes = gennames.parse((ROOT / "devices" / "names.conf").read_text())
    rows, _ = gennames.table(default, nodes)
    return {r["canon"]: "%s%s\n" % (r["primary"], " " + r["aliases"] if r["aliases"] else "")
            for r in rows if r["primary"]}


LINES = listing_lines()


def expected(canons):
    return "".join(line for canon, line in LINES.items() if canon in canons)


def devices(c):
    """The `please devices` listing this user gets."""
    return c.type('PLEASE" devices" DROP .REPLY')


def open_id(c, name):
    out = c.type("OPEN %s ." % name)
    m = re.fullmatch(r"(-?\d+) ", out)
    assert m, "OPEN %s printed %r" % (name, out)
    return int(m.group(1))


def please(c, msg):
    out = c.type('PLEASE" %s" . .REPLY' % msg)
    m = re.match(r"(-?\d+) (.*)\Z", out, re.S)
    assert m, out
    return int(m.group(1)), m.group(2)


def guest(m, n, user, password):
    return Console(m.line(n), user=user, password=password, ready=False)


def present(root):
    """The canonical names of names.conf this boot has (the owner opens each)."""
    return {canon for canon in LINES if open_id(root, canon) != 0}


def all_names():
    _, nodes = gennames.parse((ROOT / "devices" / "names.conf").read_text())
    return {node.canon: [node.canon] + [n for n, _ in node.names] for node in nodes}


BLOCK_WORDS = "1024 BLOCKBUF BB  : TEXT ( --- a ) BB CELL+ ;"


def test_a_guest_sees_only_its_class_and_its_terminal(boot):
    m = boot(append="console=com1")
    root = Console(m.line(1))
    here = present(root)
    assert {".console", ".com2", ".com3", ".ramdisk", ".clock"} <= here
    assert devices(root) == expected(here)              # the owner sees all
    rd, ck = open_id(root, "ramdisk"), open_id(root, "clock")
    root.type(BLOCK_WORDS)
    root.type('TEXT 1024 BLANK S" root-data" TEXT SWAP MOVE')
    assert root.type("7 BB %d 2 BLOCK-WRITE ." % rd) == "-1 "

    g = guest(m, 2, "guest1", "guest")
    assert devices(g) == expected({".clock", ".com2"})
    missing = please(g, "#nosuch identify")
    assert missing == (0, "error: no such device")
    for canon, names in all_names().items():
        for name in names:
            if canon in (".clock", ".com2"):
                assert open_id(g, name) != 0, name
            else:
                assert open_id(g, name) == 0, name
                assert please(g, "#%s identify" % name) == missing, name
                assert please(g, "#%s open" % name) == missing, name
    # knowing the ID does not help
    g.type(BLOCK_WORDS)
    assert g.type("7 BB %d BLOCK-READ ." % rd) == "0 "
    assert g.type("7 BB %d 2 BLOCK-WRITE ." % rd) == "0 "
    assert open_id(g, "clock") == ck
    assert g.type("64 RING CR  CR %d RING-RECEIVE ." % ck) == "-1 "
    assert g.type("CR %d 0 RING-SEND ." % ck) == "0 "     # the clock: receive only

    g2 = guest(m, 3, "guest2", "guest")                   # another line, another terminal
    assert devices(g2) == expected({".clock", ".com3"})
    assert open_id(g2, "com2") == 0 and open_id(g2, "com3") != 0
    assert root.type("TEXT 1024 ERASE 7 BB %d BLOCK-READ . TEXT 9 TYPE" % rd) == "-1 root-data"


def test_devperm_sets_the_guest_class(boot):
    # every guest may use the RAM disk; the clock loses its please channel
    m = boot(append="console=com1 devperm=ramdisk:all:read,write,please devperm=uhr:all:receive")
    root = Console(m.line(1))
    here = present(root)
    ck = open_id(root, "clock")
    assert devices(root) == expected(here)
    g = guest(m, 2, "guest3", "guest")
    assert devices(g) == expected({".ramdisk", ".com2"})
    rd = open_id(g, "ramplatte")
    assert rd == open_id(root, "ramdisk") != 0
    g.type(BLOCK_WORDS)
    g.type('TEXT 1024 BLANK S" class-rw" TEXT SWAP MOVE')
    assert g.type("3 BB %d 2 BLOCK-WRITE ." % rd) == "-1 "
    assert g.type("TEXT 1024 ERASE 3 BB %d BLOCK-READ . TEXT 8 TYPE" % rd) == "-1 class-rw"
    # a class without please: the clock is neither seen nor used, even by its ID
    assert open_id(g, "clock") == 0
    assert g.type("64 RING CR  CR %d RING-RECEIVE ." % ck) == "0 "


# accounts of the test kernel: name -> (kind, perms, password)
ACCOUNTS = {
    "reader": ("guest", "ramdisk=rw", "pw-reader-1"),
    "unseen": ("guest", "ramdisk=rw,!ramdisk=p", "pw-unseen-2"),
    "sender": ("guest", "seriell4=s,!clock", "pw-sender-3"),
    "locked": ("guest", "!*", "pw-locked-4"),
    "boss": ("owner", "!speaker,!diskette", "pw-boss-5"),
}


@pytest.fixture(scope="module")
def test_kernel(tmp_path_factory):
    """kernel.elf of a copy of the repository with ACCOUNTS added by `make user`."""
    repo = copy_repo(tmp_path_factory.mktemp("perms") / "repo")
    for name, (kind, perms, pw) in ACCOUNTS.items():
        r = make_user(repo, pw, NAME=name, KIND=kind, MEM="512", PERMS=perms)
        assert r.returncode == 0, r.stderr
    r = make(repo, "kernel.elf")
    assert r.returncode == 0, r.stderr
    return str(repo / "kernel.elf")


def login(m, n, name):
    return guest(m, n, name, ACCOUNTS[name][2])


def test_a_grant_lets_one_guest_use_the_ram_disk_and_not_another(boot, test_kernel):
    m = boot(kernel=test_kernel, append="console=com1")
    root = Console(m.line(1))
    here = present(root)
    assert devices(root) == expected(here)
    rd = open_id(root, "ramdisk")
    root.type(BLOCK_WORDS)

    reader = login(m, 2, "reader")
    assert devices(reader) == expected({".clock", ".com2", ".ramdisk"})
    assert open_id(reader, "disco-ram") == rd
    assert please(reader, "#ramdisk identify") == (-1, ".ramdisk block device")
    reader.type(BLOCK_WORDS)
    reader.type('TEXT 1024 BLANK S" granted-rw" TEXT SWAP MOVE')
    assert reader.type("5 BB %d 2 BLOCK-WRITE ." % rd) == "-1 "
    assert reader.type("TEXT 1024 ERASE 5 BB %d BLOCK-READ . TEXT 10 TYPE" % rd) == "-1 granted-rw"

    other = guest(m, 3, "guest1", "guest")
    assert devices(other) == expected({".clock", ".com3"})
    assert open_id(other, "ramdisk") == 0 == open_id(other, "nosuch")
    other.type(BLOCK_WORDS)
    other.type('TEXT 1024 BLANK S" overwritten" TEXT SWAP MOVE')
    assert other.type("5 BB %d 2 BLOCK-WRITE ." % rd) == "0 "
    assert other.type("5 BB %d BLOCK-READ ." % rd) == "0 "

    unseen = login(m, 4, "unseen")                      # rw granted, please taken away
    assert devices(unseen) == expected({".clock", ".com4"})
    assert open_id(unseen, "ramdisk") == 0
    assert please(unseen, "#ramdisk identify") == please(unseen, "#nosuch identify")
    unseen.type(BLOCK_WORDS)
    assert unseen.type("5 BB %d BLOCK-READ ." % rd) == "0 "
    assert unseen.type("5 BB %d 2 BLOCK-WRITE ." % rd) == "0 "

    assert root.type("TEXT 1024 ERASE 5 BB %d BLOCK-READ . TEXT 10 TYPE" % rd) == "-1 granted-rw"


def test_send_alone_opens_and_removals_hide(boot, test_kernel):
    m = boot(kernel=test_kernel, append="console=com1")
    boss = Console(m.line(1), user="boss", password=ACCOUNTS["boss"][2])
    seen = present(boss)                                 # an owner whose record hides two
    assert {".console", ".com2", ".com3", ".com4", ".ramdisk", ".clock", ".keyboard",
            ".display"} <= seen
    assert ".speaker" not in seen and ".floppy" not in seen
    assert devices(boss) == expected(seen)
    for name in ("speaker", "lautsprecher", ".speaker", "floppy", "disquette"):
        assert please(boss, "#%s identify" % name) == (0, "error: no such device"), name

    sender = login(m, 2, "sender")
    assert devices(sender) == expected({".com2", ".com4"})
    assert open_id(sender, "clock") == 0
    com4 = open_id(sender, "com4")
    assert com4 != 0 and com4 == open_id(boss, "com4")
    assert please(sender, "#serie4 identify") == (-1, ".com4 stream device")
    sender.type('64 RING SR  S" sent-by-grant" SR S>RING')
    assert sender.type("SR %d 2 RING-SEND ." % com4) == "-1 "
    m.line(4).expect_exact("sent-by-grant", timeout=10)
    assert sender.type("64 RING VR  VR %d RING-RECEIVE ." % com4) == "0 "   # no v

    locked = login(m, 3, "locked")
    assert devices(locked) == expected({".com3"})
    for name in ("clock", "com4", "ramdisk", "console", "keyboard"):
        assert open_id(locked, name) == 0, name
    assert open_id(locked, "com3") != 0                  # its own terminal, always
    assert locked.type("1 2 + .") == "3 "


# ------------------------------------------------------------------ docs/users.md

def test_docs_examples_are_valid_and_name_the_defaults():
    doc = (ROOT / "docs" / "users.md").read_text()
    table = doc.split("| perms | a guest (as shipped) may use |")[1].split("\n\n")[0]
    examples = re.findall(r"^\| `([^`]+)` \|", table, re.M)
    assert len(examples) >= 5
    for text in examples:
        genusers.perms(text, NAMES)
    letters = dict(re.findall(r"^\| `([rwsvp])` \| (\w+) \|", doc, re.M))
    assert letters == {"r": "read", "w": "write", "s": "send", "v": "receive", "p": "please"}
    assert "| `root` | owner | 4096 KiB | `*` | `ha3sm` |" in doc
    assert "| `guest1` .. `guest4` | guest | 1024 KiB | `-` | `guest` |" in doc

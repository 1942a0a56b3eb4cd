"""Password hashing (users/sha256.c, users/pbkdf2.c) and tools/mkuser.c.

The hash code is compiled twice: with the kernel's own CFLAGS from mk/config.mk
(must build warning-free and call nothing outside itself: no memcpy/memset), and
into a host driver (tests/pbkdf2_check.c) that answers one command per line.
The driver is built for i386 (-m32, as the kernel) and natively (64-bit size_t,
as tools/mkuser). Published vectors pin the algorithms; Python's hashlib/hmac
cross-check random inputs. Run: /usr/bin/python3 -m pytest tests/test_pbkdf2.py
"""
import hashlib
import hmac
import os
import random
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
USERS = ROOT / "users"
HASH_SOURCES = [USERS / "sha256.c", USERS / "pbkdf2.c"]


def kernel_cflags():
    """CFLAGS as mk/config.mk sets them ($(B) -> build), so the test follows it."""
    text = (ROOT / "mk" / "config.mk").read_text().replace("\\\n", " ")
    m = re.search(r"^CFLAGS\s*:?=(.*)$", text, re.M)
    assert m, "no CFLAGS in mk/config.mk"
    return shlex.split(m.group(1).replace("$(B)", "build"))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, **kw)


def hx(b):
    return b.hex() if b else "-"


# --------------------------------------------------------------- kernel build

@pytest.mark.parametrize("opt", ["config", "-Os", "-O3"])
def test_kernel_build_is_clean_and_self_contained(tmp_path, opt):
    flags = kernel_cflags()
    assert "-Werror" in flags and "-ffreestanding" in flags
    if opt != "config":
        flags = [opt if f.startswith("-O") else f for f in flags]
    objs = []
    for src in HASH_SOURCES:
        obj = tmp_path / (src.stem + ".o")
        r = run(["gcc", *flags, "-c", str(src), "-o", str(obj)])
        assert r.returncode == 0 and r.stderr == "", r.stderr
        objs.append(str(obj))
    r = run(["nm", "-u", *objs])
    undefined = {l.split()[-1] for l in r.stdout.splitlines() if l.strip() and ":" not in l}
    r = run(["nm", "--defined-only", *objs])
    defined = {l.split()[-1] for l in r.stdout.splitlines() if len(l.split()) == 3}
    assert undefined <= defined, f"calls outside users/: {undefined - defined}"
    # Nothing but <stdint.h>/<stddef.h> and our own headers.
    for src in HASH_SOURCES + [USERS / "sha256.h", USERS / "pbkdf2.h"]:
        incs = re.findall(r'#include\s+[<"]([^>"]+)[>"]', src.read_text())
        assert set(incs) <= {"stdint.h", "stddef.h", "sha256.h", "pbkdf2.h"}, incs


# --------------------------------------------------------------- host driver

class Driver:
    def __init__(self, exe):
        self.exe = exe

    def ask(self, lines):
        r = subprocess.run([self.exe], input="".join(l + "\n" for l in lines),
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        out = r.stdout.splitlines()
        assert len(out) == len(lines)
        return out

    def one(self, line):
        return self.ask([line])[0]


@pytest.fixture(scope="module", params=["m32", "native"])
def drv(request, tmp_path_factory):
    exe = tmp_path_factory.mktemp("drv") / f"pbkdf2_check_{request.param}"
    arch = ["-m32"] if request.param == "m32" else []
    r = run(["gcc", *arch, "-O2", "-Wall", "-Wextra", "-Werror", "-std=gnu11",
             "-DSHA256_COUNT", "-I", str(USERS), str(ROOT / "tests" / "pbkdf2_check.c"),
             *map(str, HASH_SOURCES), "-o", str(exe)])
    assert r.returncode == 0, r.stderr
    return Driver(str(exe))


# --------------------------------------------------------------- SHA-256

FIPS = [  # FIPS 180-2 appendix B / NIST examples
    (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
]
MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"


def test_sha256_fips_examples(drv):
    for msg, want in FIPS:
        assert drv.one(f"sha256 {hx(msg)}") == want
        for chunk in (1, 3, 55, 64):
            assert drv.one(f"sha256split {hx(msg)} {chunk}") == want


def test_sha256_million_a(drv):
    # One update of a million bytes, and odd chunkings that straddle blocks.
    chunks = [1000000, 1, 63, 64, 65, 997]
    assert drv.ask([f"sha256rep 61 1000000 {c}" for c in chunks]) == [MILLION_A] * len(chunks)


def test_sha256_lengths_and_chunks_against_hashlib(drv):
    rnd = random.Random(180_4)
    # Every length around the padding edges (55/56 bytes leave or lack room
    # for the 64-bit length) and some long ones.
    lengths = list(range(0, 200)) + [447, 448, 1000, 4096, 10007]
    lines, want = [], []
    for n in lengths:
        msg = rnd.randbytes(n)
        chunk = rnd.choice([1, 7, 31, 63, 64, 65, 128, 1000])
        lines += [f"sha256 {hx(msg)}", f"sha256split {hx(msg)} {chunk}"]
        want += [hashlib.sha256(msg).hexdigest()] * 2
    assert drv.ask(lines) == want


# --------------------------------------------------------------- HMAC

RFC4231 = [  # RFC 4231 section 4, HMAC-SHA-256 (case 5 truncated to 128 bits)
    (b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    (b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    (b"\xaa" * 20, b"\xdd" * 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    (bytes(range(1, 26)), b"\xcd" * 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    (b"\x0c" * 20, b"Test With Truncation", "a3b6167473100ee06e0c796c2955552b"),
    (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    (b"\xaa" * 131, b"This is a test using a larger than block-size key and a larger "
     b"than block-size data. The key needs to be hashed before being used by the "
     b"HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]


@pytest.mark.parametrize("case", range(1, 8))
def test_hmac_rfc4231(drv, case):
    key, msg, want = RFC4231[case - 1]
    got = drv.ask([f"hmac {hx(key)} {hx(msg)}", f"hmacsplit {hx(key)} {hx(msg)} 5"])
    for g in got:
        assert g[: len(want)] == want


def test_hmac_against_python(drv):
    rnd = random.Random(2104)
    lines, want = [], []
    for klen in list(range(0, 70)) + [127, 128, 129, 200]:
        key, msg = rnd.randbytes(klen), rnd.randbytes(rnd.randrange(0, 300))
        lines.append(f"hmacsplit {hx(key)} {hx(msg)} {rnd.choice([1, 13, 64, 999])}")
        want.append(hmac.new(key, msg, "sha256").hexdigest())
    assert drv.ask(lines) == want


# --------------------------------------------------------------- PBKDF2

PBKDF2 = [  # (password, salt, c, dkLen, DK)
    # RFC 7914 section 11 (PBKDF2-HMAC-SHA256)
    (b"passwd", b"salt", 1, 64,
     "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
     "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
    (b"Password", b"NaCl", 80000, 64,
     "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
     "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
    # widely published PBKDF2-HMAC-SHA256 vectors (RFC 6070's inputs with SHA-256)
    (b"password", b"salt", 1, 32,
     "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
    (b"password", b"salt", 2, 32,
     "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
    (b"password", b"salt", 4096, 32,
     "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
    (b"passwordPASSWORDpassword", b"saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
     "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"),
    (b"pass\0word", b"sa\0lt", 4096, 16, "89b69d0516f829893c696226650a8687"),
]


@pytest.mark.parametrize("i", range(len(PBKDF2)))
def test_pbkdf2_published_vectors(drv, i):
    pw, salt, c, dklen, want = PBKDF2[i]
    assert drv.one(f"pbkdf2 {hx(pw)} {hx(salt)} {c} {dklen}") == want


def test_pbkdf2_against_hashlib(drv):
    rnd = random.Random(8018)
    lines, want = [], []
    for _ in range(300):
        pw = rnd.randbytes(rnd.choice([0, 1, 8, 32, 63, 64, 65, 100, 200]))
        salt = rnd.randbytes(rnd.choice([0, 1, 16, 51, 52, 60, 64, 100]))
        c = rnd.choice([1, 2, 3, 17, 100, 1000])
        dklen = rnd.choice([1, 16, 31, 32, 33, 64, 65, 100])
        lines.append(f"pbkdf2 {hx(pw)} {hx(salt)} {c} {dklen}")
        want.append(hashlib.pbkdf2_hmac("sha256", pw, salt, c, dklen).hex())
    assert drv.ask(lines) == want


def test_pbkdf2_refuses_nonsense(drv):
    assert drv.ask(["pbkdf2 70 73 0 32", "pbkdf2 70 73 1 0"]) == ["refused"] * 2


def expected_compressions(pwlen, saltlen, c, dklen):
    key = (0 if pwlen <= 64 else -(-(pwlen + 9) // 64)) + 2
    blocks = -(-dklen // 32)
    u1 = -(-(saltlen + 4 + 9) // 64) + 1
    return key + blocks * (u1 + 2 * (c - 1))


def test_login_check_costs_2c_plus_2_compressions(drv):
    # A users.conf record: 16-byte salt, 32-byte hash, 10000 iterations.
    assert drv.one(f"count {hx(b'hunter2')} {'ab' * 16} 10000 32") == "20002"
    cases = [(8, 16, 1, 32), (64, 16, 10, 32), (65, 16, 10, 32), (200, 0, 3, 64),
             (8, 51, 5, 32), (8, 52, 5, 33), (8, 120, 2, 100)]
    got = drv.ask([f"count {'61' * p} {hx(b's' * s)} {c} {d}" for p, s, c, d in cases])
    assert got == [str(expected_compressions(*x)) for x in cases]


# --------------------------------------------------------------- compare/verify

def test_hash_equal(drv):
    a = bytes(range(32))
    lines, want = [f"equal {a.hex()} {a.hex()}", "equal - -"], ["1", "1"]
    for pos in range(32):
        for bit in (0, 7):
            b = bytearray(a)
            b[pos] ^= 1 << bit
            lines.append(f"equal {a.hex()} {b.hex()}")
            want.append("0")
    assert drv.ask(lines) == want


def test_verify(drv):
    salt = bytes(range(16))
    good = hashlib.pbkdf2_hmac("sha256", b"secret", salt, 10000, 32)
    bad = bytes([good[0] ^ 1]) + good[1:]
    assert drv.ask([
        f"verify {hx(b'secret')} {salt.hex()} 10000 {good.hex()}",
        f"verify {hx(b'Secret')} {salt.hex()} 10000 {good.hex()}",
        f"verify {hx(b'secret')} {salt.hex()} 9999 {good.hex()}",
        f"verify {hx(b'secret')} {salt.hex()} 10000 {bad.hex()}",
        f"verify {hx(b'secret')} {salt.hex()} 0 {good.hex()}",
    ]) == ["1", "0", "0", "0", "0"]


# --------------------------------------------------------------- mkuser

RECORD = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_-]{0,30}):(owner|guest):(\d+):(\d+):"
                    r"([0-9a-f]{32}):([0-9a-f]{64}):([^:\s]+):([^:\s]+)$")


@pytest.fixture(scope="module")
def mkuser(tmp_path_factory):
    exe = tmp_path_factory.mktemp("mkuser") / "mkuser"
    r = run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-std=gnu11", "-o", str(exe),
             str(ROOT / "tools" / "mkuser.c"), *map(str, HASH_SOURCES)])
    assert r.returncode == 0, r.stderr
    return str(exe)


def mk(exe, args, password):
    return subprocess.run([exe, *args], input=password, capture_output=True,
                          timeout=60)


def test_mkuser_record(mkuser, drv):
    r = mk(mkuser, ["alice", "guest", "256", "h3sm"], b"correct horse\n")
    assert r.returncode == 0, r.stderr
    line = r.stdout.decode()
    assert line.endswith("\n") and line.count("\n") == 1
    m = RECORD.match(line.rstrip("\n"))
    assert m, line
    name, kind, mem, it, salt, h, perms, first = m.groups()
    assert (name, kind, mem, it, perms, first) == ("alice", "guest", "256", "10000", "-", "h3sm")
    # The hash is PBKDF2-HMAC-SHA256 of the password without its newline.
    assert h == hashlib.pbkdf2_hmac("sha256", b"correct horse", bytes.fromhex(salt),
                                    10000, 32).hex()
    # ... and the kernel-side check accepts it (and only it).
    assert drv.ask([f"verify {hx(b'correct horse')} {salt} {it} {h}",
                    f"verify {hx(b'correct horse ')} {salt} {it} {h}"]) == ["1", "0"]


def test_mkuser_options_and_fresh_salt(mkuser):
    args = ["-i", "20000", "-p", "com2=rw,.floppy=r", "root", "owner", "1024",
            "load=.ata0,100,8"]
    recs = [mk(mkuser, args, b"pw\r\n") for _ in range(2)]
    fields = []
    for r in recs:
        assert r.returncode == 0, r.stderr
        m = RECORD.match(r.stdout.decode().strip())
        assert m
        fields.append(m.groups())
    assert fields[0][:4] == ("root", "owner", "1024", "20000")
    assert fields[0][6:] == ("com2=rw,.floppy=r", "load=.ata0,100,8")
    assert fields[0][4] != fields[1][4], "salt must be fresh each time"
    salt = bytes.fromhex(fields[0][4])
    assert fields[0][5] == hashlib.pbkdf2_hmac("sha256", b"pw", salt, 20000, 32).hex()
    # The owner's default perms.
    r = mk(mkuser, ["root", "owner", "64", "h3sm"], b"x\n")
    assert RECORD.match(r.stdout.decode().strip()).group(7) == "*"


@pytest.mark.parametrize("args,password", [
    (["-i", "9999", "bob", "guest", "64", "h3sm"], b"pw\n"),      # too few iterations
    (["-i", "1e5", "bob", "guest", "64", "h3sm"], b"pw\n"),
    (["bob", "admin", "64", "h3sm"], b"pw\n"),                    # kind
    (["b:ob", "guest", "64", "h3sm"], b"pw\n"),                   # ':' in name
    (["", "guest", "64", "h3sm"], b"pw\n"),
    (["a" * 32, "guest", "64", "h3sm"], b"pw\n"),
    (["bob", "guest", "0", "h3sm"], b"pw\n"),                     # memory
    (["bob", "guest", "64k", "h3sm"], b"pw\n"),
    (["bob", "guest", "4194304", "h3sm"], b"pw\n"),
    (["bob", "guest", "64", "forth"], b"pw\n"),                   # first program
    (["bob", "guest", "64", "load=.ata0,1"], b"pw\n"),
    (["bob", "guest", "64", "load=.ata0,1,0"], b"pw\n"),
    (["bob", "guest", "64", "load=a:b,1,2"], b"pw\n"),
    (["-p", "com2:rw", "bob", "guest", "64", "h3sm"], b"pw\n"),   # ':' in perms
    (["bob", "guest", "64", "h3sm"], b"\n"),                      # empty password
    (["bob", "guest", "64", "h3sm"], b""),                        # no password
    (["bob", "guest", "64", "h3sm"], b"x" * 1025 + b"\n"),        # too long
    (["bob", "guest", "64", "h3sm", "pw"], b"pw\n"),              # no password argument
])
def test_mkuser_refuses(mkuser, args, password):
    r = mk(mkuser, args, password)
    assert r.returncode != 0 and r.stdout == b"" and r.stderr


def test_mkuser_prompts_on_a_terminal_without_echo(mkuser):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(mkuser, ["carol", "guest", "128", "h3sm"], timeout=30)
    child.expect("password: ")
    child.sendline("s3cret-pw")
    child.expect("again: ")
    assert b"s3cret-pw" not in child.before
    child.sendline("s3cret-pw")
    child.expect(pexpect.EOF)
    out = child.before.decode()
    assert "s3cret-pw" not in out
    m = RECORD.search(out.strip().splitlines()[-1].strip())
    assert m and m.group(1) == "carol"
    assert m.group(6) == hashlib.pbkdf2_hmac("sha256", b"s3cret-pw",
                                             bytes.fromhex(m.group(5)), 10000, 32).hex()
    child = pexpect.spawn(mkuser, ["carol", "guest", "128", "h3sm"], timeout=30)
    child.expect("password: ")
    child.sendline("one")
    child.expect("again: ")
    child.sendline("two")
    child.expect(pexpect.EOF)
    child.close()
    assert "differ" in child.before.decode() and child.exitstatus != 0

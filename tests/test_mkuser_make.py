"""`make user` (mk/users.mk, tools/mkuser.c, tools/genusers.py; docs/users.md).

Every test works on a copy of the repository in tmp_path, never on users/users.conf:

    a record added, then replaced (a password change keeps the other fields and
    the line's place; the old password no longer verifies); a default account's
    password changed; the next make rebuilds the kernel with it; the plain
    password nowhere (users.conf, build/gen/users_table.h, kernel.elf, floppy.img,
    make's output); refusals (a password as a make variable, an unknown device,
    a new user without KIND, bad memory, an empty password, a NAME from the
    environment) leave users.conf as it was; on a terminal mkuser asks twice
    without echo.

Run: /usr/bin/python3 -m pytest -q tests/test_mkuser_make.py
"""
import hashlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORD = re.compile(r"([A-Za-z0-9_-]+):(owner|guest):(\d+):(\d+):([0-9a-f]{32}):([0-9a-f]{64}):"
                    r"([^:\s]+):([^:\s]+)")
SKIP = {"build", ".git", "kernel.elf", "kernel.sym", "kernel.lst", "floppy.img", "ha3sm.iso",
        "__pycache__", ".pytest_cache"}


def copy_repo(dst):
    """The repository's sources (not its build) in dst; returns dst as a Path."""
    dst = Path(dst)
    shutil.copytree(ROOT, dst, symlinks=True,
                    ignore=lambda d, names: [n for n in names
                                             if n in SKIP and Path(d) == ROOT
                                             or n in ("__pycache__", ".pytest_cache")])
    return dst


def make(repo, *args, stdin="", env=None, timeout=300):
    """make in repo with stdin as its standard input (not a terminal)."""
    e = dict(os.environ)
    for v in ("NAME", "KIND", "MEM", "PERMS", "FIRST", "MAKEFLAGS", "MFLAGS"):
        e.pop(v, None)
    e.update(env or {})
    return subprocess.run(["make", "--no-print-directory", *args], cwd=repo, input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=e)


def make_user(repo, password, **fields):
    """make user NAME=... with the password on standard input; the CompletedProcess."""
    return make(repo, "user", *["%s=%s" % kv for kv in fields.items()],
                stdin=password + "\n")


def records(repo):
    """users.conf's records, in order: name -> the line's fields."""
    out = {}
    for line in (repo / "users" / "users.conf").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            m = RECORD.fullmatch(line.strip())
            assert m, line
            out[m.group(1)] = m.groups()
    return out


def verifies(rec, password):
    name, kind, mem, it, salt, hsh, perms, first = rec
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt),
                               int(it), 32).hex() == hsh


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "repo")


def test_make_user_adds_then_replaces_a_record(repo):
    conf = repo / "users" / "users.conf"
    before = conf.read_text()
    r = make_user(repo, "first-Pa55", NAME="tester", KIND="guest", MEM="512",
                  PERMS="Ramplatte=rw,!speaker")
    assert r.returncode == 0, r.stderr
    assert "added tester" in r.stdout
    after = conf.read_text()
    assert after.startswith(before)                     # the rest untouched, the new one last
    new = after[len(before):].splitlines()
    assert len(new) == 1
    rec = RECORD.fullmatch(new[0]).groups()
    assert rec[:4] == ("tester", "guest", "512", "10000")
    assert rec[6:] == ("Ramplatte=rw,!speaker", "h3sm")
    assert verifies(rec, "first-Pa55")

    # a password change: only the password given, the other fields stay
    r = make_user(repo, "second-Pa55", NAME="tester")
    assert r.returncode == 0, r.stderr
    assert "replaced tester" in r.stdout
    lines = conf.read_text().splitlines()
    assert len(lines) == len(after.splitlines())
    rec2 = RECORD.fullmatch(lines[-1]).groups()
    assert rec2[:4] == rec[:4] and rec2[6:] == rec[6:]
    assert rec2[4] != rec[4]                            # a fresh salt
    assert verifies(rec2, "second-Pa55") and not verifies(rec2, "first-Pa55")

    # new fields for an existing user replace the old ones
    r = make_user(repo, "third-Pa55", NAME="tester", MEM="2048", PERMS="-", FIRST="load=.ramdisk,4,2")
    assert r.returncode == 0, r.stderr
    rec3 = records(repo)["tester"]
    assert rec3[2] == "2048" and rec3[6:] == ("-", "load=.ramdisk,4,2")
    assert list(records(repo)) == ["root", "guest1", "guest2", "guest3", "guest4", "tester"]


def test_make_user_changes_a_default_password(repo):
    old = records(repo)
    r = make_user(repo, "not-guest-any-more", NAME="guest2")
    assert r.returncode == 0, r.stderr
    new = records(repo)
    assert list(new) == list(old)
    for name in old:
        if name != "guest2":
            assert new[name] == old[name]
    assert new["guest2"][:4] == old["guest2"][:4] and new["guest2"][6:] == old["guest2"][6:]
    assert verifies(new["guest2"], "not-guest-any-more")
    assert verifies(old["guest2"], "guest") and not verifies(new["guest2"], "guest")
    assert verifies(new["root"], "ha3sm")


def test_the_next_make_builds_the_kernel_with_it_and_no_plain_password(repo):
    pw = "Unm1stakable-Secret-7734"
    r = make(repo, "kernel.elf", "floppy.img")
    assert r.returncode == 0, r.stderr
    r = make_user(repo, pw, NAME="tester", KIND="guest", MEM="256", PERMS="ramdisk=rw,!clock")
    assert r.returncode == 0, r.stderr
    assert pw not in r.stdout + r.stderr
    assert make(repo, "-q", "kernel.elf").returncode != 0      # out of date now
    assert make(repo, "-q", "floppy.img").returncode != 0
    r = make(repo, "kernel.elf", "floppy.img")
    assert r.returncode == 0, r.stderr
    assert pw not in r.stdout + r.stderr
    assert re.search(r"warning", r.stderr, re.I) is None
    table = (repo / "build" / "gen" / "users_table.h").read_text()
    rec = records(repo)["tester"]
    assert '{ "tester", 0, 256, 10000' in table
    assert '".ramdisk=rw,!.clock", "h3sm"' in table         # the names made canonical
    assert "0x" + rec[5][:2] in table
    for f in ("users/users.conf", "build/gen/users_table.h", "kernel.elf", "floppy.img"):
        data = (repo / f).read_bytes()
        for form in (pw.encode(), pw.encode("utf-16-le"), pw.encode().hex().encode()):
            assert form not in data, (f, form)
    assert b"tester" in (repo / "kernel.elf").read_bytes()


@pytest.mark.parametrize("args,env,why", [
    (["NAME=bob", "KIND=guest", "PASSWORD=hunter2"], {}, "never a password on the command line"),
    (["NAME=bob", "KIND=guest", "PW=hunter2"], {}, "never a password on the command line"),
    (["NAME=bob", "KIND=guest", "PERMS=nosuch=rw"], {}, "unknown device name 'nosuch'"),
    (["NAME=bob", "KIND=guest", "PERMS=ramdisk=rx"], {}, "channels are letters of rwsvp"),
    (["NAME=bob", "KIND=guest", "PERMS=*,ramdisk"], {}, "'*' in a list"),
    (["NAME=bob"], {}, "bob is a new user: KIND=owner or KIND=guest is needed"),
    (["NAME=bob", "KIND=admin"], {}, "kind is owner or guest"),
    (["NAME=bob", "KIND=guest", "MEM=32"], {}, "is not 64 .. 65536"),
    (["NAME=-bob", "KIND=guest"], {}, "bad name"),
    (["NAME=bob", "KIND=guest", "FIRST=sh"], {}, "first is h3sm or load="),
    (["KIND=guest"], {"NAME": "bob"}, "NAME= is needed"),   # not from the environment
])
def test_make_user_refuses_before_the_password(repo, args, env, why):
    conf = (repo / "users" / "users.conf").read_text()
    r = make(repo, "user", *args, stdin="hunter2\n", env=env)
    assert r.returncode != 0
    assert why in r.stderr
    assert (repo / "users" / "users.conf").read_text() == conf
    assert "hunter2" not in r.stdout


@pytest.mark.parametrize("stdin,why", [("", "no password given"),
                                       ("\n", "empty password refused"),
                                       ("x" * 1100 + "\n", "password too long")])
def test_make_user_refuses_a_bad_password(repo, stdin, why):
    conf = (repo / "users" / "users.conf").read_text()
    r = make(repo, "user", "NAME=bob", "KIND=guest", stdin=stdin)
    assert r.returncode != 0
    assert why in r.stderr and "users.conf unchanged" in r.stderr
    assert (repo / "users" / "users.conf").read_text() == conf


def test_a_bad_record_in_users_conf_stops_the_build(repo):
    conf = repo / "users" / "users.conf"
    conf.write_text(conf.read_text() + "x:guest:1024:10000:" + "ab" * 16 + ":" + "cd" * 32
                    + ":floppy=rw,seriel9=s:h3sm\n")
    r = make(repo, "kernel.elf")
    assert r.returncode != 0
    assert re.search(r"genusers: users/users.conf:\d+: perms item 'seriel9=s': "
                     r"unknown device name 'seriel9'", r.stderr)
    assert not (repo / "build" / "gen" / "users_table.h").exists()
    # make user will not put a record into a broken file either
    r = make_user(repo, "pw", NAME="bob", KIND="guest")
    assert r.returncode != 0 and "seriel9" in r.stderr


def test_make_user_on_a_terminal_asks_twice_without_echo(repo):
    pw = "Typed-At-The-Tty-42"
    env = {k: v for k, v in os.environ.items() if k not in ("NAME", "MAKEFLAGS", "MFLAGS")}
    child = pexpect.spawn("make", ["--no-print-directory", "user", "NAME=ttyuser", "KIND=guest"],
                          cwd=str(repo), env=env, encoding="utf-8", timeout=120)
    child.logfile_read = seen = io.StringIO()
    child.expect_exact("password: ")
    child.sendline(pw)
    child.expect_exact("again: ")
    child.sendline(pw)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, seen.getvalue()
    assert pw not in seen.getvalue()                    # never echoed
    assert "added ttyuser" in seen.getvalue()
    assert verifies(records(repo)["ttyuser"], pw)

    conf = (repo / "users" / "users.conf").read_text()
    child = pexpect.spawn("make", ["--no-print-directory", "user", "NAME=ttyuser"],
                          cwd=str(repo), env=env, encoding="utf-8", timeout=120)
    child.expect_exact("password: ")
    child.sendline(pw)
    child.expect_exact("again: ")
    child.sendline(pw + "x")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus != 0
    assert "passwords differ" in child.before
    assert (repo / "users" / "users.conf").read_text() == conf

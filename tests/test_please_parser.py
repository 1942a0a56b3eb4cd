"""The please interpreter (h3sm/please.fs) hosted, without booting (issue 5,
point 5): tests/please/host.fs plays the kernel's side, MESSAGE lines feed it
messages, and each answer (op, result, text) is checked. The same harness is
what the fuzzers drive. Answers: op=1 a reply made by the interpreter, op=2 a
command for the kernel (its arguments as <len lo><len hi>bytes...)."""

import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
H3SM = os.path.join(ROOT, "build", "h3sm")
HOST = os.path.join(ROOT, "tests", "please", "host.fs")


@pytest.fixture(scope="module", autouse=True)
def built():
    subprocess.run(["make", "-s", "build/h3sm", "build/gen/layout.fs"], cwd=ROOT, check=True)


def answers(tmp_path, *messages, guest=False, lines=None):
    """The answers to messages; lines: the script's lines instead, MESSAGE
    lines and others (H3sm that changes the facts between messages)."""
    lines = lines or ["MESSAGE %s" % m for m in messages]
    script = tmp_path / "messages.fs"
    script.write_text(("-1 GUEST !\n" if guest else "") + "".join(l + "\n" for l in lines))
    out = subprocess.run([H3SM, HOST, str(script)], capture_output=True, text=True,
                         timeout=30).stdout
    got = re.findall(r"op=(\d+) result=(-?\d+) len=(\d+) : (.*)", out)
    assert len(got) == sum(l.startswith("MESSAGE ") for l in lines), out
    return [(int(o), int(r), t) for o, r, l, t in got]


def item(s):
    return "<%02X><00>%s" % (len(s), s)


def test_replies_made_by_the_interpreter(tmp_path):
    got = answers(tmp_path, "identify", "date", "time", "uptime", "epoch")
    assert got[0] == (1, -1, "Ha3sm 0.1, H3sm 0.1; cpu GenuineIntel family 6 model 15; "
                             "memory 524288 KiB, free 488281 KiB; up 1234.567 s; processes 3")
    assert got[1] == (1, -1, "2026-11-21")
    assert got[2] == (1, -1, "09:05:07")
    assert got[3] == (1, -1, "1234567 ms (0 d 00:20:34)")
    value = 0x9A12345678
    assert got[4] == (1, -1, "%d<03><01><08>" % value +
                      "".join("<%02X>" % b if not 32 <= b < 127 else chr(b)
                              for b in value.to_bytes(8, "big")))


def test_process_tables(tmp_path):
    ps, top = answers(tmp_path, "processes", "loading")
    assert ps[2].split("<0A>")[1].split() == ["1", "root", "owner", "2048", "9000", ".console"]
    assert ps[2].split("<0A>")[2].split() == ["2", "-", "prompt", "256", "0", ".com1"]
    assert top[2].split("<0A>")[0].split() == ["PID", "USER", "CPU", "TICKS", "MISSED",
                                                "WAIT(ms)"]
    assert top[2].split("<0A>")[1].split() == ["1", "root", "25.0%", "250", "3", "40"]
    assert top[2].split("<0A>")[2].split() == ["2", "-", "0.0%", "0", "0", "0"]
    assert top[2].split("<0A>")[-1].split() == ["-", "idle", "75.0%"]


def test_commands_for_the_kernel_carry_address_command_and_arguments(tmp_path):
    got = answers(tmp_path, "rest", "us0r secret login", "login us0r secret", "#.com1 open",
                  "^A.com1^B identify", "#a#b identify", "close 5", "register kv 100 200")
    assert got[0] == (2, 0, item("") + item("rest"))
    assert got[1] == got[2] == (2, 0, item("") + item("login") + item("us0r") + item("secret"))
    assert got[3] == (2, 0, item(".com1") + item("open"))
    assert got[4] == (2, 0, item(".com1") + item("identify"))
    assert got[5] == (2, 0, item("a#b") + item("identify"))
    assert got[6] == (2, 0, item("") + item("close") + item("5"))
    assert got[7][0] == 2 and got[7][2].endswith(item("200"))


def test_identify_follows_the_facts(tmp_path):
    # identify keeps the text before the uptime while free memory stays the same:
    # it must say the new figures when they change, and any uptime exactly
    fixed = ("Ha3sm 0.1, H3sm 0.1; cpu GenuineIntel family 6 model 15; "
             "memory 524288 KiB, free %d KiB; up %s s; processes %d")
    got = answers(tmp_path, lines=[
        "MESSAGE identify", "MESSAGE date",
        "1024000 FREE-BYTES ! 0 UPTIME-MS ! 12 NPROCS !", "MESSAGE identify",
        "5 UPTIME-MS !", "MESSAGE identify",
        "999 UPTIME-MS ! 500000000 FREE-BYTES !", "MESSAGE identify",
        "1000 UPTIME-MS !", "MESSAGE frob", "MESSAGE identify",
        "$FFFFFFFF UPTIME-MS !", "MESSAGE identify"])
    texts = [t for o, r, t in got]
    assert texts[0] == fixed % (488281, "1234.567", 3)
    assert texts[2] == fixed % (1000, "0.000", 12)
    assert texts[3] == fixed % (1000, "0.005", 12)
    assert texts[4] == fixed % (488281, "0.999", 12)
    assert texts[6] == fixed % (488281, "1.000", 12)
    assert texts[7] == fixed % (488281, "4294967.295", 12)


def test_binary_data_after_etx(tmp_path):
    got = answers(tmp_path, "bequeath ^C^A^D\\x01\\x02\\x03\\x04",
                  "bequeath ^C^B\\x00\\x03abc", "bequeath ^C^A^@")
    assert got[0] == (2, 0, item("") + item("bequeath") + "<04><00><01><02><03><04>")
    assert got[1] == (2, 0, item("") + item("bequeath") + "<03><00>abc")
    assert got[2] == (2, 0, item("") + item("bequeath") + "<00><00>")


@pytest.mark.parametrize("message, error", [
    ("frob", "unknown command: frob"),
    ("^A.com1", "SOH without STX"),
    ("^B", "STX without SOH"),
    ("^A^B identify", "empty device name"),
    ("^A.co m1^B identify", "control byte or space in a device name"),
    ("#" + "n" * 32 + " open", "device name too long (31 at most)"),
    ("#a #b identify", "two addresses"),
    ("identify ^C", "ETX without a size prefix"),
    ("identify ^C^E", "bad size prefix (1 to 4 count bytes)"),
    ("identify ^C^@", "bad size prefix (1 to 4 count bytes)"),
    ("identify ^C^A\\x09ab", "binary data shorter than its count"),
    ("identify ^C^D\\x01", "binary data cut short"),
    ("( open", "( without )"),
    ("", "empty message"),
    ("\\x5c just a comment", "empty message"),
    ("date now", "date takes no arguments"),
    ("login x", "login needs other arguments: see docs/please.md"),
    ("open", "open needs a device (#name)"),
    ("unregister", "unregister <name>"),
    ("#.kv unregister kv", "unregister <name>"),
    ("reply 5", "reply needs other arguments: see docs/please.md"),
    ("a b c d e f g h i", "too many words (8 at most)"),
    ("w" * 64, "word too long (63 at most)"),
    ("w" * 63, "unknown command: " + "w" * 32),
    ("IDENTIFY", "unknown command: IDENTIFY"),
    ("(", "( without )"),
    ("\\x5c", "empty message"),
    ("#", "empty device name"),
    ("#a", "empty message"),
    ("bequeath", "bequeath ETX <binary>, or bequeath <offset> <length>"),
])
def test_malformed_messages(tmp_path, message, error):
    assert answers(tmp_path, message) == [(1, 0, "error: " + error)]


@pytest.mark.parametrize("command", ["reboot", "bequeath 1 2", "install count", "start 100",
                                     "stop", "calibrate"])
def test_owner_only_commands_refuse_guests(tmp_path, command):
    word = command.split()[0]
    assert answers(tmp_path, command, guest=True) == [(1, 0, "error: %s is for owners only" % word)]
    assert answers(tmp_path, command)[0][0] == 2      # an owner's goes to the kernel


@pytest.mark.parametrize("message, items", [
    ("#.kv get color", [".kv", "get", "color"]),         # a device's own command
    ("#.com1 uptime", [".com1", "uptime"]),              # a kernel command: the device's too
    ("#.kv root pw login", [".kv", "root", "pw", "login"]),  # no postfix for a device
    ("#.kv unregister", [".kv", "unregister"]),
    ("unregister kv", ["", "unregister", "kv"]),
    ("reply 7 ^C^A\\x02ok", ["", "reply", "7", "ok"]),
])
def test_addressed_messages_go_to_the_device(tmp_path, message, items):
    assert answers(tmp_path, message) == [(2, 0, "".join(item(i) for i in items))]


def test_guests_address_owner_commands_to_devices(tmp_path):
    """A reflex command addressed to a node is the node's (the kernel checks a
    guest there); unaddressed, the interpreter refuses a guest itself."""
    assert answers(tmp_path, "#.kv start 100", guest=True)[0] == \
        (2, 0, item(".kv") + item("start") + item("100"))
    assert answers(tmp_path, "#.kv reboot", guest=True)[0] == (2, 0, item(".kv") + item("reboot"))


def test_comments_are_skipped(tmp_path):
    assert answers(tmp_path, "( a comment ) identify #.com1 \\x5c trailing")[0] == \
        (2, 0, item(".com1") + item("identify"))

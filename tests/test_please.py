"""please on the booted image (issue 5, docs/please.md): every command from an
owner session (root at the console, here on COM1) and a guest's (guest1 on COM2),
with the answers checked; the guest refusals; every malformed-input case; the
reboot, bequeath and tetris, each on a machine of its own.

Messages with control bytes are built in the session: M" text" adds text, n M,
adds a byte, SEND-M asks and prints the call's result and the reply."""

import datetime
import os
import re
import subprocess
import time

import pytest

import ha3sm
from test_h3sm_kernel import Console

BUILD = [
    "CREATE M 9000 ALLOT  VARIABLE ML",
    ": M, ( c --- ) M ML @ + C! 1 ML +! ;",
    ': M" ( "text" --- ) [CHAR] " PARSE 0 ?DO DUP I + C@ M, LOOP DROP ;',
    ": SEND-M ( --- ) M ML @ ASK . .REPLY 0 ML ! ;",
]


@pytest.fixture(scope="module")
def sessions():
    m = ha3sm.Machine(append="console=com1")
    m.start()
    try:
        owner = Console(m.line(1))
        guest = Console(m.line(2), user="guest1", password="guest", ready=False)
        owner.run(BUILD)
        guest.run(BUILD)
        yield m, owner, guest
    finally:
        m.stop()


def ask(session, message):
    """please <message> from a session: (result, reply)."""
    out = session.type('PLEASE" %s" . .REPLY' % message)
    r = re.match(r"(-?\d+) (.*)$", out, re.S)
    assert r, out
    return int(r.group(1)), r.group(2).strip()


def ask_bytes(session, *parts):
    """A message of text and byte values: ("text", 1, "name", 2, ...)."""
    lines = []
    for p in parts:
        lines.append('M" %s"' % p if isinstance(p, str) else "%d M," % p)
    out = session.run(lines + ["SEND-M"])[-1]
    r = re.match(r"(-?\d+) (.*)$", out, re.S)
    assert r, out
    return int(r.group(1)), r.group(2).strip()


def test_identify_names_the_system_the_cpu_memory_and_uptime(sessions):
    _, owner, guest = sessions
    for s in (owner, guest):
        res, reply = ask(s, "identify")
        assert res == -1
        m = re.match(r"Ha3sm 0\.1, H3sm 0\.1; cpu (\S+) family (\d+) model (\d+); "
                     r"memory (\d+) KiB, free (\d+) KiB; up (\d+)\.(\d{3}) s; processes (\d+)$", reply)
        assert m, reply
        assert m.group(1) in ("GenuineIntel", "AuthenticAMD")
        assert 32_000 < int(m.group(4)) <= 64 * 1024 and int(m.group(5)) < int(m.group(4))
        assert int(m.group(8)) >= 4             # two sessions and two prompts


def test_identify_a_device_answers_for_the_device(sessions):
    _, owner, _ = sessions
    assert ask(owner, "#.clock identify") == (-1, ".clock stream device")
    assert ask(owner, "identify #.ramdisk") == (-1, ".ramdisk block device")
    assert ask_bytes(owner, 1, ".com2", 2, " identify") == (-1, ".com2 stream device")


def test_date_and_time_come_from_the_rtc(sessions):
    _, owner, _ = sessions
    before = datetime.datetime.utcnow()
    _, date = ask(owner, "date")
    _, hms = ask(owner, "time")
    after = datetime.datetime.utcnow()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", date) and re.fullmatch(r"\d\d:\d\d:\d\d", hms)
    seen = datetime.datetime.strptime(date + " " + hms, "%Y-%m-%d %H:%M:%S")
    assert before - datetime.timedelta(seconds=5) <= seen <= after + datetime.timedelta(seconds=5)


def test_epoch_is_microseconds_since_2000_as_text_and_as_a_pyte(sessions):
    _, owner, _ = sessions
    out = owner.run(['PLEASE" epoch" .', ": TAIL REPLY DUP 11 - /STRING 0 ?DO DUP I + C@ . LOOP DROP ; TAIL",
                     "REPLY 11 - TYPE"])
    now = (datetime.datetime.utcnow() - datetime.datetime(2000, 1, 1)).total_seconds() * 1e6
    assert out[0].strip() == "-1"
    tail = [int(x) for x in out[1].split()]
    value = int(out[2])
    assert abs(value - now) < 10e6
    assert tail[:3] == [3, 1, 8]                      # ETX, one count byte, 8 bytes
    assert int.from_bytes(bytes(tail[3:]), "big") == value


def test_uptime_counts_up_in_milliseconds(sessions):
    _, owner, _ = sessions
    _, a = ask(owner, "uptime")
    time.sleep(1.2)
    _, b = ask(owner, "uptime")
    ma, mb = (re.match(r"(\d+) ms \((\d+) d (\d\d):(\d\d):(\d\d)\)$", x) for x in (a, b))
    assert ma and mb, (a, b)
    assert 500 <= int(mb.group(1)) - int(ma.group(1)) < 20000
    assert int(mb.group(1)) // 1000 == (int(mb.group(3)) * 3600 + int(mb.group(4)) * 60
                                         + int(mb.group(5)))


def test_processes_lists_every_process_like_ps(sessions):
    _, owner, guest = sessions
    _, table = ask(guest, "processes")
    lines = table.splitlines()
    assert lines[0].split() == ["PID", "USER", "CLASS", "MEM(KiB)", "TICKS", "TERMINAL"]
    rows = [l.split() for l in lines[1:]]
    assert ["root", "owner"] == [r[1:3] for r in rows if r[-1] == ".console"][0]
    assert ["guest1", "guest"] == [r[1:3] for r in rows if r[-1] == ".com2"][0]
    assert {r[-1] for r in rows if r[2] == "prompt"} >= {".com3", ".com4"}
    assert all(int(r[3]) >= 128 for r in rows)


def test_loading_shows_cpu_use_per_process_over_the_last_second(sessions):
    _, owner, guest = sessions
    guest.run([': MS ( --- ms ) PLEASE" uptime" DROP 0 0 REPLY >NUMBER 2DROP DROP ;',
               ": SPIN ( ms --- ) MS + BEGIN 2000000 0 DO LOOP DUP MS < UNTIL DROP ;"])
    guest.line.send("6000 SPIN\r")                 # the guest computes for 6 s...
    time.sleep(3)
    _, table = ask(owner, "loading")                # ...while the owner looks
    guest.line.expect(r"  ok\r\n", timeout=120)
    lines = table.splitlines()
    assert "CPU" in lines[0]
    cpu = {}
    for l in lines[1:]:
        r = re.match(r"\s*(\S+) (\S+)\s+(\d+)\.(\d)%", l)
        assert r, l
        cpu[r.group(2)] = int(r.group(3)) + int(r.group(4)) / 10
    assert cpu["guest1"] > 50, table               # the spinning guest has most of it
    assert "idle" in cpu


def test_devices_lists_what_the_caller_may_see(sessions):
    _, owner, guest = sessions
    _, mine = ask(owner, "devices")
    _, theirs = ask(guest, "devices")
    assert "console" in mine
    assert len(theirs) < len(mine)


def test_open_and_close(sessions):
    _, owner, _ = sessions
    res, reply = ask(owner, "#.clock open")
    assert res > 0 and re.fullmatch(r"%d \d+ \d+ 0" % res, reply)     # receive only
    res2, reply = ask(owner, "#.display open")
    assert res2 > 0 and re.fullmatch(r"%d \d+ 0 any" % res2, reply)   # send only
    assert ask(owner, "#.clock close") == (-1, "ok")
    assert ask(owner, "close %d" % res) == (-1, "ok")
    assert ask(owner, "close 999") == (0, "error: no such device")
    assert ask(owner, "#nosuch open") == (0, "error: no such device")


def test_an_invisible_device_fails_exactly_like_a_missing_one(sessions):
    _, _, guest = sessions
    assert ask(guest, "#.reflex open") == ask(guest, "#.nosuch open") == (0, "error: no such device")


def test_rest_and_the_postfix_form(sessions):
    _, owner, _ = sessions
    assert ask(owner, "rest") == (-1, "ok")
    assert ask(owner, "nobody wrong login")[0] == 0


@pytest.mark.parametrize("message, answer", [
    ("wait", (0, "error: wait needs a device (#name)")),
    ("#.com2 wait now", (0, "error: wait takes no arguments")),
    ("#.nosuch wait", (0, "error: no such device")),
    ("#.clock wait", (-1, "ok")),   # no receive from .clock by the full path: a rest
])
def test_wait_needs_a_stream_and_nothing_more(sessions, message, answer):
    _, _, guest = sessions
    assert ask(guest, message) == answer


def test_wait_refuses_a_block_device(sessions):
    _, owner, _ = sessions
    assert ask(owner, "#.ramdisk wait") == (0, "error: wait is for a stream you may receive from")


# the rest fast path (please/rest.c): the bare word is answered before the
# interpreter, anything more goes to it; both rest (the tick moves on) and both
# answer -1 ok. login=off: the console is the only process, so the kernel's
# count of fast rests (please_rest_fast) moves only with its messages.
REST_FAST = [("rest",), ("  rest ",), (9, "rest", 10, 0), (13, 10, "rest", 4, 31)]
REST_INTERPRETED = [("rest \\ why",), ("( why ) rest",), ("\\ why", 10, "rest")]
REST_REFUSED = [("rest now",), ("restx",), ("#.clock rest",), ("rest", 1, ".com1", 2), ("rest", 3, 1, 1, "x")]


@pytest.fixture(scope="module")
def alone():
    """root's H3sm on COM1 with no other process; TK and FAST read the kernel's
    tick count and please_rest_fast through the owner's flat selector."""
    syms = {}
    for line in subprocess.run(["nm", os.path.join(os.path.dirname(ha3sm.__file__), "..", "kernel.elf")],
                               capture_output=True, text=True, check=True).stdout.splitlines():
        f = line.split()
        syms[f[-1]] = int(f[0], 16) if len(f) == 3 else 0
    m = ha3sm.Machine(append="console=com1 login=off")
    m.start()
    try:
        c = Console(m.line(1))
        c.run(BUILD + [
            ": K@ ( a --- n ) [ $1E C, $66 C, $B8 C, $17 C, $00 C, $8E C, $D8 C, $8B C, $1B C, $1F C, ] ;",
            ": TK ( --- n ) %d K@ ;  : FAST ( --- n ) %d K@ ;" % (syms["ticks"], syms["please_rest_fast"]),
            # result, ticks passed, fast rests, reply
            ": PROBE ( --- ) FAST TK M ML @ ASK TK ROT - SWAP . . FAST SWAP - . .REPLY 0 ML ! ;",
        ])
        yield c
    finally:
        m.stop()


def probe(c, parts):
    lines = ['M" %s"' % p if isinstance(p, str) else "%d M," % p for p in parts]
    res, ticks, fast, reply = (c.run(lines + ["PROBE"])[-1].split(None, 3) + [""])[:4]
    return int(res), int(ticks), int(fast), reply.strip()


@pytest.mark.parametrize("parts", REST_FAST + REST_INTERPRETED)
def test_rest_answers_the_same_by_the_fast_path_and_the_interpreter(alone, parts):
    res, ticks, fast, reply = probe(alone, parts)
    assert (res, reply) == (-1, "ok")
    assert ticks >= 1          # passed over until the next tick
    assert fast == (1 if parts in REST_FAST else 0)


def test_wait_lasts_until_the_terminal_has_input_or_a_second(alone):
    """#.console wait (kernel/sched.c input_wait) right after the line editor
    received its line: with nothing typed it ends after a second of ticks
    (1000 at PIT_HZ); a key typed meanwhile ends it at once, and is the next
    line. TK reads the kernel's tick count."""
    text = 'TK PLEASE" #.console wait" TK ROT - . . .REPLY'
    out = alone.type(text, timeout=30).split()
    assert out[1:] == ["-1", "ok"] and 900 <= int(out[0]) < 5000, out
    alone.line.send(text + "\r")
    alone.line.expect_exact(text + " ", timeout=30)
    time.sleep(0.2)
    alone.line.send("\r")
    alone.line.expect(r"(\d+) -1 ok", timeout=30)
    assert 1 <= int(alone.line.match.group(1)) < 900
    alone.line.expect(r"  ok\r\n", timeout=30)
    assert alone.type("1 2 + .") == "3 "


@pytest.mark.parametrize("parts", REST_REFUSED)
def test_more_than_rest_goes_to_the_interpreter_and_is_refused(alone, parts):
    res, _, fast, reply = probe(alone, parts)
    assert res == 0 and reply.startswith("error: ") and fast == 0


@pytest.mark.parametrize("command", ["reboot", "bequeath 0 16", "install count", "start 100",
                                     "stop", "calibrate"])
def test_owner_only_commands_refuse_guests(sessions, command):
    _, _, guest = sessions
    word = command.split()[0]
    assert ask(guest, command) == (0, "error: %s is for owners only" % word)


@pytest.mark.parametrize("parts, error", [
    (("frob",), "unknown command: frob"),
    ((1, ".com1"), "SOH without STX"),
    ((1, ".com1 identify", 2), "control byte or space in a device name"),
    ((2, "identify"), "STX without SOH"),
    (("identify ", 1, "", 2), "empty device name"),
    (("#", " identify"), "empty device name"),
    (("#" + "x" * 40 + " identify",), "device name too long (31 at most)"),
    (("#.com1 #.com2 identify",), "two addresses"),
    (("identify ", 3), "ETX without a size prefix"),
    (("identify ", 3, 0), "bad size prefix (1 to 4 count bytes)"),
    (("identify ", 3, 5, 1, 1, 1, 1, 1), "bad size prefix (1 to 4 count bytes)"),
    (("identify ", 3, 1, 200, "abc"), "binary data shorter than its count"),
    (("identify ", 3, 2, 1), "binary data cut short"),
    (("( unclosed identify",), "( without )"),
    (("identify extra",), "identify takes no arguments"),
    (("login",), "login needs other arguments: see docs/please.md"),
    (("open",), "open needs a device (#name)"),
    (("#.clock date",), ".clock does not take this command"),
    (("#.clock frob",), ".clock does not take this command"),
    (("a b c d e f g h i",), "too many words (8 at most)"),
    (("x" * 70,), "word too long (63 at most)"),
    (("   ",), "empty message"),
    (("\\ only a comment",), "empty message"),
])
def test_malformed_messages_get_a_clear_error_and_change_nothing(sessions, parts, error):
    _, owner, _ = sessions
    before = ask(owner, "memory")[1].split()
    assert ask_bytes(owner, *parts) == (0, "error: " + error)
    after = ask(owner, "memory")[1].split()
    assert before[2] == after[2]                  # the same processes
    assert ask(owner, "#.clock identify") == (-1, ".clock stream device")


def test_comments_are_skipped(sessions):
    _, owner, _ = sessions
    assert ask_bytes(owner, "\\ a comment", 10, "( another ) #.clock identify") == \
        (-1, ".clock stream device")


def test_a_message_longer_than_the_interpreter_takes_is_refused(sessions):
    _, _, guest = sessions
    out = guest.run(["CREATE BIG 8200 8 + ALLOT 8200 BIG ! 8100 BIG CELL+ !",
                     "BIG 8 + 8100 BL FILL BIG >P PLEASE PDROP .",
                     "BIG 8 + BIG CELL+ @ $7FFFFFFF AND TYPE"])
    assert out[1].strip() == "0"
    assert out[2] == "error: message too long (7936 bytes at most)"


def test_a_reply_that_does_not_fit_is_cut_and_marked(sessions):
    _, owner, _ = sessions
    out = owner.run(["CREATE SMALL 10 8 + ALLOT 10 SMALL !",
                     'S" identify" DUP SMALL CELL+ ! SMALL 8 + SWAP MOVE SMALL >P PLEASE PDROP .',
                     "SMALL CELL+ @ 0< . SMALL 8 + SMALL CELL+ @ $7FFFFFFF AND TYPE"])
    assert out[1].strip() == "-1"
    assert out[2] == "-1 Ha3sm 0.1,"


@pytest.mark.parametrize("how, why", [("fault", "it faulted"), ("loop", "it took too long")])
def test_a_broken_interpreter_is_abandoned_and_a_fresh_one_answers(sessions, how, why):
    m, owner, guest = sessions
    out = owner.type('PLEASE" selftest %s" . .REPLY' % how)
    # the kernel's log line comes first on the console (COM1 here), then the reply
    assert "please: interpreter abandoned: " + why in out
    assert out.endswith("0 error: the please interpreter stopped: " + why), out
    assert ask(guest, "#.clock identify") == (-1, ".clock stream device")
    assert ask(owner, "uptime")[0] == -1
    assert ask(guest, "selftest fault") == (0, "error: selftest is for owners only")


def test_the_interpreter_answers_thousands_of_messages(sessions):
    _, owner, _ = sessions
    out = owner.run([': MANY 0 2000 0 DO PLEASE" #.clock identify" + LOOP ;', "MANY ."], timeout=120)
    assert out[1].strip() == "-2000"


def test_reboot_resets_the_machine(boot):
    """The harness runs QEMU with -no-reboot: a reset makes QEMU exit."""
    m = boot(append="console=com1")
    owner = Console(m.line(1))
    owner.line.send('PLEASE" reboot"\r')
    owner.line.expect("reboot: asked by process", timeout=30)
    assert m.wait_exit(timeout=30) is not None


# A binary for bequeath: print M if EAX holds the magic, then B Q on COM1, and halt.
BINARY = bytes([0x66, 0xBA, 0xF8, 0x03,              # mov dx, 0x3f8
                0x3D, 0x4D, 0x53, 0x33, 0x48,        # cmp eax, 0x4833534d
                0x75, 0x03,                          # jne +3
                0xB0, 0x4D, 0xEE,                    # mov al, 'M'; out dx, al
                0xB0, 0x42, 0xEE,                    # mov al, 'B'; out dx, al
                0xB0, 0x51, 0xEE,                    # mov al, 'Q'; out dx, al
                0xFA, 0xF4, 0xEB, 0xFE])             # cli; hlt; jmp $


def test_bequeath_hands_the_machine_to_a_binary_from_the_message(boot):
    m = boot(append="console=com1")
    owner = Console(m.line(1))
    owner.run(BUILD)
    lines = ['M" bequeath "', "3 M,", "1 M,", "%d M," % len(BINARY)]
    lines += ["%d M," % b for b in BINARY]
    owner.run(lines)
    owner.line.send("SEND-M\r")
    owner.line.expect("bequeath: %d bytes at 8000" % len(BINARY), timeout=30)
    owner.line.expect_exact("MBQ", timeout=30)


def test_tetris_from_the_console_plays_and_gives_the_console_back(boot):
    m = boot()
    m.wait_screen(r"Ha3sm login:\s*$", 60)
    m.sendkeys("root\n")
    m.wait_screen(r"password:\s*$", 20)
    m.sendkeys("ha3sm\n")
    m.wait_screen(r"H3sm .* bytes free", 60)
    m.sendkeys("1 2 + .\n")
    m.wait_screen(r"3\s+ok", 20)
    m.sendkeys('PLEASE" tetris" . .REPLY\n')
    m.wait_screen(r"LINES", 60)
    screen = m.screen()
    assert "<!" in screen and "!>" in screen          # the well
    assert not re.search(r"3\s+ok", screen)                     # the game has the screen
    m.sendkey("spc")                                  # a piece dropped
    m.sendkeys("q")                                   # the game ends
    m.wait_screen(r"GAME OVER", 20)
    m.wait_screen(r"-1 ok: game over\s+ok", 30)
    screen = m.screen()
    assert re.search(r"3\s+ok", screen)                          # the screen as it was, and more
    assert "<!" not in screen
    m.sendkeys("7 .\n")                               # the keys are the console's again,
    m.wait_screen(r"7\s+ok", 20)
    screen = m.screen()              # and no game key reached the shell
    assert re.search(r"game over\s+ok\s+7 \.\s+7\s+ok", screen), screen

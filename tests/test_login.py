"""Logins on the booted image (issue 6; DESIGN.md "Processes, owners and guests").

    The console (COM1 with console=com1, or VGA + keyboard by default) shows a
    login prompt that takes the owner (root); every other serial line shows one
    that takes guests. An owner over a serial line, or through a process's own
    please login, is refused with a clear reply and the line goes on prompting.
    Wrong passwords are refused, and each failure makes the next answer slower
    (1 s, 2 s, 3 s ... up to 8 s, measured from the password's Enter to the next
    prompt; the serial lines and processes share one count, the console has its
    own; tests/test_login_attack.py is the brute force) while the console's owner keeps answering. An unknown name costs as
    long as a wrong password for a known one. `bye` gives the line its prompt
    back. oneper=on refuses a second login of the same guest. The password is
    never echoed.

The helpers here (LOGIN, wait_prompt, try_login, session, memory) are shared with
tests/test_processes.py and tests/test_isolation.py.
Run: /usr/bin/python3 -m pytest -q tests/test_login.py
"""
import re
import statistics
import time

import pexpect

from test_h3sm_kernel import Console, PROMPT

LOGIN = "Ha3sm login: "
GREETING = re.compile(r"H3sm [^\r\n]* bytes free\r\n")
INCORRECT = "error: login incorrect"
OWNER_REFUSED = "error: owners log in at the console only"
ONEPER_REFUSED = "error: one process per guest"
NO_MEMORY = "error: no memory for the process"


def wait_prompt(line, timeout=30):
    """Wait until the line shows its login prompt (and consume it)."""
    line.expect_exact(LOGIN, timeout=timeout)


def try_login(line, user, password, timeout=60):
    """At a login prompt already shown (and consumed): type the name, wait for
    the password prompt, type the password. Returns (ok, seconds from the
    password's Enter to the answer, what the line showed in between). When the
    login fails, the next prompt has been consumed; when it succeeds, the
    greeting has."""
    line.send(user + "\r")
    line.expect_exact("password: ", timeout=10)
    t = time.monotonic()
    line.send(password + "\r")
    i = line.expect([GREETING, LOGIN], timeout=timeout)
    return i == 0, time.monotonic() - t, line.before


def session(line):
    """A Console (tests/test_h3sm_kernel.py) on a line whose greeting was just
    consumed by try_login: wait for H3sm's prompt and type there."""
    c = Console.__new__(Console)
    c.line = line
    line.send("\r")
    line.expect(PROMPT, timeout=30)
    return c


def login(line, user, password):
    """Log in at a prompt already consumed; a Console. Fails if refused."""
    ok, _, shown = try_login(line, user, password)
    assert ok, "login of %s refused: %r" % (user, shown)
    assert_not_echoed(shown, password)
    return session(line)


def assert_not_echoed(shown, password):
    """What the line showed after "password: " has no trace of the password:
    only blanks, then possibly the refusal."""
    assert password not in shown, shown
    rest = shown.strip()
    assert rest == "" or rest.startswith("error: "), repr(shown)


def memory(console):
    """please memory from a logged-in Console: (free bytes, largest span, processes)."""
    out = console.type('PLEASE" memory" DROP .REPLY')
    m = re.fullmatch(r"(\d+) (\d+) (\d+)", out.strip())
    assert m, out
    return tuple(int(x) for x in m.groups())


def bye(console):
    """bye: the H3sm instance ends and its line shows the login prompt again."""
    console.line.send("bye\r")
    wait_prompt(console.line, timeout=30)


def boot_com1(boot, extra=""):
    """Boot with the console on COM1; the owner logged in there (a Console);
    COM2..COM4 at their login prompts (consumed)."""
    m = boot(append=("console=com1 " + extra).strip())
    owner = Console(m.line(1))
    for n in (2, 3, 4):
        wait_prompt(m.line(n))
    return m, owner


# ---- who may log in where

def test_console_takes_the_owner_and_h3sm_answers(boot):
    m = boot(append="console=com1")
    com1 = m.line(1)
    com1.expect_exact("ready.", timeout=30)
    wait_prompt(com1)
    owner = login(com1, "root", "ha3sm")
    assert owner.type("6 7 * .") == "42 "
    # an owner: it sees the block devices a guest cannot (docs/devices.md)
    assert owner.type("OPEN .ramdisk 0<> .") == "-1 "


def test_every_serial_line_takes_guests(boot):
    m, owner = boot_com1(boot)
    guests = {}
    for n, user in ((2, "guest1"), (3, "guest2"), (4, "guest3")):
        guests[n] = login(m.line(n), user, "guest")
    for n, g in guests.items():
        assert g.type("%d 100 * ." % n) == "%d " % (n * 100)
        assert g.type("OPEN .ramdisk .") == "0 "          # a guest: no block device
    assert owner.type("1 2 + .") == "3 "
    assert memory(owner)[2] == 4          # the owner and three guests, no prompts
    # without oneper=on, one guest may be in on two lines at once
    bye(guests[4])
    again = login(m.line(4), "guest1", "guest")
    assert again.type("11 .") == "11 "
    assert guests[2].type("22 .") == "22 "
    for n in (2, 3, 4):
        assert "[logged out" not in m.line(n).log()


def test_the_console_on_vga_leaves_com1_to_guests(boot):
    # by default the console is VGA + keyboard: COM1 is an ordinary serial line
    m = boot()
    wait_prompt(m.line(1))
    ok, _, shown = try_login(m.line(1), "root", "ha3sm")
    assert not ok and OWNER_REFUSED in shown
    g = login(m.line(1), "guest4", "guest")
    assert g.type("5 5 * .") == "25 "
    m.wait_screen(r"Ha3sm login:\s*$", 10)      # the console still waits for its owner


def test_an_owner_over_a_serial_line_is_refused_and_the_line_goes_on(boot):
    m, owner = boot_com1(boot)
    com2 = m.line(2)
    ok, dt, shown = try_login(com2, "root", "ha3sm")
    assert not ok
    assert shown.strip() == OWNER_REFUSED
    # refused again (it is not a lockout), then a guest logs in on the same line
    ok, _, shown = try_login(com2, "root", "ha3sm")
    assert not ok and shown.strip() == OWNER_REFUSED
    assert "ha3sm" not in com2.log().replace("Ha3sm", "")     # never echoed
    g = login(com2, "guest1", "guest")
    assert g.type("7 .") == "7 "
    # nor through a process: a guest's please login, or the owner's own H3sm
    assert g.type('PLEASE" login root ha3sm" . .REPLY') == "0 " + OWNER_REFUSED
    assert owner.type('PLEASE" login root ha3sm" . .REPLY') == "0 " + OWNER_REFUSED
    assert owner.type("3 .") == "3 "


# ---- wrong passwords

def test_failures_slow_the_line_while_the_owner_answers(boot):
    m, owner = boot_com1(boot)
    com2 = m.line(2)
    waits, answers = [], []
    for k in (1, 2, 3):
        password = "wrong-%d-Xq" % k
        com2.send("guest1\r")
        com2.expect_exact("password: ", timeout=10)
        t = time.monotonic()
        com2.send(password + "\r")
        # meanwhile the owner at the console types and is answered
        while True:
            try:
                com2.expect_exact(LOGIN, timeout=0.02)
                break
            except pexpect.TIMEOUT:
                pass
            assert time.monotonic() - t < 30, "no prompt after failure %d" % k
            a = time.monotonic()
            assert owner.type("%d %d * ." % (k, k + 10)) == "%d " % (k * (k + 10))
            answers.append(time.monotonic() - a)
        waits.append(time.monotonic() - t)
        assert_not_echoed(com2.before, password)
        assert com2.before.strip() == INCORRECT
        assert password not in com2.log()
    print("failures 1, 2, 3 on one line: %s s; the owner answered %d times, at most "
          "in %.3f s" % (", ".join("%.2f" % w for w in waits), len(answers), max(answers)))
    assert waits[1] > waits[0] + 0.5, waits
    assert waits[2] > waits[1] + 0.5, waits
    assert waits[0] >= 0.5, waits                  # even the first costs time
    assert len(answers) >= 10
    assert max(answers) < 0.5, answers
    # another line counts with this one (issue 9: more lines buy no more guesses)
    ok, other, shown = try_login(m.line(3), "guest2", "nope-Yz")
    assert not ok and other > waits[2] + 0.5, (other, waits)
    # the right password still works at once on the slowed line, and a success
    # does not clear the count (fail, log in, bye, fail ... buys nothing)
    g = login(com2, "guest1", "guest")
    bye(g)
    ok, after, _ = try_login(com2, "guest1", "wrong-again-Xq")
    assert not ok and after > other + 0.5, (after, other)


def test_an_unknown_name_costs_as_long_as_a_wrong_password(boot):
    """No fast path for names that do not exist: the hash is computed all the
    same (users/login.c). Measured inside the guest under icount, where the TSC
    counts executed instructions and virtual time, so it is the same on a busy
    host: the owner asks please login for an unknown name and for a known name
    with a wrong password, each after a success. The n-th failure waits n s
    (kernel/proc.c: a success no longer clears the count), which is taken off:
    under icount shift=0 the TSC counts virtual nanoseconds."""
    m = boot(append="console=com1", icount=True, timeout=60)
    owner = Console(m.line(1))
    owner.type(": TSC ( --- n ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $0F C, $31 C,"
               " $89 C, $C3 C, ] ;")
    owner.type(": COST ( a u --- n ) TSC >R ASK DROP TSC R> - ;")
    unknown, known, success = [], [], []
    count = 0
    for _ in range(3):
        for kind, msg in ((unknown, "login nosuchuser not-the-password"),
                          (known, "login guest1 not-the-password")):
            count += 1                  # the n-th failure waits n s: 10^9 TSC a second
            raw = int(owner.type('S" %s" COST .' % msg, timeout=120))
            # a 32-bit difference: take the wait off modulo 2^32
            kind.append((raw - count * 10**9 + 2**31) % 2**32 - 2**31)
            assert owner.type(".REPLY") == "error: login incorrect"
            success.append(int(owner.type('S" login guest2 guest" COST .', timeout=120)))
            assert owner.type(".REPLY") == "ok"
    u, k, s = statistics.median(unknown), statistics.median(known), statistics.median(success)
    print("in guest time: unknown name %d, wrong password %d, a success %d" % (u, k, s))
    # a fast path would save the whole hash, most of what a success costs
    assert abs(u - k) < s / 4, (unknown, known, success)
    assert s > 10_000_000, success          # a success did compute the hash


# ---- bye, oneper

def test_bye_returns_the_line_to_its_prompt(boot):
    m, owner = boot_com1(boot)
    before = memory(owner)
    for _ in range(2):
        g = login(m.line(2), "guest1", "guest")
        assert g.type(": TWICE 2 * ; 21 TWICE .") == "42 "
        assert memory(owner)[0] < before[0]
        bye(g)                        # the prompt is back
        assert memory(owner) == before
    assert owner.type("8 .") == "8 "
    assert "[logged out" not in m.line(2).log()


def test_oneper_refuses_a_second_login_of_a_guest(boot):
    m, owner = boot_com1(boot, "oneper=on")
    first = login(m.line(2), "guest1", "guest")
    ok, _, shown = try_login(m.line(3), "guest1", "guest")
    assert not ok and shown.strip() == ONEPER_REFUSED
    # nor through the guest's own please login
    assert first.type('PLEASE" login guest1 guest" . .REPLY') == "0 " + ONEPER_REFUSED
    # another guest is fine on that line
    other = login(m.line(3), "guest2", "guest")
    assert other.type("2 .") == "2 "
    # once the first is out, guest1 may log in elsewhere
    bye(first)
    again = login(m.line(4), "guest1", "guest")
    assert again.type("4 .") == "4 "
    assert owner.type("1 .") == "1 "

"""Processes on the booted image (issue 6; DESIGN.md "Processes, owners and guests").

    The owner at the console (console=com1) and three guests on COM2..COM4 (QEMU
    has four serial lines) are logged in at once, compute at the same time and
    each gets its own right answer on its own line. No paging, ever: CR0.PG
    stays 0. please memory gives back exactly what a guest took once it logs out
    (the allocator coalesces), and shows less while it is in. A login asking for
    more than half of what is free is refused ("no memory for the process") even
    when a span large enough exists. please rest gives up the CPU and the process
    goes on. A guest spinning in BEGIN AGAIN does not stop the others (the timer
    preempts it).

How CR0.PG is read: CR0 is privileged (mov eax, cr0 faults in ring 3). SMSW is
not, but it stores only the machine status word, CR0's low 16 bits (the high
half is undefined on a 32-bit register), and PG is bit 31; so SMSW from a guest
is only checked for PE (bit 0), and PG is read from QEMU's monitor
(`info registers`, the CPU's real CR0) while the processes run.

Run: /usr/bin/python3 -m pytest -q tests/test_processes.py
"""
import re

import pytest
import threading
import time

from test_h3sm_kernel import Console
from test_login import (NO_MEMORY, boot_com1, bye, login, memory,
                        try_login, wait_prompt)

CR0_PE, CR0_PG = 1, 1 << 31
MIB = 1 << 20


def cr0(m):
    regs = m.monitor("info registers")
    found = re.search(r"CR0=([0-9a-fA-F]+)", regs)
    assert found, regs
    return int(found.group(1), 16)


def expect_sum(n):
    """What `n WORK` prints: the sum of 0 .. n-1 modulo 2^32, unsigned."""
    return "%d " % ((n * (n - 1) // 2) % (1 << 32))


WORK = ": WORK ( n --- ) 0 SWAP 0 DO I + LOOP U. ;"


def test_owner_and_three_guests_compute_at_once(boot):
    m, owner = boot_com1(boot)
    guests = [login(m.line(n), "guest%d" % (n - 1), "guest") for n in (2, 3, 4)]
    everyone = [owner] + guests
    for c in everyone:
        assert c.type(WORK) == ""
    assert memory(owner)[2] == 4
    # One run alone, to know how long a share of the CPU takes.
    n0 = 60_000_000
    alone = 1e9
    for _ in range(2):                    # the faster of two: noise only adds time
        t = time.monotonic()
        assert owner.type("%d WORK" % n0, timeout=60) == expect_sum(n0)
        alone = min(alone, time.monotonic() - t)
    # All four at once, each with its own count (so each answer is its own).
    counts = [n0 + 1000 * i for i in range(4)]
    done = [None] * 4
    outs = [None] * 4

    def run(i):
        outs[i] = everyone[i].type("%d WORK" % counts[i], timeout=120)
        done[i] = time.monotonic()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    start = time.monotonic()
    for th in threads:
        th.start()
    time.sleep(alone / 2)
    during = cr0(m)                       # while all four compute
    for th in threads:
        th.join(180)
    assert outs == [expect_sum(n) for n in counts], outs
    first = min(done) - start
    print("one WORK alone %.2f s; four at once: first answer after %.2f s, last "
          "after %.2f s" % (alone, first, max(done) - start))
    # Round robin: nobody finished in the time of one run alone; a process
    # that ran to the end before the next started would have answered in ~alone.
    assert first > 2 * alone, (alone, first)
    for i, c in enumerate(everyone):
        assert c.type("%d 1+ ." % i) == "%d " % (i + 1)
    assert not during & CR0_PG and during & CR0_PE, hex(during)
    assert not cr0(m) & CR0_PG
    # SMSW in a guest (not privileged): protected mode; its PG bit, if any, 0.
    smsw = guests[0].type(": SMSW ( --- msw ) [ $8d C, $6d C, $fc C, $89 C, $5d C, $00 C,"
                          " $0f C, $01 C, $e3 C, ] ; SMSW U.")
    assert int(smsw) & CR0_PE and not int(smsw) & CR0_PG, smsw
    for n in (2, 3, 4):
        assert "[logged out" not in m.line(n).log()


def test_memory_comes_back_when_a_guest_leaves(boot):
    m, owner = boot_com1(boot)
    com2 = m.line(2)
    before = memory(owner)
    free0, largest0, nproc0 = before
    for way in ("bye", "fault", "bye"):
        g = login(com2, "guest1", "guest")
        free, largest, nproc = memory(owner)
        # 1 MiB for guest1 (users.conf) instead of the prompt's 256 KiB
        assert free <= free0 - 3 * MIB // 4, (before, free)
        assert nproc == nproc0                 # the guest replaced the prompt
        assert g.type("HERE 100000 ALLOT HERE SWAP - .") == "100000 "
        if way == "bye":
            bye(g)
        else:
            com2.send(": UD [ $0b0f , ] ; UD\r")
            com2.expect(r"\[logged out: invalid opcode at [0-9a-f]+\]", timeout=10)
            wait_prompt(com2)
        assert memory(owner) == before, way   # free, largest and count, exactly
    # three guests leaving in another order than they came: it all comes back
    g2 = login(m.line(3), "guest2", "guest")
    g3 = login(m.line(4), "guest3", "guest")
    bye(g2)
    g1 = login(com2, "guest1", "guest")
    bye(g3)
    bye(g1)
    assert memory(owner) == before


def test_a_login_over_half_of_the_free_memory_is_refused(boot):
    # 10 MiB of RAM: root's 4 MiB (users.conf) fits in the largest free span,
    # but it is more than half of what is free, so the console refuses it.
    m = boot(append="console=com1", memory=10)
    com1 = m.line(1)
    com1.expect_exact("ready.", timeout=30)
    for n in (1, 2):
        wait_prompt(m.line(n))
    g = login(m.line(2), "guest1", "guest")
    free, largest, _ = memory(g)
    assert largest >= 4 * MIB + 4096 and 4 * MIB > free // 2, (free, largest)
    ok, _, shown = try_login(com1, "root", "ha3sm")
    assert not ok and shown.strip() == NO_MEMORY, shown
    assert memory(g)[0] == free                # nothing was taken
    # the console goes on prompting; a guest (1 MiB) may log in there
    c = login(com1, "guest2", "guest")
    assert c.type("2 3 * .") == "6 "
    assert g.type("4 .") == "4 "


def test_logins_fill_memory_until_the_half_rule_refuses(boot):
    # 16 MiB: the owner logs in, then starts guests with its own please login
    # (terminal-less processes, 1 MiB each) until the kernel refuses one.
    m = boot(append="console=com1", memory=16)
    owner = Console(m.line(1))
    last = memory(owner)
    started = 0
    while True:
        reply = owner.type('PLEASE" login guest1 guest" . .REPLY')
        now = memory(owner)
        if reply.endswith(NO_MEMORY):
            break
        assert re.fullmatch(r"\d+ ok", reply), reply
        started += 1
        assert now[0] <= last[0] - MIB and now[2] == last[2] + 1, (last, now)
        last = now
        assert started < 12, "never refused: %r" % (now,)
    assert reply == "0 " + NO_MEMORY
    free, largest, nproc = now
    print("refused after %d logins: %d bytes free, largest span %d, %d processes"
          % (started, free, largest, nproc))
    assert started >= 3
    assert now == last                         # the refused login took nothing
    assert nproc < 16                          # the process table was not the limit
    assert largest >= MIB + 4096, now          # it would have fit: the half rule refused
    assert MIB > free // 2, now
    assert owner.type("9 .") == "9 "
    # a line's guest is refused the same way, and the line goes on prompting
    wait_prompt(m.line(2))
    ok, _, shown = try_login(m.line(2), "guest2", "guest")
    assert not ok and shown.strip() == NO_MEMORY
    ok, _, shown = try_login(m.line(2), "guest2", "guest")
    assert not ok and shown.strip() == NO_MEMORY


def test_rest_gives_up_the_cpu_and_goes_on(boot):
    m, owner = boot_com1(boot)
    g = login(m.line(2), "guest1", "guest")
    for c in (owner, g):
        assert c.type('PLEASE" rest" . .REPLY') == "-1 ok"   # success is TRUE
        assert c.type("REST 5 .") == "5 "
        t = time.monotonic()
        assert c.type(": RESTS 0 DO REST LOOP ; 200 RESTS 6 .") == "6 "
        assert time.monotonic() - t < 10
    assert owner.type("7 .") == "7 "


def test_a_spinning_guest_does_not_stop_the_others(boot):
    m, owner = boot_com1(boot)
    spinner = login(m.line(2), "guest1", "guest")
    other = login(m.line(3), "guest2", "guest")
    spinner.line.send(": SPIN BEGIN AGAIN ; SPIN\r")
    spinner.line.expect_exact("SPIN ", timeout=10)
    time.sleep(0.5)
    worst = 0
    for i in range(10):
        for c in (owner, other):
            t = time.monotonic()
            assert c.type("%d 3 * ." % i) == "%d " % (3 * i)
            worst = max(worst, time.monotonic() - t)
    # a third guest logs in and computes while the spinner spins
    third = login(m.line(4), "guest3", "guest")
    assert third.type(WORK) == ""
    assert third.type("1000000 WORK", timeout=30) == expect_sum(1000000)
    assert owner.type("REST 1 .") == "1 "
    print("with a guest spinning, the worst answer took %.3f s" % worst)
    assert worst < 1.0
    assert memory(owner)[2] == 4
    assert "ok" not in spinner.line.log().split("SPIN BEGIN AGAIN ; SPIN", 1)[1]


def test_a_slice_that_ends_in_the_kernel_still_ends(boot):
    # A login hashes the password with interrupts on, longer than a slice: the
    # slice's last tick lands in the kernel. The caller must still be preempted
    # at its next tick in ring 3 (it used to keep the CPU until it rested, so a
    # spin after a please login starved everyone).
    m, owner = boot_com1(boot)
    other = login(m.line(2), "guest1", "guest")
    owner.line.send(': HOG PLEASE" login guest2 guest" DROP BEGIN AGAIN ; HOG\r')
    owner.line.expect_exact("HOG ", timeout=10)
    time.sleep(3)                                  # the login is over, the spin on
    worst = 0
    for i in range(5):
        t = time.monotonic()
        assert other.type("%d 7 * ." % i, timeout=10) == "%d " % (7 * i)
        worst = max(worst, time.monotonic() - t)
    print("with the owner spinning after a login, the worst answer took %.3f s" % worst)
    assert worst < 1.0


def test_owner_at_the_vga_console_and_four_guests_on_the_serial_lines(boot):
    # The picture: the console on VGA + keyboard for the owner, COM1-COM4
    # for four guests, all logged in at once, each computing and printing.
    m = boot()                                         # console=vga, login on
    m.wait_screen(r"Ha3sm login:\s*$", 60)
    m.sendkeys("root\n")
    m.wait_screen(r"password:\s*$", 20)
    m.sendkeys("ha3sm\n")
    m.wait_screen(r"H3sm .* bytes free", 60)
    guests = [login(m.line(n), "guest%d" % n, "guest") for n in (1, 2, 3, 4)]
    for g in guests:
        assert g.type(WORK) == ""
    counts = [3_000_000 + 1000 * i for i in range(4)]
    outs = [None] * 4

    def run(i):
        outs[i] = guests[i].type("%d WORK" % counts[i], timeout=120)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    m.sendkeys(WORK + "\n")                            # the owner computes too
    m.sendkeys("4000000 WORK\n")
    for th in threads:
        th.join(180)
    assert outs == [expect_sum(n) for n in counts], outs
    m.wait_screen(re.escape(expect_sum(4_000_000).strip()) + r"\s+ok", 60)
    assert memory(guests[0])[2] == 5                   # owner + four guests


TSC = (": TSC ( --- n ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $0F C, $31 C,"
       " $89 C, $C3 C, ] ;")


@pytest.mark.parametrize("slice_ms", [2, 20])
def test_the_slice_is_set_on_the_command_line(boot, slice_ms):
    # Under icount one instruction is one nanosecond of the guest's clock. With a
    # guest spinning, the owner's REST gives the spinner the CPU until its slice
    # runs out: the owner's TSC moves by about one slice.
    m = boot(append="console=com1 slice=%d" % slice_ms, icount=True, timeout=60)
    owner = Console(m.line(1))
    spinner = login(m.line(2), "guest1", "guest")
    spinner.line.send(": SPIN BEGIN AGAIN ; SPIN\r")
    spinner.line.expect_exact("SPIN ", timeout=30)
    owner.type(TSC)
    owner.type(": R ( --- n ) TSC REST TSC SWAP - ;")
    gaps = sorted(int(owner.type("R .", timeout=60)) for _ in range(5))
    median = gaps[2]
    expected = slice_ms * 1_000_000
    assert 0.5 * expected < median < 1.6 * expected, (slice_ms, gaps)

"""Guests cannot get out of their segment (issue 6; DESIGN.md "Processes, owners
and guests"; docs/platform.md).

Each escape attempt below is machine code a guest compiles into a word and runs
(`: ESCAPE [ $b8 C, ... ] ; ESCAPE`). Each must end in that guest's logout with a
one-line reason on its terminal ("[logged out: <exception> at <eip>]", the eip an
offset in the guest's own code) and its line back at the login prompt, while the
owner at the console and another guest keep answering and please memory shows
exactly what it showed before the guest logged in.

    selectors   the kernel's data ($10) and code ($08) selectors, the owner-only
                flat selector ($17: a guest's third LDT entry is empty), past the
                LDT, the TSS and an LDT descriptor in the GDT; into DS, ES, FS,
                GS and SS
    control     far jmp, far call, retf and iret to kernel code ($08), a far jmp
                to the TSS (a task switch)
    vectors     int on vectors that are not one of the five calls (0x20 the
                timer, 0x80, 3, int3, 0x0e, 0x2f and 0x35 on either side of the
                calls)
    privileged  in, out, cli, sti, hlt, IOPL 3 through popf (ignored at CPL 3,
                so cli still faults), lgdt, lidt, lldt, ltr, CR0 and CR3, a
                debug register, clts, invd, wbinvd, rdmsr, wrmsr
    CPU faults  div by zero in raw code ("divide error"), ud2 ("invalid opcode")

H3sm's own `/` checks for zero and THROWs "division by zero" before the CPU is
asked: a guest typing `1 0 /` gets the error and stays logged in. Only the raw
`div` (a CPU exception) logs it out.

Bad pointers are not faults: every address a call receives is checked against
the caller's segment in software, so kernel addresses and offsets past the
segment passed to each of the five calls make the call fail (0) and the guest
stays. (A guest may use only its own terminal and the clock: read and write
have no block device to reach, so for them the test shows that bad pointers
and a stream ID fail without a logout.)

An owner's CPU fault is not a logout: it becomes a THROW (an error on its
terminal) and the owner stays logged in.

Limits: QEMU's TCG does not check segment limits (docs/platform.md), so reading
and writing past the guest's limit, jumping past it, and a data or return stack
running off the segment are tried in Bochs only (test_bochs_*), typed at the
console (VGA + keyboard, whose login prompt takes guests too; Bochs's COM1 is
output only) and read off its screen (Screen below). There the owner's faults
past its limits are errors too; a runaway data-stack push tramples the owner's
return stack on its way down, so the THROW cannot land and the kernel restarts
the owner's H3sm ("[restarted after repeated faults]"): still logged in.

One QEMU machine serves every QEMU case (a kernel panic or a leak would show in
every case after it). Run: /usr/bin/python3 -m pytest -q tests/test_isolation.py
"""
import re
import time

import pytest

import ha3sm
from test_h3sm_kernel import Console
from test_login import LOGIN, bye, login, memory, wait_prompt

LOGGED_OUT = re.compile(r"\r\n\[logged out: (?P<why>[^\]\r\n]*) at (?P<eip>[0-9a-f]+)\]\r\n")
GP = "general protection"


def code(hexbytes):
    """Machine code as H3sm compiles it: `$b8 C, $10 C, ...`."""
    return " ".join("$%s C," % b for b in hexbytes.split())


ESCAPES = [
    # loading a selector the guest may not use
    ("ds kernel data $10", "b8 10 00 00 00 8e d8", GP),
    ("es kernel data $10", "b8 10 00 00 00 8e c0", GP),
    ("ss kernel data $10", "b8 10 00 00 00 8e d0", GP),
    ("fs kernel code $08", "b8 08 00 00 00 8e e0", GP),
    ("gs kernel data $10 by push pop", "6a 10 0f a9", GP),
    ("ds owner flat $17", "b8 17 00 00 00 8e d8", GP),
    ("es owner flat $17", "b8 17 00 00 00 8e c0", GP),
    ("ss owner flat $17", "b8 17 00 00 00 8e d0", GP),
    ("ds past the LDT $1f", "b8 1f 00 00 00 8e d8", GP),
    ("ds the TSS $1b", "b8 1b 00 00 00 8e d8", GP),
    ("ds an LDT descriptor $23", "b8 23 00 00 00 8e d8", GP),
    # transfers of control into the kernel
    ("far jmp $08", "ea 00 00 10 00 08 00", GP),
    ("far call $08", "9a 00 00 10 00 08 00", GP),
    ("far jmp to the TSS $18", "ea 00 00 00 00 18 00", GP),
    ("retf to $08", "6a 08 68 00 00 10 00 cb", GP),
    ("iret to $08", "9c 6a 08 68 00 00 10 00 cf", GP),
    # vectors that are not calls
    ("int 0x20", "cd 20", GP),
    ("int 0x80", "cd 80", GP),
    ("int 3", "cd 03", GP),
    ("int3", "cc", GP),
    ("int 0x0e", "cd 0e", GP),
    ("int 0x2f", "cd 2f", GP),
    ("int 0x35", "cd 35", GP),
    # privileged instructions
    ("in al 0x60", "e4 60", GP),
    ("in al dx", "66 ba 60 00 ec", GP),
    ("out 0x80 al", "e6 80", GP),
    ("out 0x64 reset", "b0 fe e6 64", GP),
    ("cli", "fa", GP),
    ("sti", "fb", GP),
    ("hlt", "f4", GP),
    ("iopl 3 by popf then cli", "9c 81 0c 24 00 30 00 00 9d fa", GP),
    ("lgdt", "0f 01 15 00 00 00 00", GP),
    ("lidt", "0f 01 1d 00 00 00 00", GP),
    ("lldt", "31 c0 0f 00 d0", GP),
    ("ltr", "b8 18 00 00 00 0f 00 d8", GP),
    ("mov eax cr0", "0f 20 c0", GP),
    ("mov cr0 eax", "31 c0 0f 22 c0", GP),
    ("mov cr3 eax", "31 c0 0f 22 d8", GP),
    ("mov dr7 eax", "31 c0 0f 23 f8", GP),
    ("clts", "0f 06", GP),
    ("invd", "0f 08", GP),
    ("wbinvd", "0f 09", GP),
    ("rdmsr", "31 c9 0f 32", GP),
    ("wrmsr", "31 c9 0f 30", GP),
    # CPU exceptions of the guest's own making
    ("div by zero", "31 db f7 f3", "divide error"),
    ("ud2", "0f 0b", "invalid opcode"),
]


class World:
    """The QEMU machine of this module: the owner on COM1, a bystander guest on
    COM3, COM2 (the attacker's line) at its prompt, memory as it was then."""

    def __init__(self):
        self.m = ha3sm.Machine(append="console=com1", name="QEMU isolation")
        self.m.start()
        self.owner = Console(self.m.line(1))
        for n in (2, 3, 4):
            wait_prompt(self.m.line(n))
        self.bystander = login(self.m.line(3), "guest2", "guest")
        # One login and logout first: the new prompt on COM2 takes the first
        # hole that fits, not the place its predecessor had, so the first cycle
        # can change the layout (and please memory's free bytes, which do not
        # count each free span's page of bookkeeping). From then on every
        # login and logout on COM2 goes back to the same layout.
        bye(login(self.m.line(2), "guest1", "guest"))
        self.before = memory(self.owner)
        self.checks = 0

    def others_answer(self):
        """The owner and the other guest answer; memory is as it was."""
        self.checks += 1
        k = self.checks
        assert self.owner.type("%d 2 * ." % k) == "%d " % (2 * k)
        assert self.bystander.type("%d 3 * ." % k) == "%d " % (3 * k)
        assert memory(self.owner) == self.before


@pytest.fixture(scope="module")
def world():
    w = World()
    try:
        yield w
    finally:
        w.m.stop()


@pytest.fixture
def qemu(world, request):
    """The module's machine, named in the report of a test that fails."""
    request.node.__dict__.setdefault("_ha3sm_machines", []).append(world.m)
    return world


def expect_logout(line, timeout=10):
    """The one-line reason, then the login prompt and nothing else. (why, eip)"""
    line.expect(LOGGED_OUT, timeout=timeout)
    why, eip = line.match.group("why"), int(line.match.group("eip"), 16)
    wait_prompt(line)
    assert line.before.strip() == "", repr(line.before)
    return why, eip


@pytest.mark.parametrize("name,hexbytes,reason", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_escape_attempt_logs_the_guest_out(qemu, name, hexbytes, reason):
    line = qemu.m.line(2)
    g = login(line, "guest1", "guest")
    assert g.type("1 2 + .") == "3 "
    line.send(": ESCAPE [ %s ] ; ESCAPE\r" % code(hexbytes))
    why, eip = expect_logout(line)
    assert why == reason
    assert 0x10000 <= eip < 0x100000, hex(eip)      # an offset in the guest's image
    qemu.others_answer()


def test_h3sm_division_by_zero_is_an_error_not_a_logout(qemu):
    line = qemu.m.line(2)
    g = login(line, "guest1", "guest")
    assert g.type("1 0 /") == "\n/: division by zero\n"
    assert g.type("7 0 MOD") == "\nMOD: division by zero\n"
    assert g.type("5 .") == "5 "
    assert "[logged out" not in line.log().rsplit(LOGIN, 1)[1]
    bye(g)
    qemu.others_answer()


BAD_ADDRESSES = [
    "$100000",       # the kernel's load address (1 MiB): the end of a 1 MiB guest
    "$100010", "$200000", "$1000000", "$7FFFFFF0", "-16", "-1",
    "END", "END 4 -",   # END = the end of the segment: a header does not fit
]

CALLS = {
    # call: (a line that uses address A and must print 0, a good use printing -1 or 1)
    "read": ("T >P {A} >P READ . PDROP PDROP", None),
    "write": ("T >P {A} >P 0 WRITE . PDROP PDROP", None),
    "send": ("T >P {A} >P 0 SEND . PDROP PDROP", 'S" x" GOOD S>RING GOOD T 0 RING-SEND .'),
    "receive": ("CK >P {A} >P RECEIVE . PDROP PDROP", "GOOD CK RING-RECEIVE ."),
    "please": ("{A} >P PLEASE . PDROP", 'PLEASE" identify" .'),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_bad_pointers_to_a_call_fail_without_a_logout(qemu, call):
    line = qemu.m.line(2)
    g = login(line, "guest1", "guest")
    bad, good = CALLS[call]
    g.type("OPEN .com2 CONSTANT T  OPEN .clock CONSTANT CK  HERE UNUSED + CONSTANT END")
    assert g.type("T 0<> CK 0<> AND .") == "-1 "     # its terminal and the clock
    assert g.type("END .") == "%d " % (1 << 20)       # users.conf: 1024 KiB
    g.type("64 RING GOOD  GOOD RING-SYNC")
    for a in BAD_ADDRESSES:
        assert g.type(bad.format(A=a)) == "0 ", (call, a)
    # the pointer stack itself outside the segment: mov esi, tos / int / restore
    vector = {"read": 0x30, "write": 0x31, "send": 0x32, "receive": 0x33, "please": 0x34}[call]
    g.type(": PSP-CALL ( psp --- result ) [ $56 C, $89 C, $DE C, $8B C, $5D C, $00 C,"
           " $8D C, $6D C, $04 C, $CD C, $%02X C, $5E C, ] ;" % vector)
    for a in ("$100000", "-4", "END"):
        assert g.type("0 %s PSP-CALL ." % a) == "0 ", (call, a)
    if good:
        assert g.type(good).endswith(("-1 ", "1 ")), call
    assert g.type("6 7 * .").endswith("42 ")
    assert "[logged out" not in line.log().rsplit(LOGIN, 1)[1]
    bye(g)
    qemu.others_answer()


def test_an_owner_fault_is_an_error_and_the_owner_stays(qemu):
    owner = qemu.owner
    owner.type(": UD [ $0b0f , ] ;  : HLT! [ $f4 C, ] ;  : DIV0 [ $31 C, $db C, $f7 C, $f3 C, ] ;")
    assert owner.type("UD").endswith("UD: illegal instruction\n")
    assert owner.type("HLT!").endswith("HLT!: invalid memory address\n")
    assert owner.type("DIV0").endswith("DIV0: division by zero\n")
    assert owner.type("7 .") == "7 "
    assert "[logged out" not in qemu.m.line(1).log()
    assert "restarted" not in qemu.m.line(1).log()
    qemu.others_answer()


def test_nobody_else_was_logged_out(qemu):
    # runs last: the owner and the bystander went through every case above
    for n in (1, 3, 4):
        assert "[logged out" not in qemu.m.line(n).log(), n
    qemu.others_answer()


# ---- Bochs: the segment limits (QEMU's TCG does not check them)

class Screen:
    """Enough of a terminal to replay what Bochs's curses display draws
    (TERM=xterm): cursor addressing, erasing, scrolling, repeat. rows() is the
    picture, which a transcript of the bytes is not: curses redraws only the
    cells that change, so a prompt drawn over an identical one is never sent."""

    CSI = re.compile(r"\x1b\[([?>]?)([0-9;]*)([@A-Za-z`])")

    def __init__(self, rows=25, cols=80):
        self.h, self.w = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.top, self.bot = 0, rows - 1
        self.last = " "
        self.pending = ""

    def _scroll(self, n=1, up=True):
        for _ in range(n):
            if up:
                del self.cells[self.top]
                self.cells.insert(self.bot, [" "] * self.w)
            else:
                del self.cells[self.bot]
                self.cells.insert(self.top, [" "] * self.w)

    def _lf(self):
        if self.r == self.bot:
            self._scroll()
        elif self.r < self.h - 1:
            self.r += 1

    def _put(self, ch):
        if self.c >= self.w:
            self.c = 0
            self._lf()
        self.cells[self.r][self.c] = ch
        self.c += 1
        self.last = ch

    def feed(self, text):
        text = self.pending + text
        self.pending = ""
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\x1b":
                m = self.CSI.match(text, i)
                if m:
                    self._csi(m.group(1), m.group(2), m.group(3))
                    i = m.end()
                    continue
                rest = text[i:]
                if re.fullmatch(r"\x1b(\[[?>]?[0-9;]*|[()*+])?", rest):
                    self.pending = rest         # the rest comes with the next bytes
                    return
                nxt = text[i + 1]
                if nxt in "()*+":
                    i += 3
                    continue
                if nxt == "M":
                    if self.r == self.top:
                        self._scroll(up=False)
                    elif self.r > 0:
                        self.r -= 1
                elif nxt == "D":
                    self._lf()
                elif nxt == "E":
                    self.c = 0
                    self._lf()
                elif nxt == "7":
                    self.saved = (self.r, self.c)
                elif nxt == "8":
                    self.r, self.c = getattr(self, "saved", (0, 0))
                i += 2
                continue
            if ch == "\r":
                self.c = 0
            elif ch == "\n":
                self._lf()
            elif ch == "\b":
                self.c = max(0, self.c - 1)
            elif ch == "\t":
                self.c = min(self.w - 1, (self.c // 8 + 1) * 8)
            elif ch >= " ":
                self._put(ch)
            i += 1

    def _csi(self, private, params, final):
        if private:
            return
        p = [int(x) if x else 0 for x in params.split(";")] if params else []
        a = p[0] if p else 0
        n = max(a, 1)
        row = self.cells[self.r]
        if final in "Hf":
            self.r = min(max(a, 1), self.h) - 1
            self.c = min(max(p[1] if len(p) > 1 else 1, 1), self.w) - 1
        elif final == "d":
            self.r = min(n, self.h) - 1
        elif final in "G`":
            self.c = min(n, self.w) - 1
        elif final == "A":
            self.r = max(0, self.r - n)
        elif final == "B":
            self.r = min(self.h - 1, self.r + n)
        elif final == "C":
            self.c = min(self.w - 1, self.c + n)
        elif final == "D":
            self.c = max(0, self.c - n)
        elif final == "K":
            lo, hi = {0: (self.c, self.w), 1: (0, self.c + 1), 2: (0, self.w)}.get(a, (0, 0))
            for k in range(lo, min(hi, self.w)):
                row[k] = " "
        elif final == "J":
            if a == 0:
                for k in range(self.c, self.w):
                    row[k] = " "
                for rr in range(self.r + 1, self.h):
                    self.cells[rr] = [" "] * self.w
            elif a == 1:
                for rr in range(0, self.r):
                    self.cells[rr] = [" "] * self.w
                for k in range(0, self.c + 1):
                    row[k] = " "
            else:
                self.cells = [[" "] * self.w for _ in range(self.h)]
        elif final == "X":
            for k in range(self.c, min(self.c + n, self.w)):
                row[k] = " "
        elif final == "P":
            del row[self.c:self.c + n]
            row.extend([" "] * (self.w - len(row)))
        elif final == "@":
            for _ in range(n):
                row.insert(self.c, " ")
            del row[self.w:]
        elif final == "L" and self.top <= self.r <= self.bot:
            for _ in range(n):
                del self.cells[self.bot]
                self.cells.insert(self.r, [" "] * self.w)
        elif final == "M" and self.top <= self.r <= self.bot:
            for _ in range(n):
                del self.cells[self.r]
                self.cells.insert(self.bot, [" "] * self.w)
        elif final == "S":
            self._scroll(n)
        elif final == "T":
            self._scroll(n, up=False)
        elif final == "r":
            self.top = (p[0] if p and p[0] else 1) - 1
            self.bot = (p[1] if len(p) > 1 and p[1] else self.h) - 1
            self.r = self.c = 0
        elif final == "b":
            for _ in range(n):
                self._put(self.last)

    def rows(self):
        return ["".join(r).rstrip() for r in self.cells]

    def text(self):
        return "\n".join(self.rows()).rstrip("\n")


class Keyboard:
    """Bochs's console: type at its keyboard; read its screen. Bochs draws the
    VGA screen with curses on a pseudo-terminal; Screen replays that into a
    picture (a transcript would miss text curses did not redraw because the
    same characters were already there). LINES=25 makes curses's screen as tall
    as the VGA's."""

    def __init__(self, b):
        self.b = b
        self.screen = Screen(25, 80)
        self.seen = 0

    def text(self):
        new = bytes(self.b._display[self.seen:])
        self.seen += len(new)
        self.screen.feed(new.decode("latin-1"))
        return self.screen.text()

    def wait(self, regex, timeout=60):
        """Wait until the screen, read as text, matches regex; the match."""
        pattern = re.compile(regex)
        deadline = time.monotonic() + timeout
        while True:
            m = pattern.search(self.text())
            if m:
                return m
            if self.b.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the screen did not show %r; it shows:\n%s"
                                     % (regex, self.text()))
            time.sleep(0.2)

    def type(self, text, echo=True):
        """Type a line and Enter. Bochs drops a key now and then on a busy host:
        the echo is checked before Enter, and a garbled line is killed (^U) and
        typed again. A line that is not echoed (a password) is typed slowly."""
        if not echo:
            self.b.sendkeys(text, delay=0.2)
            self.b.sendkeys("\n")
            return
        for attempt in range(4):
            self.b.sendkeys(text)
            try:
                self.wait(re.escape(text) + r"\s*$", 10)
                break
            except AssertionError:
                self.b.sendkeys("\x15")          # ^U: the line editor kills the line
        self.b.sendkeys("\n")

    def login(self, user, password):
        self.wait(r"Ha3sm login:\s*$", 60)
        self.type(user)
        self.wait(r"password:\s*$", 30)
        self.type(password, echo=False)
        self.wait(r"H3sm \S+, \d+ bytes free\s*$", 60)

    def answer(self, text, regex, timeout=60):
        """Type a line; wait for the echo of it followed by regex at the end of the screen."""
        self.type(text)
        return self.wait(re.escape(text) + r"\s*" + regex + r"\s*$", timeout)


BOCHS_ESCAPES = [
    ("read past the limit", "HERE UNUSED + @", GP),
    ("write past the limit", "0 HERE UNUSED + !", GP),
    ("read at -1", "-1 @", GP),
    ("execute past the limit", "HERE UNUSED + EXECUTE", GP),
    ("the data stack runs off", ": R BEGIN 1 AGAIN ; R", "stack-segment fault"),
    ("the return stack runs off", ": R RECURSE DUP ; R", "stack-segment fault"),
]


def test_bochs_limits_log_a_guest_out(bochs, monkeypatch):
    monkeypatch.setenv("LINES", "25")
    monkeypatch.setenv("COLUMNS", "80")
    kb = Keyboard(bochs())
    # the owner first: memory as it is, and its own faults past the limits are
    # errors (a THROW), not a logout
    kb.login("root", "ha3sm")
    before = kb.answer('PLEASE" memory" DROP .REPLY', r"(\d+ \d+ \d+)\s+ok").group(1)
    kb.answer("HERE UNUSED + @", r"\n@: invalid memory address")
    kb.answer(": Q RECURSE DUP ; Q", r"\nQ: return stack overflow")
    # a runaway push tramples the return stack on its way down (h3sm/layout.inc):
    # the THROW cannot return, so the kernel starts the owner's H3sm afresh
    kb.answer(": R BEGIN 1 AGAIN ; R", r"\n(R: data stack overflow|\[restarted after "
              r"repeated faults\]\s*\nH3sm \S+, \d+ bytes free)")
    kb.answer("6 7 * .", r"42\s+ok")
    kb.answer("bye", r"\n\s*Ha3sm login:")
    for name, text, reason in BOCHS_ESCAPES:
        kb.login("guest1", "guest")
        m = kb.answer(text, r"\n\[logged out: ([^\]\n]*) at ([0-9a-f]+)\]\s*\n\s*Ha3sm login:")
        assert m.group(1) == reason, (name, m.group(0))
        assert 0x10000 <= int(m.group(2), 16) < 0x100000, (name, m.group(0))
    # the owner finds memory as it was
    kb.login("root", "ha3sm")
    after = kb.answer('PLEASE" memory" DROP .REPLY', r"(\d+ \d+ \d+)\s+ok").group(1)
    assert after == before

#!/usr/bin/python3
"""bench_reflex.py -- the reflex's latency and jitter in guest instructions (docs/reflex.md).

QEMU runs with -icount shift=0,sleep=off: the guest's TSC counts instructions (one a
nanosecond of virtual time) and the PIT, the reflex's timer, counts on that same
virtual clock. The kernel measures every run itself (asm/reflex.asm): the TSC at
the handler's third instruction (after two pushes) against the expiry computed
from the PIT's programming, E_k = t0 + 5 + (k * divisor + 1) PIT clocks, t0 being
the TSC read just before the count was loaded. `please stop` replies with the
figures (runs, expiries, lost, latency mean/worst/best, jitter, a histogram, and
IRQ 0's latency on the same expiries for comparison).

Each case is a reflex of RUNS runs (REFLEX_RUNS, default 20,000) at 10 kHz (PIT
divisor 119, 99,733.318 instructions a period):
  idle     root's console waits at its prompt; the CPU halts between runs
  loaded   four guests (guest1..guest4 on COM1..COM4, the console on VGA) each run a
           loop that computes, prints a dot and reads whatever arrived on its line,
           the host floods all four lines, and root waits for the runs in a busy loop
  chained  loaded again without -d nochain (REFLEX_CHAINED=0 leaves it out)
idle and loaded run with -d nochain (see NOCHAIN). Prints a table and
`BENCH name value unit` lines. Targets (issue 7), for loaded: none lost, worst
latency <= 300 and jitter <= 300 instructions.
"""

import os
import re
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import ha3sm                               # noqa: E402
from test_h3sm_kernel import Console       # noqa: E402

RUNS = int(os.environ.get("REFLEX_RUNS", "20000"))
# -d nochain: every translation block returns to QEMU's loop, where QEMU looks at
# its timers. With blocks chained, heavy host I/O (the flood) now and then makes
# QEMU handle a PIT expiry at the end of a later block, tens to thousands of
# instructions late, wherever the guest is (docs/reflex.md, "Measuring"); the
# third row shows it. REFLEX_CHAINED=0 leaves that row out.
NOCHAIN = ["-d", "nochain"]
CHAINED = os.environ.get("REFLEX_CHAINED", "1") != "0"
FIELDS = {
    "why": r"stopped (.*?): runs",
    "runs": r": runs (\d+) of",
    "exp": r"of (\d+) expiries",
    "lost": r"lost (\d+)",
    "mean": r"latency mean (-?[\d.]+)",
    "worst": r"latency mean \S+ worst (-?\d+)",
    "at": r"worst -?\d+ \(at ([0-9a-f]+)\) best",
    "best": r"best (-?\d+)",
    "jitter": r"jitter (\d+)",
    "hist": r"\(runs at ([^)]*)\)",
    "busyn": r"executing: (\d+) runs",
    "busyworst": r"executing: \d+ runs, worst (-?\d+)",
    "haltn": r"halted: (\d+) runs",
    "haltworst": r"halted: \d+ runs, worst (-?\d+)",
    "run": r"run worst (\d+)",
    "ticks": r"IRQ 0 on the same expiries: (\d+) ticks",
    "tmean": r"ticks, latency mean (\d+)",
    "tworst": r"ticks, latency mean \d+ worst (\d+)",
    "tat": r"ticks, latency mean \d+ worst \d+ \(at ([0-9a-f]+)\)",
}
# a guest's load: compute, print a dot, take whatever came in on the line
WORK = [
    "TERM-OPEN",
    ": CRUNCH ( --- ) 0 2000 0 DO I I * + LOOP DROP ;",
    ": DRAIN ( --- ) BEGIN TERM-KEY? WHILE KEY DROP REPEAT ;",
    ": WORK ( --- ) BEGIN CRUNCH [CHAR] . EMIT DRAIN AGAIN ;",
]


def symbol(addr):
    """The kernel function (kernel.sym) holding a hex address, as name+offset."""
    if addr == "-":
        return addr
    a, best = int(addr, 16), None
    if a < 0x100000:
        return "%x (ring 3)" % a
    with open(os.path.join(ROOT, "kernel.sym")) as f:
        for line in f:
            v, name = line.split()[:2]
            if int(v, 16) <= a:
                best = (name, a - int(v, 16))
    return "%s+%d" % best if best else addr


def figures(reply):
    """The fields of a stop report ("-" where the report has none)."""
    reply = re.sub(r"\s+", " ", reply)
    if not re.search(FIELDS["runs"], reply):
        raise RuntimeError("no report in %r" % reply)
    out = {"raw": reply[reply.index("stopped"):]}
    for name, rx in FIELDS.items():
        m = re.search(rx, reply)
        out[name] = m.group(1) if m else "-"
    return out


def idle(extra=NOCHAIN):
    """root at COM1, nothing else: the CPU halts between runs."""
    m = ha3sm.Machine(append="console=com1", icount=True, timeout=60, extra=extra).start()
    try:
        root = Console(m.line(1))
        ask = lambda msg: root.type('PLEASE" %s" . .REPLY' % msg, timeout=120)  # noqa: E731
        assert ask("install count").startswith("1 ok")
        assert ask("start 10000 %d" % RUNS).startswith("1 ok")
        deadline = time.time() + 600
        while int(root.type("OPEN .reflex DROP THROUGHPUT @ .")) < RUNS:
            if time.time() > deadline:
                raise RuntimeError("the reflex did not finish its runs")
            time.sleep(1)
        return figures(ask("stop"))
    finally:
        m.stop()


class Flood(threading.Thread):
    """Send bytes into a serial line as fast as QEMU takes them."""

    def __init__(self, line):
        super().__init__(daemon=True)
        self.line, self.stop, self.sent = line, False, 0

    def run(self):
        chunk = b"flood " * 170
        while not self.stop:
            try:
                self.line.sock.sendall(chunk)
            except OSError:
                return
            self.sent += len(chunk)


def screen_raw(m):
    """The VGA text screen as one 2000-character string: wrapped lines run on."""
    return bytes(b or 0x20 for b in m.screen_bytes()[0::2]).decode("cp437")


def vga_line(m, text, tries=6):
    """Type a line at the VGA console. A busy host makes QEMU's keyboard drop keys,
    so the echo is checked before Enter, and a garbled line is killed (^U) and
    typed again."""
    for _ in range(tries):
        m.sendkeys(text)
        deadline = time.time() + 30
        while time.time() < deadline:
            if screen_raw(m).rstrip().endswith(text):
                m.sendkeys("\n")
                return
            time.sleep(0.3)
        m.sendkey("ctrl", "u")
        time.sleep(1)
    raise RuntimeError("could not type %r:\n%s" % (text, m.screen()))


def vga_login(m, user, password, tries=4):
    """Log in at the VGA console (the password is not echoed: typed slowly)."""
    for _ in range(tries):
        m.wait_screen(r"login:\s*$", 120)
        vga_line(m, user)
        m.wait_screen(r"password:\s*$", 60)
        for ch in password:
            m.sendkeys(ch)
            time.sleep(0.3)
        m.sendkeys("\n")
        deadline = time.time() + 120
        while time.time() < deadline:
            text = m.screen()
            if "bytes free" in text:
                return
            if re.search(r"login:\s*$", text):
                break
            time.sleep(0.5)
    raise RuntimeError("could not log in at the console:\n" + m.screen())


def loaded(extra=NOCHAIN):
    """Four computing guests on COM1..COM4, all four lines flooded; root on VGA."""
    m = ha3sm.Machine(icount=True, timeout=120, extra=extra).start()
    floods = []
    try:
        guests = []
        for n in (1, 2, 3, 4):
            g = Console(m.line(n), user="guest%d" % n, password="guest", ready=(n == 1))
            for line in WORK:
                g.type(line, timeout=120)
            guests.append(g)
        vga_login(m, "root", "ha3sm")
        # Under load the PS/2 keyboard loses keys (the kernel takes IRQ 1 late and
        # QEMU's queue overflows), so the words are typed now and run with one key.
        # RUNTO waits for the runs in a busy loop: the CPU never halts, so QEMU's
        # sleep=off clock warp cannot jump its clock ahead while it measures
        # (docs/reflex.md, "Measuring").
        for text in (": RXCOUNT ( --- n ) S\" #.reflex open\" ASK DROP REPLY SPLIT 2DROP SKIP-BL S>U ;",
                     ": RUNTO ( n --- ) BEGIN 20000 0 DO LOOP RXCOUNT OVER < 0= UNTIL DROP ;",
                     ': GO PLEASE" start 10000 %d" DROP %d RUNTO PLEASE" stop" . .REPLY ;' % (RUNS, RUNS),
                     'PLEASE" install count" . .REPLY'):
            vga_line(m, text)
            time.sleep(2)
        m.wait_screen(r"ok: count", 60)
        assert "undefined" not in m.screen(), m.screen()
        for g in guests:
            g.line.send("WORK\r")
        for g in guests:
            g.line.expect_exact("....", timeout=120)
        floods = [Flood(m.line(n)) for n in (1, 2, 3, 4)]
        for f in floods:
            f.start()
        time.sleep(2)
        vga_line(m, "GO")
        m.wait_screen(r"stopped .*: runs", 1800)
        time.sleep(1)
        got = figures(screen_raw(m))
        got["flooded"] = sum(f.sent for f in floods)
        got["dots"] = sum(g.line.log().count(".") for g in guests)
        return got
    finally:
        for f in floods:
            f.stop = True
        m.stop()


def main():
    rows = {"idle": idle(), "loaded": loaded()}
    if CHAINED:
        rows["chained"] = loaded(extra=[])
    print("The reflex at 10 kHz (PIT divisor 119: 99,733.318 ns = 99,733.318 instructions),"
          " %d runs, QEMU -icount shift=0,sleep=off -d nochain" % RUNS)
    print("(chained: loaded again without -d nochain, QEMU's translation blocks chained)")
    print("%-8s %7s %8s %5s %9s %7s %6s %7s %12s %12s %8s" %
          ("case", "runs", "expiries", "lost", "lat.mean", "worst", "best", "jitter",
           "executing", "halted", "run"))
    for name, f in rows.items():
        print("%-8s %7s %8s %5s %9s %7s %6s %7s %12s %12s %8s" %
              (name, f["runs"], f["exp"], f["lost"], f["mean"], f["worst"], f["best"],
               f["jitter"], "%s/%s" % (f["busyn"], f["busyworst"]),
               "%s/%s" % (f["haltn"], f["haltworst"]), f["run"]))
    print("(executing, halted: runs whose NMI found the CPU executing or halted in the idle"
          " loop, and their worst latency; run: the longest run, entry to exit)")
    for name, f in rows.items():
        print("%s: runs by latency %s" % (name, f["hist"]))
    for name, f in rows.items():
        print("%s: the worst run found the CPU at %s; IRQ 0 (maskable) on the same expiries:"
              " %s ticks, latency mean %s worst %s (taken at %s)" %
              (name, symbol(f["at"]), f["ticks"], f["tmean"], f["tworst"], symbol(f["tat"])))
    for name, f in rows.items():
        late = re.search(r"(\d+) runs 10 or more late, the last: ([^;(]*)", f["raw"])
        if late:
            print("%s: %s runs 10 or more late; the last (latency@where#run): %s" %
                  (name, late.group(1), " ".join(
                      "%s@%s#%s" % (x.split("@")[0], symbol(x.split("@")[1].split("/")[0]),
                                    x.split("#")[1]) for x in late.group(2).split())))
    for name in ("loaded", "chained"):
        if name in rows:
            print("%s: %d bytes flooded into COM1..COM4, %d dots printed by the guests" %
                  (name, rows[name]["flooded"], rows[name]["dots"]))
    for name, f in rows.items():
        target = name == "loaded"
        print("BENCH reflex_%s_runs %s runs (of %s expiries, lost %s%s)" % (
            name, f["runs"], f["exp"], f["lost"],
            "; target 0 lost: %s" % ("met" if f["lost"] == "0" else "MISSED") if target else ""))
        print("BENCH reflex_%s_latency_mean %s instr" % (name, f["mean"]))
        print("BENCH reflex_%s_latency_worst %s instr%s" % (
            name, f["worst"], " (target <= 300: %s)" % ("met" if int(f["worst"]) <= 300 else "MISSED")
            if target else ""))
        print("BENCH reflex_%s_jitter %s instr%s" % (
            name, f["jitter"], " (target <= 300: %s)" % ("met" if int(f["jitter"]) <= 300 else "MISSED")
            if target else ""))
        print("BENCH reflex_%s_irq0_latency_worst %s instr (the tick, maskable, on the same expiries)"
              % (name, f["tworst"]))
    # the rows of make bench's table (issue 8, names fixed): the worst over every case
    if rows:
        worst = max(int(f["worst"]) for f in rows.values())
        jitter = max(int(f["jitter"]) for f in rows.values())
        print("BENCH reflex_latency_max %d instr (target <= 300: %s; the worst of %s)"
              % (worst, "met" if worst <= 300 else "MISSED", ", ".join(rows)))
        print("BENCH reflex_jitter %d instr (target <= 300: %s; the worst of %s)"
              % (jitter, "met" if jitter <= 300 else "MISSED", ", ".join(rows)))


if __name__ == "__main__":
    main()

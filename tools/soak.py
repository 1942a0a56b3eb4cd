#!/usr/bin/python3
"""make soak: tests/soak.py for SOAK_S seconds (default 600): the owner on the VGA
console, four guests on COM1-COM4; prints the figures; exits 1 if any count
does not match, a process missed a Cycle, or the memory did not come back."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import ha3sm  # noqa: E402
import soak  # noqa: E402

seconds = int(os.environ.get("SOAK_S", "600"))
with tempfile.TemporaryDirectory() as tmp:
    options, nblocks, trace = soak.machine(tmp)
    with ha3sm.Machine(**options) as m:
        figures, before, after, table = soak.run(m, seconds, nblocks, trace)
for n in soak.GUESTS:
    f = figures[n]
    print("soak COM%d: host sent %d, received %d + lost %d, bad %d; session sent %d, "
          "host got %d, bad %d" % (n, f["host_sent"], f["received"], f["lost"], f["bad"],
                                   f["session_sent"], f["host_got"], f["host_bad"]))
f = figures[0]
print("soak console: keys typed %d, dropped by QEMU's PS/2 queue %d, received %d + lost %d, "
      "bad %d; sent to the display %d (%.0f bytes/s), the screen moved in %d of %d "
      "intervals, its last %d bytes the pattern's: %s"
      % (f["keys_typed"], f["qemu_dropped"], f["received"], f["lost"], f["bad"],
         f["session_sent"], f["session_sent"] / seconds, f["screen_moved"], f["snapshots"] - 1,
         f["screen_tail"], f["screen_tail_good"]))
for pid, (user, missed, wait) in sorted(table.items()):
    print("soak pid %d %s: missed %d Cycles, longest wait for the CPU %d ms"
          % (pid, user, missed, wait))
print("soak: %d s, please memory before %s, after all logouts %s" % (seconds, before, after))
bad = soak.check(figures, before, after, table)
for b in bad:
    print("soak: FAILED " + b)
print("soak: " + ("PASS" if not bad else "FAIL"))
sys.exit(0 if not bad else 1)

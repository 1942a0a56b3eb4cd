#!/usr/bin/python3
"""make soak: tests/soak.py for SOAK_S seconds (default 600); prints the figures;
exits 1 if any count does not match or the memory did not come back."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import ha3sm  # noqa: E402
import soak  # noqa: E402

seconds = int(os.environ.get("SOAK_S", "600"))
with ha3sm.Machine(append="console=com1", timeout=30) as m:
    figures, before, after = soak.run(m, seconds)
ok = after == before
for n, f in sorted(figures.items()):
    good = (f["received"] + f["lost"] == f["host_sent"] and f["bad"] == 0
            and f["host_bad"] == 0 and f["host_got"] == f["session_sent"])
    ok = ok and good
    print("soak COM%d: host sent %d, received %d + lost %d, bad %d; session sent %d, "
          "host got %d, bad %d: %s" % (n, f["host_sent"], f["received"], f["lost"], f["bad"],
                                       f["session_sent"], f["host_got"], f["host_bad"],
                                       "match" if good else "MISMATCH"))
print("soak: %d s, please memory before %s, after all logouts %s" % (seconds, before, after))
print("soak: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)

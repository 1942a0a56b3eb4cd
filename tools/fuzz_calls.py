#!/usr/bin/python3
"""make fuzz-calls: the full run of the call fuzzer (tests/fuzz_calls.py):
FUZZ_CALLS calls (default 1,000,000) from seed FUZZ_SEED (default 1), 50,000 a
seed; prints the figures. Exits 1 on a panic, a hang, a changed checksum or
memory not all given back."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import ha3sm  # noqa: E402
import fuzz_calls  # noqa: E402

calls = int(os.environ.get("FUZZ_CALLS", "1000000"))
seed = int(os.environ.get("FUZZ_SEED", "1"))
with ha3sm.Machine(append="console=com1", timeout=30) as m:
    owner, other = fuzz_calls.start(m)
    f = fuzz_calls.run(m, owner, other, calls, per_seed=50_000, seed=seed)
print("fuzz-calls: " + str(f))
print("logout reasons: %s" % (f["reasons"] or "none"))
ok = (f["panics"] == 0 and f["hangs"] == 0 and f["sum_after"] == f["sum_before"]
      and f["memory_after"][0] == f["memory_before"][0])     # every byte back
print("fuzz-calls: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)

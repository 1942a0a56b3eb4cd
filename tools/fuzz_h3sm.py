#!/usr/bin/python3
"""make fuzz-h3sm: coverage-guided fuzzing of the hosted H3sm interpreter and the
please parser (tests/fuzz_h3sm.py) for --time seconds (FUZZ_TIME, default 600);
other arguments go to libFuzzer. Prints executions, crashes and coverage; exits 1
on a crash (libFuzzer keeps the input under build/fuzz-crashes/)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import fuzz_h3sm  # noqa: E402

args = sys.argv[1:]
seconds = 600
if args[:1] == ["--time"]:
    seconds, args = int(args[1]), args[2:]
fuzz_h3sm.build()
f = fuzz_h3sm.run(seconds, extra=args)
if f["crashes"] or f["status"] or not f["executions"]:
    print(f["tail"])       # the reason, when libFuzzer stopped without its final stats
print("fuzz-h3sm: %d executions in %d s, %d crashes; coverage: %d libFuzzer features, "
      "%s of %s H3sm counters, corpus %d inputs; %s inputs reached the time budget, %s ended"
      % (f["executions"], f["seconds"], f["crashes"], f["features"], f.get("counters"),
         f.get("counters_of"), f["corpus"], f.get("budget_throws"), f.get("ended")))
for a in f["artifacts"]:
    print("fuzz-h3sm: crash input kept in " + a)
print("fuzz-h3sm: " + ("PASS" if f["crashes"] == 0 and f["status"] == 0 else "FAIL"))
sys.exit(0 if f["crashes"] == 0 and f["status"] == 0 else 1)

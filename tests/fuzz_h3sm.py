"""Coverage-guided fuzzing of the hosted H3sm interpreter and the please parser
(build/h3sm-fuzz, tests/fuzz/h3sm_fuzz.c, docs/robustness.md): the shared part of
`make fuzz-h3sm` (tools/fuzz_h3sm.py) and tests/test_fuzz_h3sm.py.

run(seconds) fuzzes from the seeds in tests/fuzz/seeds (read only) into a working
corpus under build/, with a libFuzzer dictionary made of every word the fuzzer's
H3sm knows, and returns the figures libFuzzer and the target print."""
import os
import re
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "build", "h3sm-fuzz")
SEEDS = os.path.join(ROOT, "tests", "fuzz", "seeds")


def build():
    subprocess.run(["make", "-s", "build/h3sm-fuzz", "build/h3sm", "build/gen/layout.fs"],
                   cwd=ROOT, check=True)


def dictionary(path):
    """A libFuzzer dictionary: every word of the fuzzer's H3sm, and please's bytes."""
    words = subprocess.run([os.path.join(ROOT, "build", "h3sm"), "tests/please/host.fs",
                            "tests/fuzz/sandbox.fs", "-e", "WORDS BYE"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60).stdout.split()
    with open(path, "w") as f:
        for w in sorted(set(words)):
            if not all(33 <= ord(c) < 127 for c in w):
                continue
            f.write('"%s "\n' % w.replace("\\", "\\\\").replace('"', '\\"'))
        for b in (1, 2, 3):
            f.write('"\\x%02x"\n' % b)


def run(seconds, corpus=None, extra=()):
    """Fuzz for `seconds`; returns a dict of the figures and the output's tail."""
    corpus = corpus or os.path.join(ROOT, "build", "fuzz-corpus")
    os.makedirs(corpus, exist_ok=True)
    crashes = os.path.join(ROOT, "build", "fuzz-crashes")
    os.makedirs(crashes, exist_ok=True)
    dic = os.path.join(ROOT, "build", "fuzz.dict")
    dictionary(dic)
    cmd = ["nice", TARGET, "-max_total_time=%d" % seconds, "-timeout=10",
           "-max_len=1024", "-dict=" + dic, "-artifact_prefix=" + crashes + "/",
           "-print_final_stats=1"] + list(extra) + [corpus, SEEDS]
    t0 = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                       timeout=seconds + 300, env=dict(os.environ, H3SM_FUZZ_ROOT=ROOT))
    out = p.stderr + p.stdout
    f = {"seconds": round(time.time() - t0), "status": p.returncode}
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", out)
    f["executions"] = int(m.group(1)) if m else 0
    last = re.findall(r"#\d+\s+\w+\s+(?:cov: \d+ )?ft: (\d+) corp: (\d+)/", out)
    f["features"] = int(last[-1][0]) if last else 0
    f["corpus"] = int(last[-1][1]) if last else 0
    f["crashes"] = len(re.findall(r"==\d+== ERROR: libFuzzer: ", out))
    # -fork=N: the parent's lines sum the jobs (the children's own output is gone)
    forked = re.findall(r"#(\d+): (?:cov: \d+ )?ft: (\d+) corp: (\d+) exec/s \d+ "
                        r"oom/timeout/crash: (\d+)/(\d+)/(\d+)", out)
    if forked:
        n, ft, corp, oom, tmo, crash = map(int, forked[-1])
        f.update(executions=n, features=ft, corpus=corp)
        f["crashes"] = max(f["crashes"], oom + tmo + crash)
    m = re.findall(r"(\d+) reached the (\d+) us [\w-]+ budget.*?(\d+) of them ended after it; "
                   r"(\d+) of (\d+) H3sm counters", out)
    if m and not forked:
        f["budget_throws"], f["ended"] = int(m[-1][0]), int(m[-1][2])
        f["counters"], f["counters_of"] = int(m[-1][3]), int(m[-1][4])
    elif forked:        # the counters the final corpus reaches, by running it once
        r = subprocess.run([TARGET, "-runs=0", corpus, SEEDS], cwd=ROOT, capture_output=True,
                           text=True, timeout=3600, env=dict(os.environ, H3SM_FUZZ_ROOT=ROOT))
        m = re.findall(r"(\d+) of (\d+) H3sm counters", r.stderr)
        if m:
            f["counters"], f["counters_of"] = int(m[-1][0]), int(m[-1][1])
    f["artifacts"] = re.findall(r"Test unit written to (\S+)", out)
    f["tail"] = "\n".join(out.splitlines()[-25:])
    return f

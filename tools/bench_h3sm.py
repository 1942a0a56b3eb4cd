#!/usr/bin/python3
"""bench_h3sm.py -- hosted H3sm against gforth-fast and pforth, side by side.

The classic benchmarks gforth ships (siev bubble matrix fib, loaded from its data
folder at run time) run in each system in one session of this script, runs
interleaved. A run loads the file and calls `main` K times; the same with K = 0
(load and exit) is subtracted, so start-up and compile time drop out and the
figure is the time of K calls of main. Each figure is the median of RUNS runs.
Also measured: the size of the core dictionary image and the hosted resident
memory. Prints a table and one `BENCH name value unit` line per figure.
"""

import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
H3SM = os.path.join(ROOT, "build", "h3sm")
IMAGE = os.path.join(ROOT, "build", "h3sm-kernel.bin")
BENCHES = ["siev", "bubble", "matrix", "fib"]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
K = {"siev": 8, "bubble": 8, "matrix": 8, "fib": 8}


def gforth_dir():
    found = sorted(glob.glob("/usr/share/gforth/*/siev.fs"))
    if not found:
        sys.exit("bench_h3sm: gforth's benchmark files are missing (make deps installs gforth)")
    return os.path.dirname(found[-1])


def driver(tmp, bench, k, path):
    """A file that loads the benchmark and calls main k times, for pforth (which
    then reads its empty standard input and ends)."""
    f = os.path.join(tmp, "%s-%d.fs" % (bench, k))
    with open(f, "w") as out:
        out.write("include %s\n%s\n" % (path, " ".join(["main"] * k)))
    return f


def pforth_dictionary(tmp):
    """pforth's stock dictionary has about 40 KB of code space, too little for
    bubble and matrix: save one with 2 MB, made by pforth itself."""
    d = os.path.join(tmp, "pforth-big.dic")
    mk = os.path.join(tmp, "mkdic.fs")
    with open(mk, "w") as out:
        out.write('2000000 CODE-SIZE !\n200000 HEADERS-SIZE !\nc" %s" SAVE-FORTH\n' % d)
    subprocess.run(["pforth", "-q", mk], stdin=subprocess.DEVNULL, capture_output=True)
    return d


def command(system, bench, k, path, tmp):
    mains = " ".join(["main"] * k) + " bye"
    if system == "h3sm":
        return [H3SM, path, "-e", mains]
    if system == "gforth-fast":
        return ["gforth-fast", path, "-e", mains]
    return ["pforth", "-q", "-d" + os.path.join(tmp, "pforth-big.dic"),
            driver(tmp, bench, k, path)]


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                       stdin=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    bad = p.returncode != 0 or "rror" in p.stdout or "nrecognized" in p.stdout \
        or "undefined" in p.stdout
    return dt, (p.stdout + p.stderr)[-300:] if bad else None


def measure(systems, bench, path, tmp):
    """{system: seconds for K mains, or an error text}"""
    k = K[bench]
    samples = {s: [] for s in systems}
    failed = {}
    for _ in range(RUNS):
        for s in systems:
            if s in failed:
                continue
            full, err = timed(command(s, bench, k, path, tmp))
            base, err0 = timed(command(s, bench, 0, path, tmp))
            if err or err0:
                failed[s] = (err or err0).strip().splitlines()[-1][:60]
                continue
            samples[s].append(full - base)
    return {s: failed.get(s) or statistics.median(samples[s]) for s in systems}


def core_image_bytes():
    """The kernel's H3sm image plus what the prelude compiles when it starts."""
    p = subprocess.run([H3SM, "-e", "HERE IMAGE-END - . BYE"], capture_output=True, text=True)
    return os.path.getsize(IMAGE) + int(p.stdout.split()[0])


def hosted_rss_kib(args):
    """Peak resident memory (VmHWM) of h3sm after running args: it then waits for
    a key, and is read from /proc while it waits."""
    p = subprocess.Popen([H3SM, *args, "-e", ".( READY) CR KEY DROP BYE"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    while "READY" not in p.stdout.readline():
        pass
    with open("/proc/%d/status" % p.pid) as f:
        hwm = [l for l in f if l.startswith("VmHWM:")][0]
    p.communicate("x")
    return int(hwm.split()[1])


def main():
    gdir = gforth_dir()
    systems = ["h3sm", "gforth-fast", "pforth"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pforth_dictionary(tmp)
        for b in BENCHES:
            rows.append((b, measure(systems, b, os.path.join(gdir, b + ".fs"), tmp)))
    print("H3sm hosted against gforth-fast and pforth (seconds for %s calls of main, "
          "median of %d runs, load time subtracted)" % ("K", RUNS))
    print("%-8s %10s %12s %12s %14s %12s" % ("bench", "h3sm", "gforth-fast", "pforth",
                                           "h3sm/gforth", "pforth/h3sm"))
    bench_lines = []
    for b, r in rows:
        h, g, p = r["h3sm"], r["gforth-fast"], r["pforth"]
        num = lambda x: "%.4f" % x if isinstance(x, float) else "n/a"
        ratio_g = h / g if isinstance(h, float) and isinstance(g, float) else None
        ratio_p = p / h if isinstance(h, float) and isinstance(p, float) else None
        print("%-8s %10s %12s %12s %14s %12s" % (
            b, num(h), num(g), num(p),
            "%.2f" % ratio_g if ratio_g else "n/a",
            "%.1fx" % ratio_p if ratio_p else "n/a"))
        if isinstance(p, str):
            print("         pforth: %s" % p)
        if ratio_g is not None:
            ok = "met" if ratio_g <= 1.0 else "MISSED"
            bench_lines.append("BENCH h3sm_vs_gforth_fast_%s %.3f ratio (target <= 1.0: %s)" % (b, ratio_g, ok))
        if ratio_p is not None:
            ok = "met" if ratio_p >= 3.0 else "MISSED"
            bench_lines.append("BENCH h3sm_speedup_vs_pforth_%s %.2f x (target >= 3: %s)" % (b, ratio_p, ok))
    size = core_image_bytes()
    rss_idle = hosted_rss_kib([])
    rss_matrix = hosted_rss_kib([os.path.join(gdir, "matrix.fs"), "-e", "main"])
    print("core dictionary image: %d bytes (target <= 49152)" % size)
    print("hosted resident memory: %d KiB at start, %d KiB running matrix "
          "(480 KiB of arrays; target <= 1024)" % (rss_idle, rss_matrix))
    bench_lines.append("BENCH h3sm_core_image %d bytes (target <= 49152: %s)" % (size, "met" if size <= 49152 else "MISSED"))
    bench_lines.append("BENCH h3sm_hosted_rss %d KiB (target <= 1024: %s)" % (rss_idle, "met" if rss_idle <= 1024 else "MISSED"))
    bench_lines.append("BENCH h3sm_hosted_rss_matrix %d KiB" % rss_matrix)
    print("\n".join(bench_lines))


if __name__ == "__main__":
    main()

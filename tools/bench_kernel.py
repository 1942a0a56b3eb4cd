#!/usr/bin/python3
"""bench_kernel.py -- Ha3sm's figures in guest instructions (docs/performance.md).

QEMU runs with -icount shift=0,sleep=off, so the guest's rdtsc counts executed
instructions. A guest logs in on COM2 and times loops of 10,000 calls with RDTSC
(an H3sm word of four instructions); an empty loop of the same count is
subtracted, and each figure is the median of 5 runs. Rows so far: call_null,
please_identify, boot_to_login, kernel_bytes. Prints a table and `BENCH name value unit` lines.
"""

import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import ha3sm                               # noqa: E402
from test_h3sm_kernel import Console       # noqa: E402

N = 10000
RUNS = 5
SETUP = [
    # rdtsc onto the data stack: lea ebp,[ebp-4] / mov [ebp],ebx / rdtsc / mov ebx,eax
    ": TSC ( --- n ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $0F C, $31 C, $89 C, $C3 C, ] ;",
    ": MEASURE ( xt n --- instructions ) TSC >R SWAP EXECUTE TSC R> - ;",
    ": EMPTY ( n --- ) 0 DO LOOP ;",
    ": RECV ( n --- ) 0 DO RECEIVE DROP LOOP ;",
    "OPEN clock CONSTANT CK  1024 RING R  R RING-SYNC",
    'S" identify" PB 8 + SWAP MOVE',
    ": IDENT ( n --- ) 0 DO 1024 PB ! 8 PB CELL+ ! PLEASE DROP LOOP ;",
]
TARGETS = {"call_null": (100, "xv6 getpid ~1,400"),
           "please_identify": (1500, "xv6 uptime ~1,850")}


def per_call(console, word, setup_p, n=N):
    """Median instructions per iteration of word, the empty loop subtracted."""
    console.type(setup_p)
    figures = []
    for _ in range(RUNS):
        out = console.type("' EMPTY %d MEASURE . ' %s %d MEASURE ." % (n, word, n), timeout=300)
        empty, full = (int(x) for x in out.split())
        figures.append((full - empty) / n)
    console.type("PDEPTH 0 ?DO PDROP LOOP")
    return statistics.median(figures)


def boot_to_login():
    """Instructions from reset to the console's login prompt waiting for input
    (-kernel, -m 512): the kernel keeps the TSC of that moment (please boot)."""
    m = ha3sm.Machine(append="console=com1", icount=True, memory=512, timeout=60).start()
    try:
        owner = Console(m.line(1))
        return int(owner.type('PLEASE" boot" DROP .REPLY', timeout=120))
    finally:
        m.stop()


def main():
    m = ha3sm.Machine(append="console=com1", icount=True, timeout=60).start()
    try:
        m.line(1).expect("ready.", timeout=120)
        guest = Console(m.line(2), user="guest1", password="guest", ready=False)
        for line in SETUP:
            guest.type(line, timeout=120)
        rows = {
            "call_null": per_call(guest, "RECV", "CK >P R >P"),
            "please_identify": per_call(guest, "IDENT", "PB >P", n=1000),
        }
    finally:
        m.stop()
    rows_boot = boot_to_login()
    size = subprocess.run(["size", os.path.join(ROOT, "kernel.elf")],
                          capture_output=True, text=True).stdout.split("\n")[1].split()
    text, data, bss = (int(x) for x in size[:3])
    print("Ha3sm in guest instructions (QEMU -icount shift=0,sleep=off, median of %d runs)" % RUNS)
    for name, v in rows.items():
        target, peer = TARGETS[name]
        print("%-16s %8.0f instr   target <= %d (%s)" % (name, v, target, peer))
    print("boot_to_login    %8d instr   target <= 12000000 (xv6 reset to shell ~82 M)" % rows_boot)
    print("kernel_bytes     %8d bytes   text %d + data %d + bss %d; target <= 65536" %
          (text + data + bss, text, data, bss))
    for name, v in rows.items():
        ok = "met" if v <= TARGETS[name][0] else "MISSED"
        print("BENCH %s %.0f instr (target <= %d: %s)" % (name, v, TARGETS[name][0], ok))
    print("BENCH boot_to_login %d instr (target <= 12000000: %s)" %
          (rows_boot, "met" if rows_boot <= 12000000 else "MISSED"))
    total = text + data + bss
    print("BENCH kernel_bytes %d bytes (target <= 65536: %s)" % (total, "met" if total <= 65536 else "MISSED"))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""trace_hot.py -- what dominates each kernel figure of make bench: an
instruction trace of the hot paths (docs/performance.md).

Boots kernel.elf as tools/bench_kernel.py does, sets up the same loops, then
for each row turns on QEMU's one-instruction-per-block mode and `-d exec`
logging from the monitor, runs ITER iterations of the row's loop, and turns it
off. Each logged block is one guest instruction; kernel addresses are mapped to
functions with kernel.sym, everything else is ring 3: a process's H3sm, or the
kernel's please interpreter (please/kinst.c), charged to the process asking.
Prints, per row, instructions per iteration by function, largest first.
Usage: tools/trace_hot.py [row...]   (rows: send_64 block_rw_512 switch
ipc_roundtrip console_per_byte please_identify)
"""

import bisect
import collections
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_kernel as bk                  # noqa: E402
from bench_kernel import ha3sm, Console    # noqa: E402

ITER = 20


def symbols():
    addrs, names = [], []
    with open(os.path.join(bk.ROOT, "kernel.sym")) as f:
        for line in f:
            a, n = line.split()
            addrs.append(int(a, 16))
            names.append(n)
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order], bk.ksym("_end")


def traced(m, console, text, log):
    """Trace `text` (a line with %d for the iteration count) twice, with ITER and
    2*ITER iterations; what the second run has more is ITER iterations' worth,
    without the typing, the interpretation of the line and the idle processes
    meanwhile. Returns the two logs."""
    logs = []
    for k in (1, 2):
        name = "%s.%d" % (log, k)
        if os.path.exists(name):
            os.unlink(name)
        m.monitor("logfile " + name)
        m.monitor("singlestep on")
        m.monitor("log exec,nochain")
        console.type(text % (k * ITER), timeout=600)
        m.monitor("log none")
        m.monitor("singlestep off")
        logs.append(name)
    return logs


def profile(logs, syms, iters, everyone=False):
    """Instructions per iteration by function: the second log's counts less the
    first's. Kernel instructions are charged to the process whose ring 3 ran
    last; unless everyone, only the process that ran the loop (the one with the
    most more ring-3 instructions) is counted."""
    one, two = (count(log, syms) for log in logs)
    diff = collections.Counter({k: two[k] - one.get(k, 0) for k in two})
    if not everyone:
        r3 = collections.Counter()
        for (proc, fn), c in diff.items():
            if fn == RING3:
                r3[proc] += c
        me = r3.most_common(1)[0][0]
        diff = collections.Counter({k: c for k, c in diff.items() if k[0] == me})
    byfn = collections.Counter()
    for (proc, fn), c in diff.items():
        byfn[fn] += c
    total = sum(byfn.values())
    return total / iters, [(n, c / iters) for n, c in byfn.most_common(14) if c > 0]


RING3 = "(ring 3: H3sm)"
KINST = [None]      # the please interpreter's segment base (please/kinst.c), read at start


def count(log, syms):
    addrs, names, end = syms
    count = collections.Counter()
    pat = re.compile(r"Trace \d+: \S+ \[([0-9a-f]+)/([0-9a-f]+)/")
    proc = 0
    with open(log, errors="replace") as f:
        for line in f:
            mt = pat.search(line)
            if not mt:
                continue
            base, pc = int(mt.group(1), 16), int(mt.group(2), 16)
            if base and base == KINST[0]:      # the please interpreter: the asker's
                count[proc, "(ring 3: the please interpreter)"] += 1
            elif base:
                proc = base
                count[proc, RING3] += 1
            elif 0x100000 <= pc < end:
                count[proc, names[bisect.bisect_right(addrs, pc) - 1]] += 1
            else:
                count[proc, "(outside the kernel)"] += 1
    return count


def main():
    want = sys.argv[1:] or ["please_identify", "send_64", "block_rw_512", "switch",
                            "ipc_roundtrip", "console_per_byte"]
    syms = symbols()
    tmp = tempfile.mkdtemp(prefix="ha3sm-trace-")
    m = ha3sm.Machine(append="console=com1", icount=True, timeout=60).start()
    try:
        m.line(1).expect("ready.", timeout=120)
        owner = Console(m.line(1), ready=False)
        guest = Console(m.line(2), user="guest1", password="guest", ready=False)
        for c in (owner, guest):
            for line in bk.SETUP:
                c.type(line, timeout=120)
        owner.type(bk.KFETCH)
        KINST[0] = int(owner.type("%d K@ ." % (bk.ksym("kinst") + 16)))   # struct proc's base
        rows = {}
        log = os.path.join(tmp, "exec.log")
        # each row: (console, setup lines, the traced text); the traced text runs
        # the empty loop first so that its part can be subtracted
        if "please_identify" in want:
            guest.type(': IDMSG ( --- ) S" identify" PB 8 + SWAP MOVE 1024 PB ! 8 PB CELL+ ! ;')
            guest.type(": IDENT ( n --- ) 0 DO IDMSG PLEASE DROP LOOP ;")
            guest.type("PB >P")
            logs = traced(m, guest, "%d IDENT", log)
            rows["please_identify"] = profile(logs, syms, ITER)
            guest.type("PDROP")
        if "send_64" in want:
            for line in ["65536 RING SIN  64 RING SQ  SIN INBOX-RESET",
                         ": FILL64 64 0 DO [CHAR] x SQ >RING LOOP ;  FILL64",
                         'SIN 0 S" bench guest=send" SERVICE CONSTANT SVC',
                         "SQ SVC 0 RING-SEND DROP",
                         ": SEND64 ( n --- ) 0 DO SQ RING-COUNT @ 64 - SQ RING-MARK ! 0 SEND DROP "
                         "SIN RING-COUNT @ SIN RING-MARK ! LOOP ;", "SVC >P SQ >P"]:
                guest.type(line)
            logs = traced(m, guest, "%d SEND64", log)
            rows["send_64"] = profile(logs, syms, ITER)
            guest.type("PDROP PDROP")
        if "block_rw_512" in want:
            owner.type("OPEN ramdisk CONSTANT RD  1024 BLOCKBUF BB  7 BB !")
            owner.type(": BRW ( n --- ) 0 DO 0 WRITE DROP READ DROP LOOP ;  RD >P BB >P")
            logs = traced(m, owner, "%d BRW", log)
            rows["block_rw_512"] = profile(logs, syms, ITER)
            owner.type("PDROP PDROP")
        if "switch" in want:
            for c in (owner, guest):
                c.type(': RESTMSG ( --- ) S" rest" PB 8 + SWAP MOVE 1024 PB ! 4 PB CELL+ ! ;')
                c.type(": RESTS ( n --- ) 0 DO RESTMSG PLEASE DROP LOOP ;")
            guest.line.send("PB >P %d RESTS PDROP\r" % (ITER * 10))
            guest.line.expect_exact("RESTS PDROP ", timeout=30)
            owner.type("PB >P")
            logs = traced(m, owner, "%d RESTS", log)
            rows["switch (per rest of root; every process)"] = profile(logs, syms, ITER, everyone=True)
            owner.type("PDROP")
            guest.line.expect(r"  ok\r\n", timeout=600)
        if "console_per_byte" in want:
            owner.type("OPEN display CONSTANT DSP  64 RING CQ")
            owner.type(": FILLQ 64 0 DO [CHAR] x CQ >RING LOOP ;  FILLQ  CQ RING-COUNT @ CQ RING-MARK !")
            owner.type(": OUT64 ( n --- ) 0 DO CQ RING-COUNT @ 64 - CQ RING-MARK ! 0 SEND DROP LOOP ;")
            owner.type("DSP >P CQ >P")
            logs = traced(m, owner, "%d OUT64", log)
            rows["console_per_byte (display, per 64 bytes)"] = profile(logs, syms, ITER)
            owner.type("PDROP PDROP OPEN console >P CQ >P")
            logs = traced(m, owner, "%d OUT64", log)
            rows["console_per_byte (COM1, per 64 bytes)"] = profile(logs, syms, ITER)
            owner.type("PDROP PDROP")
        if "ipc_roundtrip" in want:
            client = Console(m.line(3), user="guest2", password="guest", ready=False)
            for line in ["1024 RING EIN  1024 RING EOUT  EIN INBOX-RESET  EOUT RING-RESET",
                         'EIN EOUT S" echo guest=send,receive" SERVICE DROP',
                         ": ECHO ( --- ) BEGIN EIN INBOX> DUP 0< IF DROP REST 0 ELSE DUP EOUT >RING "
                         "255 = THEN UNTIL ;"]:
                guest.type(line)
            guest.line.send("ECHO\r")
            guest.line.expect_exact("ECHO ", timeout=30)
            for line in ["OPEN echo CONSTANT EID  16 RING CQ  1024 RING CA  CA RING-SYNC",
                         ": PING ( c --- ) CQ >RING CQ EID 0 RING-SEND DROP "
                         "BEGIN CA EID RING-RECEIVE DROP CA RING> 0< WHILE REST REPEAT ;",
                         ": PINGS ( n --- ) 0 DO 65 PING LOOP ;"]:
                client.type(line)
            logs = traced(m, client, "%d PINGS", log)
            rows["ipc_roundtrip (every process)"] = profile(logs, syms, ITER, everyone=True)
            client.type("255 CQ >RING CQ EID 0 RING-SEND DROP")
    finally:
        m.stop()
    for name, (total, top) in rows.items():
        print("%s: %.0f instructions per iteration (traced, %d iterations, the loop included)"
              % (name, total, ITER))
        for fn, c in top:
            print("    %8.1f  %s" % (c, fn))


if __name__ == "__main__":
    main()

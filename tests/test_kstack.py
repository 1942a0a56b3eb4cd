"""Kernel stack depth: the deepest use of every process's kernel stack and of
the boot stack, after the deepest paths we know (a PBKDF2 login check, a failed
login, please commands, block I/O, a service, the reflex), leaves at least 1 KiB
of a process's kernel stack (include/proc.h KSTACK) for an interrupt and the
reflex's NMI on top, and at least half of the boot stack (asm/boot.asm KSTACK).
The process slots' and the please interpreter's stacks are one block that
kernel/proc.c allocates and zeroes at boot (`kstacks` points at it), the boot
stack is in .bss; slots are reused without clearing, so the lowest nonzero word
of a stack is its high-water mark. The owner reads the kernel's memory through its
flat selector (tools/bench_kernel.py's K@)."""

import os
import re
import subprocess

from test_h3sm_kernel import Console

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KFETCH = ": K@ ( a --- n ) [ $1E C, $66 C, $B8 C, $17 C, $00 C, $8E C, $D8 C, $8B C, $1B C, $1F C, ] ;"


def symbols():
    out = subprocess.run(["nm", "-S", os.path.join(ROOT, "kernel.elf")],
                         capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            syms[f[3]] = (int(f[0], 16), int(f[1], 16))
        elif len(f) == 3:
            syms[f[2]] = (int(f[0], 16), 0)
    return syms


def define(name, path):
    with open(os.path.join(ROOT, path)) as f:
        return int(re.search(r"^\s*(?:#define\s+%s|%s\s+equ)\s+(\d+)" % (name, name),
                             f.read(), re.M).group(1))


def test_kernel_stacks_half_empty(boot):
    syms = symbols()
    kstack = define("KSTACK", "include/proc.h")
    bootstack = define("KSTACK", "asm/boot.asm")
    nproc = define("NPROC", "include/proc.h")
    m = boot(append="console=com1")
    owner = Console(m.line(1))
    g1 = Console(m.line(2), user="guest1", password="guest", ready=False)
    g2 = Console(m.line(3), user="guest2", password="guest", ready=False)
    for line in ['PLEASE" devices" DROP', 'PLEASE" memory" DROP', '1 BLOCK DROP UPDATE SAVE-BUFFERS',
                 'PLEASE" install count" DROP', 'PLEASE" start 1000" DROP', 'PLEASE" stop" DROP',
                 'PLEASE" #ramdisk identify" DROP']:
        owner.type(line, timeout=60)
    assert "ok" in g1.type('PLEASE" login guest4 guest" . .REPLY', timeout=60)
    owner.line.send("KV-SERVE\r")
    owner.line.expect("serving", timeout=30)
    assert g2.type("KV-PUT a 1", timeout=60).strip() == "ok"
    owner.line.send("x")
    owner.line.expect("stopped", timeout=30)
    owner.type("")
    owner.type(KFETCH)
    owner.type(": LOWEST ( a n --- off ) 0 DO DUP I + K@ IF DROP I UNLOOP EXIT THEN 4 +LOOP DROP -1 ;")
    deepest = 0
    block = int(owner.type("%d K@ ." % syms["kstacks"][0]))
    assert block > syms["_end"][0]                  # from the allocator, above the kernel
    for i in range(nproc + 1):
        base = block + i * kstack
        off = int(owner.type("%d %d LOWEST ." % (base, kstack)))
        if off >= 0:
            deepest = max(deepest, kstack - off)
    off = int(owner.type("%d %d LOWEST ." % (syms["kstack"][0], bootstack)))
    bootdeep = bootstack - off if off >= 0 else 0
    print("deepest kernel stack use %d of %d; boot stack %d of %d" % (deepest, kstack, bootdeep, bootstack))
    assert 1000 < deepest <= kstack - 1024     # the PBKDF2 check alone is over 1000
    assert 0 < bootdeep <= bootstack // 2

#!/usr/bin/python3
"""bench_kernel.py -- Ha3sm's figures in guest instructions (docs/performance.md).

QEMU runs with -icount shift=0,sleep=off, so the guest's rdtsc counts executed
instructions. Sessions log in on the console (COM1, root) and the serial lines
(guests) and time loops of N iterations with RDTSC (an H3sm word of four
instructions); a loop of the same count doing everything but the measured
calls is subtracted, and each figure is the median of RUNS runs. Measured
sections never halt: while two or more processes run, rest always finds
another one to switch to, and the CPU halts only when every process rests.
Rows: call_null, please_identify, send_64, console_per_byte, block_rw_512,
ipc_roundtrip, switch, login, boot_to_login, boot_floppy_to_login,
kernel_bytes. Prints a table and `BENCH name value unit` lines; a figure over
its target says MISSED.
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
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
SETUP = [
    # rdtsc onto the data stack: lea ebp,[ebp-4] / mov [ebp],ebx / rdtsc / mov ebx,eax
    ": TSC ( --- n ) [ $8D C, $6D C, $FC C, $89 C, $5D C, $00 C, $0F C, $31 C, $89 C, $C3 C, ] ;",
    ": MEASURE ( xt n --- instructions ) TSC >R SWAP EXECUTE TSC R> - ;",
    ": EMPTY ( n --- ) 0 DO LOOP ;",
]
# an owner's word: a kernel variable through the flat selector (LDT 2, 0x17):
# push ds / mov ax,0x17 / mov ds,ax / mov ebx,[ebx] / pop ds
KFETCH = ": K@ ( a --- n ) [ $1E C, $66 C, $B8 C, $17 C, $00 C, $8E C, $D8 C, $8B C, $1B C, $1F C, ] ;"
# MEASURE less the TSC ticks the CPU spent halted meanwhile (kernel/sched.c
# sched_halted): under icount a halt jumps virtual time, so a section in which
# every process rests until the next tick is counted in instructions this way
def kbusy():
    h = ksym("sched_halted")
    return "VARIABLE H0  : BUSY ( xt n --- instructions ) %d K@ H0 ! MEASURE %d K@ H0 @ - - ;" % (h, h)

# name: (target or None, unit, peer)
TARGETS = {
    "call_null": (100, "instr", "xv6 getpid ~1,400"),
    "please_identify": (1500, "instr", "xv6 uptime ~1,850"),
    "send_64": (300, "instr", "-"),
    "console_per_byte": (40, "instr/byte", "xv6 console write ~280/byte"),
    "block_rw_512": (2000, "instr", "-"),
    "ipc_roundtrip": (2500, "instr", "xv6 pipe ping-pong ~27,000"),
    "switch": (400, "instr", "-"),
    "login": (None, "instr", "-"),
    "boot_to_login": (12000000, "instr", "xv6 reset to shell ~82 M"),
    "boot_floppy_to_login": (None, "ticks", "-"),
    "kernel_bytes": (65536, "bytes", "xv6 code ~32 KB"),
}


def ksym(name):
    """A kernel symbol's address, from kernel.sym (no paging: linear = link address)."""
    with open(os.path.join(ROOT, "kernel.sym")) as f:
        for line in f:
            addr, sym = line.split()
            if sym == name:
                return int(addr, 16)
    raise KeyError(name)


def measure(console, word, empty, n=N):
    """RUNS figures of (word's loop - empty's loop) / n, both given n."""
    figures = []
    for _ in range(RUNS):
        out = console.type("' %s %d MEASURE . ' %s %d MEASURE ." % (empty, n, word, n), timeout=600)
        e, full = (int(x) for x in out.split())
        figures.append((full - e) / n)
    return figures


def per_call(console, word, setup_p, empty="EMPTY", n=N):
    """Median instructions per iteration, the empty loop subtracted."""
    if setup_p:
        console.type(setup_p)
    figures = measure(console, word, empty, n)
    console.type("PDEPTH 0 ?DO PDROP LOOP")
    return statistics.median(figures), figures


def send_64(guest):
    """send 64 bytes to a stream device ring: the inbox of a service the guest
    registers itself (65536 bytes); after each send the loop empties the inbox
    (mark = count), and the empty loop does the same without the send."""
    for line in [
        "65536 RING SIN  64 RING SQ  SIN INBOX-RESET  VARIABLE SENT",
        ": FILL64 64 0 DO [CHAR] x SQ >RING LOOP ;  FILL64",
        'SIN 0 S" bench guest=send" SERVICE CONSTANT SVC',
        ": SEND64 ( n --- ) 0 DO SQ RING-COUNT @ 64 - SQ RING-MARK ! 0 SEND SENT +! "
        "SIN RING-COUNT @ SIN RING-MARK ! LOOP ;",
        ": SEND0 ( n --- ) 0 DO SQ RING-COUNT @ 64 - SQ RING-MARK ! 0 SENT +! "
        "SIN RING-COUNT @ SIN RING-MARK ! LOOP ;",
    ]:
        guest.type(line, timeout=60)
    if int(guest.type("SVC .")) == 0:
        raise RuntimeError("send_64: the service was refused: " + guest.type(".REPLY"))
    # a check that the sends land: one send, the inbox's count moves by 64 + a stamp
    out = guest.type("SIN RING-COUNT @  SQ SVC 0 RING-SEND .  SIN RING-COUNT @ SWAP - .")
    ok, grown = (int(x) for x in out.split())
    if ok == 0 or grown < 64:
        raise RuntimeError("send_64: a send did not reach the inbox: " + out)
    guest.type("0 SENT !")
    v = per_call(guest, "SEND64", "SVC >P SQ >P", empty="SEND0")
    sent = int(guest.type("SENT @ ABS ."))
    if sent != RUNS * N:
        raise RuntimeError("send_64: %d of %d sends succeeded" % (sent, RUNS * N))
    guest.type('S" bench" UNSERVICE DROP')
    return v


def console_per_byte(owner):
    """64-byte sends to the glyph display (.display) and to the console (COM1
    with console=com1); per byte = (display + console) / 64. The console
    refuses one lock in 256 (names.conf refuse=8), so each loop counts its
    successful sends and the figure divides by the bytes actually sent.
    When QEMU's socket for COM1 is full (the host reads at its own pace: with
    a byte per write, a few hundred bytes fill it), the line's transmit ring
    fills: a send then rests a Cycle at a time until the chip's interrupt makes
    room (devices/terminal.c), the CPU halting when nothing else runs, and a
    polled drain counts its TSC ticks (uart_waited). Both the halted ticks
    (sched_halted) and uart_waited are subtracted here, as halted ticks are in
    switch and ipc_roundtrip, and reported."""
    w = ksym("uart_waited")
    h = ksym("sched_halted")
    for line in [
        "OPEN display CONSTANT DSP  OPEN console CONSTANT CON  64 RING CQ",
        ": FILLQ 64 0 DO [CHAR] x CQ >RING LOOP ;  FILLQ  CQ RING-COUNT @ CQ RING-MARK !",
        ": OUT64 ( n --- sent ) 0 SWAP 0 DO CQ RING-COUNT @ 64 - CQ RING-MARK ! 0 SEND 0<> - LOOP ;",
        ": OUT0 ( n --- sent ) 0 SWAP 0 DO CQ RING-COUNT @ 64 - CQ RING-MARK ! 0 0<> - LOOP ;",
        "VARIABLE W0  VARIABLE H1  VARIABLE WAITS",
        ": MEASURE2 ( xt n --- sent instructions ) %d K@ W0 ! %d K@ H1 ! TSC >R SWAP EXECUTE TSC R> - "
        "%d K@ W0 @ -  %d K@ H1 @ - +  DUP WAITS ! - ;" % (w, h, w, h),
    ]:
        owner.type(line, timeout=60)
    parts, waits = {}, {}
    for name, dev in (("display", "DSP"), ("console", "CON")):
        owner.type("%s >P CQ >P" % dev)
        figures, waited = [], []
        for _ in range(RUNS):
            # the figures go out after the flood (the instance buffers its own output)
            out = owner.type("' OUT0 %d MEASURE2 NIP ' OUT64 %d MEASURE2 CR ROT . . . WAITS @ ." % (N, N),
                             timeout=600).split()
            e, full, sent, wait = int(out[-4]), int(out[-3]), int(out[-2]), int(out[-1])
            if sent == 0:
                raise RuntimeError("console_per_byte: nothing sent to %s: %s" % (name, out[:3] + out[-4:]))
            figures.append((full - e) / (sent * 64))
            waited.append(wait / (sent * 64))
        owner.type("PDEPTH 0 ?DO PDROP LOOP")
        parts[name] = statistics.median(figures)
        waits[name] = statistics.median(waited)
    return parts["display"] + parts["console"], parts, waits


def block_rw(owner):
    """write + read back one block of the RAM disk (owners only: names.conf)."""
    for line in [
        "OPEN ramdisk CONSTANT RD  1024 BLOCKBUF BB  7 BB !",
        ": BRW ( n --- ) 0 DO 0 WRITE DROP READ DROP LOOP ;",
    ]:
        owner.type(line, timeout=60)
    # the block size, measured: a block of $AA read into a buffer of $55 changes
    owner.type(": CHANGED ( a n --- u ) 0 SWAP 0 DO OVER I + C@ $AA = - LOOP NIP ;")
    size = owner.type("RD >P BB >P BB CELL+ 1024 $AA FILL 0 WRITE DROP PDROP PDROP "
                      "4096 BLOCKBUF BIG  7 BIG !  BIG CELL+ 4096 $55 FILL  RD >P BIG >P READ DROP "
                      "PDROP PDROP  BIG CELL+ 4096 CHANGED .")
    size = int(size)
    # a check: what is written is read back
    out = owner.type("RD >P BB >P BB CELL+ 1024 ERASE 4242 BB CELL+ ! 0 WRITE . "
                     "BB CELL+ 1024 ERASE READ . BB CELL+ @ . PDROP PDROP")
    vals = out.split()
    if len(vals) != 3 or vals[0] == "0" or vals[1] == "0" or vals[2] != "4242":
        raise RuntimeError("block_rw_512: the block did not come back: " + out)
    v = per_call(owner, "BRW", "RD >P BB >P")
    return v, size


def ipc_roundtrip(server, client):
    """one byte from the client to an echo service and back: guest1 serves
    .echo (its loop: INBOX>, echo to the outbox, rest when nothing came),
    root sends a byte and rests until it is received. A rest passes a process
    over until the next tick and the CPU halts when all have rested, so the
    figure is TSC ticks less the halted ones (BUSY): the instructions of every
    process, and the kernel's once-a-tick poll of the lines the idle prompts
    wait on (#line wait)."""
    for line in [
        "1024 RING EIN  1024 RING EOUT  EIN INBOX-RESET  EOUT RING-RESET",
        'EIN EOUT S" echo guest=send,receive" SERVICE .',
        ": ECHO ( --- ) BEGIN EIN INBOX> DUP 0< IF DROP REST 0 ELSE DUP EOUT >RING 255 = THEN UNTIL ;",
    ]:
        out = server.type(line, timeout=60)
    if out.strip() == "0":
        raise RuntimeError("ipc_roundtrip: register refused: " + server.type(".REPLY"))
    server.line.send("ECHO\r")
    server.line.expect_exact("ECHO ", timeout=30)
    for line in [
        "OPEN echo CONSTANT EID  16 RING CQ  1024 RING CA  CA RING-SYNC",
        ": PING ( c --- ) CQ >RING CQ EID 0 RING-SEND DROP "
        "BEGIN CA EID RING-RECEIVE DROP CA RING> 0< WHILE REST REPEAT ;",
        ": PINGS ( n --- ) 0 DO 65 PING LOOP ;",
    ]:
        client.type(line, timeout=60)
    if int(client.type("EID .")) == 0:
        raise RuntimeError("ipc_roundtrip: the client cannot open .echo")
    figures = []
    for _ in range(RUNS):
        out = client.type("' EMPTY %d BUSY . ' PINGS %d BUSY ." % (N, N), timeout=900)
        e, full = (int(x) for x in out.split())
        figures.append((full - e) / N)
    v = statistics.median(figures), figures
    client.type("255 CQ >RING CQ EID 0 RING-SEND DROP")
    server.line.expect(r"  ok\r\n", timeout=60)
    server.type('S" echo" UNSERVICE DROP')
    return v


def switch(owner, partner):
    """two processes alternating with please rest (the message prepared once in
    the please buffer): root loops N rests, guest1 rests meanwhile; the kernel's
    switch counter (sched_switches, read by root through the flat selector)
    gives the switches. A rest passes a process over until the next tick and
    the CPU halts when all have rested, so the TSC less the halted ticks
    (BUSY) is what counts: figure = busy instructions / switches."""
    rest = [   # the reply ("ok") overwrites the message: write it every time
        ': RESTMSG ( --- ) S" rest" PB 8 + SWAP MOVE 1024 PB ! 4 PB CELL+ ! ;',
        ": RESTS ( n --- ) 0 DO RESTMSG PLEASE DROP LOOP ;",
        ": REST0 ( n --- ) 0 DO RESTMSG 0 DROP LOOP ;",
    ]
    for line in rest:
        owner.type(line, timeout=60)
        partner.type(line, timeout=60)
    sw = ksym("sched_switches")
    owner.type("VARIABLE SW0  : SWITCHES ( xt n --- busy switches ) %d K@ SW0 ! BUSY %d K@ SW0 @ - ;"
               % (sw, sw))
    owner.type("PB >P")
    per_switch, per_rest = [], []
    for _ in range(RUNS):
        partner.line.send("PB >P %d RESTS PDROP\r" % (3 * N))
        partner.line.expect_exact("RESTS PDROP ", timeout=30)
        out = owner.type("' REST0 %d BUSY . ' RESTS %d SWITCHES . ." % (N, N), timeout=900)
        e, switches, full = (int(x) for x in out.split())
        per_switch.append((full - e) / max(switches, 1))
        per_rest.append((full - e) / N)
        partner.line.expect(r"  ok\r\n", timeout=600)
    owner.type("PDEPTH 0 ?DO PDROP LOOP")
    return statistics.median(per_switch), statistics.median(per_rest)


def login(owner, line):
    """please login (typed at a serial line's prompt) to the new process's first
    wait for input: proc_login notes the TSC, the process's first receive on
    its terminal the difference (login_to_prompt, read by root)."""
    addr = ksym("login_to_prompt")
    figures = []
    for _ in range(RUNS):
        Console(line, user="guest3", password="guest", ready=False)
        figures.append(int(owner.type("%d K@ ." % addr)))
        line.send("bye\r")             # the next Console waits for the new prompt
    return statistics.median(figures), figures


def boot_to_login(floppy=False):
    """Instructions from reset to the console's login prompt waiting for input
    (-m 512): the kernel keeps the TSC of that moment (please boot), read by
    guest1 on COM2. -kernel with console=com1, or the floppy through GRUB's
    default entry (console on VGA), its menu's 3-second timeout included."""
    if floppy:
        m = ha3sm.Machine(floppy=True, icount=True, memory=512, timeout=60).start()
    else:
        m = ha3sm.Machine(append="console=com1", icount=True, memory=512, timeout=60).start()
    try:
        g = Console(m.line(2), user="guest1", password="guest", ready=False)
        return int(g.type('PLEASE" boot" DROP .REPLY', timeout=120))
    finally:
        m.stop()


def main():
    rows, notes = {}, {}
    m = ha3sm.Machine(append="console=com1", icount=True, timeout=60).start()
    try:
        m.line(1).expect("ready.", timeout=120)
        owner = Console(m.line(1), ready=False)
        guest = Console(m.line(2), user="guest1", password="guest", ready=False)
        for c in (owner, guest):
            for line in SETUP:
                c.type(line, timeout=120)
        owner.type(KFETCH)
        owner.type(kbusy())
        guest.type(": RECV ( n --- ) 0 DO RECEIVE DROP LOOP ;  OPEN clock CONSTANT CK  1024 RING R  R RING-SYNC")
        # the reply overwrites the message: each iteration writes it again, and
        # the empty loop (IDENT0) does the same without the call
        guest.type(': IDMSG ( --- ) S" identify" PB 8 + SWAP MOVE 1024 PB ! 8 PB CELL+ ! ;')
        guest.type(": IDENT ( n --- ) 0 DO IDMSG PLEASE DROP LOOP ;")
        guest.type(": IDENT0 ( n --- ) 0 DO IDMSG 0 DROP LOOP ;")
        rows["call_null"], _ = per_call(guest, "RECV", "CK >P R >P")
        rows["please_identify"], _ = per_call(guest, "IDENT", "PB >P", empty="IDENT0")
        reply = guest.type("PB >P IDMSG PLEASE . PDROP .REPLY")
        if reply.split()[0] == "0" or "Ha3sm" not in reply:
            raise RuntimeError("please_identify: the reply is not identify's: " + reply)
        rows["send_64"], _ = send_64(guest)
        rows["switch"], per_rest = switch(owner, guest)
        notes["switch"] = ("per switch, halted ticks subtracted; %.0f per rest of root, the idle "
                           "prompts' lines polled once a tick included" % per_rest)
        rows["console_per_byte"], parts, waits = console_per_byte(owner)
        notes["console_per_byte"] = ("glyph display %.1f + COM1 %.1f, 64-byte sends; COM1 also "
                                     "waited %.1f a byte for QEMU's socket, halted or polling (subtracted)" % (
                                         parts["display"], parts["console"], waits["console"]))
        (rows["block_rw_512"], _), ident = block_rw(owner)
        notes["block_rw_512"] = "one block of the RAM disk: %d bytes (measured)" % ident
        rows["ipc_roundtrip"], _ = ipc_roundtrip(guest, owner)
        notes["ipc_roundtrip"] = "halted ticks subtracted; the idle prompts' lines polled once a tick included"
        rows["login"], _ = login(owner, m.line(4))
        notes["login"] = "guest3 on COM4, PBKDF2 check to the first prompt"
    finally:
        m.stop()
    rows["boot_to_login"] = boot_to_login()
    notes["boot_to_login"] = "-kernel, -m 512, console=com1"
    floppy = sorted(boot_to_login(floppy=True) for _ in range(RUNS))
    rows["boot_floppy_to_login"] = statistics.median(floppy)
    notes["boot_floppy_to_login"] = ("virtual time, not instructions: GRUB halts through its "
                                     "3 s menu, timed by the RTC on the host clock (runs %d..%d)"
                                     % (floppy[0], floppy[-1]))
    size = subprocess.run(["size", os.path.join(ROOT, "kernel.elf")],
                          capture_output=True, text=True).stdout.split("\n")[1].split()
    text, data, bss = (int(x) for x in size[:3])
    rows["kernel_bytes"] = text + data + bss
    notes["kernel_bytes"] = "text %d + data %d + bss %d" % (text, data, bss)

    print("Ha3sm in guest instructions (QEMU -icount shift=0,sleep=off, median of %d runs of %d)"
          % (RUNS, N))
    print("%-22s %14s %-10s %-9s %-28s %s" % ("name", "figure", "unit", "target", "peer", "note"))
    for name, (target, unit, peer) in TARGETS.items():
        v = rows[name]
        status = "report" if target is None else ("met" if v <= target else "MISSED")
        tgt = "-" if target is None else "<= %d" % target
        fig = ("%.1f" if v < 100 else "%.0f") % v
        print("%-22s %14s %-10s %-9s %-28s %s%s" % (name, fig, unit, tgt, peer, status,
                                                    ("; " + notes[name]) if name in notes else ""))
    for name, (target, unit, peer) in TARGETS.items():
        v = rows[name]
        fig = ("%.1f" if v < 100 else "%.0f") % v
        if target is None:
            print("BENCH %s %s %s (report)" % (name, fig, unit))
        else:
            print("BENCH %s %s %s (target <= %d: %s)" % (name, fig, unit, target,
                                                        "met" if v <= target else "MISSED"))


if __name__ == "__main__":
    main()

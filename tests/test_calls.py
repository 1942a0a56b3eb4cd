"""The five calls refuse bad arguments (docs/calls.md): each case below is typed at
the booted kernel's console (H3sm on COM1), must make its call return failure (0)
or be reported by the H3sm error path, and the system must go on: the next line,
1 2 + ., still answers 3. Then the lock's refusal of every 2^N-th request,
with timeout 0 and with a timeout that waits.

One machine serves every case of the table (a kernel panic or a hang would show
in every case after it). Run: /usr/bin/python3 -m pytest -q tests/test_calls.py
"""
import os
import re
import subprocess

import pytest

import ha3sm
from test_h3sm_kernel import Console

# ramdisk=64: .ramdisk has exactly 64 blocks of 1 KiB
APPEND = "console=com1 login=off ramdisk=64"

SETUP = [
    "OPEN .com2 CONSTANT L2  OPEN .ramdisk CONSTANT RD  OPEN .display CONSTANT DP",
    "OPEN .keyboard CONSTANT KB  OPEN .clock CONSTANT CK  OPEN .speaker CONSTANT SPK",
    "HERE UNUSED + CONSTANT END",                  # the end of the segment
    "64 RING GOOD  64 RING RG  1024 BLOCKBUF BB",
    # GOOD with exactly one byte pending, so a send has something to do
    ": PEND ( ring --- ring ) DUP RING-COUNT @ OVER RING-MARK ! [CHAR] x OVER >RING ;",
    # a ring header of any size, one byte pending, and 64 bytes of room behind it
    "CREATE BADR 16 64 + ALLOT",
    # (count 0 and mark -1: never ahead of a device, yet one byte to send)
    ": RSIZE ( size --- ring ) BADR ! 0 BADR CELL+ ! -1 BADR 8 + ! 0 BADR 12 + ! BADR ;",
    # a please buffer: capacity and length as given, the text "identify"
    "CREATE PBX 8 64 + ALLOT",
    ": PB! ( cap len --- pb ) PBX CELL+ ! PBX ! S\" identify\" PBX 8 + SWAP MOVE PBX ;",
    # headers that fit at the very end of the segment, their data past it:
    # a ring of 16 (one byte pending), a block buffer, a please buffer of 16
    "16 END 16 - !  0 END 12 - !  -1 END 8 - !  0 END 4 - !",
    # calls with the pointer stack pointer (ESI) or the data stack pointer (EBP)
    # somewhere else: mov esi, tos / int 0x33 (receive) / restore
    ": PSP-RECEIVE ( psp --- received ) [ $56 C, $89 C, $DE C, $8B C, $5D C, $00 C,"
    " $8D C, $6D C, $04 C, $CD C, $33 C, $5E C, ] ;",
    ": DSP-RECEIVE ( x --- received ) [ $55 C, $BD C, $F0 C, $FF C, $FF C, $7F C,"
    " $CD C, $33 C, $5D C, ] ;",
]

FAIL = "0 "
OK = "-1 "

BAD_IDS = ["0", "99", "-1"]
BAD_ADDRS = ["-16", "$7FFFFFF0", "-1", "END 2 -", "END", "END 16 -"]


def cases():
    c = []
    # device IDs that name nothing
    for i in BAD_IDS:
        c += [
            ("read id %s" % i, "%s >P BB >P READ . PDROP PDROP" % i, FAIL),
            ("write id %s" % i, "%s >P BB >P 0 WRITE . PDROP PDROP" % i, FAIL),
            ("send id %s" % i, "%s >P GOOD PEND >P 0 SEND . PDROP PDROP" % i, FAIL),
            ("send id %s huge timeout" % i, "%s >P GOOD PEND >P -1 SEND . PDROP PDROP" % i, FAIL),
            ("receive id %s" % i, "%s >P RG >P RECEIVE . PDROP PDROP" % i, FAIL),
        ]
    # rings, block buffers and please buffers outside the segment, or not fitting
    for a in BAD_ADDRS:
        c += [
            ("read at %s" % a, "RD >P %s >P READ . PDROP PDROP" % a, FAIL),
            ("write at %s" % a, "RD >P %s >P 0 WRITE . PDROP PDROP" % a, FAIL),
            ("send at %s" % a, "L2 >P %s >P 0 SEND . PDROP PDROP" % a, FAIL),
            ("receive at %s" % a, "L2 >P %s >P RECEIVE . PDROP PDROP" % a, FAIL),
            ("please at %s" % a, "%s >P PLEASE . PDROP" % a, FAIL),
        ]
    # ring sizes: not a power of two, zero, larger than the segment, huge
    for size in ["3", "0", "-1", "96", "$200000", "$400000", "$40000000", "$80000000"]:
        c += [
            ("send ring size %s" % size, "L2 >P %s RSIZE >P 0 SEND . PDROP PDROP" % size, FAIL),
            ("receive ring size %s" % size, "L2 >P %s RSIZE >P RECEIVE . PDROP PDROP" % size, FAIL),
        ]
    # pending bytes past what a ring holds
    c += [("send more than the ring", "GOOD 0 OVER RING-MARK ! 100 OVER RING-COUNT ! L2 0 RING-SEND .",
           FAIL)]
    # block numbers past the end (64 blocks), huge
    for b in ["64", "65", "-1", "$7FFFFFFF", "$80000000"]:
        c += [
            ("read block %s" % b, "%s BB RD BLOCK-READ ." % b, FAIL),
            ("write block %s" % b, "%s BB RD 0 BLOCK-WRITE ." % b, FAIL),
        ]
    # please buffers: capacity 0, huge, not fitting; a length past the capacity
    for cap, ln in [("0", "8"), ("-1", "8"), ("$7FFFFFFF", "8"), ("$1FFFFF", "8"),
                    ("4", "8"), ("64", "65"), ("64", "-1")]:
        c += [("please cap %s len %s" % (cap, ln), "%s %s PB! >P PLEASE . PDROP" % (cap, ln), FAIL)]
    # the wrong kind of device for the call
    c += [
        ("read a stream", "L2 >P BB >P READ . PDROP PDROP", FAIL),
        ("write a stream", "L2 >P BB >P 0 WRITE . PDROP PDROP", FAIL),
        ("send to a block device", "RD >P GOOD PEND >P 0 SEND . PDROP PDROP", FAIL),
        ("receive from a block device", "RD >P RG >P RECEIVE . PDROP PDROP", FAIL),
        ("receive from .display", "DP >P RG >P RECEIVE . PDROP PDROP", FAIL),
        ("receive from .speaker", "SPK >P RG >P RECEIVE . PDROP PDROP", FAIL),
        ("send to .keyboard", "KB >P GOOD PEND >P 0 SEND . PDROP PDROP", FAIL),
        ("send to .clock", "CK >P GOOD PEND >P 0 SEND . PDROP PDROP", FAIL),
        ("read .display", "DP >P BB >P READ . PDROP PDROP", FAIL),
        ("write .clock", "CK >P BB >P 0 WRITE . PDROP PDROP", FAIL),
    ]
    # the pointer stack: empty, one item short, underflowed inside a word, elsewhere
    c += [
        ("receive, empty pointer stack", "RECEIVE .", FAIL),
        ("read, empty pointer stack", "READ .", FAIL),
        ("write, empty pointer stack", "0 WRITE .", FAIL),
        ("send, empty pointer stack", "0 SEND .", FAIL),
        ("please, empty pointer stack", "PLEASE .", FAIL),
        ("receive, one item", "RG >P RECEIVE . PDROP", FAIL),
        ("receive, underflowed in a word", ": UF PDROP PDROP RECEIVE . ; UF",
         re.compile(r"^0 \nUF: pointer stack underflow\n$")),
        ("psp outside the segment", "$7FFFFFF0 PSP-RECEIVE .", FAIL),
        ("psp wrapping", "-4 PSP-RECEIVE .", FAIL),
        ("psp one item from the end", "END 4 - PSP-RECEIVE .", FAIL),
        ("psp at the end", "END PSP-RECEIVE .", FAIL),
        ("dsp outside the segment", "99 >P 0 >P 11 DSP-RECEIVE . PDROP PDROP", FAIL),
    ]
    # timeouts 0 and huge when nothing is in the way: the call succeeds at once
    c += [
        ("write timeout 0", "0 BB RD 0 BLOCK-WRITE .", OK),
        ("write timeout huge", "0 BB RD -1 BLOCK-WRITE .", OK),
        ("send timeout 0", "GOOD PEND DP 0 RING-SEND .", OK),
        ("send timeout huge", "GOOD PEND DP -1 RING-SEND .", OK),
    ]
    # and the good calls next to the bad ones work
    c += [
        ("read the last block", "63 BB RD BLOCK-READ .", OK),
        ("receive from .keyboard", "RG KB RING-RECEIVE .", OK),
        ("receive a ring of 1", "L2 >P 1 RSIZE >P RECEIVE . PDROP PDROP", OK),
        ("please identify", "64 8 PB! >P PLEASE 0<> . PDROP", OK),
        ("send with nothing pending", "DP >P 1 RSIZE DUP CELL+ @ OVER 8 + ! >P 0 SEND . PDROP PDROP", OK),
    ]
    return c


CASES = cases()


@pytest.fixture(scope="module")
def calls_console():
    m = ha3sm.Machine(append=APPEND)
    m.start()
    try:
        c = Console(m.line(1))
        for text in SETUP:
            out = c.type(text)
            assert out == "", (text, out)
        c.machine = m
        yield c
    finally:
        m.stop()


@pytest.fixture
def console(calls_console, request):
    # the machine's report goes with a failing case (tests/conftest.py)
    request.node._ha3sm_machines = [calls_console.machine]
    assert calls_console.machine.alive()
    return calls_console


@pytest.mark.parametrize("name,text,want", CASES, ids=[c[0] for c in CASES])
def test_bad_arguments_fail_and_the_system_goes_on(console, name, text, want):
    out = console.type(text, timeout=20)
    if isinstance(want, str):
        assert out == want, (name, text, out)
    else:
        assert want.search(out), (name, text, out)
    assert console.type("1 2 + .") == "3 "
    assert console.type("DEPTH . PDEPTH .") == "0 0 "
    assert "panic" not in console.line.log().lower()


def test_the_system_still_works_after_all_that(console):
    m = console.machine
    assert console.type("L2 RING-SIZE DROP 64 RING LAST  S\" still here\" LAST S>RING"
                        "  LAST L2 0 RING-SEND .") == "-1 "
    m.line(2).expect_exact("still here", timeout=10)
    assert console.type("0 BB RD BLOCK-READ . 1 2 + .") == "-1 3 "


# ---- the lock: every 2^N-th request refused ---------------------------------------

def device_layout(root=ha3sm.ROOT):
    """offsetof(struct device, lockreqs), offsetof(..., refuse_shift), sizeof(struct
    device), from include/device.h compiled the way mk/kernel.mk compiles asmdefs."""
    src = ('#include "types.h"\n#include "device.h"\n'
           'void f(void){ asm volatile("\\n->L %c0 %c1 %c2" :: '
           '"i"(__builtin_offsetof(struct device, lockreqs)), '
           '"i"(__builtin_offsetof(struct device, refuse_shift)), '
           '"i"(sizeof(struct device))); }\n')
    out = subprocess.run(["gcc", "-m32", "-ffreestanding", "-std=gnu11", "-S", "-o", "-",
                          "-I", os.path.join(root, "include"),
                          "-I", os.path.join(root, "build", "gen"), "-x", "c", "-"],
                         input=src, capture_output=True, text=True, check=True).stdout
    found = re.search(r"->L \$?(\d+) \$?(\d+) \$?(\d+)", out)
    return tuple(int(x) for x in found.groups())


def symbol(name, kernel=ha3sm.KERNEL):
    out = subprocess.run(["nm", kernel], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise LookupError(name)


# the owner's flat selector (LDT entry 2, RPL 3 = $17) reaches all of memory:
# push es / push $17 / pop es / ... es: ... / pop es
FLAT_WORDS = [
    ": FLAT@ ( a --- x ) [ $06 C, $6A C, $17 C, $07 C, $26 C, $8B C, $1B C, $07 C, ] ;",
    ": FLAT! ( x a --- ) [ $06 C, $6A C, $17 C, $07 C, $8B C, $45 C, $00 C, $26 C, $89 C,"
    " $03 C, $07 C, $8B C, $5D C, $04 C, $8D C, $6D C, $08 C, ] ;",
]


def test_lock_refuses_every_nth_request(boot):
    """refuse_shift = 2 on .com2 (set through the owner's flat view of memory: the
    test needs no kernel option): with timeout 0 every 4th send is refused and its
    bytes stay pending; with timeout 2 the refused request is tried again a Cycle
    later and every send succeeds."""
    lockreqs, refuse, size = device_layout()
    devtab = symbol("devtab")
    m = boot(append=APPEND)
    c = Console(m.line(1))
    for text in FLAT_WORDS + ["OPEN .com2 CONSTANT L2  64 RING RO"]:
        assert c.type(text) == ""
    node = devtab + (int(c.type("L2 .")) - 1) * size
    for text in ["%d CONSTANT LREQS  %d CONSTANT LREF" % (node + lockreqs, node + refuse),
                 ": TRY ( c timeout --- sent ) SWAP RO >RING RO L2 ROT RING-SEND ;",
                 ": EIGHT ( timeout --- ) 8 0 DO [CHAR] a I + OVER TRY . LOOP DROP ;"]:
        assert c.type(text) == ""
    old = int(c.type("LREF FLAT@ ."))                   # names.conf's refuse=, or 0
    assert c.type("0 LREQS FLAT!  2 LREF FLAT!  LREF FLAT@ .") == "2 "
    assert c.type("0 EIGHT") == "-1 -1 -1 0 -1 -1 -1 0 "
    m.line(2).expect_exact("abcdefg", timeout=10)      # d went with e; h still waits
    assert c.type("RO RING-PENDING . LREQS FLAT@ .") == "1 8 "
    assert c.type("2 EIGHT") == "-1 -1 -1 -1 -1 -1 -1 -1 "
    m.line(2).expect_exact("habcdefgh", timeout=10)
    # requests 12 and 16 were refused and tried again: 8 + 8 + 2
    assert c.type("RO RING-PENDING . LREQS FLAT@ .") == "0 18 "
    # and block writes share the lock: every 4th write with timeout 0 fails
    assert c.type("OPEN .ramdisk CONSTANT RD  1024 BLOCKBUF BB") == ""
    node = devtab + (int(c.type("RD .")) - 1) * size
    old_rd = int(c.type("%d FLAT@ ." % (node + refuse)))
    assert c.type("0 %d FLAT!  2 %d FLAT!" % (node + lockreqs, node + refuse)) == ""
    assert c.type(": W4 ( timeout --- ) 4 0 DO 0 BB RD 3 PICK BLOCK-WRITE . LOOP DROP ;") == ""
    assert c.type("0 W4") == "-1 -1 -1 0 "
    assert c.type("1 W4") == "-1 -1 -1 -1 "
    assert c.type("%d %d FLAT!  %d LREF FLAT!  1 2 + ." % (old_rd, node + refuse, old)) == "3 "


def test_a_ring_ahead_of_the_device_gets_no_invented_bytes(boot):
    """A ring last used with another device (count 10) receives from a line that
    has received nothing: the call must fail, or bring nothing."""
    c = Console(boot(append=APPEND).line(1))
    assert c.type("OPEN .com3 CONSTANT L3  64 RING R  10 R RING-COUNT !  10 R RING-MARK !") == ""
    ok, pending, byte = [int(x) for x in c.type(
        "R L3 RING-RECEIVE . R RING-PENDING . R RING> .").split()]
    assert ok == 0 or (pending == 0 and byte == -1), (ok, pending, byte)

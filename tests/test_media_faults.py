"""Media faults through the calls (issue 9): the floppy ejected while the
owner's H3sm is writing to it block after block (QEMU monitor eject), a read
or write past the end of each block device, a full RAM disk. Each call returns
failure (0) to the caller, quickly, and nothing hangs: the owner's H3sm and a
guest on a serial line answer afterwards."""
import re
import time

from test_h3sm_kernel import Console
from test_login import login, wait_prompt

QUICK = 3.0     # seconds: the most one failing call may take

# ( n id --- ) write blocks 0, 1, ... n-1 of a device, stopping after 3 failures;
# count successes, failures and successes after the first failure: "ok fails late"
WLOOP = [
    "1024 BLOCKBUF WB  VARIABLE OKS  VARIABLE FAILS  VARIABLE LATE",
    ": WLOOP ( n id --- ) 0 OKS ! 0 FAILS ! 0 LATE ! SWAP 0 DO"
    " I 1440 MOD WB 2 PICK 10 BLOCK-WRITE IF 1 OKS +! FAILS @ IF 1 LATE +! THEN"
    " ELSE 1 FAILS +! FAILS @ 3 = IF LEAVE THEN THEN LOOP DROP OKS @ . FAILS @ . LATE @ . ;",
]


def owner_and_guest(boot, **options):
    m = boot(append=options.pop("append", "console=com1"), **options)
    owner = Console(m.line(1))
    wait_prompt(m.line(2))
    guest = login(m.line(2), "guest1", "guest")
    return m, owner, guest


def still_answering(owner, guest):
    assert owner.type("6 7 * .") == "42 "
    assert guest.type("5 5 * .") == "25 "


def test_floppy_ejected_during_writes(boot, tmp_path):
    fd = tmp_path / "fd.img"
    fd.write_bytes(b"\0" * 1474560)
    m, owner, guest = owner_and_guest(boot, drives=[{"file": str(fd), "if": "floppy"}])
    owner.run(WLOOP)
    assert owner.type("OPEN floppy CONSTANT FD  3 FD WLOOP", timeout=60) == "3 0 0 "
    owner.line.send("400 FD WLOOP\r")
    owner.line.expect_exact("WLOOP ")
    time.sleep(1.0)
    m.monitor("eject -f floppy0")
    t = time.monotonic()
    owner.line.expect(r"(\d+) (\d+) (\d+) +ok", timeout=400 * QUICK)
    took = time.monotonic() - t
    oks, fails, late = (int(x) for x in owner.line.match.groups())
    print("floppy ejected during 400 writes: %d written, %d failed, %d written after a "
          "failure; the rest took %.1f s" % (oks, fails, late, took))
    assert oks >= 1 and fails == 3 and oks < 400
    assert late == 0
    assert took < 3 * QUICK + 5
    # reading fails as well, at once, and the system goes on
    t = time.monotonic()
    assert owner.type("0 WB FD BLOCK-READ .") == "0 "
    assert time.monotonic() - t < QUICK
    still_answering(owner, guest)


def test_past_the_end_of_every_block_device(boot, tmp_path):
    disk = tmp_path / "disk.img"
    disk.write_bytes(b"\0" * (1 << 20))
    fd = tmp_path / "fd.img"
    fd.write_bytes(b"\0" * 1474560)
    m, owner, guest = owner_and_guest(boot, append="console=com1 ramdisk=64",
                                      drives=[str(disk), {"file": str(fd), "if": "floppy"}])
    owner.run(WLOOP)
    for name, blocks in (("ramdisk", 64), ("disk", 1024), ("floppy", 1440)):
        owner.type("OPEN %s CONSTANT D" % name)
        for blk, want in ((blocks - 1, "-1 "), (blocks, "0 "), (blocks + 1, "0 "),
                          (-1, "0 "), (2**31, "0 ")):
            for op in ("WB D BLOCK-READ .", "WB D 0 BLOCK-WRITE ."):
                t = time.monotonic()
                assert owner.type("%d %s" % (blk, op), timeout=30) == want, (name, blk, op)
                assert time.monotonic() - t < QUICK, (name, blk, op)
    still_answering(owner, guest)


def test_a_full_ram_disk(boot):
    """ramdisk=16: 16 blocks. Filling it works, the next block fails; H3sm's
    BLOCK words report the failure as an error and keep the dictionary."""
    m, owner, guest = owner_and_guest(boot, append="console=com1 ramdisk=16")
    owner.run(WLOOP)
    owner.type("OPEN ramdisk CONSTANT RD")
    assert owner.type("16 RD WLOOP") == "16 0 0 "
    assert owner.type("18 RD WLOOP") == "16 2 0 "        # block 16: past the end
    owner.type("USE .ramdisk")
    assert owner.type('16 BLOCK 1024 BLANK S" 1 2 + ." 16 BLOCK SWAP MOVE UPDATE FLUSH') == ""
    assert owner.type("EMPTY-BUFFERS 16 LOAD") == "3 "
    out = owner.type("17 BLOCK DROP")
    assert re.search(r"(?i)block: block read exception", out), out
    out = owner.type("17 BUFFER DROP UPDATE FLUSH")
    assert re.search(r"exception", out), out
    assert owner.type("16 LOAD") == "3 "
    still_answering(owner, guest)

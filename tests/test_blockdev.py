"""Block devices (docs/blockdev.md): .ramdisk, .floppy (82077AA + ISA DMA channel 2) and
.disk (ATA PIO, primary master), driven by the test-only kernel options of
kernel/blktest.c: blktest=<name>[:<block>],... writes a block with a pattern, reads it
back and compares; blkread=<name>:<block> prints a block's checksum (persistence across
boots); blkintr=on runs with interrupts on and prints milliseconds; blkrepeat=<n> runs
the list n times, waiting for a byte on COM2 between rounds (to change the medium).

    round trips on each device, in QEMU (interrupts off and on) and the floppy in Bochs;
    what was written is in the image file on the host, and a second boot reads it back;
    an ejected floppy (before boot, and while running) fails quickly, and a new medium
    works again; a write-protected floppy refuses writes; no disk, or a CD-ROM on the
    primary master, means no .disk; ramdisk=<KiB> sizes the RAM disk.
"""

import re
import shutil
import subprocess
import time

import pytest

import ha3sm

FLOPPY_BYTES = 1440 * 1024
DISK_BYTES = 4 * 1024 * 1024
BLK = 1024
QUICK = 3.0         # seconds: the most a failing call may take, measured on the host


def pattern(seed, blk):
    """The block blktest writes (kernel/blktest.c): an LCG's high bytes."""
    x = (seed * 2654435761 + blk * 40503 + 1) & 0xFFFFFFFF
    out = bytearray(BLK)
    for i in range(BLK):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


def fnv(data):
    """32-bit FNV-1a, the checksum blktest and blkread print."""
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def zero_image(path, size):
    with open(path, "wb") as f:
        f.truncate(size)
    return str(path)


def floppy_drive(path, **more):
    return dict({"file": str(path), "if": "floppy"}, **more)


def until_done(line, timeout=60):
    """The blktest report: everything up to `blktest: done`, CRs removed."""
    line.expect(r"blktest: done", timeout=timeout)
    return line.before.replace("\r", "")


def report(text, name):
    """What blktest said about one device: {"blocks": n, "size": n, "block": n,
    "fnv": n, "write": "ok", "read": ..., "compare": ..., "past end": "fails"}."""
    r = {}
    m = re.search(r"^blktest %s: blocks=(\d+) size=(\d+)$" % re.escape(name), text, re.M)
    if m:
        r["blocks"], r["size"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"^blktest %s: block (\d+) fnv=([0-9a-f]{8})$" % re.escape(name),
                  text, re.M)
    if m:
        r["block"], r["fnv"] = int(m.group(1)), int(m.group(2), 16)
    for what in ("write", "read", "compare"):
        m = re.search(r"^blktest %s: %s (ok|failed)" % (re.escape(name), what), text, re.M)
        if m:
            r[what] = m.group(1)
    m = re.search(r"^blktest %s: past end (fails|does not fail)" % re.escape(name),
                  text, re.M)
    if m:
        r["past end"] = m.group(1)
    if re.search(r"^blktest %s: no such device$" % re.escape(name), text, re.M):
        r["absent"] = True
    return r


def assert_round_trip(text, name, blocks, block=None, seed=1):
    r = report(text, name)
    assert r.get("blocks") == blocks and r.get("size") == BLK, text
    if block is None:
        block = blocks - 1
    assert r.get("block") == block and r.get("fnv") == fnv(pattern(seed, block)), text
    assert (r.get("write"), r.get("read"), r.get("compare")) == ("ok", "ok", "ok"), text
    assert r.get("past end") == "fails", text


def assert_only_block(path, size, block, seed):
    """The image holds the pattern at block and zeros everywhere else."""
    with open(path, "rb") as f:
        data = f.read()
    assert len(data) == size
    assert data[block * BLK:(block + 1) * BLK] == pattern(seed, block)
    rest = data[:block * BLK] + data[(block + 1) * BLK:]
    assert rest.count(0) == len(rest), "something else was written"


def boot_until_ready(boot, **options):
    m = boot(**options)
    m.line(1).expect(r"(^|\n)ready\.\r?\n", timeout=30)
    return m


# ---- the RAM disk

def test_ramdisk_round_trip(boot):
    m = boot_until_ready(boot, append="blktest=.ramdisk blkseed=3")
    text = until_done(m.line(1))
    assert_round_trip(text, ".ramdisk", 256, seed=3)


@pytest.mark.parametrize("option, blocks", [("ramdisk=64", 64), ("ramdisk=256", 256),
                                            ("ramdisk=8192", 8192)])
def test_ramdisk_size_option(boot, option, blocks):
    m = boot(append="%s blktest=.ramdisk" % option)
    m.line(1).expect(r"(^|\n)ready\.\r?\n", timeout=30)
    assert "unknown option" not in m.line(1).before
    text = until_done(m.line(1))
    assert_round_trip(text, ".ramdisk", blocks)


def test_ramdisk_size_that_does_not_fit_is_refused(boot):
    m = boot(append="ramdisk=60000 blktest=.ramdisk")   # more than half of 64 MiB
    m.line(1).expect(r"unknown option: ramdisk=60000 \(ignored\)", timeout=30)
    text = until_done(m.line(1))
    assert_round_trip(text, ".ramdisk", 256)


# ---- floppy and ATA disk in QEMU

@pytest.mark.parametrize("intr", ["off", "on"])
def test_floppy_and_disk_persist_across_boots(boot, tmp_path, intr):
    fd = zero_image(tmp_path / "fd.img", FLOPPY_BYTES)
    hd = zero_image(tmp_path / "hd.img", DISK_BYTES)
    drives = [hd, floppy_drive(fd)]
    m = boot_until_ready(boot, drives=drives, append="blktest=.floppy:100,.disk:1000 "
                         "blkseed=7 blkintr=%s" % intr)
    text = until_done(m.line(1))
    assert_round_trip(text, ".floppy", 1440, block=100, seed=7)
    assert_round_trip(text, ".disk", DISK_BYTES // BLK, block=1000, seed=7)
    if intr == "on":    # each step's milliseconds, measured by the PIT
        ms = [int(x) for x in re.findall(r"^blktest \S+: \w+ ok \((\d+) ms\)", text, re.M)]
        assert len(ms) == 6 and max(ms) < 2000, text
    m.stop()
    assert_only_block(fd, FLOPPY_BYTES, 100, 7)
    assert_only_block(hd, DISK_BYTES, 1000, 7)

    m = boot_until_ready(boot, drives=drives,
                         append="blkread=.floppy:100,.disk:1000,.floppy:101 blkintr=%s" % intr)
    text = until_done(m.line(1))
    want = fnv(pattern(7, 100)), fnv(pattern(7, 1000)), fnv(bytes(BLK))
    assert "blkread .floppy:100: fnv=%08x" % want[0] in text, text
    assert "blkread .disk:1000: fnv=%08x" % want[1] in text, text
    assert "blkread .floppy:101: fnv=%08x" % want[2] in text, text


def test_default_block_is_the_last(boot, tmp_path):
    fd = zero_image(tmp_path / "fd.img", FLOPPY_BYTES)
    hd = zero_image(tmp_path / "hd.img", DISK_BYTES)
    m = boot_until_ready(boot, drives=[hd, floppy_drive(fd)], append="blktest=.floppy,.disk")
    text = until_done(m.line(1))
    assert_round_trip(text, ".floppy", 1440)
    assert_round_trip(text, ".disk", DISK_BYTES // BLK)
    m.stop()
    assert_only_block(fd, FLOPPY_BYTES, 1439, 1)
    assert_only_block(hd, DISK_BYTES, DISK_BYTES // BLK - 1, 1)


def test_floppy_write_protected(boot, tmp_path):
    fd = tmp_path / "fd.img"
    data = bytearray(FLOPPY_BYTES)
    data[50 * BLK:51 * BLK] = pattern(4, 50)
    fd.write_bytes(bytes(data))
    m = boot_until_ready(boot, drives=[floppy_drive(fd, readonly="on")],
                         append="blktest=.floppy:7 blkread=.floppy:50")
    text = until_done(m.line(1))
    r = report(text, ".floppy")
    assert r["write"] == "failed" and r["read"] == "ok" and r["compare"] == "failed", text
    assert "blkread .floppy:50: fnv=%08x" % fnv(pattern(4, 50)) in text, text
    assert fd.read_bytes() == bytes(data)


def timed_failures(line, name):
    """Expect write/read failed for name, live; the seconds each took (host clock)."""
    line.expect(r"blktest %s: block \d+ fnv=\S+\r?\n" % re.escape(name), timeout=30)
    took = []
    for what in ("write", "read"):
        t = time.monotonic()
        line.expect(r"blktest %s: (\w+) (ok|failed)" % re.escape(name), timeout=30)
        assert line.match.group(1) == what and line.match.group(2) == "failed", what
        took.append(time.monotonic() - t)
    return took


def test_floppy_ejected_before_boot_fails_quickly(boot, tmp_path):
    fd = zero_image(tmp_path / "fd.img", FLOPPY_BYTES)
    m = boot(drives=[floppy_drive(fd)], append="blktest=.floppy:3", extra=["-S"])
    m.monitor("eject -f floppy0")
    assert "not inserted" in m.monitor("info block floppy0")
    m.qmp("cont")
    m.line(1).expect(r"(^|\n)ready\.\r?\n", timeout=30)
    took = timed_failures(m.line(1), ".floppy")
    assert max(took) < QUICK, took
    text = until_done(m.line(1))
    assert "past end fails" in text
    print("ejected before boot: write %.2fs, read %.2fs" % tuple(took))


def test_floppy_ejected_while_running_then_changed(boot, tmp_path):
    fd = zero_image(tmp_path / "fd.img", FLOPPY_BYTES)
    fd2 = zero_image(tmp_path / "fd2.img", FLOPPY_BYTES)
    m = boot_until_ready(boot, drives=[floppy_drive(fd)],
                         append="blktest=.floppy:200 blkseed=2 blkrepeat=3 blkintr=on")
    one = m.line(1)
    one.expect(r"round 2 waits for COM2", timeout=30)
    assert_round_trip(one.before.replace("\r", ""), ".floppy", 1440, block=200, seed=2)

    m.monitor("eject -f floppy0")
    m.line(2).send("x")
    took = timed_failures(one, ".floppy")
    one.expect(r"round 3 waits for COM2", timeout=30)
    text = one.log().replace("\r", "").split("round 2 waits for COM2")[1]
    assert max(took) < QUICK, took
    ms = [int(x) for x in re.findall(r"^blktest \.floppy: \w+ failed \((\d+) ms\)", text,
                                     re.M)]
    assert ms and max(ms) < 2000, text
    print("ejected while running: write %.2fs, read %.2fs (host); kernel: %s ms"
          % (took[0], took[1], ms))

    m.monitor("change floppy0 %s raw" % fd2)
    m.line(2).send("x")
    text = until_done(one)
    r = report(text, ".floppy")
    assert (r["write"], r["read"], r["compare"]) == ("ok", "ok", "ok"), text
    m.stop()
    assert_only_block(fd, FLOPPY_BYTES, 200, 2)
    assert_only_block(fd2, FLOPPY_BYTES, 200, 2)


# ---- no disk

def test_no_disk_means_no_device(boot):
    m = boot_until_ready(boot, append="blktest=.disk blkread=.disk:0")
    t = time.monotonic()
    text = until_done(m.line(1), timeout=10)
    assert time.monotonic() - t < QUICK
    assert report(text, ".disk") == {"absent": True}, text
    assert "blkread .disk: no such device" in text


def test_cdrom_on_primary_master_is_not_a_disk(boot):
    m = boot_until_ready(boot, drives=[{"file": ha3sm.ISO, "media": "cdrom",
                                        "readonly": "on"}],
                         append="blktest=.disk")
    text = until_done(m.line(1), timeout=10)
    assert report(text, ".disk") == {"absent": True}, text


# ---- the boot floppy itself: QEMU and Bochs through GRUB

def blktest_floppy(tmp_path, options):
    """A copy of the boot floppy whose GRUB menu boots at once with options."""
    img = tmp_path / "boot.img"
    shutil.copyfile(ha3sm.FLOPPY, img)
    menu = tmp_path / "menu.lst"
    menu.write_text("default 0\ntimeout 0\n\ntitle Ha3sm blktest\n"
                    "kernel /boot/kernel.elf %s\n" % options)
    subprocess.run(["mcopy", "-o", "-i", str(img), str(menu), "::/boot/grub/menu.lst"],
                   check=True)
    return img


def free_block_check(img, block, seed):
    """The block holds the pattern, and GRUB's files still read back (mtools)."""
    data = img.read_bytes()
    assert data[block * BLK:(block + 1) * BLK] == pattern(seed, block)
    out = subprocess.run(["mtype", "-i", str(img), "::/boot/grub/menu.lst"],
                         capture_output=True, text=True, check=True).stdout
    assert "blktest" in out


def test_boot_floppy_in_qemu(boot, tmp_path):
    img = blktest_floppy(tmp_path, "blktest=.floppy:1400,.disk blkseed=11")
    m = boot(floppy=str(img))
    m.line(1).expect(r"(^|\n)ready\.\r?\n", timeout=60)
    text = until_done(m.line(1))
    assert_round_trip(text, ".floppy", 1440, block=1400, seed=11)
    assert report(text, ".disk") == {"absent": True}, text
    m.stop()
    free_block_check(img, 1400, 11)


def test_boot_floppy_in_bochs(bochs, tmp_path):
    img = blktest_floppy(tmp_path, "blktest=.floppy:1401,.disk,.ramdisk blkseed=12")
    b = bochs(floppy=str(img))
    b.wait_com1(r"blktest: done", 120)
    text = b.com1().replace("\r", "")
    assert_round_trip(text, ".floppy", 1440, block=1401, seed=12)
    assert_round_trip(text, ".ramdisk", 256, seed=12)
    assert report(text, ".disk") == {"absent": True}, text
    b.stop()
    free_block_check(img, 1401, 12)

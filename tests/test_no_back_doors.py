"""The H3sm image in the kernel reaches the world only through the five calls
(issue 4: KEY EMIT TYPE ACCEPT and the block words are built on receive, send,
read and write). Checked on the assembler's listing of the image the kernel
carries: no port I/O, no interrupt-flag or halt instruction, and every INT is one
of the five calls."""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTING = os.path.join(ROOT, "build", "h3sm-kernel.lst")
INSN = re.compile(r"^\s*\d+ [0-9A-F]{8} [0-9A-F\[\]()]+\s+(?:<\d+>\s+)?(\w+)\b\s*(.*)$", re.I)


def instructions():
    subprocess.run(["make", "-s", "build/h3sm-kernel.bin"], cwd=ROOT, check=True)
    with open(LISTING) as f:
        for line in f:
            m = INSN.match(line)
            if m:
                yield m.group(1).lower(), m.group(2).split(";")[0].strip().lower()


def test_the_image_has_no_port_io_or_privileged_instructions():
    seen = list(instructions())
    assert len(seen) > 2000, "the listing was not read"
    bad = [(op, arg) for op, arg in seen
           if op in ("in", "out", "insb", "insd", "outsb", "outsd", "cli", "sti", "hlt",
                     "lgdt", "lidt", "lldt", "ltr", "iret", "iretd")]
    assert bad == []


def test_every_int_in_the_image_is_one_of_the_five_calls():
    ints = sorted({arg for op, arg in instructions() if op == "int"})
    assert ints and set(ints) <= {"0x30", "0x31", "0x32", "0x33", "0x34"}, ints

"""H3sm on the booted kernel: the console's instance runs in ring 3 and talks to
the kernel only through the five calls. The CORE conformance test and the same
golden scripts as hosted are typed at the console (COM1) line by line."""

import os
import re

import pytest

from h3sm_run import GFORTH_TEST, SHIM, core_test_failures, golden_scripts

PROMPT = re.compile(r"  ok\r\n")
GREETING = re.compile(r"H3sm [^\r\n]* bytes free\r\n")


ERROR = re.compile(r"\r\n[^\r\n]*: [^\r\n]+\r\n")


def clean(out):
    out = out.replace("\r\n", "\n")
    return out[:-len("  ok\n")] if out.endswith("  ok\n") else out


class Console:
    """The H3sm console on a serial line: type lines, get what each printed.

    The line editor echoes a line as it reads it, and after Enter prints one
    space; so whatever comes between that and the echo of the next line is the
    first line's output. Lines are sent one after the other, never more than two
    in flight, so no ring overflows."""

    def __init__(self, line, user="root", password="ha3sm", ready=True):
        """Wait for the boot, log in if the line shows a login prompt (the default
        accounts of README.md), and wait for H3sm's prompt. Like a person, it
        types only once the terminal shows it is listening: a reader starts at
        the terminal's current count (docs/calls.md), so type-ahead is dropped."""
        self.line = line
        if ready:
            self.line.expect("ready.", timeout=30)
        if self.line.expect([GREETING, "login: "], timeout=60) == 1:
            self.line.send(user + "\r")
            self.line.expect_exact("password: ", timeout=30)
            self.line.send(password + "\r")
            self.line.expect(GREETING, timeout=60)
        self.line.send("\r")
        self.line.expect(PROMPT, timeout=30)

    def run(self, lines, timeout=30):
        """Type each line; return the list of their outputs (prompt removed)."""
        outs = []
        for i, text in enumerate(lines):
            self.line.send(text + "\r")
            self.line.expect_exact(text + " ", timeout=timeout)
            if i:
                outs.append(clean(self.line.before))
        self.line.expect([PROMPT, ERROR], timeout=timeout)
        last = self.line.before + (self.line.after if self.line.match.re is ERROR else "")
        outs.append(clean(last))
        return outs

    def type(self, text, timeout=30):
        return self.run([text], timeout)[0]


@pytest.fixture
def console(boot):
    m = boot(append="console=com1")
    return Console(m.line(1))


def script_lines(path):
    with open(path, encoding="latin-1") as f:
        return [l.rstrip("\n").replace("\t", " ") for l in f]


def ttester_expanded():
    """gforth's tester.fs with its INCLUDED of ttester.fs expanded in place: the
    kernel's H3sm has no files, only its terminal."""
    out = []
    for l in script_lines(os.path.join(GFORTH_TEST, "tester.fs")):
        if "INCLUDED" in l and "ttester" in l:
            out += script_lines(os.path.join(GFORTH_TEST, "ttester.fs"))
        else:
            out.append(l)
    return out


def test_core_conformance_on_the_kernel(console):
    assert GFORTH_TEST
    lines = script_lines(SHIM) + ttester_expanded() + \
        script_lines(os.path.join(GFORTH_TEST, "coretest.fs"))
    outs = console.run([l for l in lines if l.strip()], timeout=60)
    text = "".join(outs)
    assert core_test_failures(text) == []
    errors = [o for o in outs if ERROR.search(o.replace("\n", "\r\n"))]
    assert errors == []
    assert "YOU SHOULD SEE 0-9 SEPARATED BY A SPACE:\n0 1 2 3 4 5 6 7 8 9 \n" in text
    assert console.type("1 2 + .") == "3 "


@pytest.mark.parametrize("name,script,expected", golden_scripts(),
                         ids=[g[0] for g in golden_scripts()])
def test_golden_script_on_the_kernel(console, name, script, expected):
    out = "".join(console.run([l for l in script_lines(script) if l.strip()]))
    with open(expected) as f:
        assert out == f.read()


def test_kernel_errors_keep_the_dictionary(console):
    console.type(": keep 42 ;")
    assert console.type("nosuchword") == "\nnosuchword: undefined word\n"
    assert console.type("keep .") == "42 "
    assert console.type("1 0 /") == "\n/: division by zero\n"
    assert console.type("drop") == "\ndrop: data stack underflow\n"
    assert console.type("pdrop") == "\npdrop: pointer stack underflow\n"
    # a word that runs past the limit and returns is caught, and nothing is hurt
    assert console.type(": many 1500 0 do i loop ; many") == "\nmany: data stack overflow\n"
    assert console.type(": pmany 700 0 do i >p loop ; pmany") == "\npmany: pointer stack overflow\n"
    # A runaway push loop is caught by the segment limit on real hardware and in
    # Bochs; QEMU's TCG does not check segment limits (docs/platform.md), so that
    # case is not run here.
    assert console.type("keep . depth .") == "42 0 "


def test_kernel_cpu_faults_become_errors(console):
    # an instruction the CPU refuses is a THROW in the instance, not a panic
    console.type(": ud2 [ $0b0f , ] ;")
    assert console.type("ud2").endswith(": illegal instruction\n")
    assert console.type("7 .") == "7 "
    console.type(": hlt! [ $f4 c, ] ;")      # HLT is privileged in ring 3: #GP
    assert console.type("hlt!").endswith(": invalid memory address\n")
    assert console.type("8 .") == "8 "


def test_backspace_edits_the_line_on_the_kernel(console):
    console.line.send("12\x7f3 4 + . \r")
    console.line.expect(r"17\s+ok", timeout=10)


def test_blocks_use_the_ram_disk_through_the_calls(console):
    # no -hda: BLOCK's device is the RAM disk; UPDATE FLUSH write, LOAD reads
    console.type('1 block 1024 blank s" 6 7 * ." 1 block swap move update flush')
    assert console.type("empty-buffers 1 load") == "42 "
    assert console.type("1 list").startswith("Block 1 \n 0 6 7 * .")
    assert console.type("use .nothing").endswith("use: non-existent file or device\n")
    assert console.type("use .floppy 2 block").endswith("block: block read exception\n")
    assert console.type("5 .") == "5 "                  # still alive, still ours


def test_blocks_persist_on_a_disk_across_a_reboot(boot, tmp_path):
    disk = tmp_path / "disk.img"
    disk.write_bytes(b"\0" * (1 << 20))
    m = boot(append="console=com1", drives=[str(disk)])
    first = Console(m.line(1))
    first.type('3 block 1024 blank s" .( persisted) 40 2 + ." 3 block swap move update')
    first.type("flush")
    m.stop()
    assert b"persisted" in disk.read_bytes()[2048:3072]   # H3sm block 3 = device block 2
    second = Console(boot(append="console=com1", drives=[str(disk)]).line(1))
    assert second.type("3 load") == "persisted42 "


def test_arrow_keys_do_not_type_into_the_line(boot):
    # the PS/2 arrows send ESC [ A ...; the line editor drops whole sequences
    machine = boot(append="login=off")
    machine.wait_screen(r"H3sm .* bytes free", 30)
    machine.sendkeys("1 2")
    for key in ("up", "left", "delete", "pgup"):
        machine.sendkey(key)
    machine.sendkeys(" + . ")
    machine.sendkey("ret")
    machine.wait_screen(r"1 2 \+ \.\s+3\s+ok", 20)


def test_blocks_persist_on_a_floppy_across_a_reboot(boot, tmp_path):
    # the floppy driver (controller + ISA DMA) reached through read and write
    fd = tmp_path / "fd.img"
    fd.write_bytes(b"\0" * 1474560)
    drive = {"file": str(fd), "if": "floppy"}
    m = boot(append="console=com1", drives=[drive])
    first = Console(m.line(1))
    first.type("use .floppy")
    first.type('7 block 1024 blank s" .( on-floppy) 6 7 * ." 7 block swap move update')
    first.type("flush", timeout=60)
    m.stop()
    assert b"on-floppy" in fd.read_bytes()[6144:7168]     # H3sm block 7 = device block 6
    second = Console(boot(append="console=com1", drives=[drive]).line(1))
    second.type("use .floppy")
    assert second.type("7 load", timeout=60) == "on-floppy42 "


def test_a_reply_survives_waiting_for_the_next_line(console):
    # waiting for keys rests (an internal please): it must not touch the user's reply
    assert console.type('PLEASE" identify" .') == "-1 "
    import time
    time.sleep(0.5)                      # many rests while the line editor waits
    assert console.type(".REPLY").startswith("Ha3sm 0.1")

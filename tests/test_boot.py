"""Boot tests: every way Ha3sm starts, and what docs/contracts.md promises at boot.

    -kernel (fast), the floppy and the ISO through GRUB legacy, the floppy in Bochs;
    the banner on VGA and COM1; the console (H3sm answers) on VGA by default, on COM1
    with console=com1 by -append and by GRUB's second entry;
    unknown options named; keyboard echo on VGA; echo on the serial lines;
    crash= panics with the exception, registers and a symbol, then a halted CPU.
"""

import os
import re
import subprocess

import pytest

import ha3sm

BANNER = "Ha3sm 0.1 -- Hohensee's autonomous 3-stack machine"
NL = r"\r?\n"


def banner_re(cmdline):
    """The banner as a regex; cmdline is a regex for the command line shown."""
    return (re.escape(BANNER) + NL + r"memory: (\d+) KiB" + NL +
            r"command line: (" + cmdline + r")" + NL)


def expect_banner(line, cmdline=r"[^\r\n]*", timeout=15):
    """Wait on a serial line for the banner then `ready.`; the command line shown."""
    line.expect(banner_re(cmdline), timeout=timeout)
    kib, shown = int(line.match.group(1)), line.match.group(2).strip()
    line.expect(r"(^|\n)ready\." + NL, timeout=timeout)
    assert 60 * 1024 <= kib <= 64 * 1024, "memory: %d KiB with -m 64" % kib
    return shown, line.before


def screen_banner(m, cmdline=r"[^\n]*", timeout=15):
    """Wait for the banner and `ready.` on the VGA screen; the screen text."""
    m.wait_screen(re.escape(BANNER) + r"\nmemory: \d+ KiB\ncommand line: " + cmdline
                  + r"\n(.*\n)*ready\.$", timeout)
    return m.screen()


# ---- the three ways QEMU boots it, and Bochs

def test_kernel_boot_banner_on_com1_and_vga(machine):
    shown, _ = expect_banner(machine.line(1))
    # QEMU's -kernel gives the kernel's path as the command line: skipped or shown whole.
    assert shown == "(none)" or shown.endswith("kernel.elf"), shown
    screen_banner(machine)


def test_floppy_boots_through_grub(boot):
    m = boot(floppy=True)
    shown, _ = expect_banner(m.line(1), timeout=30)
    assert shown == "/boot/kernel.elf"
    screen = screen_banner(m, timeout=10)
    assert "GNU GRUB" not in screen


def test_iso_boots_through_grub(boot):
    m = boot(iso=True)
    shown, _ = expect_banner(m.line(1), timeout=30)
    assert shown == "/boot/kernel.elf"
    screen_banner(m, timeout=10)


def test_grub_menu_offers_both_consoles(boot):
    m = boot(floppy=True)
    m.wait_screen(r"GNU GRUB", 20)
    screen = m.wait_screen(r"Ha3sm, console on COM1", 5).string
    first = screen.index("Ha3sm, console on VGA + keyboard")
    assert first < screen.index("Ha3sm, console on COM1")


def test_floppy_in_bochs(bochs):
    b = bochs()
    b.wait_com1(re.escape(BANNER) + NL + r"memory: \d+ KiB" + NL +
                r"command line: /boot/kernel.elf" + NL + r"(.*\n)*ready\." + NL, 90)
    # Bochs's BIOS leaves the UART at 5 data bits: this banner proves the kernel set 8N1.
    b.wait_display(r"ready\.", 30)
    b.sendkeys("Typed in Bochs: 1+2=3")
    b.wait_display(r"Typed in Bochs: 1\+2=3", 30)


# ---- the kernel command line

def com1_is_the_console(m):
    """COM1 carries the console: its login prompt takes the owner, whose H3sm
    answers there (docs/users.md has the default accounts)."""
    m.line(1).expect("Ha3sm login: ", timeout=30)
    m.line(1).send("root\r")
    m.line(1).expect_exact("password: ", timeout=10)
    m.line(1).send("ha3sm\r")
    m.line(1).expect(r"H3sm [^\r\n]* bytes free", timeout=30)
    m.line(1).sendline("6 7 * .")
    m.line(1).expect(r"6 7 \* \.\s+42\s+ok", timeout=10)


def test_console_com1_by_append(boot):
    m = boot(append="console=com1")
    shown, between = expect_banner(m.line(1), r"\S*kernel\.elf console=com1|console=com1")
    assert "unknown option" not in between
    screen_banner(m)
    com1_is_the_console(m)


def test_console_vga_is_the_default(machine):
    expect_banner(machine.line(1))
    machine.wait_screen(r"Ha3sm login:\s*$", 30)
    machine.sendkeys("root\n")
    machine.wait_screen(r"password:\s*$", 10)
    machine.sendkeys("ha3sm\n")
    machine.wait_screen(r"H3sm .* bytes free", 30)
    machine.sendkeys("6 7 * .\n")
    machine.wait_screen(r"6 7 \* \.\s+42\s+ok", 10)
    # COM1 is then an ordinary line with a guest login prompt; H3sm is not there.
    machine.line(1).expect("Ha3sm login: ", timeout=30)
    assert "42" not in machine.line(1).log()


def test_console_com1_by_grub_second_entry(boot):
    m = boot(floppy=True)
    m.wait_screen(r"Ha3sm, console on COM1", 20)
    m.sendkey("down")
    m.sendkey("ret")
    shown, between = expect_banner(m.line(1), timeout=30)
    assert shown == "/boot/kernel.elf console=com1"
    assert "unknown option" not in between
    com1_is_the_console(m)


def test_unknown_options_are_named_and_ignored(boot):
    m = boot(append="console=vga frobnicate=7 zz")
    _, between = expect_banner(m.line(1), r"\S*kernel\.elf console=vga frobnicate=7 zz|"
                                          r"console=vga frobnicate=7 zz")
    named = re.findall(r"unknown option: (\S+) \(ignored\)", between)
    assert named == ["frobnicate=7", "zz"]
    screen = screen_banner(m)
    assert "unknown option: frobnicate=7 (ignored)\nunknown option: zz (ignored)\nready." \
        in screen


# ---- keyboard and serial echo: single-user mode (login=off), as before login existed

@pytest.fixture
def single(boot):
    """login=off: the console's owner H3sm with no login; serial lines echo."""
    return boot(append="login=off")


@pytest.mark.parametrize("text", ["hello world 42",
                                  "Hello, World! ABC xyz",
                                  "!@#$%^&*()_+-=[]{};:'\",.<>/?\\|`~"])
def test_typed_keys_appear_on_vga(single, text):
    expect_banner(single.line(1))
    single.wait_screen(r"H3sm .* bytes free", 30)
    single.sendkeys(text)
    single.wait_screen(re.escape(text), 10)


def test_enter_starts_a_new_line_on_vga(single):
    expect_banner(single.line(1))
    single.wait_screen(r"H3sm .* bytes free", 30)
    single.sendkeys("first\nsecond\n")
    single.wait_screen(r"first\s*\n(.*\n)*second", 10)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_serial_line_echoes(single, n):
    machine = single
    expect_banner(machine.line(1))
    line = machine.line(n)
    text = "echo on COM%d: Hello, 123 !?" % n
    line.sendline(text)
    line.expect_exact(text + "\r\n", timeout=10)


def test_serial_echo_keeps_lines_apart(single):
    machine = single
    expect_banner(machine.line(1))
    machine.line(2).sendline("two")
    machine.line(3).sendline("three")
    machine.line(3).expect_exact("three\r\n")
    machine.line(2).expect_exact("two\r\n")
    assert "three" not in machine.line(2).log()
    assert "two" not in machine.line(3).log()
    assert "two" not in machine.line(4).log() and "three" not in machine.line(4).log()


# ---- panics

CRASHES = {  # option: (vector, a word the exception's name must contain)
    "de": (0, r"divide"),
    "bp": (3, r"breakpoint"),
    "ud": (6, r"invalid opcode|undefined"),
    "np": (11, r"not present"),
    "ss": (12, r"stack"),
    "gp": (13, r"general protection"),
}

H8 = r"[0-9a-fA-F]{8}"
H4 = r"[0-9a-fA-F]{4}"
PANIC = (r"PANIC: (?P<name>[^\r\n]+) \(vector (?P<vector>\d+)\) error code 0x" + H8 + NL +
         r"eip=" + H8 + r" (?P<symbol>[A-Za-z_.$][\w.$]*)\+0x[0-9a-fA-F]+  cs=" + H4 +
         r" eflags=" + H8 + NL +
         r"eax=" + H8 + r" ebx=" + H8 + r" ecx=" + H8 + r" edx=" + H8 + NL +
         r"esi=" + H8 + r" edi=" + H8 + r" ebp=" + H8 + r" esp=" + H8 + NL +
         r"ds=" + H4 + r" es=" + H4 + r" fs=" + H4 + r" gs=" + H4 + r" ss=" + H4 +
         r" cr0=" + H8 + r" cr2=" + H8 + NL +
         r"system halted\.")


@pytest.mark.parametrize("crash", sorted(CRASHES))
def test_crash_option_panics_with_registers_and_symbol(boot, crash):
    vector, word = CRASHES[crash]
    m = boot(append="crash=" + crash)
    com1 = m.line(1)
    com1.expect(re.escape(BANNER), timeout=15)
    com1.expect(PANIC, timeout=15)
    assert int(com1.match.group("vector")) == vector
    assert re.search(word, com1.match.group("name"), re.I), com1.match.group("name")
    assert "unknown option" not in com1.before
    # The same report on the VGA screen (the lines may be cut at 80 columns).
    m.wait_screen(r"PANIC: .*\(vector %d\)(.*\n)*.*system halted\." % vector, 10)
    # Then the CPU halts with interrupts off.
    regs = m.monitor("info registers")
    assert "HLT=1" in regs, regs
    eflags = int(re.search(r"EFL=([0-9a-f]+)", regs).group(1), 16)
    assert not eflags & 0x200, "interrupts still on after the panic: EFL=%x" % eflags


# ---- the image builder

def test_floppy_refuses_a_kernel_too_large(tmp_path):
    big = tmp_path / "big.elf"
    big.write_bytes(os.urandom(1500 * 1024))
    out = tmp_path / "floppy.img"
    r = subprocess.run([os.path.join(ha3sm.ROOT, "floppy.img.sh"), str(big), str(out)],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert not out.exists()
    assert re.fullmatch(r"floppy\.img\.sh: \S*big\.elf is \d+ bytes without debug sections "
                        r"but only \d+ fit on the floppy \(\d+ too many\)\n", r.stderr), r.stderr

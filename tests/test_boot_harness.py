"""The harness itself (tests/ha3sm.py): what every other booted test relies on."""

import os
import re

import pytest

import ha3sm


def test_keys_for_every_printable_character():
    for code in range(0x20, 0x7F):
        keys = ha3sm.keys_for(chr(code))
        assert 1 <= len(keys) <= 2
    assert ha3sm.keys_for("A") == ("shift", "a")
    assert ha3sm.keys_for("?") == ("shift", "slash")
    assert ha3sm.keys_for(" ") == ("spc",)
    assert ha3sm.keys_for("\n") == ("ret",)
    assert ha3sm.keys_for("\b") == ("backspace",)
    with pytest.raises(ValueError):
        ha3sm.keys_for("\x01")


def test_stop_leaves_nothing_behind():
    m = ha3sm.Machine()
    m.start()
    m.line(1).expect(r"ready\.")
    tmp, proc = m.tmp, m.proc
    assert os.path.isdir(tmp) and proc.poll() is None
    m.stop()
    assert not os.path.exists(tmp)
    assert proc.poll() is not None  # reaped: no zombie
    m.stop()  # twice is harmless


def test_failure_inside_with_prints_a_dump_and_cleans_up(capsys):
    with pytest.raises(AssertionError):
        with ha3sm.Machine(append="console=vga") as m:
            m.line(1).expect(r"ready\.")
            tmp = m.tmp
            assert False, "on purpose"
    err = capsys.readouterr().err
    assert "---- COM1" in err and "ready." in err
    assert "---- VGA screen" in err
    assert not os.path.exists(tmp)


def test_screen_has_25_lines_of_at_most_80(machine):
    machine.line(1).expect(r"ready\.")
    lines = machine.screen_text()
    assert len(lines) == 25
    assert all(len(line) <= 80 for line in lines)


def test_monitor_and_qmp(machine):
    assert "EIP=" in machine.monitor("info registers")
    assert machine.qmp("query-status")["status"] == "running"


def test_icount_boots(boot):
    m = boot(icount=True)
    m.line(1).expect(r"ready\.", timeout=30)
    assert "-icount" in m.args({1: "", 2: "", 3: "", 4: "", "qmp": ""})


def test_extra_drive_and_options(boot, tmp_path):
    disk = tmp_path / "disk.img"
    disk.write_bytes(bytes(1024 * 1024))
    m = boot(drives=[str(disk)], memory=32, extra=["-rtc", "base=utc"])
    m.line(1).expect(r"memory: (\d+) KiB")
    assert int(m.line(1).match.group(1)) <= 32 * 1024
    assert re.search(r"ide", m.monitor("info block"))


def test_a_bad_option_is_reported_at_start():
    with pytest.raises(ha3sm.QemuError, match="QEMU ended at start"):
        ha3sm.Machine(extra=["-no-such-option"]).start()

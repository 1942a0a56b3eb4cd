"""ha3sm.py: boot Ha3sm in QEMU (or Bochs) and talk to it, for the tests.

Interface
    Machine(kernel=..., append=..., floppy=..., iso=..., ...)   a QEMU, headless
        .start() / .stop(), or `with Machine(...) as m:`
        .line(n)             COMn (1-4) as a pexpect object: expect, send, sendline, ...
        .sendkeys(text)      type text on the PS/2 keyboard ("\\n" is Enter)
        .sendkey(name, ...)  press one QEMU key (qcode) chord: sendkey("down"),
                             sendkey("ctrl", "c")
        .screen_text()       the 25 lines of the VGA text screen, a list of str
        .screen()            the same, one str with "\\n" between lines
        .wait_screen(regex, timeout)   poll the screen until regex matches; the match
        .monitor(cmd)        a human monitor command ("info registers"); its output
        .qmp(cmd, **args)    a QMP command; its "return" value
        .wait_exit(timeout)  wait for QEMU to end (isa-debug-exit); its exit status
        .dump()              the last output of each line, the screen and QEMU's stderr
    Bochs(floppy=...)        Bochs booting the floppy, headless; COM1 goes to a file
        .start() / .stop(), or `with Bochs() as b:`
        .wait_com1(regex, timeout)     poll COM1's output until regex matches
        .com1()              all of COM1's output so far
        .sendkeys(text)      type on the keyboard
        .wait_display(regex, timeout), .display()   a rough transcript of the screen
    ROOT, KERNEL, FLOPPY, ISO   the repository and the images `make` builds there
                         (HA3SM_KERNEL, HA3SM_FLOPPY, HA3SM_ISO override them)

Rules
    Nothing the guest writes is lost: the harness listens on a unix socket for each
    serial line and for QMP before QEMU starts, and QEMU connects to them as a client.
    A thread per line drains its socket at once, so a guest never stalls on a line
    nobody reads, and keeps everything for expect() and for dump().
    stop() always quits QEMU (QMP quit, then kill), joins the threads and removes the
    temporary folder; __exit__ prints dump() to stderr when the block raised.
    Default QEMU: -m 64, -display none, no network, -no-reboot, isa-debug-exit at 0xf4.
    The built floppy (floppy=True) boots with snapshot=on: tests never change it and
    may boot it side by side. The screen is read with QMP pmemsave of 0xb8000.

Example
    with Machine(append="console=com1") as m:
        m.line(1).expect("ready.")
        m.line(1).sendline("1 2 + .")
        m.sendkeys("hello\\n")
        m.wait_screen(r"hello")
"""

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tty

import pexpect
from pexpect.spawnbase import SpawnBase

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.environ.get("HA3SM_KERNEL", os.path.join(ROOT, "kernel.elf"))
FLOPPY = os.environ.get("HA3SM_FLOPPY", os.path.join(ROOT, "floppy.img"))
ISO = os.environ.get("HA3SM_ISO", os.path.join(ROOT, "ha3sm.iso"))
QEMU = os.environ.get("QEMU", "qemu-system-i386")
BOCHS = os.environ.get("BOCHS", "bochs")

# Characters to QEMU key codes (qcodes); a shifted character is ("shift", key).
_KEYS = {" ": "spc", "\n": "ret", "\r": "ret", "\t": "tab", "\b": "backspace",
         "\x1b": "esc", "-": "minus", "=": "equal", "[": "bracket_left",
         "]": "bracket_right", "\\": "backslash", ";": "semicolon",
         "'": "apostrophe", "`": "grave_accent", ",": "comma", ".": "dot",
         "/": "slash"}
_SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
            "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal",
            "{": "bracket_left", "}": "bracket_right", "|": "backslash",
            ":": "semicolon", '"': "apostrophe", "~": "grave_accent", "<": "comma",
            ">": "dot", "?": "slash"}


def keys_for(ch):
    """The QEMU key chord (a tuple of qcodes) that types the character ch."""
    if ch.isascii() and (ch.islower() or ch.isdigit()):
        return (ch,)
    if ch.isascii() and ch.isupper():
        return ("shift", ch.lower())
    if ch in _KEYS:
        return (_KEYS[ch],)
    if ch in _SHIFTED:
        return ("shift", _SHIFTED[ch])
    raise ValueError("no key types %r" % ch)


def _tail(text, lines=30):
    return "\n".join(text.splitlines()[-lines:])


class Line(SpawnBase):
    """One serial line, as a pexpect object (expect, send, sendline, before, ...).

    A thread moves bytes from the socket to a queue as soon as they arrive; log()
    is everything received so far. sendline() ends the line with CR, as a terminal's
    Enter key does.
    """

    def __init__(self, sock, name, timeout=10):
        super().__init__(timeout=timeout, encoding="utf-8", codec_errors="replace")
        self.linesep = "\r"
        self.name = name
        self.sock = sock
        self.closed = False
        self._received = bytearray()
        self._queue = queue.Queue()
        self._pending = b""
        self._eof = False
        self._thread = threading.Thread(target=self._pump, name=name, daemon=True)
        self._thread.start()

    def _pump(self):
        while True:
            try:
                data = self.sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                self._queue.put(None)
                return
            self._received += data
            self._queue.put(data)

    def read_nonblocking(self, size=1, timeout=None):
        if timeout == -1:
            timeout = self.timeout
        if not self._pending and not self._eof:
            try:
                chunk = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise pexpect.TIMEOUT("%s: timed out" % self.name) from None
            if chunk is None:
                self._eof = True
            else:
                self._pending = chunk
                while len(self._pending) < size:  # take what else has come
                    try:
                        chunk = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if chunk is None:
                        self._eof = True
                        break
                    self._pending += chunk
        if not self._pending:
            self.flag_eof = True
            raise pexpect.EOF("%s closed" % self.name)
        data, self._pending = self._pending[:size], self._pending[size:]
        text = self._decoder.decode(data, final=False)
        self._log(text, "read")
        return text

    def send(self, s):
        s = self._coerce_send_string(s)
        self._log(s, "send")
        data = self._encoder.encode(s, final=False)
        self.sock.sendall(data)
        return len(data)

    def sendline(self, s=""):
        """Send s and a CR (what Enter sends on a serial terminal)."""
        return self.send(s + self.linesep)

    def write(self, s):
        self.send(s)

    def log(self):
        """Everything received on this line so far, as text."""
        return bytes(self._received).decode("utf-8", "replace")

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self._thread.join(2)

    def isalive(self):
        return not self._eof

    def __str__(self):
        return "<%s: last output %r>" % (self.name, self.log()[-200:])


class QemuError(Exception):
    pass


class Machine:
    """A QEMU PC running Ha3sm, headless, with four serial lines and QMP.

    What to boot: kernel= (a multiboot ELF, -kernel; default KERNEL when nothing else
    is given) with append= (its command line), floppy= (a floppy image, boots from it),
    iso= (a CD image, boots from it). True means the image `make` builds; that floppy
    boots with snapshot=on (writes are dropped; snapshot= says otherwise).
    drives: more disks, each a path (an IDE disk) or a dict of -drive options
    ({"file": path, "if": "floppy"}). memory in MiB. icount: True for
    "shift=0,sleep=off" (guest rdtsc counts instructions) or a -icount string.
    extra: more QEMU arguments. timeout: the default for expect() and waits.
    """

    def __init__(self, kernel=None, append=None, floppy=None, iso=None, drives=(),
                 memory=64, icount=None, extra=(), timeout=10, name=None, snapshot=None):
        if kernel is None and floppy is None and iso is None:
            kernel = True
        # The built floppy is shared by every test (and `make run`): boot it in
        # snapshot mode, so writes vanish and QEMU's image lock is a shared one.
        self.snapshot = (floppy is True) if snapshot is None else snapshot
        self.kernel = KERNEL if kernel is True else kernel
        self.floppy = FLOPPY if floppy is True else floppy
        self.iso = ISO if iso is True else iso
        self.append = append
        self.drives = list(drives)
        self.memory = memory
        self.icount = "shift=0,sleep=off" if icount is True else icount
        self.extra = list(extra)
        self.timeout = timeout
        self.name = name or self._describe()
        self.proc = None
        self.tmp = None
        self.lines = {}
        self._qmp = None
        self._qmp_buf = b""
        self._listeners = []

    def _describe(self):
        what = [os.path.basename(p) for p in (self.kernel, self.floppy, self.iso) if p]
        if self.append is not None:
            what.append(repr(self.append))
        return "QEMU " + " ".join(what)

    # ---- starting and stopping

    def args(self, sockets):
        """The QEMU command line, given the unix socket paths (serial 1-4, qmp)."""
        a = [QEMU, "-m", str(self.memory), "-display", "none", "-nic", "none",
             "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=1"]
        for n in range(1, 5):
            a += ["-serial", "unix:" + sockets[n]]
        a += ["-qmp", "unix:" + sockets["qmp"], "-monitor", "none"]
        if self.kernel:
            a += ["-kernel", self.kernel]
            if self.append is not None:
                a += ["-append", self.append]
        if self.floppy:
            a += ["-drive", "file=%s,format=raw,if=floppy%s"
                  % (self.floppy, ",snapshot=on" if self.snapshot else "")]
        if self.iso:
            a += ["-drive", "file=%s,format=raw,media=cdrom,readonly=on" % self.iso]
        for d in self.drives:
            if isinstance(d, str):
                d = {"file": d, "if": "ide"}
            d = dict({"format": "raw"}, **d)
            a += ["-drive", ",".join("%s=%s" % kv for kv in d.items())]
        if not self.kernel:
            a += ["-boot", "a" if self.floppy else "d"]
        if self.icount:
            a += ["-icount", self.icount]
        return a + self.extra

    def start(self):
        for what in (self.kernel, self.floppy, self.iso):
            if what and not os.path.exists(what):
                raise QemuError("%s missing: build it first (make)" % what)
        self.tmp = tempfile.mkdtemp(prefix="ha3sm-")
        paths = {n: os.path.join(self.tmp, "com%d" % n) for n in range(1, 5)}
        paths["qmp"] = os.path.join(self.tmp, "qmp")
        for key in (1, 2, 3, 4, "qmp"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(paths[key])
            s.listen(1)
            s.settimeout(0.2)
            self._listeners.append((key, s))
        self.stderr_path = os.path.join(self.tmp, "qemu.err")
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.args(paths), stdin=subprocess.DEVNULL,
                                         stdout=err, stderr=err)
        try:
            conns = {}
            for key, s in self._listeners:
                conns[key] = self._accept(s)
            for n in range(1, 5):
                self.lines[n] = Line(conns[n], "COM%d" % n, self.timeout)
            self._qmp = conns["qmp"]
            self._qmp.settimeout(None)
            self._qmp_read()  # the greeting
            self.qmp("qmp_capabilities")
        except (OSError, QemuError) as e:
            try:
                self.proc.wait(1)
            except subprocess.TimeoutExpired:
                pass
            ended = self.proc.poll() is not None
            err = self.stderr()
            self.stop()
            if ended:
                raise QemuError("QEMU ended at start: " + err) from e
            raise
        except BaseException:
            self.stop()
            raise
        return self

    def _accept(self, listener):
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                conn, _ = listener.accept()
                conn.settimeout(None)
                return conn
            except socket.timeout:
                if self.proc.poll() is not None:
                    raise QemuError("QEMU ended at start: " + self.stderr())
        raise QemuError("QEMU did not connect: " + self.stderr())

    def stop(self):
        """Quit QEMU (QMP quit, then SIGKILL), close everything, remove the folder."""
        if self.proc and self.proc.poll() is None:
            try:
                if self._qmp:
                    self._qmp.settimeout(2)
                    self._qmp_send({"execute": "quit"})
            except OSError:
                pass
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._qmp:
            self._qmp.close()
            self._qmp = None
        for line in self.lines.values():
            line.close()
        for _, s in self._listeners:
            s.close()
        self._listeners = []
        if self.tmp:
            self._last_stderr = self.stderr()
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, etype, value, tb):
        if etype is not None:
            try:
                sys.stderr.write(self.dump())
            except Exception as e:  # the dump must not hide the real error
                sys.stderr.write("(no dump: %s)\n" % e)
        self.stop()
        return False

    def wait_exit(self, timeout=None):
        """Wait for QEMU to end by itself; its exit status (isa-debug-exit: 2V+1)."""
        return self.proc.wait(self.timeout if timeout is None else timeout)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr(self):
        """What QEMU wrote on its stdout and stderr."""
        if self.tmp is None:
            return getattr(self, "_last_stderr", "")
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    # ---- serial lines

    def line(self, n):
        """COMn (1-4) as a pexpect object."""
        return self.lines[n]

    # ---- QMP and the human monitor

    def _qmp_send(self, obj):
        self._qmp.sendall(json.dumps(obj).encode() + b"\n")

    def _qmp_read(self):
        while b"\n" not in self._qmp_buf:
            data = self._qmp.recv(65536)
            if not data:
                raise QemuError("QMP closed: " + self.stderr())
            self._qmp_buf += data
        line, self._qmp_buf = self._qmp_buf.split(b"\n", 1)
        return json.loads(line)

    def qmp(self, command, **arguments):
        """Run a QMP command; its "return" value. Events on the way are skipped."""
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self._qmp_send(msg)
        while True:
            reply = self._qmp_read()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise QemuError("%s: %s" % (command, reply["error"].get("desc")))

    def monitor(self, command):
        """Run a human monitor command ("info registers"); its output."""
        return self.qmp("human-monitor-command", **{"command-line": command})

    # ---- keyboard

    def sendkey(self, *keys, hold_ms=20):
        """Press one chord of QEMU key names together: sendkey("ret"),
        sendkey("shift", "a"), sendkey("ctrl", "alt", "delete")."""
        self.qmp("send-key", keys=[{"type": "qcode", "data": k} for k in keys],
                 **{"hold-time": hold_ms})

    def sendkeys(self, text, hold_ms=20):
        """Type text on the PS/2 keyboard, one key at a time ("\\n" is Enter).
        Returns at once: QEMU keeps the keys in order and plays them out."""
        for ch in text:
            self.sendkey(*keys_for(ch), hold_ms=hold_ms)

    type = sendkeys

    # ---- VGA text screen

    def screen_bytes(self):
        """The 4000 bytes of the VGA text screen at 0xb8000 (character, attribute)."""
        path = os.path.join(self.tmp, "screen.bin")
        self.qmp("pmemsave", val=0xB8000, size=4000, filename=path)
        with open(path, "rb") as f:
            return f.read()

    def screen_text(self):
        """The 25 lines of the VGA text screen (code page 437), trailing blanks cut."""
        chars = bytes(b or 0x20 for b in self.screen_bytes()[0::2])
        text = chars.decode("cp437")
        return [text[i:i + 80].rstrip() for i in range(0, 2000, 80)]

    def screen(self):
        """The VGA text screen as one string, lines joined by "\\n"."""
        return "\n".join(self.screen_text())

    def wait_screen(self, regex, timeout=None):
        """Poll the screen until regex (re.M) matches; the match. Fails after timeout."""
        timeout = self.timeout if timeout is None else timeout
        pattern = re.compile(regex, re.M)
        deadline = time.time() + timeout
        while True:
            text = self.screen()
            m = pattern.search(text)
            if m:
                return m
            if time.time() > deadline:
                raise AssertionError("screen did not show %r in %ss; it shows:\n%s"
                                     % (regex, timeout, text))
            if not self.alive():
                raise AssertionError("QEMU ended before the screen showed %r:\n%s"
                                     % (regex, self.stderr()))
            time.sleep(0.1)

    # ---- debugging

    def dump(self):
        """A report for a failed test: each line's last output, the screen, QEMU."""
        out = ["", "==== %s: %s" % (self.name, " ".join(self.args(
            {1: "COM1", 2: "COM2", 3: "COM3", 4: "COM4", "qmp": "QMP"})))]
        for n, line in sorted(self.lines.items()):
            out.append("---- COM%d (last lines)" % n)
            out.append(_tail(line.log()))
        out.append("---- VGA screen")
        try:
            out.append(self.screen().rstrip("\n") if self.alive() and self.tmp
                       else "(QEMU not running)")
        except Exception as e:
            out.append("(cannot read the screen: %s)" % e)
        out.append("---- QEMU stderr")
        out.append(_tail(self.stderr()))
        return "\n".join(out) + "\n"


class Bochs:
    """Bochs booting a floppy (default FLOPPY) through GRUB legacy, headless.

    Debian's Bochs is built with its debugger: tools/bochs.rc says "c" so it runs at
    once. Its display is "term" (tools/bochsrc), which in a debugger build draws with
    curses on a new pseudo-terminal and says which ("Bochs connected to screen
    /dev/pts/N"). The harness opens that terminal in raw mode, drains it in a thread
    (so Bochs never blocks on it) and types into it (sendkeys: the PS/2 keyboard).
    COM1 goes to a file. stop() kills Bochs's process group.
    """

    def __init__(self, floppy=None, timeout=60, name=None):
        self.floppy = os.path.abspath(floppy or FLOPPY)
        self.timeout = timeout
        self.name = name or "Bochs " + os.path.basename(self.floppy)
        self.proc = None
        self.tmp = None
        self.pts = None
        self._display = bytearray()
        self._thread = None
        self._com1 = ""
        self._log = ""

    def start(self):
        if not os.path.exists(self.floppy):
            raise QemuError("%s missing: build it first (make floppy.img)" % self.floppy)
        self.tmp = tempfile.mkdtemp(prefix="ha3sm-bochs-")
        env = dict(os.environ,
                   BOCHS_FLOPPY=self.floppy,
                   BOCHS_SERIAL=os.path.join(self.tmp, "com1"),
                   BOCHS_LOG=os.path.join(self.tmp, "bochs.log"),
                   TERM="xterm")
        with open(os.path.join(self.tmp, "bochs.out"), "wb") as out:
            self.proc = subprocess.Popen(
                [BOCHS, "-q", "-f", os.path.join(ROOT, "tools", "bochsrc"),
                 "-rc", os.path.join(ROOT, "tools", "bochs.rc")],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=env, start_new_session=True, cwd=self.tmp)
        try:
            self._open_display()
        except BaseException:
            self.stop()
            raise
        return self

    def _open_display(self):
        deadline = time.time() + 20
        while True:
            m = re.search(r'connected to screen "([^"]+)"', self._read("bochs.out"))
            if m:
                break
            if self.proc.poll() is not None or time.time() > deadline:
                raise QemuError("Bochs did not start:\n" + _tail(self._read("bochs.out")))
            time.sleep(0.02)
        self.pts = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.pts)  # no echo: what Bochs draws must not come back as keys
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self):
        while True:
            try:
                data = os.read(self.pts, 4096)
            except OSError:
                return
            if not data:
                return
            self._display += data

    def _read(self, name):
        try:
            with open(os.path.join(self.tmp, name), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def sendkeys(self, text, delay=0.1):
        """Type text on the PS/2 keyboard ("\n" is Enter) through the term display,
        one key per delay seconds (Bochs's keyboard buffer holds 16 scancodes)."""
        for ch in text.replace("\n", "\r"):
            os.write(self.pts, ch.encode())
            time.sleep(delay)

    def display(self):
        """What Bochs drew on its display so far, escape sequences removed: a rough
        transcript of the VGA screen, not a picture of it."""
        raw = bytes(self._display).decode("latin-1")
        raw = re.sub(r"\x1b\[(\d*)C", lambda m: " " * int(m.group(1) or 1), raw)
        return re.sub(r"\x1b(\[[0-9;?]*[A-Za-z]|\([A-Z0-9]|[=>])", "", raw)

    def com1(self):
        """Everything Bochs's COM1 received so far."""
        if self.tmp:
            self._com1 = self._read("com1")
        return self._com1

    def log(self):
        if self.tmp:
            self._log = self._read("bochs.log") + self._read("bochs.out")
        return self._log

    def wait_com1(self, regex, timeout=None):
        """Poll COM1's output until regex (re.M) matches; the match."""
        return self._wait(self.com1, "COM1", regex, timeout)

    def wait_display(self, regex, timeout=None):
        """Poll display() until regex (re.M) matches; the match."""
        return self._wait(self.display, "the display", regex, timeout)

    def _wait(self, source, what, regex, timeout):
        timeout = self.timeout if timeout is None else timeout
        pattern = re.compile(regex, re.M)
        deadline = time.time() + timeout
        while True:
            m = pattern.search(source())
            if m:
                return m
            if self.proc.poll() is not None:
                raise AssertionError("Bochs ended before %s showed %r" % (what, regex))
            if time.time() > deadline:
                raise AssertionError("%s did not show %r in %ss" % (what, regex, timeout))
            time.sleep(0.2)

    def stop(self):
        """Kill Bochs (it ignores SIGTERM), close its display, remove the folder."""
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        if self.pts is not None:
            os.close(self.pts)
            self.pts = None
            self._thread.join(2)
        if self.tmp:
            self.com1()
            self.log()
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def dump(self):
        return ("\n==== %s\n---- COM1 (last lines)\n%s\n---- display (last lines)\n%s\n"
                "---- Bochs log\n%s\n" % (self.name, _tail(self.com1()),
                                             _tail(self.display().replace("\r", "\n")),
                                             _tail(self.log())))

    def __enter__(self):
        return self.start()

    def __exit__(self, etype, value, tb):
        if etype is not None:
            sys.stderr.write(self.dump())
        self.stop()
        return False

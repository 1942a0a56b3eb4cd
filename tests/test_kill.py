"""please kill <pid> (kernel/proc.c proc_kill, docs/please.md): an owner ends any
process, a user only their own. The process ends at its next call's return or
at a tick that finds it in ring 3, so a loop in its own code, an idle prompt and
a wait all end, its line shows why and a login prompt comes back, and every
byte it held is free again."""
import re
import time

import pexpect
import pytest

from test_login import boot_com1, login, memory, wait_prompt

LOGGED_OUT = r"\[logged out: ([^\]]*)\]"


def pid_on(owner, term):
    out = owner.type('PLEASE" processes" DROP .REPLY')
    m = re.search(r"^\s*(\d+) \S+\s+\S+\s+\d+\s+\d+ %s$" % re.escape(term), out, re.M)
    assert m, out
    return int(m.group(1))


def kill(who, pid):
    return who.type('PLEASE" kill %d" . .REPLY' % pid).strip()


def test_the_owner_ends_a_guest_looping_in_its_own_code(boot):
    m, owner = boot_com1(boot)
    before = memory(owner)
    g = login(m.line(2), "guest1", "guest")
    g.line.send(": L BEGIN AGAIN ; L\r")
    time.sleep(0.5)
    pid = pid_on(owner, ".com2")
    assert kill(owner, pid) == "-1 ok"
    m.line(2).expect(LOGGED_OUT, timeout=5)
    assert m.line(2).match.group(1) == "ended by process %d" % pid_on(owner, ".console")
    wait_prompt(m.line(2), timeout=10)
    assert memory(owner) == before            # the prompt again, every byte back
    assert kill(owner, pid) == "0 error: no such process"


def test_an_idle_prompt_ends_at_once(boot):
    m, owner = boot_com1(boot)
    login(m.line(3), "guest1", "guest")       # at its prompt: waiting for a key
    pid = pid_on(owner, ".com3")
    t = time.monotonic()
    assert kill(owner, pid) == "-1 ok"
    m.line(3).expect(LOGGED_OUT, timeout=5)
    assert time.monotonic() - t < 2
    wait_prompt(m.line(3), timeout=10)


def test_a_guest_ends_only_its_own_users_processes(boot):
    m, owner = boot_com1(boot)
    a = login(m.line(2), "guest1", "guest")
    b = login(m.line(3), "guest2", "guest")
    c = login(m.line(4), "guest1", "guest")
    pa, pb = pid_on(owner, ".com2"), pid_on(owner, ".com3")
    assert kill(b, pa) == "0 error: not your process"
    assert kill(a, pid_on(owner, ".console")) == "0 error: not your process"
    assert kill(a, 999) == "0 error: no such process"
    assert kill(a, 0) == "0 error: no such process"
    assert kill(a, -1) == "0 error: kill <pid>"
    assert a.type('PLEASE" kill x" . .REPLY').strip() == "0 error: kill <pid>"
    assert a.type('PLEASE" kill" . .REPLY').startswith("0 error: kill needs")
    assert a.type('PLEASE" #.com2 kill 5" . .REPLY').startswith("0 error:")
    assert kill(c, pa) == "-1 ok"             # guest1 on COM4 ends guest1 on COM2
    m.line(2).expect(LOGGED_OUT, timeout=5)
    assert b.type("2 3 + .") == "5 "          # the others go on
    assert c.type("2 3 + .") == "5 "
    assert pid_on(owner, ".com3") == pb


def test_a_process_may_end_itself(boot):
    m, owner = boot_com1(boot)
    g = login(m.line(2), "guest1", "guest")
    g.line.send('PLEASE" kill %d" . .REPLY\r' % pid_on(owner, ".com2"))
    m.line(2).expect(LOGGED_OUT, timeout=5)
    wait_prompt(m.line(2), timeout=10)

"""Login under attack (issue 9): a scripted brute force on the serial lines.

The rule (kernel/proc.c, login_failed): failed logins on the guest side (every
serial line and every process together) queue, each answer waiting count
seconds (at most 8) after the previous one; a success does not clear the count,
a quiet minute takes one off; the console keeps a count of its own. So the
guest side allows at most 7.5 guesses a minute once warm, however the attacker
spreads them over lines, logins and processes, and the owner keeps working.
"""
import re
import threading
import time

from test_h3sm_kernel import Console
from test_login import (INCORRECT, boot_com1, bye, login, memory, try_login,
                        wait_prompt)

ATTACK_S = 60


def test_brute_force_gets_few_guesses_and_the_owner_works_on(boot):
    """Two attackers for a minute: COM2 alternates a wrong password with a
    right login and bye (a success used to clear the line's count: ~55 guesses
    a minute), COM3 just guesses (the count used to be per line)."""
    m, owner = boot_com1(boot)
    stop = time.monotonic() + ATTACK_S
    guesses = {2: 0, 3: 0}
    errors = []

    def attack(n, alternate):
        line = m.line(n)
        k = 0
        try:
            while time.monotonic() < stop:
                k += 1
                ok, _, shown = try_login(line, "guest%d" % (n - 1), "guess-%d-%d" % (n, k),
                                         timeout=120)
                assert not ok and shown.strip() == INCORRECT, shown
                if time.monotonic() <= stop:
                    guesses[n] += 1
                if alternate and time.monotonic() < stop:
                    g = login(line, "guest1", "guest")
                    bye(g)
        except Exception as e:          # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=attack, args=(2, True)),
               threading.Thread(target=attack, args=(3, False))]
    for t in threads:
        t.start()
    answers = []
    k = 0
    while time.monotonic() < stop:
        k += 1
        a = time.monotonic()
        assert owner.type("%d 3 * ." % k) == "%d " % (3 * k)
        answers.append(time.monotonic() - a)
        time.sleep(0.2)
    for t in threads:
        t.join(150)
    assert not errors, errors
    total = guesses[2] + guesses[3]
    print("brute force: %d guesses in %d s on COM2 (with logins between) and COM3: "
          "%.1f a minute; the owner answered %d times, slowest %.3f s"
          % (total, ATTACK_S, total * 60 / ATTACK_S, len(answers), max(answers)))
    # warming up from 0 the answers wait 1, 2, ... 8 s: 36 s for 8, then 8 s each
    assert total <= 12, guesses
    assert guesses[2] >= 1 and guesses[3] >= 1, guesses
    assert len(answers) >= 100 and max(answers) < 0.5, max(answers)
    # the console keeps its own count: a wrong password there is answered at once
    t = time.monotonic()
    assert owner.type('PLEASE" login root wrong" . .REPLY', timeout=30) == \
        "0 error: login incorrect"
    assert time.monotonic() - t < 3


def test_a_guest_cannot_fill_the_process_slots(boot):
    m, owner = boot_com1(boot)
    g = login(m.line(2), "guest1", "guest")
    started, reply = 0, ""
    for _ in range(16):
        reply = g.type('PLEASE" login guest2 guest" . .REPLY', timeout=60)
        if not re.fullmatch(r"\d+ ok", reply):
            break
        started += 1
    assert reply == "0 error: no process slot", reply
    print("a guest started %d terminal-less processes before the refusal" % started)
    # every terminal still gets its login and its prompt back
    for n, user in ((3, "guest3"), (4, "guest4")):
        c = login(m.line(n), user, "guest")
        assert c.type("%d ." % n) == "%d " % n
        bye(c)
    bye(g)
    c = login(m.line(2), "guest1", "guest")
    assert c.type("2 .") == "2 "
    assert owner.type("1 .") == "1 "


def test_a_process_login_waits_like_a_prompt(boot):
    """A wrong password from a process's own please login waits as at a prompt,
    and counts with the lines' failures."""
    m, owner = boot_com1(boot)
    g = login(m.line(2), "guest1", "guest")
    waits = []
    for k in range(3):
        t = time.monotonic()
        assert g.type('PLEASE" login guest2 wrong%d" . .REPLY' % k, timeout=60) == \
            "0 error: login incorrect"
        waits.append(time.monotonic() - t)
    ok, at_prompt, _ = try_login(m.line(3), "guest2", "wrong-again")
    print("process logins waited %s s, then a prompt %.2f s" % (waits, at_prompt))
    assert not ok
    assert waits[0] >= 0.9 and waits[2] >= waits[0] + 1.5, waits
    assert at_prompt >= waits[2] + 0.5, (waits, at_prompt)   # one count for both

"""The call fuzzer, a short run (issue 9; the full run is `make fuzz-calls`).

A guest types tests/fuzz/calls.fs and makes 200,000 calls to the five traps
with random stack contents (tests/fuzz_calls.py drives it), while the owner on
the console and another guest are asked to compute every 2 seconds. No panic,
no hang, every other session answers, the kernel's code and read-only data are
unchanged (please checksum), and the memory comes back when the guest leaves.
"""

import time

import pytest

import fuzz_calls
from test_h3sm_kernel import Console
from test_login import login

CALLS = 200_000

def test_the_kernel_survives_random_calls(boot):
    m = boot(append="console=com1", timeout=30)
    owner, other = fuzz_calls.start(m)
    f = fuzz_calls.run(m, owner, other, CALLS, per_seed=50_000, seed=1)
    print(f)
    assert f["calls"] >= CALLS - 1000 * f["logouts"]
    assert f["panics"] == 0 and f["hangs"] == 0
    assert f["sum_after"] == f["sum_before"]
    assert f["answers"] >= 2
    assert f["memory_after"][2] == f["memory_before"][2]
    assert f["memory_after"][0] == f["memory_before"][0]    # free bytes, exactly (tests/test_mem.py)

def test_checksum_is_for_owners_only(boot):
    m = boot(append="console=com1")
    owner, other = fuzz_calls.start(m)
    s, n = fuzz_calls.checksum(owner)
    assert n > 50_000                          # code and rodata, not a few bytes
    assert fuzz_calls.checksum(owner) == (s, n)
    assert other.type('PLEASE" checksum" . .REPLY') == "0 error: checksum is for owners only"

# The defect this found: please wiped the caller's whole declared message (up to its
# buffer's capacity) after reading it, so a random header whose length reached over
# the guest's own stacks zeroed them; please/please.c now writes only the reply.
def test_raw_traps_do_not_hurt_the_caller(boot):
    m = boot(append="console=com1", timeout=30)
    owner, other = fuzz_calls.start(m)
    f = fuzz_calls.run(m, owner, other, 60_000, per_seed=60_000, seed=1)
    print(f)
    assert f["panics"] == 0 and f["hangs"] == 0
    assert f["sum_after"] == f["sum_before"]
    assert f["logouts"] == 0 and f["stuck"] == 0, f["reasons"]

# The call fuzzer's "stuck" guests (docs/robustness.md): its random receives had
# written into its own terminal rings' headers. With TERMIN's count ahead of the
# device's (or its size gone) every receive failed and the prompt never saw a key
# again; with TERMOUT's size gone every send failed and all its output was dropped.
# A refused receive now makes the prompt open its terminal again (h3sm/kernel.inc
# term_reopen); a send puts TERMOUT's size back and drops a pending count the ring
# cannot hold. TERMIN is $9000, TERMOUT $9800: size, count, mark.
@pytest.mark.parametrize("damage", ["1000 $9004 +!", "0 $9000 !", "-5000 $9004 +!",
                                    "-1 $9800 !", "100000 $9804 +!", "-100000 $9808 +!"])
def test_a_prompt_recovers_from_its_own_broken_terminal_ring(boot, damage):
    m = boot(append="console=com1", timeout=30)
    owner, other = fuzz_calls.start(m)
    g = login(m.line(2), "guest1", "guest")
    g.line.send(damage + "\r")
    time.sleep(1)
    g.line.send("6 7 * 1+ .\r")
    g.line.expect_exact("43 ", timeout=15)
    assert g.type("2 3 + .") == "5 "
    assert owner.type("2 3 + .") == "5 "

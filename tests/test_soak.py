"""The soak, a short run (issue 9; `make soak` runs it for 10 minutes): the
owner on the console and guests on COM2-COM4 each receive and send at full
rate for 20 s (tests/soak.py). Every byte the host sent was received or
reported lost, with no bad byte; every byte a session sent reached the host in
order; please memory is the same before the guests log in and after they leave."""
import soak

SECONDS = 20


def test_soak_short(boot):
    m = boot(append="console=com1", timeout=30)
    figures, before, after = soak.run(m, SECONDS)
    for n, f in figures.items():
        assert f["received"] + f["lost"] == f["host_sent"], (n, f)
        assert f["bad"] == 0 and f["host_bad"] == 0, (n, f)
        assert f["host_got"] == f["session_sent"], (n, f)
        assert f["received"] > 10_000 and f["session_sent"] > 10_000, (n, f)  # full rate
    assert after == before, (before, after)

"""Fixtures for every test that boots Ha3sm (the harness itself is tests/ha3sm.py).

    boot(**options)   start a Machine (ha3sm.Machine's options) and return it; every
                      machine a test started is stopped when the test ends
    machine           boot(): kernel.elf through -kernel, console on VGA
    bochs(**options)  start ha3sm.Bochs (the floppy in Bochs), stopped at the end

When a test fails, its report gets one section per machine: the last output of each
serial line, the VGA screen and QEMU's stderr, taken before the machine is stopped.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ha3sm  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        for m in getattr(item, "_ha3sm_machines", []):
            try:
                rep.sections.append(("ha3sm %s" % m.name, m.dump()))
            except Exception as e:  # a broken dump must not hide the failure
                rep.sections.append(("ha3sm %s" % m.name, "no dump: %s" % e))


def _factory(request, cls):
    machines = request.node.__dict__.setdefault("_ha3sm_machines", [])
    started = []

    def start(**options):
        m = cls(**options)
        machines.append(m)
        started.append(m)
        return m.start()

    yield start
    for m in started:
        m.stop()


@pytest.fixture
def boot(request):
    """boot(**options): a started ha3sm.Machine, stopped after the test."""
    yield from _factory(request, ha3sm.Machine)


@pytest.fixture
def machine(boot):
    """Ha3sm booted with -kernel, the console on VGA."""
    return boot()


@pytest.fixture
def bochs(request):
    """bochs(**options): a started ha3sm.Bochs (the floppy), stopped after the test."""
    yield from _factory(request, ha3sm.Bochs)

"""Running H3sm from tests: the hosted program and the golden scripts.

    H3SM                  path of the hosted program (build/h3sm)
    run(*args, input=)    run it; returns (exit status, stdout as text)
    golden_scripts()      [(name, script path, expected output path)] from tests/h3sm/
    GFORTH_TEST           gforth's test folder (Hayes' tester and core test)
    core_test_args()      the arguments that load the tester and the core test
"""

import glob
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
H3SM = os.path.join(ROOT, "build", "h3sm")
GOLDEN = os.path.join(ROOT, "tests", "h3sm")
SHIM = os.path.join(ROOT, "tests", "forth", "ttester-shim.fs")


def _gforth_test_dir():
    found = sorted(glob.glob("/usr/share/gforth/*/test/coretest.fs"))
    return os.path.dirname(found[-1]) if found else None


GFORTH_TEST = _gforth_test_dir()


def run(*args, input=None, timeout=60, cwd=None):
    p = subprocess.run([H3SM, *args], input=input, capture_output=True,
                       text=True, timeout=timeout, cwd=cwd)
    return p.returncode, p.stdout


def golden_scripts():
    out = []
    for fs in sorted(glob.glob(os.path.join(GOLDEN, "*.fs"))):
        name = os.path.splitext(os.path.basename(fs))[0]
        out.append((name, fs, fs[:-3] + ".out"))
    return out


def core_test_args():
    return [SHIM, os.path.join(GFORTH_TEST, "tester.fs"),
            os.path.join(GFORTH_TEST, "coretest.fs"), "-e", ".( CORE-TEST-END) CR"]


def core_test_failures(output):
    """The lines where the tester reported a failure."""
    return [l for l in output.splitlines()
            if "INCORRECT RESULT" in l or "WRONG NUMBER OF RESULTS" in l]

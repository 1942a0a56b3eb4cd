#!/usr/bin/env python3
"""inc2fs.py - the `NAME equ VALUE` lines of h3sm/layout.inc that the please
interpreter needs (K*, BIRTH_*), as H3sm constants: h3sm/please.fs and the
kernel (please/kinst.c, through h3sm_layout.h) share one definition."""
import re
import sys

EQU = re.compile(r"^([A-Z_][A-Z0-9_]*)\s+equ\s+([^;]+)")
WANTED = re.compile(r"^(K[A-Z]*_|KREQ$|KANS$|KQRES$|BIRTH_)")


def main(path):
    values = {}
    print(f"\\ generated from {path} by tools/inc2fs.py: do not edit")
    for line in open(path):
        m = EQU.match(line)
        if not m:
            continue
        name, expr = m.group(1), m.group(2).strip()
        values[name] = int(eval(expr, {"__builtins__": {}}, dict(values)))
        if WANTED.match(name):
            print(f"${values[name]:X} CONSTANT {name}")


if __name__ == "__main__":
    main(sys.argv[1])

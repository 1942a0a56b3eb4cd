#!/bin/sh
# ports.sh P1 P2 P3 P4: say which localhost TCP port carries which serial line and how
# to reach it (used by make run). A "-" means that line is elsewhere (the terminal).
# QEMU listens without waiting: what a line sends before anyone connects is lost.
n=1
echo "Ha3sm serial lines (connect from another terminal):"
for p in "$@"; do
    if [ "$p" = - ]; then
        echo "  COM$n: this terminal"
    else
        echo "  COM$n: socat -,raw,echo=0 tcp:127.0.0.1:$p"
    fi
    n=$((n + 1))
done
[ "$1" = - ] || echo "Quit QEMU: Esc 2 (or Alt-2) for its monitor, then type quit."
sleep 2

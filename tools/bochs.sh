#!/bin/sh
# bochs.sh [-d] FLOPPY: boot the floppy in Bochs (`make run-bochs`).
#
# Debian's Bochs is built with its debugger, and then its "term" display draws on a
# pseudo-terminal of its own ("Bochs connected to screen /dev/pts/N"). By default
# Bochs runs in the background (the rc file tools/bochs.rc says "c": run at once)
# and this terminal shows that display through socat: type to use the keyboard,
# Ctrl-] to quit. With -d, Bochs stays in the foreground at its debugger prompt
# (<bochs:1>; c runs, Ctrl-C stops, q quits) and you open the display yourself
# from another terminal with the socat line printed.
# COM1 goes to build/bochs-com1.txt, Bochs's log to build/bochs.log.
set -eu
debug=
[ "${1:-}" = -d ] && { debug=1; shift; }
floppy=${1:-floppy.img}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p build
BOCHS_FLOPPY=$(cd "$(dirname "$floppy")" && pwd)/$(basename "$floppy")
BOCHS_SERIAL=$PWD/build/bochs-com1.txt
BOCHS_LOG=$PWD/build/bochs.log
export BOCHS_FLOPPY BOCHS_SERIAL BOCHS_LOG
echo "Bochs: $BOCHS_FLOPPY; COM1 output goes to $BOCHS_SERIAL (tail -f it)."

if [ -n "$debug" ]; then
    echo "The display's terminal is named below; view it from another terminal with"
    echo "  socat -,raw,echo=0,escape=0x1d /dev/pts/N,raw,echo=0"
    exec bochs -q -f "$here/bochsrc"
fi

out=build/bochs.out
: >"$out"
bochs -q -f "$here/bochsrc" -rc "$here/bochs.rc" </dev/null >"$out" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT INT TERM
pts=
for _ in $(seq 100); do
    pts=$(sed -n 's/.*connected to screen "\(.*\)".*/\1/p' "$out")
    [ -n "$pts" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
[ -n "$pts" ] || { cat "$out" >&2; echo "bochs.sh: Bochs did not start (see above)" >&2; exit 1; }
echo "Display $pts below. Ctrl-] quits."
sleep 1
socat -,raw,echo=0,escape=0x1d "$pts",raw,echo=0 || true

echo

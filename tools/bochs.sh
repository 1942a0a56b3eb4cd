#!/bin/sh
# bochs.sh FLOPPY: boot the floppy in Bochs with its display in this terminal
# (`make run-bochs`). COM1 goes to build/bochs-com1.txt; Bochs's log to build/bochs.log.
# Debian's Bochs is built with its debugger: the rc file tools/bochs.rc says "c"
# (continue) so it runs at once. Ctrl-C stops the simulation and gives the <bochs:N>
# debugger prompt; type q to quit.
set -eu
floppy=${1:-floppy.img}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p build
BOCHS_FLOPPY=$(cd "$(dirname "$floppy")" && pwd)/$(basename "$floppy")
BOCHS_SERIAL=$PWD/build/bochs-com1.txt
BOCHS_LOG=$PWD/build/bochs.log
export BOCHS_FLOPPY BOCHS_SERIAL BOCHS_LOG
echo "Bochs: $BOCHS_FLOPPY; COM1 output goes to $BOCHS_SERIAL (tail -f it);"
echo "Ctrl-C gives the Bochs debugger prompt, q quits."
sleep 1
exec bochs -q -f "$here/bochsrc" -rc "$here/bochs.rc"

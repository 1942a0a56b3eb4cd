#!/bin/sh
# debug.sh GDBPORT COM1PORT "QEMU COMMAND": start QEMU stopped before its first instruction with
# a gdb stub on localhost:GDBPORT, and gdb attached with kernel.elf's symbols.
# The console is on COM1, at localhost TCP port COM1PORT. When gdb exits, QEMU ends.
set -eu
usage="usage: debug.sh GDBPORT COM1PORT QEMU-COMMAND"
port=${1:?$usage}
com1=${2:?$usage}
qemu=${3:?$usage}
# shellcheck disable=SC2086
$qemu -S -gdb tcp:127.0.0.1:$port &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT INT TERM
echo "QEMU (pid $pid) waits for gdb on :$port; the console is on COM1:"
echo "  socat -,raw,echo=0 tcp:127.0.0.1:$com1"
echo "In gdb: break kmain (or any symbol), then continue."
gdb -q kernel.elf -ex "set architecture i386" -ex "target remote 127.0.0.1:$port"

#!/bin/sh
# menu-lst.sh KERNEL-PATH: print GRUB legacy's menu.lst for Ha3sm on stdout.
# One menu for the floppy and the ISO, so both boot the same way.
# Entry 0 (default): the console on VGA + keyboard; entry 1: the console on COM1.
# The timeout is short; tests select entry 1 by typing Down, Enter while it runs.
set -eu
k=${1:?usage: menu-lst.sh KERNEL-PATH}
cat <<MENU
default 0
timeout 3

title Ha3sm, console on VGA + keyboard
kernel $k

title Ha3sm, console on COM1
kernel $k console=com1
MENU

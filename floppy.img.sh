#!/bin/sh
# floppy.img.sh KERNEL IMAGE: build a 1.44 MB FAT12 boot floppy with GRUB legacy.
#
# The floppy holds /boot/grub/{stage1,stage2,menu.lst} and /boot/kernel.elf; GRUB's
# batch shell writes stage1 to the boot sector and points it at stage2. Everything is
# done on the image file with mtools: no root rights, no loop devices.
# The menu (tools/menu-lst.sh) offers the console on VGA (default) or on COM1.
# The kernel is copied without debug sections. A kernel that does not fit stops the
# build with one message saying by how much.
set -eu
kernel=${1:?usage: floppy.img.sh KERNEL IMAGE}
image=${2:?usage: floppy.img.sh KERNEL IMAGE}
stages=${GRUB_STAGES:-/usr/lib/grub/x86_64-pc}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$stages/stage1" "$stages/stage2"; do
    [ -r "$f" ] || { echo "floppy.img.sh: $f missing (install grub-legacy: make deps)" >&2; exit 1; }
done
[ -r "$kernel" ] || { echo "floppy.img.sh: no kernel $kernel" >&2; exit 1; }

img=$tmp/floppy.img
dd if=/dev/zero of="$img" bs=1024 count=1440 status=none
mformat -i "$img" -f 1440 -v HA3SM ::
mmd -i "$img" ::/boot ::/boot/grub
"$here/tools/menu-lst.sh" /boot/kernel.elf >"$tmp/menu.lst"
mcopy -i "$img" "$stages/stage1" "$stages/stage2" "$tmp/menu.lst" ::/boot/grub/

# The kernel goes without its debug sections (gdb reads them from the build's
# kernel.elf); its symbol table stays.
objcopy --strip-debug "$kernel" "$tmp/kernel.elf" 2>/dev/null || cp "$kernel" "$tmp/kernel.elf"

# Free space left for the kernel, in bytes ("1 457 664 bytes free": keep the digits).
free=$(mdir -i "$img" ::/ | sed -n 's/ bytes free//p' | tr -cd 0-9)
size=$(wc -c <"$tmp/kernel.elf")
if [ "$size" -gt "$free" ]; then
    echo "floppy.img.sh: $kernel is $size bytes without debug sections but only $free fit on the floppy ($((size - free)) too many)" >&2
    exit 1
fi
mcopy -i "$img" "$tmp/kernel.elf" ::/boot/kernel.elf

# GRUB's batch shell installs stage1 in the boot sector and records where stage2 lives.
printf 'device (fd0) %s\nroot (fd0)\nsetup (fd0)\nquit\n' "$img" |
    grub --batch --device-map=/dev/null >"$tmp/grub.log" 2>&1 || true
if ! grep -q 'succeeded' "$tmp/grub.log" || grep -q 'Error' "$tmp/grub.log"; then
    echo "floppy.img.sh: GRUB setup failed:" >&2
    cat "$tmp/grub.log" >&2
    exit 1
fi
mv "$img" "$image"

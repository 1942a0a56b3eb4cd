#!/bin/sh
# iso.sh KERNEL IMAGE: build a bootable CD image (El Torito, no emulation) with GRUB
# legacy's stage2_eltorito and the same menu as the floppy (tools/menu-lst.sh).
set -eu
kernel=${1:?usage: iso.sh KERNEL IMAGE}
image=${2:?usage: iso.sh KERNEL IMAGE}
stages=${GRUB_STAGES:-/usr/lib/grub/x86_64-pc}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -r "$stages/stage2_eltorito" ] ||
    { echo "iso.sh: $stages/stage2_eltorito missing (install grub-legacy: make deps)" >&2; exit 1; }
mkdir -p "$tmp/iso/boot/grub"
cp "$stages/stage2_eltorito" "$tmp/iso/boot/grub/"
cp "$kernel" "$tmp/iso/boot/kernel.elf"
"$here/menu-lst.sh" /boot/kernel.elf >"$tmp/iso/boot/grub/menu.lst"
xorriso -as mkisofs -quiet -R -b boot/grub/stage2_eltorito -no-emul-boot \
    -boot-load-size 4 -boot-info-table -o "$tmp/ha3sm.iso" "$tmp/iso" 2>"$tmp/log" ||
    { cat "$tmp/log" >&2; exit 1; }
mv "$tmp/ha3sm.iso" "$image"

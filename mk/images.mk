# Boot images built from kernel.elf, both with GRUB legacy and the same menu
# (tools/menu-lst.sh): entry 0 puts the console on VGA, entry 1 on COM1.
#   floppy.img  1.44 MB FAT12 floppy (floppy.img.sh)
#   ha3sm.iso   El Torito CD with stage2_eltorito (tools/iso.sh)
.PHONY: images
images: floppy.img ha3sm.iso

floppy.img: kernel.elf floppy.img.sh tools/menu-lst.sh
	./floppy.img.sh kernel.elf $@

ha3sm.iso: kernel.elf tools/iso.sh tools/menu-lst.sh
	tools/iso.sh kernel.elf $@

# Running Ha3sm by hand. Every QEMU target shares QEMUOPTS (xv6-style):
#   run        the floppy through GRUB in QEMU; the VGA console in this terminal
#              (-display curses), COM1-COM4 on localhost TCP ports
#   run-nox    no VGA: the console on COM1 = this terminal (-kernel, console=com1)
#   run-bochs  the floppy in Bochs, its display in this terminal (tools/bochs.sh)
#   debug      QEMU stopped at the first instruction, gdb attached with kernel.elf's
#              symbols (tools/debug.sh); the console on COM1 over TCP
# deps (mk/test.mk) installs what is missing first.
# PORT is COM1's TCP port; COM2-COM4 take the next three. QEMUEXTRA adds options.
# The floppy boots in snapshot mode: what Ha3sm writes to it is dropped at exit, and
# tests may boot it at the same time; SNAPSHOT= keeps the writes.
PORT      ?= 5551
GDBPORT   ?= 1234
SNAPSHOT  ?= ,snapshot=on
QEMUEXTRA ?=
QEMUOPTS   = -m 64 -nic none -drive file=floppy.img,format=raw,if=floppy$(SNAPSHOT) -boot a \
             $(QEMUEXTRA)
COMPORTS   = $(foreach n,0 1 2 3,$(shell echo $$(($(PORT) + $(n)))))
serial_tcp = -serial tcp:127.0.0.1:$(1),server=on,wait=off

.PHONY: run run-nox run-bochs debug
run: deps
	@$(MAKE) --no-print-directory floppy.img
	@tools/ports.sh $(COMPORTS)
	$(QEMU) -display curses $(foreach p,$(COMPORTS),$(call serial_tcp,$(p))) $(QEMUOPTS)

run-nox: deps
	@$(MAKE) --no-print-directory floppy.img
	@echo "Console on COM1 here (Ctrl-A X quits, Ctrl-A C toggles the QEMU monitor)."
	@tools/ports.sh - $(wordlist 2,4,$(COMPORTS))
	$(QEMU) -nographic -serial mon:stdio \
	    $(foreach p,$(wordlist 2,4,$(COMPORTS)),$(call serial_tcp,$(p))) \
	    $(QEMUOPTS) -kernel kernel.elf -append console=com1

run-bochs: deps
	@$(MAKE) --no-print-directory floppy.img
	tools/bochs.sh floppy.img

debug:
	@tools/deps.sh debug
	@$(MAKE) --no-print-directory floppy.img
	tools/debug.sh $(GDBPORT) $(PORT) "$(QEMU) -display none \
	    $(foreach p,$(COMPORTS),$(call serial_tcp,$(p))) $(QEMUOPTS) \
	    -kernel kernel.elf -append console=com1"

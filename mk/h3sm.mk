# The H3sm core: one set of sources (asm/*.inc, h3sm/*), two builds.
#   $(B)/h3sm            the hosted Linux program (static i386, no libc). `make h3sm`
#                        builds it; it cannot sit at ./h3sm, where the design card's
#                        h3sm/ folder is.
#   $(B)/h3sm-kernel.bin the image each H3sm instance in Ha3sm runs (flat, at 0x10000)
H3SM_SRC := $(wildcard asm/*.inc h3sm/*.inc h3sm/*.asm h3sm/*.fs)
H3SM_NASM := $(NASM) -Iasm/ -Ih3sm/ -I$(B)/gen/

.PHONY: h3sm
h3sm: $(B)/h3sm

$(B)/h3sm: $(B)/h3sm-hosted.o h3sm/hosted.ld
	$(LD) -m elf_i386 -static -z max-page-size=4096 --no-warn-rwx-segments -T h3sm/hosted.ld -o $@ $<

$(B)/h3sm-hosted.o: $(H3SM_SRC) | $(B)
	$(H3SM_NASM) -f elf32 -DHOSTED h3sm/core.asm -o $@ -l $(B)/h3sm-hosted.lst

$(B)/h3sm-kernel.bin: $(H3SM_SRC) $(B)/gen/layout.fs | $(B)
	$(H3SM_NASM) -f bin -DKERNEL h3sm/core.asm -o $@ -l $(B)/h3sm-kernel.lst

$(B):
	mkdir -p $(B)

# What C must agree on with the image: generated from the one definition.
$(B)/gen/h3sm_layout.h: h3sm/layout.inc tools/inc2h.sh
	@mkdir -p $(@D)
	sh tools/inc2h.sh $< > $@

# The please interpreter's numbers, as H3sm constants (h3sm/please.fs).
$(B)/gen/layout.fs: h3sm/layout.inc tools/inc2fs.py
	@mkdir -p $(@D)
	$(PYTHON) tools/inc2fs.py $< > $@.tmp && mv $@.tmp $@

# The kernel carries the image (asm/h3sm_image.asm includes it).
$(B)/asm/h3sm_image.o: $(B)/h3sm-kernel.bin
$(B)/asm/h3sm_texts.o: $(B)/gen/layout.fs h3sm/please.fs h3sm/tetris.fs
$(K_COBJ): $(B)/gen/h3sm_layout.h

# The user records, compiled in (users/users.conf -> tools/genusers.py).
$(B)/gen/users_table.h: users/users.conf tools/genusers.py
	@mkdir -p $(@D)
	$(PYTHON) tools/genusers.py $< > $@.tmp && mv $@.tmp $@
$(B)/users/login.o: $(B)/gen/users_table.h
$(B)/gen/asmdefs.inc: $(B)/gen/h3sm_layout.h

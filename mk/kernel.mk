# kernel.mk - kernel.elf (multiboot ELF at 1 MiB), kernel.sym, kernel.lst.
#
# Sources are found by wildcard: asm/*.asm (NASM), and kernel/ drivers/
# devices/ please/ users/ *.c (gcc, CFLAGS of config.mk plus debug info
# and frame pointers, which the panic's caller chain walks). Objects go
# under $(B)/. Other fragments add objects with KERNEL_EXTRA_OBJS (for
# example the H3sm core image, an .incbin object; put it in .rodata or
# .data so it stays ahead of the symbol table).
#
# $(B)/gen/asmdefs.inc: constants and struct offsets shared by C and asm,
# generated from kernel/asmdefs.c (compiled with -S, never linked).
#
# The link is done twice. The first links an empty symbol table; its
# `nm` becomes the real table (tools/gensyms.sh) for the second. The
# table's section comes after all code and data (kernel/kernel.ld), so
# no function moves; the recipe checks that, so the names a panic
# prints are right.

KERNEL_EXTRA_OBJS ?=

KCFLAGS    := $(CFLAGS) -g -fno-omit-frame-pointer
KNASMFLAGS := $(NASMFLAGS) -g -F dwarf -Werror
K_ASM  := $(wildcard asm/*.asm)
K_C    := $(filter-out kernel/asmdefs.c,$(wildcard kernel/*.c drivers/*.c devices/*.c please/*.c users/*.c))
K_AOBJ := $(K_ASM:%.asm=$(B)/%.o)
K_COBJ := $(K_C:%.c=$(B)/%.o)
K_OBJS := $(K_AOBJ) $(K_COBJ) $(KERNEL_EXTRA_OBJS)
K_LINK  = $(LD) $(LDFLAGS) -z noexecstack -T kernel/kernel.ld -o $(1) $(K_OBJS) $(2)
K_TEXTSYMS = nm -n $(1) | awk '$$2 ~ /^[TtWw]$$/' > $(2)

$(B)/gen/asmdefs.inc: kernel/asmdefs.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -MT $@ -MF $(B)/gen/asmdefs.d -S -o $(B)/gen/asmdefs.s $<
	{ echo '; generated from kernel/asmdefs.c by mk/kernel.mk: do not edit'; \
	  sed -n 's/^[[:space:]]*->\([A-Za-z0-9_]*\) \(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' \
		$(B)/gen/asmdefs.s; } > $@.tmp
	mv $@.tmp $@

$(K_AOBJ): $(B)/%.o: %.asm $(B)/gen/asmdefs.inc
	@mkdir -p $(@D)
	$(NASM) $(KNASMFLAGS) -MD $(@:.o=.d) -MP -o $@ $<

$(K_COBJ): $(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -MMD -MP -c -o $@ $<

$(B)/ksyms0.asm: tools/gensyms.sh
	@mkdir -p $(@D)
	sh tools/gensyms.sh < /dev/null > $@

$(B)/ksyms.asm: $(B)/kernel.0.elf tools/gensyms.sh
	nm -n $< | sh tools/gensyms.sh > $@

$(B)/ksyms0.o $(B)/ksyms.o: $(B)/%.o: $(B)/%.asm
	$(NASM) $(NASMFLAGS) -Werror -o $@ $<

$(B)/kernel.0.elf: $(K_OBJS) $(B)/ksyms0.o kernel/kernel.ld
	$(call K_LINK,$@,$(B)/ksyms0.o)

kernel.elf kernel.sym kernel.lst &: $(B)/kernel.0.elf $(B)/ksyms.o
	$(call K_LINK,kernel.elf,$(B)/ksyms.o)
	$(call K_TEXTSYMS,$(B)/kernel.0.elf,$(B)/text.0)
	$(call K_TEXTSYMS,kernel.elf,$(B)/text.1)
	cmp -s $(B)/text.0 $(B)/text.1 || { echo "kernel.elf: code moved between links"; rm -f kernel.elf; exit 1; }
	nm -n kernel.elf | awk 'NF == 3 && $$2 != "a" { print $$1, $$3 }' > kernel.sym
	objdump -d -S kernel.elf > kernel.lst

-include $(K_AOBJ:.o=.d) $(K_COBJ:.o=.d) $(B)/gen/asmdefs.d

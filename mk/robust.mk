# Robustness (issue 9, docs/robustness.md).
#   fuzz-calls  the call fuzzer's full run in a guest (tools/fuzz_calls.py);
#               FUZZ_CALLS=n FUZZ_SEED=s change it
#   fuzz-h3sm   coverage-guided fuzzing of the hosted H3sm interpreter and the please
#               parser (libFuzzer, tools/fuzz_h3sm.py); FUZZ_TIME=seconds
#   soak        the owner and four guests at full rate (tools/soak.py)
.PHONY: fuzz-calls
fuzz-calls: kernel.elf
	$(PYTHON) tools/fuzz_calls.py

.PHONY: soak
soak: kernel.elf
	$(PYTHON) tools/soak.py

# The fuzzing build of H3sm: the hosted image with h3sm/fuzz.inc as its platform,
# linked at 0x10000 into the libFuzzer target tests/fuzz/h3sm_fuzz.c (clang 14,
# 32-bit). FUZZ_TIME=seconds (default 600); FUZZ_FLAGS adds libFuzzer options.
FUZZ_CC   := clang
FUZZ_TIME ?= 600
FUZZ_FLAGS ?=

$(B)/h3sm-fuzz.o: $(H3SM_SRC) | $(B)
	$(H3SM_NASM) -f elf32 -DHOSTED -DFUZZ h3sm/core.asm -o $@

# The C side is not instrumented: the coverage that counts is H3sm's (fz_cov).
$(B)/h3sm-fuzz: $(B)/h3sm-fuzz.o tests/fuzz/h3sm_fuzz.c $(B)/gen/layout.fs
	$(FUZZ_CC) -m32 -O2 -g -Wall -Wextra -Werror -c -o $(B)/h3sm-fuzz-c.o tests/fuzz/h3sm_fuzz.c
	$(FUZZ_CC) -m32 -fsanitize=fuzzer -no-pie -Wl,--section-start=.h3sm=0x10000 \
	    -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack \
	    -o $@ $(B)/h3sm-fuzz-c.o $(B)/h3sm-fuzz.o

.PHONY: fuzz-h3sm
fuzz-h3sm: $(B)/h3sm-fuzz
	$(PYTHON) tools/fuzz_h3sm.py --time $(FUZZ_TIME) $(FUZZ_FLAGS)

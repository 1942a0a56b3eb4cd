# Robustness (issue 9, docs/robustness.md).
#   fuzz-calls  the call fuzzer's full run in a guest (tools/fuzz_calls.py);
#               FUZZ_CALLS=n FUZZ_SEED=s change it
#   fuzz-h3sm   coverage-guided fuzzing of the H3sm outer interpreter (libFuzzer)
#   soak        the owner and four guests at full rate (tools/soak.py)
.PHONY: fuzz-calls
fuzz-calls: kernel.elf
	$(PYTHON) tools/fuzz_calls.py

.PHONY: soak
soak: kernel.elf
	$(PYTHON) tools/soak.py

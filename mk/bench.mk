# make bench: the performance table (docs/performance.md). Each part prints a table
# and `BENCH name value unit` lines.
#   tools/bench_h3sm.py   hosted H3sm against gforth-fast and pforth (time ratios)
#   tools/bench_kernel.py the kernel in guest instructions under QEMU -icount
#   tools/bench_reflex.py the reflex's latency and jitter in instructions (docs/reflex.md)
.PHONY: bench
bench: deps $(B)/h3sm $(B)/h3sm-kernel.bin
	$(PYTHON) tools/bench_h3sm.py

# the kernel's figures in guest instructions (QEMU -icount): tools/bench_kernel.py
bench: bench-kernel
.PHONY: bench-kernel
bench-kernel: deps kernel.elf
	$(PYTHON) tools/bench_kernel.py

# the reflex at 10 kHz, idle and under load, in guest instructions: tools/bench_reflex.py
bench: bench-reflex
.PHONY: bench-reflex
bench-reflex: deps kernel.elf
	$(PYTHON) tools/bench_reflex.py

# make bench: the performance table (docs/performance.md). Each part prints a table
# and `BENCH name value unit` lines.
#   tools/bench_h3sm.py   hosted H3sm against gforth-fast and pforth (time ratios)
#   tools/bench_kernel.py the kernel in guest instructions under QEMU -icount
.PHONY: bench
bench: deps $(B)/h3sm $(B)/h3sm-kernel.bin
	$(PYTHON) tools/bench_h3sm.py

# the kernel's figures in guest instructions (QEMU -icount): tools/bench_kernel.py
bench: bench-kernel
.PHONY: bench-kernel
bench-kernel: deps kernel.elf
	$(PYTHON) tools/bench_kernel.py

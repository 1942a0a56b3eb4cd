# make bench: the performance table (docs/performance.md). Each part prints a table
# and `BENCH name value unit` lines.
#   tools/bench_h3sm.py   hosted H3sm against gforth-fast and pforth (time ratios)
.PHONY: bench
bench: deps $(B)/h3sm $(B)/h3sm-kernel.bin
	$(PYTHON) tools/bench_h3sm.py

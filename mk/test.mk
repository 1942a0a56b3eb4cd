# Installing what is missing, and the tests.
#   deps   tools/deps.sh: install the Debian packages the build, run and tests need
#   test   deps, then build everything, then every test in tests/ with pytest
# PYTEST_FLAGS picks tests: make test PYTEST_FLAGS="-q -k boot". Each test boots its
# own QEMU; the harness is tests/ha3sm.py, the fixtures tests/conftest.py.
PYTEST_FLAGS ?= -q -ra

.PHONY: deps test
deps:
	@tools/deps.sh

test: deps
	@$(MAKE) --no-print-directory all
	$(PYTHON) -m pytest $(PYTEST_FLAGS) tests/

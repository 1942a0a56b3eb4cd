# names.mk - the device name space's table: tools/gennames.py makes
# $(B)/gen/names_table.h from devices/names.conf (docs/devices.md); only
# devices/names.c includes it. A bad config stops the build with
# "gennames: devices/names.conf:<line>: <why>".

$(B)/gen/names_table.h: devices/names.conf tools/gennames.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gennames.py devices/names.conf -o $@

$(B)/devices/names.o: $(B)/gen/names_table.h

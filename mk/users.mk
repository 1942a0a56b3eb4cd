# users.mk - the user records (docs/users.md).
#
#   make user NAME=<name> KIND=owner|guest MEM=<KiB> [PERMS=<perms>] [FIRST=<first>]
#
# builds tools/mkuser, which asks for the password twice without echo (or, when
# standard input is not a terminal, reads its first line), and puts the new record
# into users/users.conf: in place of the user's old record (a password change), or
# at the end. Nothing else is rebuilt: the next `make` compiles the kernel with it.
# For a user who exists, every field left out stays as it was (`make user
# NAME=guest1` changes only the password); for a new user KIND is needed, and
# MEM (4096 for an owner, 1024 for a guest), PERMS (* or -) and FIRST (h3sm) have
# defaults. Only values given on the command line count (an environment variable
# NAME is not a user name). A password is never a make variable: PASSWORD=, PW=
# and PASS= are refused.
#
# tools/genusers.py checks the fields before the password is asked for (device
# names in PERMS against devices/names.conf) and checks the record again before
# it replaces users.conf in one rename.

MKUSER     := $(B)/tools/mkuser
MKUSER_SRC := tools/mkuser.c users/pbkdf2.c users/sha256.c

$(MKUSER): $(MKUSER_SRC) users/pbkdf2.h users/sha256.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $(MKUSER_SRC)

# The table depends on the device names that perms fields use.
$(B)/gen/users_table.h: devices/names.conf tools/gennames.py

# $(1) if it was given on the command line, else nothing
user_arg = $(if $(filter command line,$(origin $(1))),$($(1)))

# refuse a password given as a make variable (ps and shell history would keep it)
user_nopassword = $(if $(filter command line,$(origin PASSWORD) $(origin PW) $(origin PASS)),\
	$(error make user: never a password on the command line: mkuser asks for it))

.PHONY: user
user: export MKU_NAME = $(call user_arg,NAME)
user: export MKU_KIND = $(call user_arg,KIND)
user: export MKU_MEM = $(call user_arg,MEM)
user: export MKU_PERMS = $(call user_arg,PERMS)
user: export MKU_FIRST = $(call user_arg,FIRST)
user: $(MKUSER)
	$(user_nopassword)
	@set -f; \
	a=$$($(PYTHON) tools/genusers.py --args users/users.conf "$$MKU_NAME" "$$MKU_KIND" \
	  "$$MKU_MEM" "$$MKU_PERMS" "$$MKU_FIRST") || exit 1; \
	set -- $$a; \
	echo "make user: $$1, $$2, $$3 KiB, perms $$4, first $$5" >&2; \
	$(MKUSER) -p "$$4" "$$1" "$$2" "$$3" "$$5" | $(PYTHON) tools/genusers.py --put users/users.conf
	@echo "make user: the next make builds the kernel with it" >&2

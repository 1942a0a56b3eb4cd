#!/bin/sh
# inc2h.sh - turn the `NAME equ VALUE` lines of a NASM include into C #defines,
# so C and assembly share one definition (h3sm/layout.inc -> h3sm_layout.h).
echo "/* generated from $1 by tools/inc2h.sh: do not edit */"
sed -n 's/^\([A-Z_][A-Z0-9_]*\)[[:space:]]\{1,\}equ[[:space:]]\{1,\}\([^;]*\).*/#define \1 (\2)/p' "$1" |
	sed 's/[[:space:]]*)$/)/'

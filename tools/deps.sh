#!/bin/sh
# deps.sh [debug]: make sure every tool the build, `make run` and `make test` need is here;
# install the missing Debian packages with apt-get (through sudo when not root).
#
# Fast when nothing is missing: it only looks at commands and files, no apt call.
# With "debug", gdb is wanted too (make debug). Stops with one line naming a tool it
# could not install. Runs unattended (CI has no stdin).
set -eu

# what to look for          Debian package     (a command, a /path, or py:MODULE for /usr/bin/python3)
wanted='
make                        make
nasm                        nasm
gcc                         gcc
/usr/lib/gcc/x86_64-linux-gnu/*/32/libgcc.a gcc-multilib
ld                          binutils
grub                        grub-legacy
/usr/lib/grub/x86_64-pc/stage2_eltorito grub-legacy
mformat                     mtools
mcopy                       mtools
xorriso                     xorriso
qemu-system-i386            qemu-system-x86
bochs                       bochs
/usr/share/bochs/BIOS-bochs-latest bochsbios
/usr/share/vgabios/vgabios.bin vgabios
/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so bochs-term
script                      bsdutils
socat                       socat
/usr/bin/python3            python3
py:pytest                   python3-pytest
py:pexpect                  python3-pexpect
gforth                      gforth
pforth                      pforth
clang                       clang
/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-i386.a libclang-rt-14-dev
/usr/lib/gcc/x86_64-linux-gnu/*/32/libstdc++.so lib32stdc++-12-dev
'
[ "${1:-}" = debug ] && wanted="$wanted
gdb                         gdb"

# present WHAT: is it here?
present() {
    case $1 in
    py:*) [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import ${1#py:}" 2>/dev/null ;;
    /*)   for f in $1; do [ -e "$f" ] && return 0; done; return 1 ;;
    *)    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
    esac
}

# missing: print "what package" for every tool not present.
missing() {
    echo "$wanted" | while read -r what pkg; do
        [ -n "$what" ] || continue
        present "$what" || echo "$what $pkg"
    done
}

lack=$(missing)
[ -z "$lack" ] && exit 0

pkgs=$(echo "$lack" | awk '{print $2}' | sort -u | tr '\n' ' ')
echo "deps: installing $pkgs"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: cannot install $(echo "$lack" | head -n1 | cut -d' ' -f1): no apt-get here; install the packages $pkgs by hand" >&2
    exit 1
fi
sudo=
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
        { echo "deps: cannot install $pkgs: not root and no sudo" >&2; exit 1; }
    sudo='sudo -n'
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null >/dev/null || echo "deps: apt-get update failed; trying the install anyway" >&2
# One transaction; if it fails (one unknown package spoils all), one package at a time.
install() {
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}
# shellcheck disable=SC2086
install $pkgs || for p in $pkgs; do install "$p" || true; done

still=$(missing)
if [ -n "$still" ]; then
    set -- $(echo "$still" | head -n1)
    echo "deps: cannot install $1 (Debian package $2); install it by hand and run make again" >&2
    exit 1
fi
echo "deps: all installed"

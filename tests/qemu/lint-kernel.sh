#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sparse (C=2) and W=1 on our kernel objects, in Debian's Linux trees with
# our series applied (kernel-tree.sh VERSION ours). make patches runs it
# (tests/run.sh).
#
#   lint-kernel.sh [ARCH:]VERSION...
#
# ARCH (default arm64):
#   arm64         the arm64 QEMU tier's config (tests/qemu/kconfig.fragment
#                 and kconfig-kunit.fragment);
#                 drivers/xen/unpopulated-alloc.o, unpopulated-alloc-test.o,
#                 grant-table.o and arch/arm64/xen/, where kbuild builds
#                 ../../arm/xen/extended-regions.o and extended-regions-test.o
#   x86_64        the x86 QEMU tier's config (tests/qemu/x86/kconfig.fragment
#                 and the KUnit fragment);
#                 drivers/xen/unpopulated-alloc.o, unpopulated-alloc-test.o,
#                 grant-table.o
#   debian-amd64  Debian's own amd64 config (linux-config-VERSION,
#                 config.amd64_none_amd64) after olddefconfig;
#                 drivers/xen/unpopulated-alloc.o, grant-table.o
# grant-table.o is upstream's file with patch 7's change: its build must
# succeed, its warnings count as other files'.
# Each in build/qemu/out/ARCH-VERSION-lint, a build directory of its own,
# so that the W=1 flags never make the test kernels rebuild. C=2 runs
# sparse on every source of those targets, rebuilt or not. Any warning or
# error that names one of our files fails. Prints one PASS or FAIL line
# per ARCH:VERSION, then "N passed, M failed".
set -u
{
[ $# -ge 1 ] || { echo "usage: $0 VERSION..." >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$ROOT/tests/qemu/kconfig.fragment
KUNIT=$ROOT/tests/qemu/kconfig-kunit.fragment
OURS='extended-regions(-test)?\.[ch]|unpopulated-alloc(-test)?\.c|xen/unpopulated\.h'
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-unpopulated-alloc/ccache}
pass=0
fail=0

lint() {	# lint ARCH VERSION -> 0 when our files are clean
	local arch=$1 ver=$2 src out kmake n others name targets cfg
	name=sparse-$arch-$ver
	src=$("$ROOT/tests/qemu/kernel-tree.sh" "$ver" ours 2>&1 | tail -n 1)
	[ -f "$src/Makefile" ] || { echo "FAIL $name: no source tree: $src"; return 1; }
	out=$ROOT/build/qemu/out/$arch-$ver-lint
	mkdir -p "$out"
	case $arch in
	arm64)	kmake="make -C $src O=$out ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
		targets="drivers/xen/unpopulated-alloc.o drivers/xen/unpopulated-alloc-test.o drivers/xen/grant-table.o arch/arm64/xen/"
		cat "$FRAG" "$KUNIT" > "$out/fragment.config"
		cfg=$out/fragment.config ;;
	x86_64)	kmake="make -C $src O=$out ARCH=x86"
		targets="drivers/xen/unpopulated-alloc.o drivers/xen/unpopulated-alloc-test.o drivers/xen/grant-table.o"
		cat "$ROOT/tests/qemu/x86/kconfig.fragment" "$KUNIT" > "$out/fragment.config"
		cfg=$out/fragment.config ;;
	debian-amd64)
		kmake="make -C $src O=$out ARCH=x86"
		targets="drivers/xen/unpopulated-alloc.o drivers/xen/grant-table.o" ;;
	*)	echo "FAIL $name: unknown arch $arch"; return 1 ;;
	esac
	if [ "$arch" = debian-amd64 ]; then
		cfg=/usr/src/linux-config-$ver/config.amd64_none_amd64.xz
		[ -f "$cfg" ] || { echo "FAIL $name: $cfg missing (apt-get install linux-config-$ver)"; return 1; }
		if ! cmp -s "$cfg" "$out/.fragment" || [ ! -f "$out/.config" ]; then
			xz -dc "$cfg" > "$out/.config"
			# no signing key or BTF for a lone object
			"$src/scripts/config" --file "$out/.config" --set-str MODULE_SIG_KEY "" \
				--set-str SYSTEM_TRUSTED_KEYS "" --disable DEBUG_INFO_BTF
			$kmake -s olddefconfig > "$out/config.log" 2>&1 ||
				{ cat "$out/config.log"; echo "FAIL $name: olddefconfig failed"; return 1; }
			cp "$cfg" "$out/.fragment"
		fi
	elif ! cmp -s "$cfg" "$out/.fragment" || [ ! -f "$out/.config" ]; then
		$kmake -s KCONFIG_ALLCONFIG="$cfg" allnoconfig > "$out/config.log" 2>&1 ||
			{ cat "$out/config.log"; echo "FAIL $name: allnoconfig failed"; return 1; }
		cp "$cfg" "$out/.fragment"
	fi
	# the system's sparse, unless the tree says it is too old
	check=sparse
	if [ -x "$src/scripts/checker-valid.sh" ] &&
	   [ "$("$src/scripts/checker-valid.sh" sparse 2>/dev/null)" != 1 ]; then
		check=$("$ROOT/tests/qemu/build-sparse.sh" 2>"$out/sparse-build.log" | tail -n 1)
		[ -x "$check" ] || { tail -n 5 "$out/sparse-build.log"; echo "FAIL $name: no sparse new enough for linux $ver"; return 1; }
	fi
	grep -qx 'CONFIG_XEN_UNPOPULATED_ALLOC=y' "$out/.config" ||
		{ echo "FAIL $name: CONFIG_XEN_UNPOPULATED_ALLOC is not =y"; return 1; }
	# shellcheck disable=SC2086
	if ! $kmake -j"${JOBS:-$(nproc)}" C=2 CHECK="$check" W=1 $targets > "$out/lint.log" 2>&1; then
		tail -n 30 "$out/lint.log"
		echo "FAIL $name: the build of our objects failed (build/qemu/out/$arch-$ver-lint/lint.log)"
		return 1
	fi
	grep -q 'CHECK.*unpopulated-alloc\.c' "$out/lint.log" ||
		{ echo "FAIL $name: sparse did not check unpopulated-alloc.c"; return 1; }
	if [ "$arch" != debian-amd64 ]; then
		grep -q 'CHECK.*unpopulated-alloc-test\.c' "$out/lint.log" ||
			{ echo "FAIL $name: sparse did not check unpopulated-alloc-test.c"; return 1; }
	fi
	if [ "$arch" = arm64 ]; then
		grep -q 'CHECK.*extended-regions\.c' "$out/lint.log" ||
			{ echo "FAIL $name: sparse did not check extended-regions.c"; return 1; }
		grep -q 'CHECK.*extended-regions-test\.c' "$out/lint.log" ||
			{ echo "FAIL $name: sparse did not check extended-regions-test.c"; return 1; }
	fi
	n=$(grep -E "$OURS" "$out/lint.log" | grep -cE 'warning|error')
	others=$(grep -cE 'warning|error' "$out/lint.log")
	if [ "$n" != 0 ]; then
		grep -E "$OURS" "$out/lint.log" | grep -E 'warning|error'
		echo "FAIL $name: $n warning(s) in our files"
		return 1
	fi
	echo "PASS $name: sparse $(if [ "$check" = sparse ]; then sparse --version; else cat "${check%/*}/version"; fi) C=2 and W=1 on linux $ver $arch: 0 warnings in our files ($others in other files of the targets)"
}

command -v sparse >/dev/null || { echo "FAIL sparse: not installed (make deps-check)"; echo "0 passed, 1 failed"; exit 1; }
for v in "$@"; do
	case $v in *:*) a=${v%%:*}; v=${v#*:} ;; *) a=arm64 ;; esac
	if lint "$a" "$v"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
exit
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sparse (C=2) and W=1 on our two kernel objects, in Debian's Linux trees
# with our sources (kernel-tree.sh + scripts/kernel-overlay.sh) and the QEMU
# tier's config. make check runs it (tests/run.sh).
#
#   lint-kernel.sh VERSION...
#
# Per version, builds only drivers/xen/unpopulated-alloc.o and
# arch/arm64/xen/ (where kbuild builds ../../arm/xen/extended-regions.o) in
# build/qemu/out/VERSION-lint, a build directory of its own, so that the W=1
# flags never make the test kernels rebuild. C=2 runs sparse on every source
# of those targets, rebuilt or not. Any warning or error that names one of
# our files fails the version. Prints one PASS or FAIL line per version,
# then "N passed, M failed".
set -u
{
[ $# -ge 1 ] || { echo "usage: $0 VERSION..." >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$ROOT/tests/qemu/kconfig.fragment
OURS='extended-regions\.[ch]|unpopulated-alloc\.c|xen/unpopulated\.h'
export CCACHE_DIR=${CCACHE_DIR:-$ROOT/build/ccache}
pass=0
fail=0

lint() {	# lint VERSION -> 0 when our files are clean
	local ver=$1 src out kmake n others
	src=$("$ROOT/tests/qemu/kernel-tree.sh" "$ver" "$ROOT/scripts/kernel-overlay.sh" 2>&1 | tail -n 1)
	[ -f "$src/Makefile" ] || { echo "FAIL sparse-$ver: no source tree: $src"; return 1; }
	out=$ROOT/build/qemu/out/$ver-lint
	mkdir -p "$out"
	kmake="make -C $src O=$out ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	if ! cmp -s "$FRAG" "$out/.fragment" || [ ! -f "$out/.config" ]; then
		$kmake -s KCONFIG_ALLCONFIG="$FRAG" allnoconfig > "$out/config.log" 2>&1 ||
			{ cat "$out/config.log"; echo "FAIL sparse-$ver: allnoconfig failed"; return 1; }
		cp "$FRAG" "$out/.fragment"
	fi
	if ! $kmake -j"${JOBS:-$(nproc)}" C=2 W=1 drivers/xen/unpopulated-alloc.o arch/arm64/xen/ \
		> "$out/lint.log" 2>&1; then
		tail -n 30 "$out/lint.log"
		echo "FAIL sparse-$ver: the build of our objects failed (build/qemu/out/$ver-lint/lint.log)"
		return 1
	fi
	grep -q 'CHECK.*unpopulated-alloc\.c' "$out/lint.log" ||
		{ echo "FAIL sparse-$ver: sparse did not check unpopulated-alloc.c"; return 1; }
	grep -q 'CHECK.*extended-regions\.c' "$out/lint.log" ||
		{ echo "FAIL sparse-$ver: sparse did not check extended-regions.c"; return 1; }
	n=$(grep -E "$OURS" "$out/lint.log" | grep -cE 'warning|error')
	others=$(grep -cE 'warning|error' "$out/lint.log")
	if [ "$n" != 0 ]; then
		grep -E "$OURS" "$out/lint.log" | grep -E 'warning|error'
		echo "FAIL sparse-$ver: $n warning(s) in our files"
		return 1
	fi
	echo "PASS sparse-$ver: $(sparse --version) C=2 and W=1 on linux $ver: 0 warnings in unpopulated-alloc.c and extended-regions.c ($others in other files of the targets)"
}

command -v sparse >/dev/null || { echo "FAIL sparse: not installed (make deps-check)"; echo "0 passed, 1 failed"; exit 1; }
for v in "$@"; do
	if lint "$v"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
exit
}

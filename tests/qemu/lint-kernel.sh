#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sparse (C=2) and W=1 on our two kernel objects, in a Linux tree that has
# our sources (scripts/kernel-overlay.sh), with the QEMU tier's config.
#
#   lint-kernel.sh VERSION OUTDIR
#
# Builds only the objects of drivers/xen/unpopulated-alloc.o and
# arch/arm64/xen/ (where kbuild builds ../../arm/xen/extended-regions.o) in
# OUTDIR, a build directory of its own, so that the W=1 flags never make the
# test kernels rebuild. Any warning or error that names one of our files
# fails. Last line: the verdict.
set -eu
{
[ $# = 2 ] || { echo "usage: $0 VERSION OUTDIR" >&2; exit 2; }
VER=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/build/qemu/src/linux-$VER-ours
FRAG=$ROOT/tests/qemu/kconfig.fragment
OURS='extended-regions\.[ch]|unpopulated-alloc\.c|xen/unpopulated\.h'

if ! command -v sparse >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends sparse
	else
		echo "lint-kernel: sparse missing: apt-get install sparse" >&2
		exit 1
	fi
fi
[ -f "$SRC/.unpacked" ] || { echo "lint-kernel: $SRC missing (build the $VER-ours kernel first)" >&2; exit 1; }
"$ROOT/scripts/kernel-overlay.sh" "$SRC"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export CCACHE_DIR=${CCACHE_DIR:-$ROOT/build/ccache}
KMAKE="make -s -C $SRC O=$OUT ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
if ! cmp -s "$FRAG" "$OUT/.fragment" || [ ! -f "$OUT/.config" ]; then
	$KMAKE KCONFIG_ALLCONFIG="$FRAG" allnoconfig
	cp "$FRAG" "$OUT/.fragment"
fi
# C=2: sparse on every source of the targets, rebuilt or not
$KMAKE -j"${JOBS:-$(nproc)}" C=2 W=1 drivers/xen/unpopulated-alloc.o arch/arm64/xen/ \
	> "$OUT/lint.log" 2>&1 || { cat "$OUT/lint.log"; echo "lint-kernel: build failed"; exit 1; }
sparse --version | sed 's/^/sparse /'
n=$(grep -E "$OURS" "$OUT/lint.log" | grep -cE 'warning|error' || true)
grep -E "$OURS" "$OUT/lint.log" || true
others=$(grep -cE 'warning|error' "$OUT/lint.log" || true)
if [ "$n" = 0 ]; then
	echo "sparse C=2 and W=1 on linux $VER: 0 warnings in unpopulated-alloc.c and extended-regions.c ($others in other files of the targets)"
else
	echo "sparse C=2 and W=1 on linux $VER: $n warning(s) in our files"
	exit 1
fi
exit
}

#!/bin/bash
# Build a minimal arm64 kernel Image for the QEMU tier.
#
#   build-kernel.sh VERSION OUTDIR [OVERLAY]
#
# VERSION  Debian linux-source version (6.1, 6.12): /usr/src/linux-source-VERSION.tar.xz
# OUTDIR   out-of-tree build directory (O=); result: OUTDIR/arch/arm64/boot/Image
# OVERLAY  optional script, run as "OVERLAY SRCDIR" on a copy of the pristine
#          tree (build/qemu/src/linux-VERSION-$SRC_TAG, SRC_TAG default
#          "ours") before building from it: see kernel-tree.sh.
#
# The pristine tree build/qemu/src/linux-VERSION is unpacked once and never
# modified. The .config comes from allnoconfig + tests/qemu/kconfig.fragment
# (+ $EXTRA_FRAGMENT, e.g. the debug options) and is regenerated only when
# the fragment changes; every CONFIG_*=y of the fragment must be =y in the
# result or the script fails.
#
# Warm runs: when nothing that goes into the kernel changed since the last
# successful build into OUTDIR (fragments, this script, the source tarball,
# the compiler, and for OVERLAY the overlay script and the repository's
# arch/ drivers/ include/ files), kbuild is not even started: the Image is
# "up to date". FORCE_KBUILD=1 runs kbuild anyway.
set -eu
# The body is one compound command: bash reads it whole before running
# it, so editing this file while it runs cannot derail the run.
{

[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 VERSION OUTDIR [OVERLAY]" >&2; exit 2; }
VER=$1
OUT=$2
OVERLAY=${3:-}
EXTRA=${EXTRA_FRAGMENT:-}

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$ROOT/tests/qemu/kconfig.fragment
TARBALL=/usr/src/linux-source-$VER.tar.xz

[ -f "$TARBALL" ] || { echo "build-kernel: $TARBALL missing (run tests/qemu/setup.sh)" >&2; exit 1; }
[ -z "$EXTRA" ] || [ -f "$EXTRA" ] || { echo "build-kernel: $EXTRA missing" >&2; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# 0. nothing changed since the last build: done
inputs() {
	cat "$FRAG" ${EXTRA:+"$EXTRA"} "$0"
	stat -L -c '%n %s %Y' "$TARBALL"
	aarch64-linux-gnu-gcc --version | head -n1
	if [ -n "$OVERLAY" ]; then
		cat "$OVERLAY" "$ROOT"/tests/qemu/patches/*.patch
		( cd "$ROOT" && find arch drivers include -type f | LC_ALL=C sort | xargs cat )
	fi
}
SUM=$(inputs | sha256sum | cut -d' ' -f1)
if [ "${FORCE_KBUILD:-0}" = 0 ] && [ -s "$OUT/arch/arm64/boot/Image" ] &&
   [ "$(cat "$OUT/.inputs-sum" 2>/dev/null)" = "$SUM" ]; then
	echo "build-kernel: $OUT/arch/arm64/boot/Image up to date (inputs unchanged)"
	exit 0
fi
rm -f "$OUT/.inputs-sum"

# 1. the source tree: pristine, or an overlaid copy (kernel-tree.sh)
SRC=$("$ROOT/tests/qemu/kernel-tree.sh" "$VER" ${OVERLAY:+"$OVERLAY" "${SRC_TAG:-ours}"} | tail -n 1)
[ -f "$SRC/Makefile" ] || { echo "build-kernel: no source tree for linux $VER" >&2; exit 1; }

export CCACHE_DIR=${CCACHE_DIR:-$ROOT/build/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
CC="aarch64-linux-gnu-gcc"
command -v ccache >/dev/null && CC="ccache $CC"
JOBS=${JOBS:-$(nproc)}
KMAKE="make -s -C $SRC O=$OUT ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"

# 3. configuration, only when the fragment changed (or no .config yet)
cat "$FRAG" ${EXTRA:+"$EXTRA"} > "$OUT/fragment.config"
if ! cmp -s "$OUT/fragment.config" "$OUT/.fragment" || [ ! -f "$OUT/.config" ]; then
	echo "build-kernel: configuring $OUT"
	$KMAKE CC="$CC" KCONFIG_ALLCONFIG="$OUT/fragment.config" allnoconfig
	cp "$OUT/fragment.config" "$OUT/.fragment"
fi

bad=0
for opt in $(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/\1/p' "$OUT/fragment.config"); do
	if ! grep -qx "$opt=y" "$OUT/.config"; then
		echo "build-kernel: $opt is not =y in $OUT/.config (linux $VER)" >&2
		bad=1
	fi
done
if [ $bad = 1 ]; then
	rm -f "$OUT/.fragment"   # force reconfiguration next time
	exit 1
fi

# 4. build
echo "build-kernel: building linux $VER${OVERLAY:+ (overlay $(basename "$OVERLAY"))} in $OUT"
$KMAKE CC="$CC" -j"$JOBS" Image
echo "$SUM" > "$OUT/.inputs-sum"
ls -l "$OUT/arch/arm64/boot/Image"

exit
}

#!/bin/bash
# Build a minimal arm64 kernel Image for the QEMU tier.
#
#   build-kernel.sh VERSION OUTDIR [FLAVOUR]
#
# VERSION  Debian linux-source version (6.1, 6.12): /usr/src/linux-source-VERSION.tar.xz
# OUTDIR   the build directory: result OUTDIR/arch/arm64/boot/Image. It is a
#          symbolic link to kbuild's object tree, which lives inside the
#          source tree (SRC/.kbuild-KARCH-NAME, NAME the last part of OUTDIR)
#          (KARCH=x86_64: OUTDIR/arch/x86/boot/bzImage, native gcc, fragment
#          tests/qemu/x86/kconfig.fragment; the x86 tier, tests/qemu/x86/)
# FLAVOUR  upstream (default: the pristine tree), ours (this project's
#          series applied with git am) or debug (ours plus
#          tests/qemu/patches/): see kernel-tree.sh.
#
# The pristine tree build/qemu/src/linux-VERSION is unpacked once and never
# modified. The .config comes from allnoconfig + tests/qemu/kconfig.fragment
# (+ tests/qemu/kconfig-kunit.fragment for our arm64 kernels, the series'
# KUnit tests) (+ $EXTRA_FRAGMENT, e.g. the debug options) and is
# regenerated only when the fragment changes; every CONFIG_*=y of the
# fragment must be =y in the result or the script fails.
#
# Why inside the source tree: kbuild then names every source relative to
# the object tree (srctree is ".."), so the compiler sees the same paths
# and flags in the pristine tree and in the patched copy, and ccache serves
# every file the series does not touch from the other flavour's objects:
# the second kernel of a version costs a link and a few objects, not a
# whole build.  kernel-tree.sh leaves the .kbuild-* directories out of its
# copies.
#
# Warm runs: when nothing that goes into the kernel changed since the last
# successful build into OUTDIR (fragments, this script, the source tarball,
# the compiler, and for ours and debug the series scripts, the patches in
# tests/qemu/patches/ and the repository's
# arch/ drivers/ include/ files), kbuild is not even started: the Image is
# "up to date". FORCE_KBUILD=1 runs kbuild anyway.
set -eu
# The body is one compound command: bash reads it whole before running
# it, so editing this file while it runs cannot derail the run.
{

[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 VERSION OUTDIR [FLAVOUR]" >&2; exit 2; }
VER=$1
OUT=$2
FLAVOUR=${3:-upstream}
EXTRA=${EXTRA_FRAGMENT:-}

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRAG=$ROOT/tests/qemu/kconfig.fragment
KCC=aarch64-linux-gnu-gcc KARGS="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-" KTARGET=Image
KIMAGE=arch/arm64/boot/Image
case ${KARCH:-arm64} in
arm64) ;;
x86_64) FRAG=$ROOT/tests/qemu/x86/kconfig.fragment KCC=gcc KARGS=ARCH=x86
	KTARGET=bzImage KIMAGE=arch/x86/boot/bzImage ;;
*) echo "build-kernel: KARCH=$KARCH: arm64 or x86_64" >&2; exit 2 ;;
esac
# our arm64 kernels: the series' KUnit tests
KUNIT=
[ "$FLAVOUR" != upstream ] && [ "${KARCH:-arm64}" = arm64 ] &&
	KUNIT=$ROOT/tests/qemu/kconfig-kunit.fragment
TARBALL=$("$ROOT/tests/qemu/ksrc-tarball.sh" "$VER")

[ -f "$TARBALL" ] || { echo "build-kernel: $TARBALL missing (run tests/qemu/setup.sh)" >&2; exit 1; }
[ -z "$EXTRA" ] || [ -f "$EXTRA" ] || { echo "build-kernel: $EXTRA missing" >&2; exit 1; }

case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
mkdir -p "$(dirname "$OUT")"

# 0. nothing changed since the last build: done
inputs() {
	cat "$FRAG" ${KUNIT:+"$KUNIT"} ${EXTRA:+"$EXTRA"} "$0"
	stat -L -c '%n %s %Y' "$TARBALL"
	$KCC --version | head -n1
	if [ "$FLAVOUR" != upstream ]; then
		echo "$FLAVOUR"
		cat "$ROOT"/tests/qemu/kernel-tree.sh "$ROOT"/scripts/make-patches.sh \
			"$ROOT"/scripts/series.sh "$ROOT"/scripts/*.sed "$ROOT"/series/* \
			"$ROOT"/tests/qemu/patches/*.patch
		( cd "$ROOT" && find arch drivers include -type f | LC_ALL=C sort | xargs cat )
	fi
}
SUM=$(inputs | sha256sum | cut -d' ' -f1)
if [ "${FORCE_KBUILD:-0}" = 0 ] && [ -s "$OUT/$KIMAGE" ] &&
   [ "$(cat "$OUT/.inputs-sum" 2>/dev/null)" = "$SUM" ]; then
	echo "build-kernel: $OUT/$KIMAGE up to date (inputs unchanged)"
	exit 0
fi
rm -f "$OUT/.inputs-sum"

# 1. the source tree: pristine, or an overlaid copy (kernel-tree.sh)
case $FLAVOUR in
upstream) SRC=$("$ROOT/tests/qemu/kernel-tree.sh" "$VER" | tail -n 1) ;;
ours|debug) SRC=$("$ROOT/tests/qemu/kernel-tree.sh" "$VER" "$FLAVOUR" | tail -n 1) ;;
*) echo "build-kernel: flavour $FLAVOUR: upstream, ours or debug" >&2; exit 2 ;;
esac
[ -f "$SRC/Makefile" ] || { echo "build-kernel: no source tree for linux $VER" >&2; exit 1; }
KOBJ=$SRC/.kbuild-${KARCH:-arm64}-$(basename "$OUT")
mkdir -p "$KOBJ"
[ -L "$OUT" ] || rm -rf "$OUT"		# a build directory of the old layout
ln -sfn "$KOBJ" "$OUT"

export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-unpopulated-alloc/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
CC="$KCC"
command -v ccache >/dev/null && CC="ccache $CC"
JOBS=${JOBS:-$(nproc)}
KMAKE="make -s -C $SRC O=$KOBJ $KARGS"

# 3. configuration, only when the fragment changed (or no .config yet)
cat "$FRAG" ${KUNIT:+"$KUNIT"} ${EXTRA:+"$EXTRA"} > "$OUT/fragment.config"
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
echo "build-kernel: building linux $VER ($FLAVOUR) in $OUT"
$KMAKE CC="$CC" -j"$JOBS" $KTARGET
echo "$SUM" > "$OUT/.inputs-sum"
ls -l "$OUT/$KIMAGE"

exit
}

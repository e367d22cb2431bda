#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the arm64 Xen 4.21 hypervisor, which Debian does not package, from
# the source tarball beside the project (../shared/xen/, or $XEN_TARBALL),
# with Debian's cross compiler and ccache:
#   build/qemu/xen-4.21-src/   the unpacked tree and its objects
#   build/qemu/xen-4.21/boot/xen-4.21-arm64   what run-scenario.sh boots,
# the same layout as the unpacked Debian packages of 4.17 and 4.20.
# Idempotent: nothing is built again once the binary is there.
set -eu
{
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
OUT=$B/xen-4.21/boot/xen-4.21-arm64
TARBALL=${XEN_TARBALL:-$ROOT/../shared/xen/xen-4.21.2-hypervisor.tar.xz}
SRC=$B/xen-4.21-src

die() { echo "build-xen: $*" >&2; exit 1; }

[ -s "$OUT" ] && { echo "build-xen: $OUT in place"; exit 0; }
[ -f "$TARBALL" ] || die "$TARBALL missing (set XEN_TARBALL)"
command -v aarch64-linux-gnu-gcc >/dev/null || die "needs gcc-aarch64-linux-gnu"

CC=aarch64-linux-gnu-gcc
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-unpopulated-alloc/ccache}
export CCACHE_BASEDIR=$SRC
command -v ccache >/dev/null && CC="ccache $CC"

if [ ! -f "$SRC/.unpacked" ]; then
	echo "build-xen: unpacking $(basename "$TARBALL")"
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -xJf "$TARBALL" -C "$SRC.tmp" --strip-components=1 || die "cannot unpack $TARBALL"
	touch "$SRC.tmp/.unpacked"
	mv "$SRC.tmp" "$SRC"
fi

LOG=$B/logs/build-xen-4.21.log
mkdir -p "$B/logs" "$(dirname "$OUT")"
echo "build-xen: building Xen 4.21 for arm64 (log: $LOG)"
MK=(make -C "$SRC/xen" XEN_TARGET_ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=$CC")
{ "${MK[@]}" defconfig && "${MK[@]}" -j"$(nproc)"; } > "$LOG" 2>&1 ||
	{ tail -n 20 "$LOG" >&2; die "build failed (log: $LOG)"; }
[ -s "$SRC/xen/xen" ] || die "no $SRC/xen/xen after the build"
cp "$SRC/xen/xen" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "build-xen: $OUT"
exit
}

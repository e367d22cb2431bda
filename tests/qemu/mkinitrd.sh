#!/bin/bash
# Build build/qemu/initrd.cpio.gz: static busybox (from the busybox-static
# arm64 deb unpacked by setup.sh), the guest test programs and /init.
# The archive is padded to a multiple of 64 KiB (Xen boot modules).
# Nothing is redone when no input changed.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
G=$ROOT/tests/qemu/guest
OUT=$B/initrd.cpio.gz
BUSYBOX=$B/busybox/bin/busybox
PROGS="gntself iomemcheck privmap gntdmabuf"
CC=${GUEST_CC:-aarch64-linux-gnu-gcc}
INIT=$G/init
# the static arm64 xen-extregions (make tool-arm64), for --live in guests
TOOL=$ROOT/build/arm64/xen-extregions
# KARCH=x86_64: the x86 tier's initramfs (tests/qemu/x86/): busybox from the
# amd64 deb (tests/qemu/x86/setup.sh), native gcc, tests/qemu/x86/init,
# everything under build/qemu/x86/
if [ "${KARCH:-arm64}" = x86_64 ]; then
	B=$B/x86
	OUT=$B/initrd.cpio.gz
	BUSYBOX=$B/busybox/bin/busybox
	CC=${GUEST_CC:-gcc}
	INIT=$ROOT/tests/qemu/x86/init
	TOOL=
fi
[ -z "$TOOL" ] || [ -x "$TOOL" ] || { echo "mkinitrd: $TOOL missing (make tool-arm64)" >&2; exit 1; }

[ -x "$BUSYBOX" ] || { echo "mkinitrd: $BUSYBOX missing (run tests/qemu/setup.sh)" >&2; exit 1; }

# up to date when the archive is newer than every input
if [ -f "$OUT" ] && [ -z "$(find "$G" "$INIT" "$BUSYBOX" "$0" $TOOL -newer "$OUT" -print -quit)" ]; then
	echo "mkinitrd: $OUT up to date"
	exit 0
fi

mkdir -p "$B/guest"
for p in $PROGS; do
	$CC -static -O2 -Wall -Wextra -Werror -o "$B/guest/$p" "$G/$p.c"
done

STAGE=$B/initrd
rm -rf "$STAGE"
mkdir -p "$STAGE/bin" "$STAGE/proc" "$STAGE/sys" "$STAGE/dev" "$STAGE/tmp"
cp "$BUSYBOX" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
for p in $PROGS; do
	cp "$B/guest/$p" "$STAGE/bin/$p"
done
[ -z "$TOOL" ] || cp "$TOOL" "$STAGE/bin/xen-extregions"
cp "$INIT" "$STAGE/init"
chmod 755 "$STAGE/init"

( cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 ) | gzip -9n > "$OUT.tmp"
size=$(stat -c %s "$OUT.tmp")
truncate -s $(( (size + 65535) / 65536 * 65536 )) "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
ls -l "$OUT"

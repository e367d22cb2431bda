#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The toolstack tier's dom0 initramfs, without the domU kernel:
#
#   mkinitrd.sh XEN_VERSION     -> build/qemu/xl/dom0-XEN_VERSION.cpio.gz
#
# busybox (tests/qemu/setup.sh), from the Xen tools unpacked by
# tests/qemu/xl/setup.sh only xl, xenstored, xenconsoled, xen-init-dom0,
# xenstore-read/-write and the shared libraries they need (found through
# their ELF NEEDED entries, with ld-linux-aarch64.so.1) in /lib, our hotplug
# scripts in /etc/xen/scripts, dom0-init as /init, and in /domu the domU's
# configuration and initramfs (busybox, domu-init, the static arm64
# xen-extregions of make tool-arm64). run.sh appends the kernel Image as
# /domu/Image in a second archive. Rebuilt only when an input changed.
set -eu
{
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
XQ=$ROOT/tests/qemu/xl
B=$ROOT/build/qemu
V=${1:-4.17}
T=$B/xl/tools-$V
OUT=$B/xl/dom0-$V.cpio.gz
BUSYBOX=$B/busybox/bin/busybox
TOOL=$ROOT/build/arm64/xen-extregions
BINS="usr/lib/xen-$V/bin/xl usr/lib/xen-$V/bin/xenstored
usr/lib/xen-$V/bin/xenconsoled usr/lib/xen-$V/bin/xen-init-dom0
usr/bin/xenstore-read usr/bin/xenstore-write"

die() { echo "xl/mkinitrd: $*" >&2; exit 1; }
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (run tests/qemu/setup.sh)"
[ -f "$T/.complete" ] || die "$T missing (run tests/qemu/xl/setup.sh $V)"
[ -x "$TOOL" ] || die "$TOOL missing (make build/arm64/xen-extregions)"

if [ -f "$OUT" ] && [ -z "$(find "$XQ" "$BUSYBOX" "$TOOL" "$T/.complete" -newer "$OUT" -print -quit)" ]; then
	echo "xl/mkinitrd: $OUT up to date"
	exit 0
fi

lib() {	# lib NAME: where the packages have it (bookworm: lib/, trixie: usr/lib/)
	( cd "$T" && find $(ls -d lib usr/lib 2>/dev/null) -name "$1" | head -n 1 )
}
cpio_gz() {	# cpio_gz DIR OUT: the tree as a newc archive, owned by root
	( cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 ) |
		gzip -9n > "$2"
}

S=$B/xl/stage-$V
rm -rf "$S"

# the domU's initramfs
U=$S/domu-root
mkdir -p "$U/bin"
cp "$BUSYBOX" "$U/bin/busybox"
cp "$TOOL" "$U/bin/xen-extregions"
cp "$XQ/domu-init" "$U/init"
chmod 755 "$U/init"

# dom0
R=$S/root
mkdir -p "$R/bin" "$R/lib" "$R/etc/xen/scripts" "$R/domu"
: > "$R/etc/xen/xl.conf"
cp "$BUSYBOX" "$R/bin/busybox"
for f in $BINS; do
	mkdir -p "$R/$(dirname "$f")"
	cp -L "$T/$f" "$R/$f"
done
ln -s "xen-$V" "$R/usr/lib/xen"
# the shared libraries, transitively
todo=$BINS
seen=
while [ -n "$todo" ]; do
	set -- $todo
	f=$1
	shift
	todo="$*"
	for l in $(aarch64-linux-gnu-readelf -d "$T/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case " $seen " in *" $l "*) continue ;; esac
		seen="$seen $l"
		p=$(lib "$l")
		[ -n "$p" ] || die "$f needs $l, not in the packages"
		cp -L "$T/$p" "$R/lib/$l"
		todo="$todo $p"
	done
done
# glibc's pthread_cancel() (xl) dlopens libgcc_s
p=$(lib libgcc_s.so.1)
[ -n "$p" ] || die "no libgcc_s.so.1 in the packages"
cp -L "$T/$p" "$R/lib/"
cp "$XQ/block" "$XQ/vif-bridge" "$R/etc/xen/scripts/"
cp "$XQ/dom0-init" "$R/init"
chmod 755 "$R/init"
cp "$XQ/domu.cfg" "$R/domu/domu.cfg"
cpio_gz "$U" "$R/domu/initrd.cpio.gz"

cpio_gz "$R" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "xl/mkinitrd: $OUT ($(stat -c %s "$OUT") bytes; libraries:$seen)"
exit
}

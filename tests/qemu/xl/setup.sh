#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's arm64 Xen tools for the toolstack tier (tests/qemu/xl/):
#
#   setup.sh [XEN_VERSION]     (4.17, the default, or 4.20)
#
# 4.17 comes from bookworm with the machine's own apt configuration
# (apt-get download PKG:arm64, as tests/qemu/setup.sh fetches the
# hypervisor), 4.20 from trixie through fetch-newer.sh's private source
# list. Every package is unpacked with dpkg-deb -x into
# build/qemu/xl/tools-VERSION/; mkinitrd.sh takes from there only xl,
# xenstored, xenconsoled, xen-init-dom0, xenstore-write/-read and the
# shared libraries they need (and libgcc_s, which glibc dlopens). The .debs stay in build/qemu/debs/xl-VERSION/.
# Idempotent: nothing is fetched or unpacked again once in place.
set -eu
{
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
B=$ROOT/build/qemu
V=${1:-4.17}
DEBS=$B/debs/xl-$V
OUT=$B/xl/tools-$V

die() { echo "xl/setup: $*" >&2; exit 1; }

# xl and the daemons, and the libraries their ELF headers ask for
LIBS="libxenstore4 libxencall1 libxenevtchn1 libxenforeignmemory1
libxengnttab1 libxentoollog1 libxentoolcore1 libxendevicemodel1
libxenhypfs1 libyajl2 libc6 libgcc-s1 libfdt1 libuuid1 zlib1g"
PKGS="xen-utils-$V xenstore-utils libxenmisc$V $LIBS"

if [ -x "$OUT/usr/lib/xen-$V/bin/xl" ] && [ -f "$OUT/.complete" ]; then
	echo "xl/setup: Xen $V tools in place ($OUT)"
	exit 0
fi

mkdir -p "$DEBS"
case $V in
4.17)
	if [ -z "$(ls "$DEBS"/*.deb 2>/dev/null)" ]; then
		# shellcheck disable=SC2046
		( cd "$DEBS" && apt-get -q -o APT::Sandbox::User=root download \
			$(for p in $PKGS; do echo "$p:arm64"; done) ) ||
			die "apt-get download of the Xen $V tools failed"
	fi ;;
4.20)
	[ -n "$(ls "$DEBS"/*.deb 2>/dev/null)" ] ||
		# shellcheck disable=SC2086
		"$ROOT/tests/qemu/fetch-newer.sh" --download trixie arm64 "$DEBS" $PKGS ||
		die "fetching the Xen $V tools from trixie failed" ;;
*) die "Xen $V: 4.17 or 4.20" ;;
esac

rm -rf "$OUT"
mkdir -p "$OUT"
for d in "$DEBS"/*.deb; do
	dpkg-deb -x "$d" "$OUT" || die "dpkg-deb -x $d failed"
done
[ -x "$OUT/usr/lib/xen-$V/bin/xl" ] || die "no usr/lib/xen-$V/bin/xl in the packages"
touch "$OUT/.complete"
echo "xl/setup: Xen $V tools unpacked into $OUT ($(ls "$DEBS" | wc -l) packages)"
exit
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host side of the x86 QEMU tier: installs qemu-system-x86 (and the native
# toolchain bits the kernel build needs) when missing, downloads
# xen-hypervisor-4.17-amd64 and busybox-static:amd64 with apt-get download
# (not installed) and unpacks them under build/qemu/x86/:
#   build/qemu/x86/xen/boot/xen-4.17-amd64      (gunzipped for QEMU's
#                                                multiboot loader)
#   build/qemu/x86/busybox/bin/busybox
# Idempotent: nothing is fetched again once it is in place.
set -eu

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
X=$ROOT/build/qemu/x86

PKGS="qemu-system-x86 gcc libc6-dev ccache cpio flex bison bc make
libssl-dev libelf-dev xz-utils python3"
DEBS="xen-hypervisor-4.17-amd64:amd64 busybox-static:amd64"
XEN=$X/xen/boot/xen-4.17-amd64
BUSYBOX=$X/busybox/bin/busybox

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ] && [ -s "$XEN" ] && [ -x "$BUSYBOX" ]; then
	echo "x86 setup: everything already in place"
	exit 0
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "x86 setup: need root for:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; }
fi

if [ ! -s "$XEN" ] || [ ! -x "$BUSYBOX" ]; then
	mkdir -p "$X/debs"
	( cd "$X/debs" && apt-get -o APT::Sandbox::User=root download $DEBS ) ||
		{ apt-get update && ( cd "$X/debs" && apt-get -o APT::Sandbox::User=root download $DEBS ); }
	rm -rf "$X/xen" "$X/busybox"
	dpkg-deb -x "$(ls -t "$X"/debs/xen-hypervisor-4.17-amd64_*.deb | head -n1)" "$X/xen"
	dpkg-deb -x "$(ls -t "$X"/debs/busybox-static_*amd64.deb | head -n1)" "$X/busybox"
	# QEMU's multiboot loader wants the plain ELF
	if [ -f "$XEN.gz" ]; then
		gunzip -c "$XEN.gz" > "$XEN.tmp" && mv "$XEN.tmp" "$XEN"
	fi
fi

[ -s "$XEN" ] || { echo "x86 setup: no Xen binary ($XEN)" >&2; exit 1; }
[ -x "$BUSYBOX" ] || { echo "x86 setup: no busybox ($BUSYBOX)" >&2; exit 1; }
echo "x86 setup: done ($(basename "$(ls -t "$X"/debs/xen-hypervisor-4.17-amd64_*.deb | head -n1)"))"

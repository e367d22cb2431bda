#!/bin/bash
# Install host packages for the QEMU tier and unpack the arm64 guest-side
# packages (Xen 4.17 hypervisor, static busybox) into build/qemu/
# (xen-4.17/, busybox/); then fetch-newer.sh fetches what bookworm lacks
# (linux-source-7.3, Xen 4.20) through a private apt source list, and
# build-xen.sh builds Xen 4.21 from the tarball in ../shared/xen/.
# Idempotent: installed packages and unpacked debs are not fetched again.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu

PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
device-tree-compiler linux-source-6.1 linux-source-6.12 ccache cpio flex
bison bc make libssl-dev libelf-dev xz-utils kmod python3"
FOREIGN="xen-hypervisor-4.17-arm64:arm64 busybox-static:arm64"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

need_arch=0
dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=1

need_debs=0
[ -s "$B/xen-4.17/boot/xen-4.17-arm64" ] || need_debs=1
[ -x "$B/busybox/bin/busybox" ] || need_debs=1

if [ -z "$missing" ] && [ $need_debs = 0 ]; then
	"$ROOT/tests/qemu/fetch-newer.sh" || exit 1
	"$ROOT/tests/qemu/build-xen.sh" || exit 1
	echo "setup: everything already in place"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "setup: need root. Run this script as root, or first as root:" >&2
	[ $need_arch = 1 ] && echo "  dpkg --add-architecture arm64" >&2
	echo "  apt-get update${missing:+ && apt-get install -y --no-install-recommends$missing}" >&2
	exit 1
fi

if [ $need_arch = 1 ]; then
	dpkg --add-architecture arm64
fi
if [ -n "$missing" ] || [ $need_arch = 1 ]; then
	apt-get update
fi
if [ -n "$missing" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

if [ $need_debs = 1 ]; then
	mkdir -p "$B/debs"
	if ls "$B"/debs/xen-hypervisor-4.17-arm64_*.deb "$B"/debs/busybox-static_*.deb >/dev/null 2>&1; then
		echo "setup: unpacking the cached debs"
	elif ! ( cd "$B/debs" && apt-get -o APT::Sandbox::User=root download $FOREIGN ); then
		# arm64 lists may be missing if the architecture was added elsewhere
		apt-get update
		( cd "$B/debs" && apt-get -o APT::Sandbox::User=root download $FOREIGN )
	fi
	rm -rf "$B/xen-4.17" "$B/busybox"
	dpkg-deb -x "$(ls -t "$B"/debs/xen-hypervisor-4.17-arm64_*.deb | head -n1)" "$B/xen-4.17"
	dpkg-deb -x "$(ls -t "$B"/debs/busybox-static_*.deb | head -n1)" "$B/busybox"
fi

[ -s "$B/xen-4.17/boot/xen-4.17-arm64" ] || { echo "setup: no Xen 4.17 binary" >&2; exit 1; }
[ -x "$B/busybox/bin/busybox" ] || { echo "setup: no busybox" >&2; exit 1; }
"$ROOT/tests/qemu/fetch-newer.sh" || exit 1
"$ROOT/tests/qemu/build-xen.sh" || exit 1
echo "setup: done"

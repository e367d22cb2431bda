#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Unpacks Debian's arm64 libfdt-dev (headers and libfdt.a) into DIR, for
# the static arm64 build of xen-extregions (make tool-arm64).  Fetched with
# apt-get download, which changes nothing in apt's configuration.
#
#   tools/arm64-libfdt.sh DIR
set -eu
DIR=$1
[ -f "$DIR/usr/lib/aarch64-linux-gnu/libfdt.a" ] && exit 0
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || {
	echo "tool-arm64: needs gcc-aarch64-linux-gnu; run: apt-get install -y gcc-aarch64-linux-gnu" >&2
	exit 1
}
mkdir -p "$DIR/debs"
if ! ls "$DIR"/debs/libfdt-dev_*_arm64.deb >/dev/null 2>&1; then
	if ! ( cd "$DIR/debs" && apt-get -o APT::Sandbox::User=root download libfdt-dev:arm64 ); then
		if [ "$(id -u)" -ne 0 ]; then
			echo "tool-arm64: cannot fetch libfdt-dev:arm64; as root run: dpkg --add-architecture arm64 && apt-get update" >&2
			exit 1
		fi
		# a fresh machine has no arm64 package lists yet
		dpkg --print-foreign-architectures | grep -qx arm64 ||
			dpkg --add-architecture arm64
		apt-get update -qq
		( cd "$DIR/debs" && apt-get -o APT::Sandbox::User=root download libfdt-dev:arm64 )
	fi
fi
dpkg-deb -x "$(ls -t "$DIR"/debs/libfdt-dev_*_arm64.deb | head -n 1)" "$DIR"
[ -f "$DIR/usr/lib/aarch64-linux-gnu/libfdt.a" ]

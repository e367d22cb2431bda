#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Print the path of Debian's Linux source tarball for VERSION: the
# installed /usr/src/linux-source-VERSION.tar.xz, else the one that
# fetch-newer.sh unpacked under build/qemu/pkgs/ (versions bookworm lacks).
# Prints the /usr/src path when neither exists (the callers say it is missing).
#
#   ksrc-tarball.sh VERSION
[ $# = 1 ] || { echo "usage: $0 VERSION" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for t in "/usr/src/linux-source-$1.tar.xz" "$ROOT/build/qemu/pkgs/usr/src/linux-source-$1.tar.xz"; do
	[ -f "$t" ] && { echo "$t"; exit 0; }
done
echo "/usr/src/linux-source-$1.tar.xz"

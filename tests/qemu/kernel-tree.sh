#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A Linux source tree from Debian's linux-source package, for the QEMU tier
# and the sparse check.
#
#   kernel-tree.sh VERSION [OVERLAY [TAG]]
#
# Unpacks /usr/src/linux-source-VERSION.tar.xz once into
# build/qemu/src/linux-VERSION (the pristine tree, never modified). With
# OVERLAY (a script run as "OVERLAY SRCDIR"), copies the pristine tree to
# build/qemu/src/linux-VERSION-TAG (TAG defaults to "ours") and runs the
# overlay on it; the copy is made afresh when the overlay script or a patch
# in tests/qemu/patches/ changes, and otherwise updated in place (the
# overlay scripts are idempotent). Progress goes to stderr; the last line
# on stdout is the tree's path.
set -eu
{
[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: $0 VERSION [OVERLAY [TAG]]" >&2; exit 2; }
VER=$1
OVERLAY=${2:-}
TAG=${3:-ours}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRCS=$ROOT/build/qemu/src
TARBALL=/usr/src/linux-source-$VER.tar.xz
PRISTINE=$SRCS/linux-$VER

[ -f "$TARBALL" ] || { echo "kernel-tree: $TARBALL missing (apt-get install linux-source-$VER)" >&2; exit 1; }

# atomically, so that an interrupted unpack is redone
if [ ! -f "$PRISTINE/.unpacked" ]; then
	echo "kernel-tree: unpacking $TARBALL" >&2
	rm -rf "$PRISTINE.tmp" "$PRISTINE"
	mkdir -p "$PRISTINE.tmp"
	tar -xf "$TARBALL" -C "$PRISTINE.tmp" --strip-components=1
	touch "$PRISTINE.tmp/.unpacked"
	mv "$PRISTINE.tmp" "$PRISTINE"
fi
if [ -z "$OVERLAY" ]; then
	echo "$PRISTINE"
	exit 0
fi

[ -x "$OVERLAY" ] || { echo "kernel-tree: overlay $OVERLAY not executable" >&2; exit 1; }
OVERLAY=$(cd "$(dirname "$OVERLAY")" && pwd)/$(basename "$OVERLAY")
SRC=$SRCS/linux-$VER-$TAG
sum=$(cat "$OVERLAY" "$ROOT"/tests/qemu/patches/*.patch | sha256sum | cut -d' ' -f1)
if [ "$(cat "$SRC/.overlay-sum" 2>/dev/null)" != "$sum" ]; then
	echo "kernel-tree: copying the pristine tree to $SRC" >&2
	rm -rf "$SRC"
	cp -a "$PRISTINE" "$SRC"
fi
"$OVERLAY" "$SRC" >&2
echo "$sum" > "$SRC/.overlay-sum"
echo "$SRC"
exit
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The overlay of the debug kernel (make qemu-check-debug): our allocator
# (scripts/kernel-overlay.sh) plus the fixes in tests/qemu/patches/ for
# upstream bugs that the debug options report in the QEMU tier's workloads.
# Each patch is explained in its own header.
#
#   debug-overlay.sh KSRC
#
# Idempotent: a patch that is already applied is left alone.
set -eu
[ $# = 1 ] || { echo "usage: $0 KSRC" >&2; exit 2; }
KSRC=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

"$ROOT/scripts/kernel-overlay.sh" "$KSRC"
for p in "$ROOT"/tests/qemu/patches/*.patch; do
	if patch -d "$KSRC" -p1 -R -s -f --dry-run < "$p" >/dev/null 2>&1; then
		continue
	fi
	patch -d "$KSRC" -p1 -N -s < "$p" ||
		{ echo "debug-overlay: $(basename "$p") does not apply to $KSRC" >&2; exit 1; }
	echo "debug-overlay: applied $(basename "$p")"
done

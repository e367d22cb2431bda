#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs the kernel's checkpatch.pl --strict on the kernel sources of this
# project.  checkpatch comes from Debian's linux-source-6.1, extracted once
# into BUILD_DIR/checkpatch.  Prints a FAIL line per file with findings and
# ends with "N passed, M failed".
# Usage: tools/checkpatch.sh BUILD_DIR FILE...
set -eu
B=$1
shift
CP=$B/checkpatch/linux-source-6.1/scripts/checkpatch.pl
if [ ! -f "$CP" ]; then
	mkdir -p "$B/checkpatch"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$B/checkpatch" \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
pass=0
fail=0
for f in "$@"; do
	if out=$(perl "$CP" --no-tree --strict --terse -f "$f" 2>&1); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf '%s\n' "$out" | sed 's/^/FAIL checkpatch: /'
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

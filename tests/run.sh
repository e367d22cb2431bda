#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs a set of test programs; sums their "N passed, M failed" lines.
# Usage: tests/run.sh BUILD_DIR host|kernel
#   host    (make check) every host test program, and checkpatch on the
#           kernel sources
#   kernel  (make patches) the series for each of PATCH_VERSIONS (default
#           6.1 6.12 7.3), every prefix of the 7.3 series built
#           (tests/qemu/prefix-build.sh), then sparse and W=1 in the kernel
#           trees with the series applied (tests/qemu/lint-kernel.sh)
set -u
B=$1
SET=${2:-host}
case $SET in
host|kernel) ;;
*) echo "usage: $0 BUILD_DIR host|kernel" >&2; exit 2 ;;
esac
total_p=0
total_f=0
status=0

run() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v ' passed, .* failed$'
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $name: no result line (exit $rc)"
		total_f=$((total_f + 1))
		status=1
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	echo "$name: $line"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	[ "$rc" -eq 0 ] && [ "$f" -eq 0 ] || status=1
}

if [ "$SET" = kernel ]; then
	run patches bash scripts/patches.sh ${PATCH_VERSIONS:-6.1 6.12 7.3}
	run prefixes bash tests/qemu/prefix-build.sh 7.3
	run sparse bash tests/qemu/lint-kernel.sh 6.1 6.12 7.3 x86_64:6.1 \
		x86_64:6.12 x86_64:7.3 debian-amd64:6.12
	echo "$total_p passed, $total_f failed"
	exit $status
fi

run shims "$B/san/test-shims"
run regions "$B/san/test-regions" "$B/dts"
run kunit "$B/san/test-kunit"
run alloc "$B/san/test-alloc" "$B/dts"
run frugal "$B/san/test-frugal" "$B/dts"
run frugal-kconfig "$B/san/test-frugal-kconfig" "$B/dts"
run review "$B/san/test-review" "$B/dts"
run x86 "$B/san/test-x86"
run x86-pv "$B/san/test-x86-pv"
run stress "$B/san/test-stress" "$B/dts"
run stress-tsan "$B/tsan/test-stress" "$B/dts"
run xenlog "$B/san/test-xenlog"
run ktap python3 tests/test_ktap.py
run tool python3 tests/test_tool.py "$B/san/xen-extregions" "$B/dts"
run hostile python3 tests/hostile/run_hostile.py "$B/san/xen-extregions" \
	"$B/hostile/blobs" --gen "$B/hostile/gen" --plain "$B/xen-extregions"
run fuzz-smoke make -s --no-print-directory fuzz-smoke BUILD="$B"
run checkpatch sh tools/checkpatch.sh "$B" arch/arm/xen/*.c drivers/xen/*.c \
	include/xen/*.h

echo "$total_p passed, $total_f failed"
exit $status

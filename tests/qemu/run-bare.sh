#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One of our arm64 kernels booted on QEMU's virt machine without Xen: the
# series' KUnit tests run at boot, then kunit_shutdown powers the machine
# off (no initramfs, no root file system needed).
#
#   run-bare.sh KERNEL-TAG IMAGE
#
# Checks (hostcheck.py kunit, "CHECK bare/kunit/SUITE/CASE ...", which
# qemu-check.sh prefixes with the kernel):
# every case of xen_extended_regions is ok (parsing needs no Xen), every
# case of xen_unpopulated_alloc is skipped (not running on Xen). Log:
# build/qemu/logs/bare-KERNEL-TAG.log. Exit 1 on any failure.
set -u
[ $# = 2 ] || { echo "usage: $0 KERNEL-TAG IMAGE" >&2; exit 2; }
TAG=$1
IMAGE=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
LOG=$B/logs/bare-$TAG.log
mkdir -p "$B/logs"
[ -f "$IMAGE" ] || { echo "CHECK bare/boot FAIL $IMAGE missing"; exit 1; }

start=$(date +%s)
timeout --foreground "${BARE_TIMEOUT:-300}" qemu-system-aarch64 \
	-machine virt,gic-version=3 -cpu cortex-a57 -smp 1 -m 1G \
	-nographic -nic none -no-reboot -kernel "$IMAGE" \
	-append "console=ttyAMA0 panic=-1 kunit.autorun=1 kunit_shutdown=poweroff" \
	</dev/null >"$LOG" 2>&1
qrc=$?
tr -d '\r' < "$LOG" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"
fail=0
if [ $qrc != 0 ]; then
	echo "CHECK bare/boot FAIL qemu exit $qrc after $(( $(date +%s) - start ))s (see $LOG)"
	fail=1
else
	echo "CHECK bare/boot PASS powered off by kunit_shutdown after $(( $(date +%s) - start ))s"
fi
python3 "$ROOT/tests/qemu/hostcheck.py" kunit --log "$LOG" --name bare \
	--kunit xen_extended_regions \
	--kunit xen_unpopulated_alloc:xut_runs,xut_grant_maps,xut_merged_after_free,xut_refused_without_scratch ||
	fail=1
exit $fail

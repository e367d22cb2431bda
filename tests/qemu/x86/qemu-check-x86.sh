#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The x86 QEMU tier: `make qemu-check-x86` (tests/qemu/qemu.mk) runs this.
#
#   tests/qemu/x86/qemu-check-x86.sh
#
# x86 builds the same drivers/xen/unpopulated-alloc.c as arm64; there the
# arch hook (arch_xen_unpopulated_init() in arch/x86/xen/enlighten.c) sets
# the target to iomem_resource and hands in every page of the extra-memory
# regions before the first allocation. This tier boots x86_64 kernels
# (QEMU_X86_VERSIONS x {upstream, ours}) as a PVH and as a PV dom0 under
# Xen 4.17 in qemu-system-x86_64 without KVM, runs the arm64 tier's dom0
# workloads (gntself 1, 300, 40000 pages, iomemcheck, gntself -f) and
# compares the two kernels.
#
# setup (x86/setup.sh) -> initramfs (mkinitrd.sh, KARCH=x86_64) -> per
# kernel: build (build-kernel.sh, KARCH=x86_64), boot PVH and PV
# (x86/run.sh) -> host checks and tables (x86/table.py).
# Prints one "PASS|FAIL name detail" line per check, a table upstream vs
# ours per dom0 type and version, timings, and last exactly one line
# "N passed, M failed". Exit status 1 on any failure.
#
# Environment:
#   QEMU_X86_VERSIONS  kernel versions (default "6.12 7.3")
#   QEMU_X86_FLAVOURS  default "upstream ours"
#   QEMU_X86_DOM0      dom0 types (default "pv"; "pv pvh" adds the PVH dom0,
#                      whose grant maps crash upstream's kernel and ours
#                      alike under TCG: tests/qemu/README.md)
#   QTEST_GNT          gntself page counts (default 1,300,40000; first 1)
#   X86_BOOTS          boots per kernel that time the dom0's start (default
#                      5: the workload run and four that only boot); the
#                      table gives their median
#   TIMEOUT            seconds per boot (default 900)
set -u
# The body is one compound command: bash reads it whole before running
# it, so editing this file while it runs cannot derail the run.
{

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
Q=$ROOT/tests/qemu
XQ=$Q/x86
X=$ROOT/build/qemu/x86
L=$ROOT/build/qemu/logs
cd "$ROOT"

VERSIONS=${QEMU_X86_VERSIONS:-"6.12 7.3"}
FLAVOURS=${QEMU_X86_FLAVOURS:-"upstream ours"}
DOM0S=${QEMU_X86_DOM0:-pv}
export QTEST_GNT=${QTEST_GNT:-1,300,40000}
export KARCH=x86_64

mkdir -p "$L" "$X"
RESULTS=$L/x86-results.txt
TIMINGS=$L/x86-timings.txt
: > "$RESULTS"
: > "$TIMINGS"
T0=$(date +%s)

. "$ROOT/tests/qemu/results.sh"

# 1. host packages, Xen, busybox
t=$(date +%s)
if "$XQ/setup.sh" > "$L/x86-setup.log" 2>&1; then
	emit PASS x86/setup "$(tail -n 1 "$L/x86-setup.log")"
else
	tail -n 20 "$L/x86-setup.log"
	emit FAIL x86/setup "see build/qemu/logs/x86-setup.log"
	summary
fi
timing setup $(( $(date +%s) - t ))

# 2. the initramfs
t=$(date +%s)
if "$Q/mkinitrd.sh" > "$L/x86-initrd.log" 2>&1; then
	if grep -q 'up to date' "$L/x86-initrd.log"; then
		emit PASS x86/initrd "build/qemu/x86/initrd.cpio.gz up to date"
	else
		emit PASS x86/initrd "build/qemu/x86/initrd.cpio.gz built ($(stat -c %s "$X/initrd.cpio.gz") bytes)"
	fi
else
	tail -n 20 "$L/x86-initrd.log"
	emit FAIL x86/initrd "see build/qemu/logs/x86-initrd.log"
	summary
fi
timing initramfs $(( $(date +%s) - t ))

# 3. kernels, each followed by its boots
RUNS=
for v in $VERSIONS; do
	for f in $FLAVOURS; do
		k=$v-$f
		out=$X/out/$k
		case $f in
		upstream|ours) ;;
		*) emit FAIL "x86-$k/build" "unknown flavour $f"; continue ;;
		esac
		build_step "x86-$k" "$L/build-x86-$k.log" "$out/arch/x86/boot/bzImage" \
			"$v" "$out" "$f" || continue
		for d in $DOM0S; do
			t=$(date +%s)
			rc=0
			VARIANT=$f "$XQ/run.sh" "$d" "$out/arch/x86/boot/bzImage" "$k" \
				> "$L/x86-$d-$k.out" 2>&1 || rc=$?
			convert "$k" "$L/x86-$d-$k.out"
			grep '^run: privmap skipped' "$L/x86-$d-$k.out" | sed 's/^run: /  /'
			if [ $rc != 0 ] && ! grep -q '^CHECK [^ ]* FAIL' "$L/x86-$d-$k.out"; then
				tail -n 5 "$L/x86-$d-$k.out"
				emit FAIL "$k/x86-$d/run" "run.sh exit $rc: $(tail -n 1 "$L/x86-$d-$k.out")"
			fi
			RUNS="$RUNS $d:$v:$f:$L/x86-$d-$k.log"
			timing "boot x86-$d $k" $(( $(date +%s) - t ))
			# more boots that only time the start, for the median
			rm -f "$L/x86-$d-$k"-boot*.log
			t=$(date +%s)
			for i in $(seq 2 "${X86_BOOTS:-5}"); do
				VARIANT=$f BOOT_ONLY=1 "$XQ/run.sh" "$d" "$out/arch/x86/boot/bzImage" \
					"$k-boot$i" > "$L/x86-$d-$k-boot$i.out" 2>&1 ||
					emit FAIL "$k/x86-$d/boot$i" "boot-only run.sh failed: $(tail -n 1 "$L/x86-$d-$k-boot$i.out")"
			done
			timing "boot-only x86-$d $k" $(( $(date +%s) - t ))
		done
	done
done

# 4. host checks on the logs (warnings, seed line), then side by side
if [ -n "$RUNS" ]; then
	python3 "$XQ/table.py" $RUNS > "$L/x86-table.out" 2>&1 || true
	grep -E '^(PASS|FAIL) ' "$L/x86-table.out" | tee -a "$RESULTS"
	grep -v -E '^(PASS|FAIL) ' "$L/x86-table.out"
fi
summary

exit
}

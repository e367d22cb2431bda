#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The QEMU tier: `make qemu-check` (tests/qemu/qemu.mk) runs this.
#
#   tests/qemu/qemu-check.sh [--debug]
#
# setup (packages, Xen, busybox) -> initramfs -> for every kernel
# (QEMU_VERSIONS x {upstream, ours}): build, then (ours) boot it without
# Xen for the KUnit tests (tests/qemu/run-bare.sh), then boot every
# scenario under every Xen version (XEN_VERSIONS) and check
# (tests/qemu/run-scenario.sh, tests/qemu/hostcheck.py). Prints one
# "PASS|FAIL name detail" line per check (names KERNEL/xenX.Y/SCENARIO/...,
# KERNEL/bare/...), a side-by-side table upstream
# vs ours per scenario and Xen version, timings, and last exactly one line
# "N passed, M failed". Exit status 1 on any failure.
#
# Environment:
#   QEMU_VERSIONS  kernel versions (default "6.1 6.12 7.3")
#   XEN_VERSIONS   Xen versions (default "4.17 4.20 4.21")
#   HOST_DTS       a host device tree (.dts or .dtb): boot it instead of the
#                  built-in scenarios, dom0 workloads, our 6.1 kernel only
#                  (under every Xen version)
#   SCENARIOS      default: virt-2g virt-4g-carveouts virt-2g-noext virt-2g-dom0less
#                  virt-2g-frugal (the last under FRUGAL_XEN only, default 4.21)
#   QTEST_GNT      gntself page counts (default 1,300,40000; first must be 1)
#   XEN_EXTREGIONS the host tool (default build/xen-extregions)
# --debug: our kernels (QEMU_DEBUG_VERSIONS, default "6.12"; "6.1 6.12"
#   adds 6.1, another 523 s of KASAN build and 317 s of boots on 2 cores) with
#   KASAN, kmemleak, lockdep and DEBUG_VM
#   (tests/qemu/kconfig-debug.fragment) and the upstream fixes of
#   tests/qemu/patches/ (kernel-tree.sh VER debug), the virt-2g and dom0less
#   workloads under QEMU_DEBUG_XEN_VERSIONS (default "4.20": the debug
#   kernels are slow under TCG, and what they look for does not depend on
#   Xen), a kmemleak scan in dom0; any report in any domain fails.
#   (sparse runs in make patches.)
set -u
# The body is one compound command: bash reads it whole before running
# it, so editing this file while it runs cannot derail the run.
{

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
Q=$ROOT/tests/qemu
B=$ROOT/build/qemu
cd "$ROOT"

DEBUG=0
[ "${1:-}" = --debug ] && DEBUG=1
VERSIONS=${QEMU_VERSIONS:-"6.1 6.12 7.3"}
XENS=${XEN_VERSIONS:-"4.17 4.20 4.21"}
export QTEST_GNT=${QTEST_GNT:-1,300,40000}
export XEN_EXTREGIONS=${XEN_EXTREGIONS:-$ROOT/build/xen-extregions}
HOST_DTS=${HOST_DTS:-}

if [ -n "$HOST_DTS" ]; then
	[ -f "$HOST_DTS" ] || { echo "qemu-check: HOST_DTS=$HOST_DTS not found" >&2; exit 2; }
	HOST_DTS=$(cd "$(dirname "$HOST_DTS")" && pwd)/$(basename "$HOST_DTS")
	export HOST_DTS
	VERSIONS=6.1
	KERNELS="6.1-ours"
	SCENARIOS=host
elif [ $DEBUG = 1 ]; then
	VERSIONS=${QEMU_DEBUG_VERSIONS:-6.12}
	KERNELS=
	for v in $VERSIONS; do KERNELS="$KERNELS $v-debug"; done
	SCENARIOS=${SCENARIOS:-"virt-2g virt-2g-dom0less virt-2g-frugal"}
	XENS=${QEMU_DEBUG_XEN_VERSIONS:-4.20}
	export TIMEOUT=${TIMEOUT:-1500}	# KASAN + lockdep under TCG are slow
else
	KERNELS=
	for v in $VERSIONS; do KERNELS="$KERNELS $v-upstream $v-ours"; done
	SCENARIOS=${SCENARIOS:-"virt-2g virt-4g-carveouts virt-2g-noext virt-2g-dom0less virt-2g-frugal"}
fi

mkdir -p "$B/logs"
RESULTS=$B/logs/results.txt
TIMINGS=$B/logs/timings.txt
: > "$RESULTS"
: > "$TIMINGS"
T0=$(date +%s)

. "$ROOT/tests/qemu/results.sh"

# 1. host packages, Xen, busybox
t=$(date +%s)
if "$Q/setup.sh" > "$B/logs/setup.log" 2>&1; then
	emit PASS setup "$(tail -n 1 "$B/logs/setup.log")"
else
	tail -n 20 "$B/logs/setup.log"
	emit FAIL setup "see build/qemu/logs/setup.log"
	summary
fi
timing setup $(( $(date +%s) - t ))

# 2. the initramfs
t=$(date +%s)
if "$Q/mkinitrd.sh" > "$B/logs/initrd.log" 2>&1; then
	if grep -q 'up to date' "$B/logs/initrd.log"; then
		emit PASS initrd "build/qemu/initrd.cpio.gz up to date"
	else
		emit PASS initrd "build/qemu/initrd.cpio.gz built ($(stat -c %s "$B/initrd.cpio.gz") bytes)"
	fi
else
	tail -n 20 "$B/logs/initrd.log"
	emit FAIL initrd "see build/qemu/logs/initrd.log"
	summary
fi
timing initramfs $(( $(date +%s) - t ))

[ -x "$XEN_EXTREGIONS" ] || emit FAIL tool "$XEN_EXTREGIONS missing: run make $XEN_EXTREGIONS"

# 3. kernels, each followed by its boots
SUMMARIES=
for k in $KERNELS; do
	v=${k%-*}
	var=${k#*-}
	out=$B/out/$k
	# the toolstack tier (xl/) boots these same kernels: its options too
	EXTRA_FRAGMENT=$Q/xl/kconfig.fragment
	[ "$var" = debug ] && EXTRA_FRAGMENT=$Q/kconfig-debug.fragment
	export EXTRA_FRAGMENT
	build_step "$k" "$B/logs/build-$k.log" "$out/arch/arm64/boot/Image" \
		"$v" "$out" "$var" || continue
	# ours: the KUnit tests on QEMU's virt machine without Xen
	if [ "$var" != upstream ] && [ -z "$HOST_DTS" ]; then
		t=$(date +%s)
		"$Q/run-bare.sh" "$k" "$out/arch/arm64/boot/Image" \
			> "$B/logs/bare-$k.out" 2>&1
		convert "$k" "$B/logs/bare-$k.out"
		grep -q '^CHECK ' "$B/logs/bare-$k.out" ||
			emit FAIL "$k/bare" "no check ran: $(tail -n 1 "$B/logs/bare-$k.out")"
		timing "boot bare $k" $(( $(date +%s) - t ))
	fi
	for s in $SCENARIOS; do
		for x in $XENS; do
			# the frugal phase does not depend on Xen: one version
			[ "$s" = virt-2g-frugal ] && [ "$x" != "${FRUGAL_XEN:-4.21}" ] && continue
			t=$(date +%s)
			rc=0
			runvar=$var
			[ "$var" = debug ] && runvar=ours
			o=$B/logs/$s-$k-xen$x.out
			XEN_VERSION=$x VARIANT=$runvar LOGTAG=$k QTEST_DEBUG=$DEBUG \
				"$Q/run-scenario.sh" "$s" "$out/arch/arm64/boot/Image" \
				> "$o" 2>&1 || rc=$?
			convert "$k/xen$x" "$o"
			if [ $rc != 0 ] && ! grep -q '^CHECK [^ ]* FAIL' "$o"; then
				tail -n 5 "$o"
				emit FAIL "$k/xen$x/$s/run" "run-scenario.sh exit $rc: $(tail -n 1 "$o")"
			fi
			SUMMARIES="$SUMMARIES $B/logs/$s-$k-xen$x.summary.json"
			timing "boot $s $k xen$x" $(( $(date +%s) - t ))
		done
	done
done

# 4. side by side
if [ $DEBUG = 0 ]; then
	python3 "$Q/hostcheck.py" table --versions "$VERSIONS" --xen-versions "$XENS" $SUMMARIES
fi
summary

exit
}

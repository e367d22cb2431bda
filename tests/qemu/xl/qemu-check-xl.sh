#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The toolstack tier: `make qemu-check-xl` (tests/qemu/qemu.mk) runs this.
#
#   tests/qemu/xl/qemu-check-xl.sh
#
# Debian's own Xen tools in an arm64 dom0: xenstored, xenconsoled and
# `xl create` of a domU with a PV disk (blkback on a loop device) and a PV
# network interface (netback on a bridge), both under load, then powered
# off; XL_CYCLES such cycles and one ending in `xl destroy`, for every
# kernel (QEMU_VERSIONS x {upstream, ours}) as dom0 and domU.
# setup (tests/qemu/setup.sh, xl/setup.sh) -> dom0 initramfs
# (xl/mkinitrd.sh) -> per kernel: build (build-kernel.sh with
# xl/kconfig.fragment into build/qemu/out/VERSION-FLAVOUR, the kernel
# make qemu-check boots too), one boot
# (xl/run.sh), checks (xl/table.py check) -> the table (xl/table.py table).
# Prints one "PASS|FAIL name detail" line per check, timings and last
# "N passed, M failed"; exit status 1 on any failure.
#
# Environment:
#   QEMU_VERSIONS  kernel versions (default "6.1 6.12 7.3")
#   XL_FLAVOURS    default "upstream ours"
#   XL_XEN         Xen versions, hypervisor and tools (default "4.17 4.20");
#                  every kernel is built once and booted under each
#   XL_CYCLES      create/power-off cycles before the destroy one (default 5)
set -u
{
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
Q=$ROOT/tests/qemu
XQ=$Q/xl
B=$ROOT/build/qemu
L=$B/logs
cd "$ROOT"

VERSIONS=${QEMU_VERSIONS:-"6.1 6.12 7.3"}
FLAVOURS=${XL_FLAVOURS:-"upstream ours"}
XENS=${XL_XEN:-"4.17 4.20"}
export XL_CYCLES=${XL_CYCLES:-5}

mkdir -p "$L"
RESULTS=$L/xl-results.txt
TIMINGS=$L/xl-timings.txt
: > "$RESULTS"
: > "$TIMINGS"
T0=$(date +%s)

. "$Q/results.sh"

# 1. host packages, Xen, busybox; Debian's Xen tools of each version
# 2. a dom0 initramfs per Xen version
t=$(date +%s)
"$Q/setup.sh" > "$L/setup.log" 2>&1 ||
	{ tail -n 20 "$L/setup.log"; emit FAIL xl/setup "see build/qemu/logs/setup.log"; summary; }
step() {	# step NAME LOG SCRIPT ARG: PASS with the log's last line, or stop
	if "$3" "$4" > "$2" 2>&1; then
		emit PASS "$1" "$(tail -n 1 "$2" | cut -d';' -f1)"
	else
		tail -n 20 "$2"
		emit FAIL "$1" "see ${2#"$ROOT"/}"
		summary
	fi
}
for x in $XENS; do
	step "xl/xen$x/setup" "$L/xl-setup-$x.log" "$XQ/setup.sh" "$x"
	step "xl/xen$x/initrd" "$L/xl-initrd-$x.log" "$XQ/mkinitrd.sh" "$x"
done
timing "setup and initramfs" $(( $(date +%s) - t ))

# 3. kernels, each followed by its boot under every Xen version: the same
# kernels as make qemu-check's (its out/VERSION-FLAVOUR, built with this
# fragment too), so that a run after it builds nothing
export EXTRA_FRAGMENT=$XQ/kconfig.fragment
LOGS=
for v in $VERSIONS; do
	for f in $FLAVOURS; do
		k=$v-$f
		out=$B/out/$k
		build_step "xl/$k" "$L/build-$k.log" "$out/arch/arm64/boot/Image" \
			"$v" "$out" "$f" || continue
		for x in $XENS; do
			t=$(date +%s)
			n=xl/$k/xen$x
			o=$L/xl-$k-xen$x.out
			log=$L/xl-$k-xen$x.log
			rc=0
			XL_XEN=$x "$XQ/run.sh" "$out/arch/arm64/boot/Image" "$k" > "$o" 2>&1 || rc=$?
			if [ $rc = 0 ]; then
				emit PASS "$n/poweroff" "$(tail -n 1 "$o")"
			else
				emit FAIL "$n/poweroff" "$(tail -n 1 "$o") (log ${log#"$ROOT"/})"
			fi
			python3 "$XQ/table.py" check "$log" --variant "$f" --cycles "$XL_CYCLES" > "$o.checks" 2>&1
			convert "$n" "$o.checks"
			grep -q '^CHECK ' "$o.checks" || emit FAIL "$n/table" "$(tail -n 1 "$o.checks")"
			LOGS="$LOGS $log"
			timing "boot xl $k xen$x" $(( $(date +%s) - t ))
		done
	done
done

# 4. upstream next to ours
[ -n "$LOGS" ] && python3 "$XQ/table.py" table $LOGS | tee "$L/xl-table.txt"
summary
exit
}

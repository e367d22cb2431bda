#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot Xen 4.17 (x86) with an x86_64 dom0 kernel in QEMU without KVM (TCG)
# and report, for the x86 QEMU tier (tests/qemu/x86/qemu-check-x86.sh).
#
#   run.sh pvh|pv BZIMAGE TAG
#
# pvh: Xen builds a PVH dom0 (dom0=pvh; -cpu qemu64,+svm,+npt gives Xen the
# HVM and HAP support it needs, q35 with an AMD IOMMU the ACPI tables);
# pv: a PV dom0. As Xen's own CI does it: Xen is the
# multiboot kernel, "-initrd 'bzImage ARGS,initrd.cpio.gz'" its modules.
# The serial log goes to build/qemu/logs/x86-TYPE-TAG.log (TAG e.g.
# 6.12-ours). Prints "CHECK name PASS|FAIL detail" lines: the boot ran to
# the end, the guest's own checks (tests/qemu/x86/init), Xen built the dom0
# type asked for; exit status 0 only if all passed.
#
# Environment: TIMEOUT (seconds, default 900), STALL (give up when the
# serial log has not grown for that many seconds, default 180), QTEST_GNT (gntself page
# counts, default 1,300,40000; the first must be 1), MEM (MiB, default 2048:
# dom0 gets 512 MiB, the rest becomes its extra memory), SMP (default 2),
# VARIANT (ours or upstream). Ours boots with reclaim after 2 s and no
# spare, and runs the reclaim phase of tests/qemu/x86/init. BOOT_ONLY=1:
# /init powers off once it has printed the dom0's uptime (a boot timed
# again, for the table's median).
set -eu
{

[ $# = 3 ] || { echo "usage: $0 pvh|pv BZIMAGE TAG" >&2; exit 2; }
TYPE=$1
IMAGE=$2
TAG=$3

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
X=$ROOT/build/qemu/x86
XEN=$X/xen/boot/xen-4.17-amd64
INITRD=$X/initrd.cpio.gz
TIMEOUT=${TIMEOUT:-900}
GNT=${QTEST_GNT:-1,300,40000}
MEM=${MEM:-2048}
SMP=${SMP:-2}
STALL=${STALL:-180}
NAME=x86-$TYPE
LOG=$ROOT/build/qemu/logs/$NAME-$TAG.log

XEN_ARGS="console=com1 dom0_mem=512M bootscrub=0 gnttab_max_frames=128 loglvl=all"
# A PVH dom0 needs the IOMMU: with dom0-iommu=none Xen does not map the
# reserved region holding SeaBIOS's ACPI tables into dom0, and Linux hangs
# parsing them. qemu64 is an AMD CPU, so Xen looks for an AMD IOMMU.
case $TYPE in
pvh) XEN_ARGS="$XEN_ARGS dom0=pvh" MACHINE="-machine q35 -device amd-iommu" ;;
pv) XEN_ARGS="$XEN_ARGS dom0-iommu=none" MACHINE="-machine pc" ;;
*) echo "run: dom0 type pvh or pv, not $TYPE" >&2; exit 2 ;;
esac
# QEMU splits the module list at ",": the page counts go with ":"
DOM0_ARGS="console=hvc0 earlyprintk=xen rdinit=/init xen_gntalloc.limit=65536"
DOM0_ARGS="$DOM0_ARGS qtest.scenario=$NAME qtest.dom0=$TYPE qtest.gnt=$(echo "$GNT" | tr , :)"
[ "${BOOT_ONLY:-}" = 1 ] && DOM0_ARGS="$DOM0_ARGS qtest.bootonly=1"
if [ "${VARIANT:-}" = ours ]; then
	DOM0_ARGS="$DOM0_ARGS qtest.reclaim=1 xen_unpopulated.reclaim_delay=2"
	DOM0_ARGS="$DOM0_ARGS xen_unpopulated.spare_pages=0"
	# 25 maps of 16384 pages at once: past Xen's default maptrack limit
	XEN_ARGS="$XEN_ARGS gnttab_max_maptrack_frames=4096"
fi

for f in "$XEN" "$INITRD" "$IMAGE"; do
	[ -f "$f" ] || { echo "run: $f missing" >&2; exit 1; }
done
case "$IMAGE$INITRD" in *[,\ ]*) echo "run: no ',' or ' ' in paths, please" >&2; exit 1 ;; esac
mkdir -p "$(dirname "$LOG")"

echo "run: $NAME with $IMAGE (log $LOG)"
start=$(date +%s)
rm -f "$LOG"
# The dom0's "poweroff -f" ends in Xen halting the machine, which QEMU does
# not see as an exit: watch the log and stop QEMU once /init has finished.
qemu-system-x86_64 $MACHINE -accel tcg -cpu qemu64,+svm,+npt -smp "$SMP" -m "$MEM" \
	-display none -monitor none -serial "file:$LOG" -nic none -no-reboot \
	-kernel "$XEN" -append "$XEN_ARGS" \
	-initrd "$IMAGE $DOM0_ARGS,$INITRD" </dev/null &
qpid=$!
how=timeout
size=-1
still=$start
while :; do
	if ! kill -0 $qpid 2>/dev/null; then
		how=exited
		break
	fi
	if grep -q -E '^QTEST end|Hardware Dom0 (halted|shutdown|crashed)|Panic on CPU' "$LOG" 2>/dev/null; then
		how=finished
		sleep 2	# let Xen print its last lines
		break
	fi
	now=$(date +%s)
	if [ $(( now - start )) -ge "$TIMEOUT" ]; then
		break
	fi
	# a dom0 that stopped talking (a PVH dom0 without the IOMMU hung
	# parsing ACPI tables: see tests/qemu/README.md)
	s=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
	if [ "$s" != "$size" ]; then
		size=$s
		still=$now
	elif [ $(( now - still )) -ge "$STALL" ]; then
		how="stalled (no output for ${STALL}s)"
		break
	fi
	sleep 1
done
qrc=0
if kill -0 $qpid 2>/dev/null; then
	kill $qpid
fi
wait $qpid || qrc=$?
secs=$(( $(date +%s) - start ))
tr -d '\r' < "$LOG" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"

echo "run: qemu $how (status $qrc) after ${secs}s"

fail=0
result() {	# result NAME PASS|FAIL DETAIL
	echo "CHECK $1 $2 $3"
	[ "$2" = PASS ] || fail=1
}

if grep -q '^QTEST end' "$LOG"; then
	result "$NAME/run" PASS "/init finished after ${secs}s"
else
	result "$NAME/run" FAIL "no 'QTEST end' ($how after ${secs}s): $(grep -E 'Panic|Dom0 crashed' "$LOG" | head -n 1)"
fi

grep -q '^CHECK boot PASS' "$LOG" || result "$NAME/boot" FAIL "no CHECK line from /init"
while read -r cname cres cdetail; do
	[ -n "$cname" ] && result "$NAME/$cname" "$cres" "$cdetail"
done <<EOF
$(sed -n 's/^CHECK //p' "$LOG")
EOF

# Xen's side: the dom0 type it built
case $TYPE in
pvh) want='Building a PVH Dom0' ;;
pv)  want='Building a PV Dom0|Dom0 has maximum' ;;
esac
if grep -q -E "$want" "$LOG" && { [ "$TYPE" = pv ] || ! grep -q 'Building a PV Dom0' "$LOG"; }; then
	result "$NAME/xen-dom0" PASS "$(grep -o -E "$want" "$LOG" | head -n 1)"
else
	result "$NAME/xen-dom0" FAIL "no '$want' in Xen's log"
fi

grep -q 'QTEST skip privmap' "$LOG" &&
	echo "run: privmap skipped: $(sed -n 's/^QTEST skip privmap: //p' "$LOG")"

exit $fail

exit
}

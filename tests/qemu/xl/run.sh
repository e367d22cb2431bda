#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One boot of the toolstack tier (tests/qemu/xl/): Xen and a dom0 kernel
# in qemu-system-aarch64, laid out as run-scenario.sh's virt-2g scenario
# (2 GiB, dom0_mem=512M, the modules at the same addresses), the dom0
# initramfs of xl/mkinitrd.sh with the kernel appended as the domU's.
#
#   run.sh KERNEL_IMAGE TAG
#
# The serial log goes to build/qemu/logs/xl-TAG-xenVERSION.log; exit
# status: QEMU's (124 after TIMEOUT). Environment: XL_XEN (4.17, the
# default, or 4.20), XL_CYCLES (create/destroy cycles, default 5),
# TIMEOUT (seconds, default 1200).
set -eu
{
[ $# = 2 ] || { echo "usage: $0 KERNEL_IMAGE TAG" >&2; exit 2; }
IMAGE=$1
TAG=$2
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
B=$ROOT/build/qemu
V=${XL_XEN:-4.17}
XEN=$B/xen-$V/boot/xen-$V-arm64
BASE=$B/xl/dom0-$V.cpio.gz
TIMEOUT=${TIMEOUT:-1200}
RUN=$B/run/xl-$TAG-xen$V
LOG=$B/logs/xl-$TAG-xen$V.log
KERNEL_ADDR=0x46000000
INITRD_ADDR=0x50000000
# dom0 on one vCPU: with two (QEMU TCG, 2 CPUs) dom0 hung now and then
# under 4.20 and once under 4.17, an idle vCPU not woken by its own timer
# (RCU stalls), upstream's kernel and ours alike (tests/qemu/xl/README.md)
XEN_ARGS="console=dtuart dtuart=/pl011@9000000 dom0_mem=512M bootscrub=0 dom0_max_vcpus=1"
# our kernels' KUnit tests: the parsing suite only (the allocator suite
# carves a range at boot; make qemu-check runs it)
DOM0_ARGS="console=hvc0 rdinit=/init xl.cycles=${XL_CYCLES:-5} xl.xen=$V"
DOM0_ARGS="$DOM0_ARGS kunit.filter_glob=xen_extended_regions"

for f in "$XEN" "$BASE" "$IMAGE"; do
	[ -f "$f" ] || { echo "xl/run: $f missing" >&2; exit 1; }
done
mkdir -p "$RUN/domu" "$B/logs"

pad() {	# pad FILE: to a multiple of 64 KiB (Xen boot modules)
	truncate -s $(( ($(stat -c %s "$1") + 65535) / 65536 * 65536 )) "$1"
}
cp "$IMAGE" "$RUN/Image"
pad "$RUN/Image"
# the dom0 initramfs: the common archive, then one with /domu/Image
cp "$IMAGE" "$RUN/domu/Image"
( cd "$RUN" && echo domu/Image | cpio --quiet -o -H newc -R 0:0 ) | gzip -1n |
	cat "$BASE" - > "$RUN/initrd"
pad "$RUN/initrd"
ksize=$(stat -c %s "$RUN/Image")
isize=$(stat -c %s "$RUN/initrd")
[ $((KERNEL_ADDR + ksize)) -le $((INITRD_ADDR)) ] ||
	{ echo "xl/run: kernel image too big for $KERNEL_ADDR..$INITRD_ADDR" >&2; exit 1; }

DTB=$RUN/host.dtb
dtc -q -I dts -O dtb -o "$DTB" "$ROOT/dts/qemu/virt-2g.dts"
fdtput -t x "$DTB" /chosen/module@46000000 reg 0 $KERNEL_ADDR 0 "$(printf '%x' "$ksize")"
fdtput -t x "$DTB" /chosen/module@50000000 reg 0 $INITRD_ADDR 0 "$(printf '%x' "$isize")"
fdtput -t s "$DTB" /chosen xen,xen-bootargs "$XEN_ARGS"
fdtput -t s "$DTB" /chosen/module@46000000 bootargs "$DOM0_ARGS"

echo "xl/run: $IMAGE under Xen $V (log ${LOG#"$ROOT"/})"
start=$(date +%s)
rc=0
timeout --foreground "$TIMEOUT" qemu-system-aarch64 \
	-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 \
	-m 2048 -nographic -nic none -no-reboot \
	-dtb "$DTB" -kernel "$XEN" \
	-device loader,file="$RUN/Image",addr=$KERNEL_ADDR,force-raw=on \
	-device loader,file="$RUN/initrd",addr=$INITRD_ADDR,force-raw=on \
	</dev/null >"$LOG" 2>&1 || rc=$?
tr -d '\r' < "$LOG" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"
echo "xl/run: qemu exit $rc after $(( $(date +%s) - start ))s"
exit $rc
}

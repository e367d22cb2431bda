#!/bin/bash
# Boot Xen (4.17, 4.20 or 4.21) + a dom0 kernel in QEMU for one scenario and report.
#
#   run-scenario.sh NAME KERNEL_IMAGE
#
# NAME: virt-2g | virt-4g-carveouts | virt-2g-noext | virt-2g-dom0less |
#       virt-2g-frugal (virt-2g; our kernels carve 2 MiB sub-sections and
#       reclaim after 10 s with no spare; the guest's frugal phase) |
#       host (the device tree in $HOST_DTS, see tests/qemu/host-dtb.sh)
# Uses build/qemu/initrd.cpio.gz (tests/qemu/mkinitrd.sh) and the Xen binary
# build/qemu/xen-$XEN_VERSION/boot/xen-$XEN_VERSION-arm64 unpacked by
# tests/qemu/setup.sh (and fetch-newer.sh). The serial log goes to
# build/qemu/logs/NAME-<kernel tag>-xen<XEN_VERSION>.log (kernel tag: LOGTAG,
# default the name of the directory holding the Image's build), the
# host-side files likewise (.fdt, .tool.json, .summary.json). Prints Xen's
# extended region lines and the CHECK lines: the guests' own, Xen's expected
# output (per Xen version), and
# the host-side ones of tests/qemu/hostcheck.py (device tree vs Xen log
# with build/xen-extregions, scratch placement, both tiers agreeing);
# exit status 0 only if all checks passed.
#
# Environment: XEN_VERSION (4.17, 4.20 or 4.21, default 4.17), TIMEOUT (seconds,
# default 300), QTEST_GNT (gntself page
# counts, default 1,300; the first must be 1), QTEST_DEBUG=1 (debug kernel:
# kmemleak scan and report checks in dom0), LOGTAG, VARIANT (ours or
# upstream; default: ours when the kernel was built from a -ours tree),
# XEN_EXTREGIONS (default build/xen-extregions), HOST_DTS.
set -eu
# The body is one compound command: bash reads it whole before running
# it, so editing this file while it runs cannot derail the run.
{

[ $# = 2 ] || { echo "usage: $0 NAME KERNEL_IMAGE" >&2; exit 2; }
NAME=$1
IMAGE=$2

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
XEN_VERSION=${XEN_VERSION:-4.17}
XEN=$B/xen-$XEN_VERSION/boot/xen-$XEN_VERSION-arm64
# Xen 4.18 to 4.20 emit every extended region 2 MiB shorter than the hole it
# comes from (a frame-number conversion bug, fixed in 4.21): xend END gives
# the end (exclusive, as Xen prints it) this Xen prints for a hole ending at END.
SHORT=0
case $XEN_VERSION in 4.18|4.19|4.20) SHORT=$((2 << 20)) ;; esac
xend() { printf '0x%x' $(( $1 - SHORT )); }
INITRD=$B/initrd.cpio.gz
TIMEOUT=${TIMEOUT:-300}
GNT=${QTEST_GNT:-1,300}

XEN_ARGS="console=dtuart dtuart=/pl011@9000000 dom0_mem=512M bootscrub=0 gnttab_max_frames=128"
DOM0_ARGS="console=hvc0 rdinit=/init xen_gntalloc.limit=65536"
[ "${QTEST_DEBUG:-0}" = 1 ] && DOM0_ARGS="$DOM0_ARGS qtest.debug=1"
KERNEL_ADDR=0x46000000
INITRD_ADDR=0x50000000
DOMU_KERNEL_ADDR=0x52000000	# dom0less scenario only
DOMU_INITRD_ADDR=0x54000000
DOMU=

case $NAME in
virt-2g)           DTS=virt-2g.dts;           MEM=2048
	# gntdev dma-buf exports (gntdmabuf) and their RAM cost
	DOM0_ARGS="$DOM0_ARGS qtest.dmabuf=1" ;;
virt-4g-carveouts) DTS=virt-4g-carveouts.dts; MEM=4096 ;;
virt-2g-noext)     DTS=virt-2g.dts;           MEM=2048
	# loglvl=info: Xen prints "extended regions support is disabled" at info level
	XEN_ARGS="$XEN_ARGS ext_regions=0 loglvl=info" ;;
virt-2g-frugal)    DTS=virt-2g.dts;           MEM=2048
	# 25 maps of 16384 pages: more grant mappings than Xen's default
	# maptrack limit (1024 frames, 262144 entries) allows
	XEN_ARGS="$XEN_ARGS gnttab_max_maptrack_frames=4096"
	# upstream kernels ignore the xen_unpopulated.* parameters
	DOM0_ARGS="$DOM0_ARGS qtest.frugal=1 xen_unpopulated.granularity=subsection"
	DOM0_ARGS="$DOM0_ARGS xen_unpopulated.reclaim_delay=10 xen_unpopulated.spare_pages=0" ;;
virt-2g-dom0less)  DTS=virt-2g-dom0less.dts;  MEM=2048; DOMU=1
	# guest_loglvl=all: Xen prints the domU's vpl011 output as "(d1) ..."
	XEN_ARGS="$XEN_ARGS guest_loglvl=all" ;;
host)              [ -n "${HOST_DTS:-}" ] || { echo "run-scenario: host needs HOST_DTS" >&2; exit 2; }
	[ -f "$HOST_DTS" ] || { echo "run-scenario: HOST_DTS $HOST_DTS not found" >&2; exit 1; }
	DTS= ;;
*) echo "run-scenario: unknown scenario $NAME" >&2; exit 2 ;;
esac

for f in "$XEN" "$INITRD" "$IMAGE"; do
	[ -f "$f" ] || { echo "run-scenario: $f missing" >&2; exit 1; }
done

KBUILD=$(cd "$(dirname "$IMAGE")/../../.." && pwd)
TAG=${LOGTAG:-$(basename "$KBUILD")}-xen$XEN_VERSION
if [ -z "${VARIANT:-}" ]; then
	VARIANT=upstream
	grep -q -- '-ours/Makefile' "$KBUILD/Makefile" 2>/dev/null && VARIANT=ours
fi
# our kernels run the series' KUnit tests at boot
# (tests/qemu/kconfig-kunit.fragment): the parsing suite in every boot;
# the allocator suite, which carves a range, only where that does not
# spoil a scenario's first-map figures: with and without regions, and in
# the debug run (leaks, KASAN, lockdep); elsewhere kunit.filter_glob
# leaves it out. Each suite names the cases that must skip here:
# refusal without scratch space where there is some, the rest where
# there is none. hostcheck.py --kunit counts dom0's KTAP; upstream has no
# tests.
KUNIT=
if [ "$VARIANT" = ours ]; then
	ALLOC=0
	case $NAME in
	virt-4g-carveouts|virt-2g-noext) ALLOC=1 ;;
	virt-2g) [ "${QTEST_DEBUG:-0}" = 1 ] && ALLOC=1 ;;
	esac
	KUNIT="--kunit xen_extended_regions"
	# 6.10 and later run built-in suites at boot only with kunit.autorun,
	# which allnoconfig turns off (KUNIT_AUTORUN_ENABLED)
	DOM0_ARGS="$DOM0_ARGS kunit.autorun=1"
	if [ $ALLOC = 1 ]; then
		skip=xut_refused_without_scratch
		[ "$NAME" = virt-2g-noext ] && skip=xut_runs,xut_grant_maps,xut_merged_after_free
		KUNIT="$KUNIT --kunit xen_unpopulated_alloc:$skip"
	else
		DOM0_ARGS="$DOM0_ARGS kunit.filter_glob=xen_extended_regions"
	fi
fi
TOOL=${XEN_EXTREGIONS:-$ROOT/build/xen-extregions}
RUN=$B/run/$NAME-$TAG
mkdir -p "$RUN" "$B/logs"
LOG=$B/logs/$NAME-$TAG.log

# Boot modules must be padded to 64 KiB multiples.
pad() {	# pad SRC DST
	cp "$1" "$2"
	truncate -s $(( ($(stat -c %s "$2") + 65535) / 65536 * 65536 )) "$2"
}
pad "$IMAGE" "$RUN/Image"
pad "$INITRD" "$RUN/initrd"
ksize=$(stat -c %s "$RUN/Image")
isize=$(stat -c %s "$RUN/initrd")
# Host DTB: the scenario's DTS with module sizes and command lines filled in.
DTB=$RUN/host.dtb
if [ "$NAME" = host ]; then
	vars=$("$ROOT/tests/qemu/host-dtb.sh" "$HOST_DTS" "$DTB" "$ksize" "$isize") || exit 1
	eval "$vars"
	fdtput -t s "$DTB" "$KNODE" bootargs "$DOM0_ARGS qtest.scenario=$NAME qtest.gnt=$GNT"
else
	if [ $((KERNEL_ADDR + ksize)) -gt $((INITRD_ADDR)) ]; then
		echo "run-scenario: kernel image too big for $KERNEL_ADDR..$INITRD_ADDR" >&2
		exit 1
	fi
	dtc -q -I dts -O dtb -o "$DTB" "$ROOT/dts/qemu/$DTS"
	fdtput -t x "$DTB" /chosen/module@46000000 reg 0 $KERNEL_ADDR 0 "$(printf '%x' "$ksize")"
	fdtput -t x "$DTB" /chosen/module@50000000 reg 0 $INITRD_ADDR 0 "$(printf '%x' "$isize")"
	fdtput -t s "$DTB" /chosen xen,xen-bootargs "$XEN_ARGS"
	fdtput -t s "$DTB" /chosen/module@46000000 bootargs \
		"$DOM0_ARGS qtest.scenario=$NAME qtest.gnt=$GNT${DOMU:+ qtest.domu=$DOMU}"
fi
LOADERS=
if [ -n "$DOMU" ]; then
	# the domU boots the same kernel and initramfs, loaded a second time
	fdtput -t x "$DTB" /chosen/domU1/module@52000000 reg $DOMU_KERNEL_ADDR "$(printf '%x' "$ksize")"
	fdtput -t x "$DTB" /chosen/domU1/module@54000000 reg $DOMU_INITRD_ADDR "$(printf '%x' "$isize")"
	fdtput -t s "$DTB" /chosen/domU1/module@52000000 bootargs \
		"console=ttyAMA0 rdinit=/init xen_gntalloc.limit=65536 qtest.scenario=$NAME-d$DOMU qtest.domid=$DOMU qtest.gnt=1,300"
	LOADERS="-device loader,file=$RUN/Image,addr=$DOMU_KERNEL_ADDR,force-raw=on
		-device loader,file=$RUN/initrd,addr=$DOMU_INITRD_ADDR,force-raw=on"
fi

echo "run-scenario: $NAME with $IMAGE under Xen $XEN_VERSION (log $LOG)"
start=$(date +%s)
set +e
timeout --foreground "$TIMEOUT" qemu-system-aarch64 \
	-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 \
	-m "$MEM" -nographic -nic none -no-reboot \
	-dtb "$DTB" -kernel "$XEN" \
	-device loader,file="$RUN/Image",addr=$(printf '%#x' "$KERNEL_ADDR"),force-raw=on \
	-device loader,file="$RUN/initrd",addr=$(printf '%#x' "$INITRD_ADDR"),force-raw=on \
	$LOADERS </dev/null >"$LOG" 2>&1
qrc=$?
set -e
secs=$(( $(date +%s) - start ))
tr -d '\r' < "$LOG" > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"

echo "run-scenario: qemu exit $qrc after ${secs}s"
grep -E '^\(XEN\) d[0-9]+: extended region' "$LOG" | sed 's/^/  /' || true

fail=0
result() {	# result NAME PASS|FAIL DETAIL
	echo "CHECK $1 $2 $3"
	[ "$2" = PASS ] || fail=1
}

if [ $qrc = 124 ]; then
	result "$NAME/poweroff" FAIL "timeout after ${TIMEOUT}s"
else
	result "$NAME/poweroff" PASS "qemu exited ($qrc) after ${secs}s"
fi

# Checks printed by the guest's /init
grep -q '^CHECK boot PASS' "$LOG" || result "$NAME/boot" FAIL "no CHECK line from /init"
while read -r cname cres cdetail; do
	[ -n "$cname" ] && result "$NAME/$cname" "$cres" "$cdetail"
done <<EOF
$(sed -n 's/^CHECK //p' "$LOG")
EOF
if [ -n "$DOMU" ]; then	# the domU's lines come through Xen as "(XEN) DOM1: CHECK ..."
	# (possibly after a piece of a dom0 line: dom0's output is not line buffered)
	grep -q "(XEN) DOM$DOMU: CHECK boot PASS" "$LOG" ||
		result "$NAME/d$DOMU/boot" FAIL "no CHECK line from the domU's /init"
	while read -r cname cres cdetail; do
		[ -n "$cname" ] && result "$NAME/d$DOMU/$cname" "$cres" "$cdetail"
	done <<EOF
$(sed -n "s/^.*(XEN) DOM$DOMU: CHECK //p" "$LOG")
EOF
fi

# Scenario expectations on Xen's own output
regions=$(grep -cE 'd0: extended region [0-9]+:' "$LOG" || true)
if [ -n "$DOMU" ]; then
	# the domU's unused GUEST_RAM0 and GUEST_RAM1 space; Xen 4.18-4.20 do
	# not shorten a domU's regions (only those computed from the host layout)
	n=$(grep -cE "d$DOMU: extended region [0-9]+:" "$LOG" || true)
	want0="d$DOMU: extended region 0: 0x50000000->0x100000000"
	want1="d$DOMU: extended region 1: 0x200000000->0x10000000000"
	if grep -qF "$want0" "$LOG" && grep -qF "$want1" "$LOG" && [ "$n" = 2 ]; then
		result "$NAME/d$DOMU/xen-regions" PASS "2 regions as expected from Xen $XEN_VERSION: ${want0#*: } ${want1#*: }"
	else
		result "$NAME/d$DOMU/xen-regions" FAIL "$n regions for d$DOMU, not the two expected ('$want0', '$want1')"
	fi
fi
case $NAME in
virt-2g|virt-2g-dom0less|virt-2g-frugal)
	want0="d0: extended region 0: 0x40400000->$(xend 0x60000000)"
	want1="d0: extended region 1: 0x80000000->$(xend 0xc0000000)"
	if grep -qF "$want0" "$LOG" && grep -qF "$want1" "$LOG" && [ "$regions" = 2 ]; then
		result "$NAME/xen-regions" PASS "2 regions as expected from Xen $XEN_VERSION: ${want0#*: } ${want1#*: }"
	else
		result "$NAME/xen-regions" FAIL "$regions regions, not the two expected from Xen $XEN_VERSION ('$want0', '$want1')"
	fi
	# the plain layout's known answer, upstream and ours alike; ours
	# with sub-sections takes the first 2 MiB of region 0
	want=48000000-4fffffff
	[ "$NAME" = virt-2g-frugal ] && [ "$VARIANT" = ours ] && want=40400000-405fffff
	first=$(sed -n 's/^CHECK iomem-after-1 [A-Z]* \(.*\) iomemcheck:.*/\1/p' "$LOG")
	if [ "$first" = "$want" ]; then
		result "$NAME/first-carve" PASS "the first 1-page map carved $want"
	else
		result "$NAME/first-carve" FAIL "the first 1-page map carved '${first:-nothing}', not $want"
	fi ;;
virt-4g-carveouts)
	# RAM 0x40000000-0x13fffffff minus dom0's bank, the grant table and the
	# carve-outs 0x90000000 (64 MiB) and 0xc8000000 (16 MiB)
	missing=
	i=0
	for r in 0x40400000:0x60000000 0x80000000:0x90000000 0x94000000:0xc8000000 0xc9000000:0x140000000; do
		w="d0: extended region $i: ${r%:*}->$(xend "${r#*:}")"
		grep -qF "$w" "$LOG" || missing="$missing '$w'"
		i=$((i + 1))
	done
	if [ -z "$missing" ] && [ "$regions" = 4 ]; then
		result "$NAME/xen-regions" PASS "4 regions as expected from Xen $XEN_VERSION"
	else
		result "$NAME/xen-regions" FAIL "$regions regions; missing:${missing:- none} (want 4)"
	fi ;;
virt-2g-noext)
	if grep -q 'extended regions support is disabled' "$LOG" && [ "$regions" = 0 ]; then
		result "$NAME/xen-regions" PASS "disabled"
	else
		result "$NAME/xen-regions" FAIL "$regions regions, no 'disabled' line"
	fi
	if [ "$VARIANT" = ours ]; then
		if grep -qE '^(  klog: )?xen-ext-regions: no extended regions, using ballooned pages' "$LOG"; then
			result "$NAME/fallback-logged" PASS "kernel: no extended regions, using ballooned pages"
		else
			result "$NAME/fallback-logged" FAIL "no 'xen-ext-regions: no extended regions' line"
		fi
	fi ;;
host)
	result "$NAME/xen-regions" PASS "$regions dom0 region(s) for $(basename "$HOST_DTS")" ;;
esac

# Host-side checks on what the guests printed (device trees, iomem, klog)
DOMS="--domain 0${DOMU:+ --domain $DOMU}"
CLAMP=
# the dom0less domU's second region (0x200000000-0xffffffffff) passes the
# end of a 39-bit kernel's pluggable range: clamping must happen there
[ "$NAME" = virt-2g-dom0less ] && CLAMP="--expect-clamp $DOMU"
[ "${QTEST_DEBUG:-0}" = 1 ] && CLAMP="$CLAMP --debug"
[ "$NAME" = virt-2g-frugal ] && CLAMP="$CLAMP --frugal"
[ "$NAME" = virt-2g ] && CLAMP="$CLAMP --dmabuf"
CLAMP="$CLAMP $KUNIT"
[ "$NAME" = virt-2g-frugal ] && [ "$VARIANT" = ours ] &&
	CLAMP="$CLAMP --granularity subsection"
hc=0
python3 "$ROOT/tests/qemu/hostcheck.py" check --log "$LOG" --name "$NAME" --tag "$TAG" \
	--config "$KBUILD/.config" --variant "$VARIANT" --xen "$XEN_VERSION" $DOMS $CLAMP \
	--tool "$TOOL" --outdir "$B/logs" > "$RUN/hostcheck.out" 2>&1 || hc=$?
cat "$RUN/hostcheck.out"
if [ $hc != 0 ]; then
	fail=1
	grep -q '^CHECK .* FAIL' "$RUN/hostcheck.out" ||
		result "$NAME/hostcheck" FAIL "hostcheck.py exit $hc"
fi

exit $fail

exit
}

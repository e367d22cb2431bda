#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Turn a user's host device tree into one QEMU's virt machine can boot Xen
# and our dom0 from (HOST_DTS of `make qemu-check`).
#
#   host-dtb.sh IN.dts|IN.dtb OUT.dtb KERNEL_SIZE INITRD_SIZE
#
# - /memory: QEMU's virt machine has one RAM block at 0x40000000 and
#   overwrites the reg of the first memory node with it (size from -m). The
#   lowest bank must therefore start at 0x40000000; when there are several
#   banks, or gaps, they become one node 0x40000000..highest end and every
#   gap a /reserved-memory "no-map" carve-out (Xen leaves both RAM gaps and
#   reserved memory out of dom0's extended regions, so the regions Xen
#   computes are the same).
# - /chosen: when it has no boot module, adds the dom0 kernel and initramfs
#   modules (multiboot,kernel / multiboot,ramdisk at 0x46000000 and
#   0x50000000, or HOST_KERNEL_ADDR / HOST_INITRD_ADDR). When it has
#   modules, our kernel and initramfs are loaded where its kernel and
#   ramdisk modules are (their sizes are rewritten). dom0less domain nodes
#   (compatible "xen,domain") are removed: their files are not ours.
# - xen,xen-bootargs: added when missing (console on the stdout-path UART,
#   dom0_mem=512M); bootscrub=0 and gnttab_max_frames=128 are appended when
#   absent (speed; grants for the 40000-page workload).
#
# Prints shell assignments for run-scenario.sh on stdout:
#   MEM=<MiB for -m> KERNEL_ADDR=.. INITRD_ADDR=.. KNODE=.. INODE=..
# Notes go to stderr. Needs dtc, fdtget, fdtput (device-tree-compiler).
set -eu

die() { echo "host-dtb: $*" >&2; exit 1; }
note() { echo "host-dtb: $*" >&2; }

[ $# = 4 ] || { echo "usage: $0 IN.dts|IN.dtb OUT.dtb KERNEL_SIZE INITRD_SIZE" >&2; exit 2; }
IN=$1
OUT=$2
KSIZE=$3
ISIZE=$4
RAM_BASE=$((0x40000000))

[ -f "$IN" ] || die "$IN not found"
case $IN in
*.dts) dtc -q -I dts -O dtb -o "$OUT" "$IN" || die "dtc failed on $IN" ;;
*)     dtc -q -I dtb -O dtb -o "$OUT" "$IN" || die "$IN is not a valid device tree blob" ;;
esac

getp() { fdtget "$@" 2>/dev/null; }	# getp [opts] DTB NODE PROP: empty when missing

# cells(NODE): "#address-cells #size-cells" of NODE (defaults 2 1)
cells() {
	local a s
	a=$(getp -t u "$OUT" "$1" '#address-cells') || a=2
	s=$(getp -t u "$OUT" "$1" '#size-cells') || s=1
	echo "$a $s"
}

# regs NODE AC SC: one "start size" line (decimal) per reg entry
regs() {
	local node=$1 ac=$2 sc=$3 w i v
	local -a c
	read -r -a c <<<"$(getp -t x "$OUT" "$node" reg || true)"
	w=$((ac + sc))
	[ ${#c[@]} -gt 0 ] && [ $((${#c[@]} % w)) = 0 ] || return 0
	for ((i = 0; i < ${#c[@]}; i += w)); do
		local st=0 sz=0 j
		for ((j = 0; j < ac; j++)); do st=$(( (st << 32) | 0x${c[i + j]} )); done
		for ((j = 0; j < sc; j++)); do sz=$(( (sz << 32) | 0x${c[i + ac + j]} )); done
		echo "$st $sz"
	done
}

# cellsof VALUE N: VALUE as N hex cells
cellsof() {
	local v=$1 n=$2 out="" j
	for ((j = n - 1; j >= 0; j--)); do
		out="$out $(printf '%x' $(( (v >> (32 * j)) & 0xffffffff )))"
	done
	[ "$n" -ge 2 ] || [ "$v" -le $((0xffffffff)) ] || die "value $(printf '%#x' "$v") does not fit $n cell(s)"
	echo "$out"
}

read -r RAC RSC <<<"$(cells /)"

# 1. memory banks
banks=$(for n in $(getp -l "$OUT" / || true); do
	case $n in memory|memory@*) regs "/$n" "$RAC" "$RSC" | sed "s|\$| /$n|" ;; esac
done | sort -n -k1,1)
[ -n "$banks" ] || die "no /memory node with a reg in $IN"
nodes=$(echo "$banks" | awk '{print $3}' | sort -u)
first=$(echo "$banks" | head -n1 | awk '{print $1}')
[ "$first" = $RAM_BASE ] ||
	die "lowest memory bank starts at $(printf '%#x' "$first"); QEMU virt RAM starts at 0x40000000"
end=0
gaps=""
nb=0
while read -r st sz node; do
	[ "$sz" -gt 0 ] || continue
	if [ "$st" -lt "$end" ]; then
		die "memory banks overlap at $(printf '%#x' "$st")"
	elif [ "$st" -gt "$end" ] && [ "$end" -gt 0 ]; then
		gaps="$gaps $end:$((st - end))"
	fi
	end=$((st + sz))
	nb=$((nb + 1))
done <<<"$banks"
span=$((end - RAM_BASE))
[ $((span % (1 << 20))) = 0 ] || die "RAM end $(printf '%#x' "$end") is not MiB aligned"
MEM=$((span >> 20))

if [ -n "$gaps" ] || [ "$(echo "$nodes" | wc -l)" != 1 ]; then
	for n in $nodes; do fdtput -r "$OUT" "$n"; done
	fdtput -c "$OUT" /memory@40000000
	fdtput -t s "$OUT" /memory@40000000 device_type memory
	fdtput -t x "$OUT" /memory@40000000 reg $(cellsof $RAM_BASE "$RAC") $(cellsof $span "$RSC")
	if [ -n "$gaps" ]; then
		if ! getp -l "$OUT" /reserved-memory >/dev/null; then
			fdtput -c "$OUT" /reserved-memory
			fdtput -t u "$OUT" /reserved-memory '#address-cells' 2
			fdtput -t u "$OUT" /reserved-memory '#size-cells' 2
			fdtput "$OUT" /reserved-memory ranges
		fi
		read -r GAC GSC <<<"$(cells /reserved-memory)"
		for g in $gaps; do
			gs=${g%:*}
			gz=${g#*:}
			gn=/reserved-memory/qtest-ram-gap@$(printf '%x' "$gs")
			fdtput -c "$OUT" "$gn"
			fdtput -t x "$OUT" "$gn" reg $(cellsof "$gs" "$GAC") $(cellsof "$gz" "$GSC")
			fdtput "$OUT" "$gn" no-map
			note "RAM gap $(printf '%#x+%#x' "$gs" "$gz") -> $gn (no-map)"
		done
	fi
	note "$nb memory bank(s) -> /memory@40000000 of $MEM MiB"
fi

# reserved ranges, to keep the boot modules out of them
reserved=$(if getp -l "$OUT" /reserved-memory >/dev/null; then
	read -r GAC GSC <<<"$(cells /reserved-memory)"
	for n in $(getp -l "$OUT" /reserved-memory); do
		regs "/reserved-memory/$n" "$GAC" "$GSC"
	done
fi)

# 2. /chosen and its modules
getp -l "$OUT" /chosen >/dev/null || fdtput -c "$OUT" /chosen
KNODE=
INODE=
generic=
for n in $(getp -l "$OUT" /chosen || true); do
	compat=" $(getp -t s "$OUT" "/chosen/$n" compatible || true) "
	case $compat in
	*" xen,domain "*)
		fdtput -r "$OUT" "/chosen/$n"
		note "removed dom0less domain /chosen/$n (only dom0 runs with HOST_DTS)" ;;
	*" multiboot,kernel "*|*" xen,linux-zimage "*) [ -n "$KNODE" ] || KNODE=/chosen/$n ;;
	*" multiboot,ramdisk "*|*" xen,linux-initrd "*) [ -n "$INODE" ] || INODE=/chosen/$n ;;
	*" multiboot,module "*|*" xen,multiboot-module "*) generic="$generic /chosen/$n" ;;
	esac
done
for n in $generic; do	# Xen's rule: first generic module the kernel, second the ramdisk
	if [ -z "$KNODE" ]; then KNODE=$n; elif [ -z "$INODE" ]; then INODE=$n; fi
done

read -r CAC CSC <<<"$(cells /chosen)"
if [ -z "$KNODE" ] && [ -z "$INODE" ]; then
	if ! getp -t u "$OUT" /chosen '#address-cells' >/dev/null; then
		fdtput -t u "$OUT" /chosen '#address-cells' 2
		fdtput -t u "$OUT" /chosen '#size-cells' 2
		CAC=2 CSC=2
	fi
fi
addr_of() {	# addr_of NODE: start address of its reg
	regs "$1" "$CAC" "$CSC" | head -n1 | awk '{print $1}'
}
if [ -n "$KNODE" ]; then
	KERNEL_ADDR=$(addr_of "$KNODE")
	[ -n "$KERNEL_ADDR" ] || die "$KNODE has no usable reg"
	note "loading our kernel where $KNODE is ($(printf '%#x' "$KERNEL_ADDR"))"
else
	KERNEL_ADDR=$((${HOST_KERNEL_ADDR:-0x46000000}))
	KNODE=/chosen/module@$(printf '%x' "$KERNEL_ADDR")
	fdtput -c "$OUT" "$KNODE"
	fdtput -t s "$OUT" "$KNODE" compatible multiboot,kernel multiboot,module
	note "added $KNODE (dom0 kernel)"
fi
if [ -n "$INODE" ]; then
	INITRD_ADDR=$(addr_of "$INODE")
	[ -n "$INITRD_ADDR" ] || die "$INODE has no usable reg"
	note "loading our initramfs where $INODE is ($(printf '%#x' "$INITRD_ADDR"))"
else
	INITRD_ADDR=$((${HOST_INITRD_ADDR:-0x50000000}))
	INODE=/chosen/module@$(printf '%x' "$INITRD_ADDR")
	fdtput -c "$OUT" "$INODE"
	fdtput -t s "$OUT" "$INODE" compatible multiboot,ramdisk multiboot,module
	note "added $INODE (dom0 initramfs)"
fi
fdtput -t x "$OUT" "$KNODE" reg $(cellsof "$KERNEL_ADDR" "$CAC") $(cellsof "$KSIZE" "$CSC")
fdtput -t x "$OUT" "$INODE" reg $(cellsof "$INITRD_ADDR" "$CAC") $(cellsof "$ISIZE" "$CSC")

# the modules must be in RAM, apart, and outside reserved memory
inside_bank() {	# inside_bank START SIZE
	while read -r st sz _; do
		[ "$1" -ge "$st" ] && [ $(($1 + $2)) -le $((st + sz)) ] && return 0
	done <<<"$banks"
	return 1
}
clash() {	# clash START SIZE: prints the reserved range it overlaps
	[ -n "$reserved" ] || return 1
	while read -r st sz; do
		if [ "$1" -lt $((st + sz)) ] && [ "$st" -lt $(($1 + $2)) ]; then
			printf '%#x+%#x' "$st" "$sz"
			return 0
		fi
	done <<<"$reserved"
	return 1
}
for m in "kernel $KERNEL_ADDR $KSIZE HOST_KERNEL_ADDR" "initramfs $INITRD_ADDR $ISIZE HOST_INITRD_ADDR"; do
	set -- $m
	inside_bank "$2" "$3" ||
		die "$1 at $(printf '%#x+%#x' "$2" "$3") is not inside a memory bank (set $4)"
	if c=$(clash "$2" "$3"); then
		die "$1 at $(printf '%#x+%#x' "$2" "$3") overlaps reserved memory $c (set $4)"
	fi
done
if [ "$KERNEL_ADDR" -lt $((INITRD_ADDR + ISIZE)) ] && [ "$INITRD_ADDR" -lt $((KERNEL_ADDR + KSIZE)) ]; then
	die "kernel and initramfs overlap (set HOST_KERNEL_ADDR / HOST_INITRD_ADDR)"
fi

# 3. Xen's command line
XARGS=$(getp -t s "$OUT" /chosen xen,xen-bootargs || true)
if [ -z "$XARGS" ]; then
	uart=$(getp -t s "$OUT" /chosen stdout-path || true)
	uart=${uart%%:*}
	XARGS="console=dtuart dtuart=${uart:-/pl011@9000000} dom0_mem=512M"
	note "added xen,xen-bootargs"
fi
case " $XARGS " in *" bootscrub="*) ;; *) XARGS="$XARGS bootscrub=0" ;; esac
case " $XARGS " in *" gnttab_max_frames="*) ;; *) XARGS="$XARGS gnttab_max_frames=128" ;; esac
fdtput -t s "$OUT" /chosen xen,xen-bootargs "$XARGS"
note "Xen command line: $XARGS"

echo "MEM=$MEM KERNEL_ADDR=$KERNEL_ADDR INITRD_ADDR=$INITRD_ADDR KNODE=$KNODE INODE=$INODE"

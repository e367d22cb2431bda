#!/bin/bash
# Whole QEMU tier in one go: setup, kernels, initramfs, every scenario.
#
#   tests/qemu/run-all.sh
#
# Environment:
#   VERSIONS   kernel versions       (default "6.1 6.12")
#   VARIANTS   "upstream" and/or "ours" (ours = scripts/kernel-overlay.sh)
#              (default "upstream")
#   SCENARIOS  (default: all four, see run-scenario.sh)
#   QTEST_GNT  gntself page counts passed to the guests (default 1,300,40000)
# Ends with "N passed, M failed"; exit status 1 if anything failed.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
Q=$ROOT/tests/qemu
B=$ROOT/build/qemu
VERSIONS=${VERSIONS:-"6.1 6.12"}
VARIANTS=${VARIANTS:-upstream}
SCENARIOS=${SCENARIOS:-"virt-2g virt-4g-carveouts virt-2g-noext virt-2g-dom0less"}
export QTEST_GNT=${QTEST_GNT:-1,300,40000}

stamp() { date +%s; }
t=$(stamp); "$Q/setup.sh"; echo "TIMING setup $(( $(stamp) - t ))s"
t=$(stamp); "$Q/mkinitrd.sh"; echo "TIMING initrd $(( $(stamp) - t ))s"

mkdir -p "$B/logs"
results=$B/logs/results.txt
: > "$results"
for v in $VERSIONS; do
	for var in $VARIANTS; do
		out=$B/out/$v-$var
		overlay=
		[ "$var" = ours ] && overlay=$ROOT/scripts/kernel-overlay.sh
		t=$(stamp)
		if ! "$Q/build-kernel.sh" "$v" "$out" $overlay > "$B/logs/build-$v-$var.log" 2>&1; then
			tail -n 20 "$B/logs/build-$v-$var.log"
			echo "CHECK $v-$var/build FAIL see build/qemu/logs/build-$v-$var.log" | tee -a "$results"
			continue
		fi
		echo "TIMING build $v-$var $(( $(stamp) - t ))s"
		for s in $SCENARIOS; do
			t=$(stamp)
			rc=0
			LOGTAG=$v-$var "$Q/run-scenario.sh" "$s" "$out/arch/arm64/boot/Image" \
				> "$B/logs/$s-$v-$var.out" 2>&1 || rc=$?
			sed -n 's/^CHECK /CHECK '"$v-$var"'\//p' "$B/logs/$s-$v-$var.out" | tee -a "$results"
			if [ $rc != 0 ] && ! grep -q ' FAIL' "$B/logs/$s-$v-$var.out"; then
				echo "CHECK $v-$var/$s/run FAIL run-scenario.sh exit $rc" | tee -a "$results"
			fi
			echo "TIMING boot $s $v-$var $(( $(stamp) - t ))s"
		done
	done
done

pass=$(grep -c ' PASS' "$results" || true)
fail=$(grep -c ' FAIL' "$results" || true)
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

# SPDX-License-Identifier: GPL-2.0-only
# Result and timing lines shared by the QEMU tiers' drivers
# (qemu-check.sh, x86/qemu-check-x86.sh): source it after setting ROOT
# (the repository), RESULTS and TIMINGS (files) and T0 (the run's start,
# date +%s).

emit() {	# emit PASS|FAIL NAME DETAIL...
	local r=$1 n=$2
	shift 2
	echo "$r $n $*" | tee -a "$RESULTS"
}
timing() {	# timing WHAT SECONDS
	printf '%-48s %5ss\n' "$1" "$2" >> "$TIMINGS"
}
# CHECK lines of a run -> "PASS|FAIL prefix/name detail"
convert() {	# convert PREFIX FILE
	sed -n 's#^CHECK \([^ ]*\) \(PASS\|FAIL\) \?\(.*\)$#\2 '"$1"'/\1 \3#p' "$2" | tee -a "$RESULTS"
}
# One kernel: build-kernel.sh ARGS... with its output in LOG, then a
# PASS or FAIL line "NAME/build" and a timing line; status 1 on failure.
build_step() {	# build_step NAME LOG IMAGE ARGS...
	local name=$1 log=$2 image=$3 t secs how
	shift 3
	t=$(date +%s)
	if ! "$ROOT/tests/qemu/build-kernel.sh" "$@" > "$log" 2>&1; then
		tail -n 20 "$log"
		emit FAIL "$name/build" "see ${log#"$ROOT"/}"
		timing "kernel $name (failed)" $(( $(date +%s) - t ))
		return 1
	fi
	secs=$(( $(date +%s) - t ))
	how=built
	grep -q 'up to date' "$log" && how="up to date"
	emit PASS "$name/build" "$how in ${secs}s ($(stat -c %s "$image") bytes)"
	timing "kernel $name ($how)" "$secs"
}
# Timings, the failures, "N passed, M failed"; exits 0 only if none failed.
summary() {
	local pass fail
	echo
	echo "timings (this run, $(nproc) CPUs):"
	sed 's/^/  /' "$TIMINGS"
	printf '  %-48s %5ss\n' total $(( $(date +%s) - T0 ))
	pass=$(grep -c '^PASS ' "$RESULTS" || true)
	fail=$(grep -c '^FAIL ' "$RESULTS" || true)
	if [ "$fail" != 0 ]; then
		echo
		echo "failed:"
		grep '^FAIL ' "$RESULTS" | sed 's/^/  /'
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}

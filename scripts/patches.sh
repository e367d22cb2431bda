#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make patches`: this project's series for each kernel version, checked.
#
#   scripts/patches.sh VERSION...
#
# First, series/ must be a clean quilt stack on its base (quilt-BASE).
# Then for each VERSION: writes the series, or its backport, to
# build/patches/VERSION (scripts/make-patches.sh), runs that tree's own
# scripts/checkpatch.pl --strict on every patch (any error, warning or
# check fails), and applies the series with git am to a copy of the
# pristine tree (tests/qemu/kernel-tree.sh VERSION ours: the tree the
# QEMU tiers build), where get_maintainer.pl must name xen-devel for
# every file it added.
# A second run of make-patches.sh must write the same mails.
# Prints one PASS or FAIL line per check, then "N passed, M failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
# One source of truth: the series applied to the pristine tree gives this
# repository's kernel files byte for byte (for trees with kzalloc_obj(),
# after scripts/kzalloc-obj.sed).
identical() {	# identical VERSION TREE
	local v=$1 tree=$2 f n=0 bad=0 obj=0
	grep -q '^#define kzalloc_obj(' "$tree/include/linux/slab.h" && obj=1
	for f in $(cd "$ROOT" && git ls-files arch drivers include); do
		n=$((n + 1))
		if ! as_posted $obj "$ROOT/$f" | cmp -s - "$tree/$f"; then
			echo "$f: the series gives a different file"
			as_posted $obj "$ROOT/$f" | diff -u - "$tree/$f" | head -n 20
			bad=1
		fi
	done
	[ $n -gt 0 ] || bad=1
	verdict $bad "identical-$v" \
		"the series on pristine linux $v gives this repository's $n kernel files byte for byte" \
		"the series and this repository's kernel files differ"
}
as_posted() {	# as_posted KZALLOC_OBJ FILE: FILE as the series writes it
	if [ "$1" = 1 ]; then
		sed -E -f "$ROOT/scripts/kzalloc-obj.sed" "$2"
	else
		cat "$2"
	fi
}
# series/ is a quilt stack as scripts/series.sh keeps it: every patch
# goes on without fuzz or offset, and a refresh leaves it as it is (done
# in a work tree and on copies of the patches of its own).
quilt_clean() {	# quilt_clean VERSION
	local t out p bad=0
	t=$(mktemp -d "${TMPDIR:-/tmp}/quilt-check.XXXXXX")
	cp -r "$ROOT/series" "$t/patches"
	for p in $("$ROOT/scripts/series.sh" patches); do
		if ! out=$(tq "$t" push 2>&1) || echo "$out" | grep -q offset; then
			echo "$out" | tail -n 5
			bad=1
			break
		fi
		tq "$t" refresh >/dev/null 2>&1 || bad=1
	done
	diff -r "$ROOT/series" "$t/patches" || bad=1
	rm -rf "$t"
	verdict $bad "quilt-$1" \
		"series/ pushes on pristine linux $1 with no fuzz or offset, and a refresh changes no patch" \
		"series/ is not a clean quilt stack on linux $1: scripts/series.sh quilt push, then refresh"
}
tq() {	# tq DIR QUILT-ARG...: quilt in DIR/tree on the copies in DIR/patches
	local d=$1
	shift
	SERIES_TREE=$d/tree SERIES_PATCHES=$d/patches "$ROOT/scripts/series.sh" quilt "$@"
}
# Every file the series adds must be covered by a MAINTAINERS entry that
# reaches xen-devel (the series changes MAINTAINERS only where needed).
maintainers() {	# maintainers VERSION TREE PATCHDIR
	local v=$1 tree=$2 f who bad=0 n=0
	for f in $(awk '/^--- \/dev\/null/ { getline; sub(/^\+\+\+ b\//, ""); print }' \
			"$3"/0*.patch | sort -u); do
		n=$((n + 1))
		who=$(cd "$tree" && perl scripts/get_maintainer.pl --no-git \
			--no-git-fallback --no-rolestats -f "$f" 2>&1)
		if ! echo "$who" | grep -q 'xen-devel@lists.xenproject.org'; then
			echo "$f: $who"
			bad=1
		fi
	done
	[ $n -gt 0 ] || bad=1
	verdict $bad "maintainers-$v" \
		"$n new file(s), each covered by a MAINTAINERS entry of xen-devel" \
		"$n new file(s), not all covered"
}
result() {	# result PASS|FAIL NAME DETAIL
	echo "$1 $2: $3"
	if [ "$1" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
verdict() {	# verdict BAD NAME PASS-DETAIL FAIL-DETAIL: PASS when BAD is 0
	if [ "$1" = 0 ]; then result PASS "$2" "$3"; else result FAIL "$2" "$4"; fi
}

quilt_clean "$("$ROOT/scripts/series.sh" base)"
for v in "$@"; do
	out=$ROOT/build/patches/$v
	if ! "$ROOT/scripts/make-patches.sh" "$v" "$out" > /dev/null; then
		result FAIL "patches-$v" "make-patches.sh failed"
		continue
	fi
	# the same mails from a second run: kernel-tree.sh copies the tree
	# afresh, and the QEMU tiers rebuild, whenever a mail changes
	again=$(mktemp -d "${TMPDIR:-/tmp}/patches-again.XXXXXX")
	"$ROOT/scripts/make-patches.sh" "$v" "$again" > /dev/null 2>&1
	diff -r "$out" "$again" | head -n 5
	diff -rq "$out" "$again" > /dev/null
	verdict $? "reproducible-$v" "a second run writes the same mails, byte for byte" \
		"a second run writes other mails"
	rm -rf "$again"
	src=$("$ROOT/tests/qemu/kernel-tree.sh" "$v" 2>/dev/null | tail -n 1)
	cover=$out/0000-cover-letter.patch
	if [ -f "$cover" ] && ! grep -q '\*\*\* .* HERE \*\*\*' "$cover" &&
	   grep -q '^To: ' "$cover" && grep -q '^Cc: ' "$cover"; then
		result PASS "cover-letter-$v" "$(sed -n 's/^Subject: //p' "$cover")"
	else
		result FAIL "cover-letter-$v" "$cover missing, unfilled or without To:/Cc:"
	fi
	for p in "$out"/*.patch; do
		[ "$p" = "$cover" ] && continue
		# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") fires
		# for any new file; the maintainers check below does that job
		log=$("$src/scripts/checkpatch.pl" --strict --no-tree \
			--ignore FILE_PATH_CHANGES "$p" 2>&1)
		if echo "$log" | grep -q '^total: 0 errors, 0 warnings, 0 checks'; then
			result PASS "checkpatch-$v" "$(basename "$p")"
		else
			echo "$log" | grep -E "^(ERROR|WARNING|CHECK|#|total)"
			result FAIL "checkpatch-$v" "$(basename "$p")"
		fi
	done
	if tree=$("$ROOT/tests/qemu/kernel-tree.sh" "$v" ours 2>"$out/.am.log" | tail -n 1) &&
	   [ -s "$tree/.series-log" ]; then
		result PASS "git-am-$v" "$(wc -l < "$tree/.series-log") patch(es) applied to the pristine linux $v tree ($tree)"
		maintainers "$v" "$tree" "$out"
		identical "$v" "$tree"
	else
		tail -n 5 "$out/.am.log"
		result FAIL "git-am-$v" "the series does not apply"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

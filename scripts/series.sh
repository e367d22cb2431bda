#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel series in series/, kept as a quilt stack over the pristine
# tree of the kernel its series file names ("# base: linux VERSION").
#
#   scripts/series.sh tree         make the work tree, print its path
#   scripts/series.sh quilt ARG... quilt ARG... in the work tree
#   scripts/series.sh sync         push the whole stack, copy the files
#                                  this repository keeps and those the
#                                  series adds into its arch/, drivers/
#                                  and include/
#   scripts/series.sh base         print the base version
#   scripts/series.sh patches      print the patch files, in order
#
# The work tree, build/quilt/linux-VERSION, holds copies of the pristine
# files the series touches (tests/qemu/kernel-tree.sh unpacks the tree),
# quilt's patches/ (a link to series/) and its .pc/; it is made when
# missing (SERIES_TREE and SERIES_PATCHES name another work tree and
# another patches/ for it, as make patches' check does).  To touch a file no patch touches yet, copy it in from the
# pristine tree first.  quilt runs with scripts/quiltrc: patches with a/
# and b/ prefixes, no timestamps, no Index: lines, no fuzz.
#
# sync writes the files as this repository keeps them: the base's
# kzalloc_obj() calls as kzalloc(), which every kernel of the matrix
# has (scripts/kzalloc-sizeof.sed); make patches' byte-for-byte check
# compares them the other way (scripts/kzalloc-obj.sed).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=$ROOT/series
die() { echo "series: $*" >&2; exit 1; }

base() {
	local v
	v=$(sed -n 's/^# base: linux \([0-9.]*\)$/\1/p' "$S/series")
	[ -n "$v" ] || die "$S/series: no \"# base: linux VERSION\" line"
	echo "$v"
}
# The files the series touches and the pristine tree has.
touched() {	# touched PRISTINE
	local f
	for f in $(sed -n 's|^+++ b/||p' $(patches) | sort -u); do
		[ -f "$1/$f" ] && echo "$f"
	done
	return 0
}
patches() {	# the patch files, in order
	local p
	for p in $(grep -v '^#' "$S/series"); do echo "$S/$p"; done
}
tree() {
	local v pristine w f
	v=$(base)
	w=${SERIES_TREE:-$ROOT/build/quilt/linux-$v}
	if [ ! -d "$w/.pc" ] && [ ! -f "$w/.made" ]; then
		pristine=$("$ROOT/tests/qemu/kernel-tree.sh" "$v" | tail -n 1)
		rm -rf "$w"
		mkdir -p "$w"
		for f in $(touched "$pristine"); do
			mkdir -p "$w/$(dirname "$f")"
			cp "$pristine/$f" "$w/$f"
		done
		ln -s "${SERIES_PATCHES:-$S}" "$w/patches"
		touch "$w/.made"
	fi
	echo "$w"
}
q() {
	local w
	w=$(tree)
	(cd "$w" && QUILTRC=$ROOT/scripts/quiltrc quilt "$@")
}

case ${1:-} in
base) base ;;
patches) patches ;;
tree) tree ;;
quilt) shift; q "$@" ;;
sync)
	q push -a -q >/dev/null 2>&1 || q top >/dev/null 2>&1 ||
		die "the stack does not apply: scripts/series.sh quilt push"
	[ -z "$(q next 2>/dev/null)" ] || die "the stack does not apply whole: scripts/series.sh quilt push"
	w=$(tree)
	pristine=$("$ROOT/tests/qemu/kernel-tree.sh" "$(base)" | tail -n 1)
	for f in $(cd "$w" && find arch drivers include -type f 2>/dev/null); do
		# the files this repository keeps, and those the series adds
		git -C "$ROOT" ls-files --error-unmatch "$f" >/dev/null 2>&1 ||
			[ ! -f "$pristine/$f" ] || continue
		sed -E -f "$ROOT/scripts/kzalloc-sizeof.sed" "$w/$f" > "$ROOT/$f"
		echo "$f"
	done
	;;
*) echo "usage: $0 tree|quilt ARG...|sync|base|patches" >&2; exit 2 ;;
esac

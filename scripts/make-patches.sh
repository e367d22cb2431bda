#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The series in series/ as mails for one Debian kernel tree.
#
#   scripts/make-patches.sh VERSION OUTDIR
#
# series/ holds the patches as posted against its base, the newest kernel
# of the matrix (its series file says which; scripts/series.sh keeps it).
# They go with git am onto a scratch git repository holding the base
# tree's pristine copies of the files they touch.
#
# Any other VERSION gets a backport made from them: the same repository
# takes VERSION's pristine copies on a branch of their own, and each
# patch goes on with git am -3, which falls back to a three-way merge on
# the blobs the base series left in the repository.  Where that merge
# conflicts, the conflicting hunks take the patch's side (git merge-file
# --theirs) and the file is named on stderr and in the cover letter; in
# trees without kzalloc_obj(), the files a patch touches then take
# scripts/kzalloc-sizeof.sed.  Backports' subjects say
# "[PATCH VERSION N/M]".
#
# The mails go to OUTDIR (emptied first) with a cover letter,
# OUTDIR/0000-cover-letter.patch, filled from series/0000-cover-letter.txt,
# and To:/Cc: from the tree's scripts/get_maintainer.pl.  Authors and
# dates are the patches' own, so a rerun gives the same mails.
set -eu

die() { echo "make-patches: $*" >&2; exit 1; }
[ $# = 2 ] || { echo "usage: $0 VERSION OUTDIR" >&2; exit 2; }
VER=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=$ROOT/series
BASE=$("$ROOT/scripts/series.sh" base)
mapfile -t PATCHES < <("$ROOT/scripts/series.sh" patches)
[ ${#PATCHES[@]} -gt 0 ] || die "$S/series lists no patch"

tree() {	# tree VERSION: the pristine tree
	local t
	t=$("$ROOT/tests/qemu/kernel-tree.sh" "$1" | tail -n 1)
	[ -f "$t/Makefile" ] || die "no pristine linux $1 tree"
	echo "$t"
}
W=$(mktemp -d "${TMPDIR:-/tmp}/make-patches.XXXXXX")
trap 'rm -rf "$W"' EXIT
# the cover letter's author: the first patch's
AUTHOR=$(sed -n 's/^From: //p' "${PATCHES[0]}" | head -n 1)
case $AUTHOR in *" <"*@*">") ;; *) die "${PATCHES[0]}: no From: Name <email>" ;; esac
EMAIL=${AUTHOR##*<}
g() { git -C "$W" -c user.name="${AUTHOR% <*}" -c user.email="${EMAIL%>}" \
	-c core.autocrlf=false "$@"; }
# fixed dates, the base commits' too, so that every commit id, and with
# it every mail's first line, is the same from one run to the next
GIT_COMMITTER_DATE="$(sed -n 's/^Date: //p' "${PATCHES[0]}" | head -n 1)"
export GIT_COMMITTER_DATE GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE
# the files the series touches that the pristine tree has
FILES=$(sed -n 's|^+++ b/||p' "${PATCHES[@]}" | sort -u)
pristine() {	# pristine VERSION: its copies of FILES, committed
	local t f
	t=$(tree "$1")
	g rm -q -r -f --ignore-unmatch . >/dev/null
	for f in $FILES; do
		[ -f "$t/$f" ] || continue
		mkdir -p "$W/$(dirname "$f")"
		cp "$t/$f" "$W/$f"
	done
	g add -A
	g commit -q --allow-empty -m "linux $1 (Debian linux-source-$1)"
}

resolve() {	# resolve FILE: a conflicted FILE, its conflicting hunks the patch's
	local m=$W/.merge
	mkdir -p "$m"
	g show ":1:$1" > "$m/base" 2>/dev/null || : > "$m/base"
	g show ":2:$1" > "$m/ours"
	g show ":3:$1" > "$m/theirs"
	git merge-file -q -p --theirs "$m/ours" "$m/base" "$m/theirs" > "$W/$1" || true
	g add "$1"
}

g init -q -b base
pristine "$BASE"
g am -q "${PATCHES[@]}" || die "series/ does not apply to linux $BASE"
N=${#PATCHES[@]}
PRISTINE=$(tree "$VER")
prefix=PATCH
preface=()
resolved=
if [ "$VER" != "$BASE" ]; then
	prefix="PATCH $VER"
	g format-patch -q --zero-commit -o "$W/.base" "base~$N..base"
	g checkout -q --orphan backport
	pristine "$VER"
	obj=1
	grep -q '^#define kzalloc_obj(' "$PRISTINE/include/linux/slab.h" || obj=0
	for p in "$W"/.base/*.patch; do
		if ! g am -q -3 "$p" >/dev/null 2>&1; then
			k=${p##*/}
			for f in $(g diff --name-only --diff-filter=U); do
				echo "make-patches: $VER: $k: $f: conflict resolved toward the patch" >&2
				resolved="$resolved, patch $((10#${k%%-*})) in $f"
				resolve "$f"
			done
			GIT_EDITOR=true g am --continue >/dev/null ||
				die "$VER: ${p##*/} does not apply"
		fi
		if [ $obj = 0 ]; then
			for f in $(g diff --name-only HEAD~1 HEAD); do
				sed -i -E -f "$ROOT/scripts/kzalloc-sizeof.sed" "$W/$f"
			done
			g diff --quiet || g commit -q -a --amend --no-edit
		fi
	done
	t="This is the series for Linux $VER, backported with a three-way git am"
	t="$t from the one against Linux $BASE, with the same changes."
	if [ -n "$resolved" ]; then
		t="$t  Where $VER's code differs from $BASE's in lines a patch"
		t="$t changes, the conflict is resolved toward the patch:"
		t="$t ${resolved#, }."
	fi
	[ $obj = 1 ] || t="$t  kzalloc_obj(), which $VER lacks, is written as kzalloc()."
	preface=("$t")
fi
base=$(g rev-parse "HEAD~$N")

rm -rf "$OUT"
mkdir -p "$OUT"
# Recipients from the tree's get_maintainer.pl on the series' diff:
# maintainers To:, reviewers and lists Cc:.
recipients() {	# recipients OPT GET_MAINTAINER-OPTION... -> OPTaddress lines
	local opt=$1
	shift
	g diff "$base" HEAD |
		(cd "$PRISTINE" && perl scripts/get_maintainer.pl --no-git \
			--no-git-fallback --no-rolestats "$@") |
		sed "s/^/$opt/"
}
mapfile -t to < <(recipients --to= --m --no-r --no-l)
mapfile -t cc < <(recipients --cc= --no-m --r --l)
[ ${#to[@]} -gt 0 ] || die "get_maintainer.pl names no maintainer"
g format-patch -q --no-signature --cover-letter --subject-prefix="$prefix" \
	"${to[@]}" "${cc[@]}" -o "$(cd "$OUT" && pwd)" "$base..HEAD"
python3 "$ROOT/scripts/cover-letter.py" "$OUT/0000-cover-letter.patch" \
	"$S/0000-cover-letter.txt" "${preface[@]}"
ls "$OUT"

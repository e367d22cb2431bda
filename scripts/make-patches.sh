#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Write this project's kernel changes as a git format-patch series for one
# Debian kernel tree.
#
#   scripts/make-patches.sh VERSION OUTDIR
#
# The series is made in a scratch git repository holding the pristine
# tree's copies of the files it touches (tests/qemu/kernel-tree.sh VERSION
# unpacks the tree), one commit per message in scripts/series/:
#   0001  drivers/xen/unpopulated-alloc.c, include/xen/unpopulated.h as
#         they were at commit $STAGE1 of this repository (the allocator
#         before the frugal work)
#   0002  arch/arm/xen/extended-regions.c: the hook taken out of
#         arch/arm/xen/enlighten.c unchanged (scripts/series/unhook-enlighten.py),
#         Makefile lines for arm and arm64
#   0003  arch/arm/xen/extended-regions.c, include/xen/extended-regions.h
#         as they are now: the hook rewritten
#   0004  arch/arm/xen/extended-regions-test.c as it is now, the KUnit
#         tests of the parser, their option
#         XEN_EXTENDED_REGIONS_KUNIT_TEST and Makefile lines
#   0005  drivers/xen/unpopulated-alloc.c, include/xen/unpopulated.h as
#         they were at commit $STAGE2 (the frugal work), the
#         XEN_UNPOPULATED_SUBSECTION option in drivers/xen/Kconfig, its
#         boot parameters in kernel-parameters.txt
#   0006  drivers/xen/unpopulated-alloc.c, include/xen/unpopulated.h as
#         they are now: contiguous runs, declared in include/xen/xen.h
#         (scripts/series/xen-h-contiguous.py), a bitmap per run of
#         frames, the fixes from review
#   0007  drivers/xen/grant-table.c: gnttab_dma_alloc_pages() takes
#         contiguous unpopulated space (scripts/series/gnttab-dma-unpopulated.py)
#   0008  drivers/xen/unpopulated-alloc-test.c as it is now, the KUnit
#         tests of contiguous runs, their option
#         XEN_UNPOPULATED_ALLOC_KUNIT_TEST and Makefile line
# and written to OUTDIR/*.patch (OUTDIR is emptied first), with a cover
# letter, OUTDIR/0000-cover-letter.patch, and To:/Cc: from the tree's
# scripts/get_maintainer.pl in every mail.  Authorship:
# PATCH_AUTHOR ("Name <email>"), default git's user.name and user.email.
# Dates are the repository's last commit's, so a rerun gives the same
# series.
set -eu

die() { echo "make-patches: $*" >&2; exit 1; }
[ $# = 2 ] || { echo "usage: $0 VERSION OUTDIR" >&2; exit 2; }
VER=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERIES=$ROOT/scripts/series

PRISTINE=$("$ROOT/tests/qemu/kernel-tree.sh" "$VER" | tail -n 1)
[ -f "$PRISTINE/arch/arm/xen/enlighten.c" ] || die "no pristine linux $VER tree"

if [ -z "${PATCH_AUTHOR:-}" ]; then
	name=$(git -C "$ROOT" config user.name || true)
	email=$(git -C "$ROOT" config user.email || true)
	[ -n "$name" ] && [ -n "$email" ] ||
		die "set PATCH_AUTHOR=\"Name <email>\" (or git's user.name and user.email)"
	PATCH_AUTHOR="$name <$email>"
fi
case $PATCH_AUTHOR in *" <"*@*">") ;; *) die "PATCH_AUTHOR must read \"Name <email>\"" ;; esac
export GIT_AUTHOR_NAME=${PATCH_AUTHOR% <*} GIT_COMMITTER_NAME=${PATCH_AUTHOR% <*}
email=${PATCH_AUTHOR##*<}
export GIT_AUTHOR_EMAIL=${email%>} GIT_COMMITTER_EMAIL=${email%>}
date=$(git -C "$ROOT" log -1 --format=%aD 2>/dev/null || date -R)
export GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date

W=$(mktemp -d "${TMPDIR:-/tmp}/make-patches.XXXXXX")
trap 'rm -rf "$W"' EXIT
TOUCHED="Documentation/admin-guide/kernel-parameters.txt
arch/arm/xen/enlighten.c arch/arm/xen/Makefile
arch/arm64/xen/Makefile drivers/xen/Kconfig drivers/xen/unpopulated-alloc.c
include/xen/xen.h
drivers/xen/grant-table.c drivers/xen/Makefile"
for f in $TOUCHED; do
	[ -f "$PRISTINE/$f" ] || die "$PRISTINE/$f missing"
	mkdir -p "$W/$(dirname "$f")"
	cp "$PRISTINE/$f" "$W/$f"
done
git -C "$W" init -q
git -C "$W" add -A
git -C "$W" -c core.autocrlf=false commit -q -m "linux $VER (Debian linux-source-$VER)"
base=$(git -C "$W" rev-parse HEAD)

commit() {	# commit MESSAGE-FILE
	git -C "$W" add -A
	{ cat "$1"; echo; echo "Signed-off-by: $PATCH_AUTHOR"; } |
		git -C "$W" commit -q -F -
}
add_line() {	# add_line FILE ANCHOR NEW: NEW after FILE's one line ANCHOR
	local f=$W/$1	# (runs of blanks and tabs compare as one space)
	awk -v a="$2" -v n="$3" '{ t = $0; gsub(/[ \t]+/, " ", t); print }
		t == a { print n; found++ } END { exit found != 1 }' "$f" > "$f.new" ||
		die "$1: no single line \"$2\""
	mv "$f.new" "$f"
}
# Trees that have kzalloc_obj() (7.2 and later) ask for it instead of
# kzalloc(sizeof(*p), GFP_KERNEL) (checkpatch warns): the series for them
# says it that way.  Same allocation, same flags.
KZALLOC_OBJ=0
grep -q '^#define kzalloc_obj(' "$PRISTINE/include/linux/slab.h" && KZALLOC_OBJ=1
take() {	# take REV FILE...: each file as in this repository at REV
	local rev=$1	# (empty: the work tree)
	shift
	for f; do
		mkdir -p "$W/$(dirname "$f")"
		if [ -n "$rev" ]; then
			git -C "$ROOT" show "$rev:$f" > "$W/$f"
		else
			cp "$ROOT/$f" "$W/$f"
		fi
		if [ $KZALLOC_OBJ = 1 ]; then
			sed -i -E -f "$ROOT/scripts/series/kzalloc-obj.sed" "$W/$f"
		fi
	done
}

# 0001: the allocator with its page origins, before the frugal work
# (this repository's commit fb5e342)
STAGE1=fb5e342
git -C "$ROOT" cat-file -e "$STAGE1^{commit}" 2>/dev/null ||
	die "commit $STAGE1 missing: a clone with its history is needed"
take $STAGE1 drivers/xen/unpopulated-alloc.c include/xen/unpopulated.h
commit "$SERIES/0001-xen-unpopulated-alloc.txt"

# 0002: the Arm hook moved, unchanged, into a file of its own
python3 "$ROOT/scripts/series/unhook-enlighten.py" "$W/arch/arm/xen/enlighten.c" \
	"$W/arch/arm/xen/extended-regions.c"
add_line arch/arm/xen/Makefile 'obj-y := enlighten.o hypercall.o grant-table.o p2m.o mm.o' \
	'obj-$(CONFIG_XEN_UNPOPULATED_ALLOC) += extended-regions.o'
add_line arch/arm64/xen/Makefile \
	'xen-arm-y += $(addprefix ../../arm/xen/, enlighten.o grant-table.o p2m.o mm.o)' \
	'xen-arm-$(CONFIG_XEN_UNPOPULATED_ALLOC) += ../../arm/xen/extended-regions.o'
commit "$SERIES/0002-xen-arm-move-extended-regions.txt"

# 0003: the Arm hook rewritten: libfdt, validation, clamping
take "" arch/arm/xen/extended-regions.c include/xen/extended-regions.h
commit "$SERIES/0003-xen-arm-extended-regions.txt"

# 0004: KUnit tests of the parser (CONFIG_XEN_EXTENDED_REGIONS_KUNIT_TEST)
take "" arch/arm/xen/extended-regions-test.c
python3 "$ROOT/scripts/series/kconfig.py" "$W/drivers/xen/Kconfig" \
	XEN_EXTENDED_REGIONS_KUNIT_TEST
add_line arch/arm/xen/Makefile 'obj-$(CONFIG_XEN_UNPOPULATED_ALLOC) += extended-regions.o' \
	'obj-$(CONFIG_XEN_EXTENDED_REGIONS_KUNIT_TEST) += extended-regions-test.o'
add_line arch/arm64/xen/Makefile \
	'xen-arm-$(CONFIG_XEN_UNPOPULATED_ALLOC) += ../../arm/xen/extended-regions.o' \
	'xen-arm-$(CONFIG_XEN_EXTENDED_REGIONS_KUNIT_TEST) += ../../arm/xen/extended-regions-test.o'
commit "$SERIES/0004-xen-arm-extended-regions-kunit.txt"

# 0005: sub-section granules, reclaim, balloon per request, debugfs
# (this repository's commit ccddcdc)
STAGE2=ccddcdc
git -C "$ROOT" cat-file -e "$STAGE2^{commit}" 2>/dev/null ||
	die "commit $STAGE2 missing: a clone with its history is needed"
take $STAGE2 drivers/xen/unpopulated-alloc.c include/xen/unpopulated.h
python3 "$ROOT/scripts/series/kconfig.py" "$W/drivers/xen/Kconfig" \
	XEN_UNPOPULATED_SUBSECTION
python3 "$ROOT/scripts/series/kernel-parameters.py" \
	"$W/Documentation/admin-guide/kernel-parameters.txt" \
	granularity reclaim_delay spare_pages
commit "$SERIES/0005-xen-unpopulated-alloc-frugal.txt"

# 0006: contiguous runs, a bitmap per run of frames, fixes from review:
# the allocator as it is now
take "" drivers/xen/unpopulated-alloc.c include/xen/unpopulated.h
python3 "$ROOT/scripts/series/xen-h-contiguous.py" "$W/include/xen/xen.h"
commit "$SERIES/0006-xen-unpopulated-alloc-contiguous.txt"

# 0007: gntdev's DMA buffers (gnttab_dma_alloc_pages()) from contiguous
# unpopulated space, no RAM given back to Xen
python3 "$ROOT/scripts/series/gnttab-dma-unpopulated.py" "$W/drivers/xen/grant-table.c"
commit "$SERIES/0007-xen-grant-table-dma-unpopulated.txt"

# 0008: KUnit tests of contiguous runs
# (CONFIG_XEN_UNPOPULATED_ALLOC_KUNIT_TEST)
take "" drivers/xen/unpopulated-alloc-test.c
python3 "$ROOT/scripts/series/kconfig.py" "$W/drivers/xen/Kconfig" \
	XEN_UNPOPULATED_ALLOC_KUNIT_TEST
add_line drivers/xen/Makefile 'obj-$(CONFIG_XEN_UNPOPULATED_ALLOC) += unpopulated-alloc.o' \
	'obj-$(CONFIG_XEN_UNPOPULATED_ALLOC_KUNIT_TEST) += unpopulated-alloc-test.o'
commit "$SERIES/0008-xen-unpopulated-alloc-kunit.txt"

rm -rf "$OUT"
mkdir -p "$OUT"
# Recipients from the tree's get_maintainer.pl on the series' diff:
# maintainers To:, reviewers and lists Cc:; a cover letter
# (scripts/series/0000-cover-letter.txt).
recipients() {	# recipients OPT GET_MAINTAINER-OPTION... -> OPTaddress lines
	local opt=$1
	shift
	git -C "$W" diff "$base" HEAD |
		(cd "$PRISTINE" && perl scripts/get_maintainer.pl --no-git \
			--no-git-fallback --no-rolestats "$@") |
		sed "s/^/$opt/"
}
mapfile -t to < <(recipients --to= --m --no-r --no-l)
mapfile -t cc < <(recipients --cc= --no-m --r --l)
[ ${#to[@]} -gt 0 ] || die "get_maintainer.pl names no maintainer"
git -C "$W" format-patch -q --no-signature --cover-letter "${to[@]}" \
	"${cc[@]}" -o "$(cd "$OUT" && pwd)" "$base..HEAD"
python3 "$ROOT/scripts/series/cover-letter.py" "$OUT/0000-cover-letter.patch" \
	"$SERIES/0000-cover-letter.txt"
ls "$OUT"

#!/bin/bash
# Put this project's unpopulated-memory allocator into a Linux source tree.
#
#   scripts/kernel-overlay.sh KSRC
#
# - copies arch/arm/xen/extended-regions.c, drivers/xen/unpopulated-alloc.c
#   (replacing upstream's), include/xen/extended-regions.h and any other
#   include/xen/*.h of the repository (new headers only: an upstream header
#   is never overwritten) into KSRC;
# - appends two lines to arch/arm64/xen/Makefile: one builds our
#   extended-regions.o into xen-arm.o, one renames upstream's
#   arch_xen_unpopulated_init in enlighten.o with a -D flag so that the two
#   definitions do not collide (upstream's copy stays an unused __init
#   function). No upstream C file is edited.
#
# Idempotent: files are copied only when their content differs (so a rerun
# triggers no rebuild) and the Makefile lines are added once.
# OVERLAY_SRC overrides where the three files are taken from (default: this
# repository), for trying the mechanism with placeholder files.
set -eu

die() { echo "kernel-overlay: $*" >&2; exit 1; }

[ $# = 1 ] || { echo "usage: $0 KSRC" >&2; exit 2; }
KSRC=$1
REPO=${OVERLAY_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
FILES="arch/arm/xen/extended-regions.c drivers/xen/unpopulated-alloc.c include/xen/extended-regions.h"
MK=arch/arm64/xen/Makefile
MARK="# kernel-overlay.sh: Xen extended-regions allocator"

# The tree must look like the Linux versions this was written against.
[ -f "$KSRC/Makefile" ] && grep -q '^VERSION = ' "$KSRC/Makefile" ||
	die "$KSRC is not a Linux source tree"
[ -f "$KSRC/$MK" ] || die "$KSRC/$MK missing"
grep -q 'addprefix ../../arm/xen/, *enlighten.o' "$KSRC/$MK" ||
	die "$KSRC/$MK does not build ../../arm/xen/enlighten.o into xen-arm-y"
grep -q '^int __init arch_xen_unpopulated_init(struct resource \*\*res)' \
	"$KSRC/arch/arm/xen/enlighten.c" ||
	die "$KSRC/arch/arm/xen/enlighten.c has no arch_xen_unpopulated_init"
grep -q 'unpopulated-alloc.o' "$KSRC/drivers/xen/Makefile" ||
	die "$KSRC/drivers/xen/Makefile does not build unpopulated-alloc.o"
[ -f "$KSRC/drivers/xen/unpopulated-alloc.c" ] ||
	die "$KSRC/drivers/xen/unpopulated-alloc.c missing"
if [ -e "$KSRC/arch/arm/xen/extended-regions.c" ] && ! grep -qF "$MARK" "$KSRC/$MK"; then
	die "$KSRC already has arch/arm/xen/extended-regions.c but no overlay lines"
fi

for f in $FILES; do
	[ -f "$REPO/$f" ] || die "$REPO/$f missing"
done

# Sources this script does not know how to build would be silently ignored.
for f in "$REPO"/arch/arm/xen/*.c "$REPO"/drivers/xen/*.c; do
	[ -e "$f" ] || continue
	case " $FILES " in
	*" ${f#"$REPO"/} "*) ;;
	*) die "${f#"$REPO"/} is not known to $0: add its build line" ;;
	esac
done

# Extra headers: only new files, or files this script installed before.
LIST=$KSRC/.kernel-overlay-files
touch "$LIST"
for f in "$REPO"/include/xen/*.h; do
	f=include/xen/${f##*/}
	case " $FILES " in *" $f "*) continue ;; esac
	if [ -e "$KSRC/$f" ] && ! grep -qx "$f" "$LIST"; then
		die "$KSRC/$f exists upstream; refusing to overwrite it"
	fi
	FILES="$FILES $f"
done

for f in $FILES; do
	grep -qx "$f" "$LIST" || echo "$f" >> "$LIST"
	if ! cmp -s "$REPO/$f" "$KSRC/$f"; then
		cp "$REPO/$f" "$KSRC/$f"
		echo "kernel-overlay: installed $f"
	fi
done

# Added Makefile lines. The CFLAGS_ name is the object path relative to this
# directory, as kbuild derives it from the target (target-stem).
if ! grep -qF "$MARK" "$KSRC/$MK"; then
	cat >> "$KSRC/$MK" <<EOF
$MARK
CFLAGS_../../arm/xen/enlighten.o += -Darch_xen_unpopulated_init=upstream_arch_xen_unpopulated_init_unused
xen-arm-\$(CONFIG_XEN_UNPOPULATED_ALLOC) += ../../arm/xen/extended-regions.o
EOF
	echo "kernel-overlay: added build lines to $MK"
fi
[ "$(grep -cF "$MARK" "$KSRC/$MK")" = 1 ] || die "$MK has the overlay lines more than once"

# Kernels whose balloon driver reads xen_unpopulated_pages (6.12, not 6.1)
# expect the allocator to define it: say so to our file with a flag.
DMK=drivers/xen/Makefile
if grep -q '^extern unsigned long xen_unpopulated_pages;' "$KSRC/include/xen/xen.h" &&
	! grep -qF "$MARK" "$KSRC/$DMK"; then
	cat >> "$KSRC/$DMK" <<EOF
$MARK
CFLAGS_unpopulated-alloc.o += -DXEN_UNPOPULATED_PAGES_COUNT
EOF
	echo "kernel-overlay: added a build line to $DMK"
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Bisectability: builds every prefix of the series on one kernel (make
# patches runs it on the newest of the matrix).
#
#   prefix-build.sh VERSION
#
# The series (scripts/make-patches.sh, build/patches/VERSION) is applied
# one patch at a time to build/qemu/src/linux-VERSION-prefix, a copy of
# the pristine tree (hard links, but for the files the series touches,
# which are real copies put back to pristine at the start).  After each
# patch, for arm64 and x86_64, kbuild builds the directories the series
# touches (arm64: drivers/xen/ and arch/arm64/xen/, which builds
# arch/arm/xen/'s objects; x86_64: drivers/xen/ and arch/x86/xen/) with
# W=1, in object trees inside the copy (.kbuild-ARCH-prefix), so that
# ccache serves whatever a patch leaves alone.  The configuration is the
# QEMU tier's (tests/qemu/kconfig.fragment or x86/kconfig.fragment, and
# kconfig-kunit.fragment), made again after a patch that changes a
# Kconfig file.  One PASS or FAIL line per patch and arch: FAIL when the
# build fails or a warning names a file the series touches.  Ends with
# "N passed, M failed".
set -u
{
[ $# = 1 ] || { echo "usage: $0 VERSION" >&2; exit 2; }
VER=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
Q=$ROOT/tests/qemu
PRISTINE=$("$Q/kernel-tree.sh" "$VER" | tail -n 1)
SRC=$ROOT/build/qemu/src/linux-$VER-prefix
PATCHES=$ROOT/build/patches/$VER
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-unpopulated-alloc/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT}
pass=0
fail=0
result() {	# result PASS|FAIL NAME DETAIL
	echo "$1 $2: $3"
	if [ "$1" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }

[ -f "$PRISTINE/Makefile" ] || { result FAIL "prefix-$VER" "no pristine tree"; finish; }
"$ROOT/scripts/make-patches.sh" "$VER" "$PATCHES" > /dev/null ||
	{ result FAIL "prefix-$VER" "make-patches.sh failed"; finish; }
set --
for p in "$PATCHES"/0*.patch; do
	[ "${p##*/}" = 0000-cover-letter.patch ] || set -- "$@" "$p"
done
[ $# -gt 0 ] || { result FAIL "prefix-$VER" "no patches in $PATCHES"; finish; }
files=$(sed -n 's|^+++ b/||p' "$@" | sort -u)

# the copy: made once, its touched files back to pristine every run
if [ ! -f "$SRC/.linked" ]; then
	rm -rf "$SRC"
	mkdir -p "$SRC"
	for e in "$PRISTINE"/* "$PRISTINE"/.[!.]*; do
		case ${e##*/} in .kbuild-*|.unpacked) continue ;; esac
		cp -al "$e" "$SRC/"
	done
	touch "$SRC/.linked"
fi
for f in $files; do
	rm -f "$SRC/$f"
	[ -f "$PRISTINE/$f" ] && cp "$PRISTINE/$f" "$SRC/$f"
done

# the series' files as warnings name them (arm64 builds arch/arm/xen/
# as arch/arm64/xen/../../arm/xen/)
ours=$(printf '%s\n' $files | grep -E '\.[ch]$' | sed 's|^arch/arm/|arm/|; s/[.]/\\./g' |
	paste -sd'|')

config() {	# config ARCH OBJTREE
	local frag=$Q/kconfig.fragment
	[ "$1" = x86_64 ] && frag=$Q/x86/kconfig.fragment
	cat "$frag" "$Q/kconfig-kunit.fragment" > "$2/fragment.config"
	$KMAKE KCONFIG_ALLCONFIG="$2/fragment.config" allnoconfig > "$2/config.log" 2>&1
}

n=0
for p; do
	n=$((n + 1))
	subject=$(sed -n 's/^Subject: \[PATCH [0-9]*\/[0-9]*\] //p' "$p")
	if ! (cd "$SRC" && patch -p1 -s -f --no-backup-if-mismatch) < "$p" > "$SRC/.patch.log" 2>&1; then
		cat "$SRC/.patch.log"
		result FAIL "prefix-$VER-$n" "patch $n does not apply: $subject"
		break
	fi
	for arch in arm64 x86_64; do
		obj=$SRC/.kbuild-$arch-prefix
		mkdir -p "$obj"
		case $arch in
		arm64)	KMAKE="make -s -C $SRC O=$obj ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
			cc=aarch64-linux-gnu-gcc
			targets="drivers/xen/ arch/arm64/xen/" ;;
		x86_64)	KMAKE="make -s -C $SRC O=$obj ARCH=x86"
			cc=gcc
			targets="drivers/xen/ arch/x86/xen/" ;;
		esac
		command -v ccache > /dev/null && cc="ccache $cc"
		if [ "$n" = 1 ] || [ ! -f "$obj/.config" ] ||
		   grep -q '^+++ b/.*Kconfig' "$p"; then
			if ! config "$arch" "$obj"; then
				tail -n 5 "$obj/config.log"
				result FAIL "prefix-$VER-$n-$arch" "allnoconfig failed: $subject"
				continue
			fi
		fi
		# shellcheck disable=SC2086
		if ! $KMAKE CC="$cc" -j"${JOBS:-$(nproc)}" W=1 $targets > "$obj/build.log" 2>&1; then
			tail -n 20 "$obj/build.log"
			result FAIL "prefix-$VER-$n-$arch" "build failed: $subject"
			continue
		fi
		w=$(grep -E "($ours):[0-9]+(:[0-9]+)?: (warning|error)" "$obj/build.log")
		if [ -n "$w" ]; then
			printf '%s\n' "$w"
			result FAIL "prefix-$VER-$n-$arch" "$(printf '%s\n' "$w" | wc -l) warning(s) in the series' files: $subject"
		else
			result PASS "prefix-$VER-$n-$arch" "$targets W=1, 0 warnings in the series' files: $subject"
		fi
	done
done
finish
}

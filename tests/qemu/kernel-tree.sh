#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A Linux source tree from Debian's linux-source package, for the QEMU
# tiers and the sparse check.
#
#   kernel-tree.sh VERSION [ours|debug]
#
# Unpacks the tarball (tests/qemu/ksrc-tarball.sh) once into
# build/qemu/src/linux-VERSION: the pristine tree, whose sources are never
# modified (build-kernel.sh keeps its object trees in .kbuild-* there), printed
# when no flavour is given.
#   ours   build/qemu/src/linux-VERSION-ours: a copy of the pristine tree
#          with this project's series (scripts/make-patches.sh, written to
#          build/patches/VERSION) applied by `git am`;
#   debug  build/qemu/src/linux-VERSION-debug: the same plus the upstream
#          fixes in tests/qemu/patches/ that the debug kernel needs.
# `git am` runs in a repository made in the copy from the pristine
# versions of the files the patches touch; the repository is removed
# afterwards (kbuild would otherwise add a "+" to the release), its log
# kept in .series-log.  The copy is made afresh whenever a patch changes.
# Progress goes to stderr; the last line on stdout is the tree's path.
set -eu
{
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 VERSION [ours|debug]" >&2; exit 2; }
VER=$1
FLAVOUR=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRCS=$ROOT/build/qemu/src
TARBALL=$("$ROOT/tests/qemu/ksrc-tarball.sh" "$VER")
PRISTINE=$SRCS/linux-$VER

# versions bookworm does not ship come from tests/qemu/fetch-newer.sh
if [ ! -f "$TARBALL" ] && [ "$VER" = 7.3 ]; then
	"$ROOT/tests/qemu/fetch-newer.sh" >&2 || exit 1
	TARBALL=$("$ROOT/tests/qemu/ksrc-tarball.sh" "$VER")
fi
[ -f "$TARBALL" ] || { echo "kernel-tree: $TARBALL missing (apt-get install linux-source-$VER)" >&2; exit 1; }

# atomically, so that an interrupted unpack is redone
if [ ! -f "$PRISTINE/.unpacked" ]; then
	echo "kernel-tree: unpacking $TARBALL" >&2
	rm -rf "$PRISTINE.tmp" "$PRISTINE"
	mkdir -p "$PRISTINE.tmp"
	tar -xf "$TARBALL" -C "$PRISTINE.tmp" --strip-components=1
	touch "$PRISTINE.tmp/.unpacked"
	mv "$PRISTINE.tmp" "$PRISTINE"
fi
case $FLAVOUR in
"") echo "$PRISTINE"; exit 0 ;;
ours|debug) ;;
*) echo "kernel-tree: flavour $FLAVOUR: ours or debug" >&2; exit 2 ;;
esac

PATCHES=$ROOT/build/patches/$VER
"$ROOT/scripts/make-patches.sh" "$VER" "$PATCHES" >&2
set --
for p in "$PATCHES"/*.patch; do	# the mails but the cover letter
	[ "${p##*/}" = 0000-cover-letter.patch ] || set -- "$@" "$p"
done
[ "$FLAVOUR" = debug ] && set -- "$@" "$ROOT"/tests/qemu/patches/*.patch
SRC=$SRCS/linux-$VER-$FLAVOUR
sum=$(cat "$@" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$SRC/.series-sum" 2>/dev/null)" != "$sum" ]; then
	echo "kernel-tree: copying the pristine tree to $SRC" >&2
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	( set -o pipefail; tar -C "$PRISTINE" --exclude='./.kbuild-*' -cf - . | tar -C "$SRC.tmp" -xf - )
	touched=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$@" | sort -u |
		while read -r f; do if [ -e "$SRC.tmp/$f" ]; then echo "$f"; fi; done)
	# one && chain: errexit does not apply inside a "|| die" list
	# shellcheck disable=SC2086
	( cd "$SRC.tmp" &&
	  export GIT_AUTHOR_NAME=kernel-tree GIT_AUTHOR_EMAIL=kernel-tree@localhost \
		 GIT_COMMITTER_NAME=kernel-tree GIT_COMMITTER_EMAIL=kernel-tree@localhost &&
	  git init -q &&
	  git add -f -- $touched &&
	  git commit -q -m "linux $VER, pristine" &&
	  git am -q "$@" &&
	  git log --format='%h %s' HEAD~$#..HEAD > .series-log &&
	  rm -rf .git
	) >&2 || { echo "kernel-tree: the series does not apply to linux $VER" >&2; exit 1; }
	[ -s "$SRC.tmp/.series-log" ] || { echo "kernel-tree: git am applied nothing" >&2; exit 1; }
	echo "$sum" > "$SRC.tmp/.series-sum"
	mv "$SRC.tmp" "$SRC"
	echo "kernel-tree: $SRC: $(wc -l < "$SRC/.series-log") commit(s) applied by git am" >&2
fi
echo "$SRC"
exit
}

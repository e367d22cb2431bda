#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A sparse new enough for Linux 7.2 and later (whose scripts/checker-valid.sh wants
# __typeof_unqual__, which bookworm's 0.6.4 lacks): Debian sid's source
# package, fetched with apt-get source --download-only through a private
# deb-src list under build/qemu/apt/sid-src/ (the mirror is the one
# fetch-newer.sh --mirror finds in the machine's apt sources; /etc/apt is never
# touched), built without its optional libraries into
# build/qemu/sparse/sparse.  Idempotent; prints the binary's path last.
set -eu
{
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
BIN=$B/sparse/sparse
die() { echo "build-sparse: $*" >&2; exit 1; }

if [ ! -x "$BIN" ]; then
	uri=$("$ROOT/tests/qemu/fetch-newer.sh" --mirror) || die "no Debian mirror"
	d=$B/apt/sid-src
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty.d" "$B/sparse-src"
	echo "deb-src $uri sid main" > "$d/sources.list"
	opts=(-o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/nonexistent
	      -o Dir::Etc::Preferences=/nonexistent -o Dir::Etc::PreferencesParts="$d/empty.d"
	      -o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" -o APT::Sandbox::User=root)
	apt-get -q "${opts[@]}" update > "$d/update.log" 2>&1 ||
		{ tail -n 20 "$d/update.log" >&2; die "apt-get update of the deb-src list failed"; }
	( cd "$B/sparse-src" && apt-get -q "${opts[@]}" source --download-only sparse ) >&2 ||
		die "apt-get source sparse failed"
	orig=$(ls -t "$B"/sparse-src/sparse_*.orig.tar.* | head -n 1)
	rm -rf "$B/sparse-src/src" "$B/sparse"
	mkdir -p "$B/sparse-src/src" "$B/sparse"
	tar -xf "$orig" -C "$B/sparse-src/src" --strip-components=1
	make -s -C "$B/sparse-src/src" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_SQLITE=no \
		HAVE_LIBXML=no HAVE_GTK=no >&2 || die "building sparse failed"
	cp "$B/sparse-src/src/sparse" "$BIN.tmp"
	v=$(basename "$orig"); v=${v#sparse_}; echo "${v%.orig.tar.*} (Debian sid source)" > "$B/sparse/version"
	mv "$BIN.tmp" "$BIN"
fi
echo "$BIN"
exit
}

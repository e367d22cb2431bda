#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch the QEMU tier's packages that bookworm does not have, without
# touching the machine's apt configuration:
#   linux-source-7.3           (Debian trixie-backports, main) -> build/qemu/pkgs/usr/src/linux-source-7.3.tar.xz
#   xen-hypervisor-4.20-arm64  (Debian trixie, arm64) -> build/qemu/xen-4.20/boot/xen-4.20-arm64
#
# apt-get runs on a private one-line source list, lists and cache under
# build/qemu/apt/SUITE-ARCH/; the mirror is the Debian archive URI of the
# machine's own apt sources (one-line lists or deb822 .sources), or
# $DEBIAN_MIRROR. The .debs are kept in build/qemu/debs/ and unpacked with
# dpkg-deb -x. Idempotent: nothing is downloaded or unpacked again when its
# result is present. Exit status non-zero on any failure.
# fetch-newer.sh --mirror prints the archive URI and fetches nothing.
# fetch-newer.sh --download SUITE ARCH DIR PKG... downloads those packages
# into DIR and nothing else (the toolstack tier's Xen 4.20 tools).
set -eu
{
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/qemu
KTAR=$B/pkgs/usr/src/linux-source-7.3.tar.xz
XEN=$B/xen-4.20/boot/xen-4.20-arm64

die() { echo "fetch-newer: $*" >&2; exit 1; }

# The URI of a Debian archive source of this machine (suite bookworm,
# trixie, sid, stable, testing or unstable: not -security, not -updates).
mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [options] URI SUITE COMPONENT...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && $3 ~ /^(bookworm|trixie|sid|stable|testing|unstable)$/ { print $2 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822 stanzas, blank-line separated
		sed -e '/^[[:space:]]*#/d' -e 's/#.*//' "$f" | awk -v RS= '
			/(^|\n)Enabled: *no/ { next }
			/(^|\n)Types:([^\n]*[ \t])?deb([ \t]|\n|$)/ && match($0, /(^|\n)Suites:[^\n]*/) {
				n = split(substr($0, RSTART, RLENGTH), s, /[ \t\n]+/)
				ok = 0
				for (i = 1; i <= n; i++)
					if (s[i] ~ /^(bookworm|trixie|sid|stable|testing|unstable)$/) ok = 1
				if (ok && match($0, /(^|\n)URIs:[^\n]*/)) {
					split(substr($0, RSTART, RLENGTH), u, /[ \t\n]+/)
					for (i in u) if (u[i] ~ /:\/\//) { print u[i]; break }
				}
			}'
	done
}

# fetch "PACKAGE..." SUITE ARCH: the newest .debs of the packages into $DL
fetch() {
	local pkg=$1 suite=$2 arch=$3 dir list
	local -a opts
	dir=$B/apt/$suite-$arch
	list=$dir/sources.list
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/empty.d" "$DL"
	echo "deb [arch=$arch] $URI $suite main" > "$list"
	opts=(-o Dir::Etc::SourceList="$list" -o Dir::Etc::SourceParts=/nonexistent
	      -o Dir::Etc::Preferences=/nonexistent -o Dir::Etc::PreferencesParts="$dir/empty.d"
	      -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache"
	      -o APT::Architectures::="$arch" -o APT::Architecture="$arch"
	      -o APT::Sandbox::User=root)
	echo "fetch-newer: apt-get update ($suite $arch)"
	apt-get -q --error-on=any "${opts[@]}" update > "$dir/update.log" 2>&1 ||
		{ tail -n 20 "$dir/update.log" >&2; die "apt-get update of '$suite main' ($arch) failed (log: $dir/update.log)"; }
	echo "fetch-newer: apt-get download $pkg ($suite $arch)"
	# shellcheck disable=SC2086
	( cd "$DL" && apt-get -q "${opts[@]}" download $pkg ) ||
		die "apt-get download $pkg from '$suite main' ($arch) failed"
}

# newest PATTERN: the newest file of build/qemu/debs matching PATTERN
newest() { ls -t "$B"/debs/$1 2>/dev/null | head -n 1; }

URI=${DEBIAN_MIRROR:-}
DL=$B/debs
# --mirror: print the archive URI the fetches use, for build-sparse.sh
if [ "${1:-}" = --mirror ]; then
	[ -n "$URI" ] || URI=$(mirror | head -n 1)
	[ -n "$URI" ] || die "no Debian archive URI in /etc/apt/sources.list{,.d/*.list,.d/*.sources} (set DEBIAN_MIRROR)"
	echo "$URI"
	exit 0
fi
if [ "${1:-}" = --download ] && [ $# -ge 5 ]; then
	[ -n "$URI" ] || URI=$(mirror | head -n 1)
	[ -n "$URI" ] || die "no Debian archive URI in /etc/apt/sources.list{,.d/*.list,.d/*.sources} (set DEBIAN_MIRROR)"
	DL=$4
	fetch "${*:5}" "$2" "$3"
	exit 0
fi
if ! { [ -f "$KTAR" ] && [ -s "$XEN" ]; }; then
	[ -n "$URI" ] || URI=$(mirror | head -n 1)
	[ -n "$URI" ] || die "no Debian archive URI in /etc/apt/sources.list{,.d/*.list,.d/*.sources} (set DEBIAN_MIRROR)"
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb"
fi

if [ ! -f "$KTAR" ]; then
	deb=$(newest 'linux-source-7.3_*_all.deb')
	[ -n "$deb" ] || { fetch linux-source-7.3 trixie-backports amd64; deb=$(newest 'linux-source-7.3_*_all.deb'); }
	[ -n "$deb" ] || die "linux-source-7.3 downloaded but no build/qemu/debs/linux-source-7.3_*_all.deb"
	echo "fetch-newer: unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$B/pkgs" || die "dpkg-deb -x $deb failed"
	[ -f "$KTAR" ] || die "$(basename "$deb") has no usr/src/linux-source-7.3.tar.xz"
fi

if [ ! -s "$XEN" ]; then
	deb=$(newest 'xen-hypervisor-4.20-arm64_*_arm64.deb')
	[ -n "$deb" ] || { fetch xen-hypervisor-4.20-arm64 trixie arm64; deb=$(newest 'xen-hypervisor-4.20-arm64_*_arm64.deb'); }
	[ -n "$deb" ] || die "xen-hypervisor-4.20-arm64 downloaded but no build/qemu/debs/xen-hypervisor-4.20-arm64_*_arm64.deb"
	echo "fetch-newer: unpacking $(basename "$deb")"
	rm -rf "$B/xen-4.20"
	dpkg-deb -x "$deb" "$B/xen-4.20" || die "dpkg-deb -x $deb failed"
	[ -s "$XEN" ] || die "$(basename "$deb") has no boot/xen-4.20-arm64"
fi
echo "fetch-newer: linux-source-7.3 and Xen 4.20 in place"
exit
}

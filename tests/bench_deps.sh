#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench counts instructions with callgrind, and its program includes
# <valgrind/callgrind.h>: both come with Debian's valgrind package.  It
# compares our allocator with upstream Linux's, whose source it takes at
# build time from Debian's linux-source-6.12 tarball.  The host build
# alone needs neither.  Installs what is missing (as root), or prints the
# command to run and fails, as tools/deps.sh does for the rest.
set -eu

missing=
command -v valgrind >/dev/null 2>&1 &&
	[ -f /usr/include/valgrind/callgrind.h ] || missing=valgrind
[ -f /usr/src/linux-source-6.12.tar.xz ] ||
	missing="$missing linux-source-6.12"
missing=${missing# }
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "installing: $missing"
	apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing
else
	echo "missing packages; run this, then try again:" >&2
	echo "  sudo apt-get install -y $missing" >&2
	exit 1
fi

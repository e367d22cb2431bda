#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench counts instructions with callgrind, and its program includes
# <valgrind/callgrind.h>: both come with Debian's valgrind package, which
# the host build alone does not need.  Installs it (as root), or prints
# the command to run and fails, as tools/deps.sh does for the rest.
set -eu

command -v valgrind >/dev/null 2>&1 &&
	[ -f /usr/include/valgrind/callgrind.h ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "installing: valgrind"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends valgrind
else
	echo "missing packages; run this, then try again:" >&2
	echo "  sudo apt-get install -y valgrind" >&2
	exit 1
fi

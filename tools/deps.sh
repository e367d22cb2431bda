#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages the host build needs ("run") or its tests
# need too ("check"); without root, prints the command to run and fails.
set -eu

need=""
want() { need="$need $1"; }

command -v gcc >/dev/null 2>&1 || want gcc
command -v make >/dev/null 2>&1 || want make
command -v dtc >/dev/null 2>&1 || want device-tree-compiler
[ -f /usr/include/libfdt.h ] || want libfdt-dev
[ -f /usr/include/xen/arch-arm.h ] || want libxen-dev
if [ "${1:-run}" = check ]; then
	command -v valgrind >/dev/null 2>&1 || want valgrind
	command -v python3 >/dev/null 2>&1 || want python3
	command -v clang >/dev/null 2>&1 || want clang
	[ -f /usr/src/linux-source-6.1.tar.xz ] || want linux-source-6.1
	# sparse on our files in the 6.1, 6.12 (and fetched 7.2) kernel builds
	[ -f /usr/src/linux-source-6.12.tar.xz ] || want linux-source-6.12
	# ... and in Debian's own amd64 6.12 config, x86_64
	[ -f /usr/src/linux-config-6.12/config.amd64_none_amd64.xz ] ||
		want linux-config-6.12
	[ -f /usr/include/libelf.h ] || want libelf-dev
	[ -f /usr/include/openssl/ssl.h ] || want libssl-dev
	command -v sparse >/dev/null 2>&1 || want sparse
	# make patches keeps series/ as a quilt stack
	command -v quilt >/dev/null 2>&1 || want quilt
	command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || want gcc-aarch64-linux-gnu
	# its C library: only recommended by the compiler, so not installed with it
	[ -f /usr/aarch64-linux-gnu/include/stdio.h ] || want libc6-dev-arm64-cross
	command -v flex >/dev/null 2>&1 || want flex
	command -v bison >/dev/null 2>&1 || want bison
	command -v bc >/dev/null 2>&1 || want bc
	command -v xz >/dev/null 2>&1 || want xz-utils
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
		>/dev/null 2>&1 || want libclang-rt-dev
fi

[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "installing:$need"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $need
else
	echo "missing packages; run this, then try again:" >&2
	echo "  sudo apt-get install -y$need" >&2
	exit 1
fi

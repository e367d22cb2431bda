# SPDX-License-Identifier: GPL-2.0-only
#
# The QEMU tier, included by the top Makefile (put the include line after
# the tool's rules; the default goal is left alone either way).
#
#   make qemu-check                      both kernel versions, upstream and
#                                        ours, every scenario, tables
#   make qemu-check QEMU_VERSIONS=6.1    fewer versions
#   make qemu-check HOST_DTS=board.dts   Xen + our 6.1 dom0 on your layout
#   make qemu-check-debug                KASAN/kmemleak/lockdep/DEBUG_VM
#                                        kernel, dom0 workloads
#
# Everything is cached under build/qemu (and build/ccache); see
# tests/qemu/README.md.

BUILD		?= build
QEMU_VERSIONS	?= 6.1 6.12
HOST_DTS	?=

_qemu_default_goal := $(.DEFAULT_GOAL)

.PHONY: qemu-check qemu-check-debug

qemu-check: deps $(BUILD)/xen-extregions
	@QEMU_VERSIONS="$(QEMU_VERSIONS)" HOST_DTS="$(HOST_DTS)" \
	 XEN_EXTREGIONS="$(abspath $(BUILD)/xen-extregions)" \
	 bash tests/qemu/qemu-check.sh

qemu-check-debug: deps $(BUILD)/xen-extregions
	@XEN_EXTREGIONS="$(abspath $(BUILD)/xen-extregions)" \
	 bash tests/qemu/qemu-check.sh --debug

.DEFAULT_GOAL := $(_qemu_default_goal)

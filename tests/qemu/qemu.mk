# SPDX-License-Identifier: GPL-2.0-only
#
# The QEMU tier, included by the top Makefile (put the include line after
# the tool's rules; the default goal is left alone either way).
#
#   make qemu-check                      every kernel version, upstream and
#                                        ours, every scenario under every
#                                        Xen version, tables
#   make qemu-check QEMU_VERSIONS=6.1    fewer kernel versions
#   make qemu-check XEN_VERSIONS=4.20    fewer Xen versions
#   make qemu-check HOST_DTS=board.dts   Xen + our 6.1 dom0 on your layout
#   make qemu-check-debug                KASAN/kmemleak/lockdep/DEBUG_VM
#                                        kernel, dom0 workloads
#   make qemu-check-xl                   Debian's Xen tools in dom0: xl
#                                        create/destroy cycles, PV disk
#                                        and network, Xen 4.17 and 4.20
#                                        (XL_XEN=4.20: one of them)
#
#   make qemu-check-ci                   what CI runs: a covering subset of
#                                        the above (every kernel, Xen
#                                        version and scenario at least once)
#   make qemu-check-full                 every tier whole
#
# Everything is cached under build/qemu (and build/ccache); see
# tests/qemu/README.md.

BUILD		?= build
QEMU_VERSIONS	?= 6.1 6.12 7.3
XEN_VERSIONS	?= 4.17 4.20 4.21
HOST_DTS	?=

_qemu_default_goal := $(.DEFAULT_GOAL)

.PHONY: qemu-check qemu-check-debug

qemu-check: deps-check $(BUILD)/xen-extregions $(BUILD)/arm64/xen-extregions
	@QEMU_VERSIONS="$(QEMU_VERSIONS)" XEN_VERSIONS="$(XEN_VERSIONS)" HOST_DTS="$(HOST_DTS)" \
	 XEN_EXTREGIONS="$(abspath $(BUILD)/xen-extregions)" \
	 bash tests/qemu/qemu-check.sh

qemu-check-debug: deps-check $(BUILD)/xen-extregions $(BUILD)/arm64/xen-extregions
	@XEN_VERSIONS="$(XEN_VERSIONS)" XEN_EXTREGIONS="$(abspath $(BUILD)/xen-extregions)" \
	 bash tests/qemu/qemu-check.sh --debug

# x86 tier: x86_64 kernels (upstream and ours) as PV (and, with
# QEMU_X86_DOM0="pv pvh", PVH) dom0 under
# Xen 4.17 in qemu-system-x86_64 (TCG); see tests/qemu/README.md.
QEMU_X86_VERSIONS ?= 6.12 7.3

.PHONY: qemu-check-x86

qemu-check-x86:
	@QEMU_X86_VERSIONS="$(QEMU_X86_VERSIONS)" bash tests/qemu/x86/qemu-check-x86.sh

# toolstack tier: Debian's Xen tools in an arm64 dom0, xl create/destroy
# cycles of a domU with a PV disk and network, every kernel upstream and
# ours, each under bookworm's Xen 4.17 and trixie's 4.20 with their own
# tools; see tests/qemu/xl/README.md.
XL_XEN		?= 4.17 4.20
XL_CYCLES	?= 5

.PHONY: qemu-check-xl

qemu-check-xl: deps-check $(BUILD)/arm64/xen-extregions
	@QEMU_VERSIONS="$(QEMU_VERSIONS)" XL_XEN="$(XL_XEN)" XL_CYCLES="$(XL_CYCLES)" \
	 bash tests/qemu/xl/qemu-check-xl.sh

.DEFAULT_GOAL := $(_qemu_default_goal)

# CI's covering subset (.ci/run): every kernel version, every Xen version
# and every scenario at least once, in about half the kernel builds of the
# whole matrix (kernel builds are most of a cold run: 550-900 s for each
# upstream kernel on 2 cores): arm64 6.1 under Xen 4.17, 4.20 and 4.21
# (every scenario), the x86 PV dom0 on 7.3, the debug tier (6.12 under
# 4.20), and the toolstack tier on 6.1 under 4.17, which boots the 6.1
# kernels qemu-check built. Every step runs even if one before it
# failed; each prints its time.
QEMU_CI_STEPS = \
	"qemu-check QEMU_VERSIONS=6.1" \
	"qemu-check-x86 QEMU_X86_VERSIONS=7.3" \
	"qemu-check-debug" \
	"qemu-check-xl QEMU_VERSIONS=6.1 XL_XEN=4.17"

.PHONY: qemu-check-ci qemu-check-full

# $(call qemu_steps,STEP...): make each STEP (a target and its variables,
# quoted), all of them even if one fails, each timed; fails if any did.
qemu_steps = rc=0; for s in $(1); do \
		t=$$(date +%s); \
		eval "$(MAKE) --no-print-directory $$s" || rc=1; \
		echo "$@: make $$s took $$(( $$(date +%s) - t ))s"; \
	done; exit $$rc

qemu-check-ci:
	@$(call qemu_steps,$(QEMU_CI_STEPS))

qemu-check-full:
	@$(call qemu_steps,qemu-check qemu-check-x86 qemu-check-debug qemu-check-xl)

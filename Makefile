# SPDX-License-Identifier: GPL-2.0-only
#
# Host build: the kernel sources in arch/ and drivers/ compiled unchanged
# against the look-alike kernel headers and models in tools/.
#
#   make            the tool, build/xen-extregions
#   make run        the tool on its built-in default device tree
#   make check      all host tests, under sanitizers

BUILD	:= build
CC	:= gcc

WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	   -Wno-missing-field-initializers -Wmissing-prototypes \
	   -Wstrict-prototypes
# Host programs check lock assertions as a CONFIG_LOCKDEP kernel would;
# make bench builds without, as a production kernel runs.
CFLAGS	:= -std=gnu11 -g -O2 $(WARN) -Itools/include -Iinclude -DCONFIG_LOCKDEP
SAN	:= -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
LDLIBS	:= -lfdt -lpthread

KERNEL	:= arch/arm/xen/extended-regions.c drivers/xen/unpopulated-alloc.c
# Tests that look at the arch hook's target build its file through
# tests/ext_target.c, which includes it.
KERNEL_T := tests/ext_target.c drivers/xen/unpopulated-alloc.c
KSRC_T	= $(filter-out arch/%,$(filter %.c %.o,$^))
SHIMS	:= $(wildcard tools/shim/*.c)
TOOL	:= $(wildcard tools/xen-extregions/*.c)
HEADERS	:= $(shell find include tools -name '*.h') \
	   tools/xen-extregions/tool.h
DTS	:= $(wildcard dts/*.dts)
DTBS	:= $(patsubst dts/%.dts,$(BUILD)/dts/%.dtb,$(DTS))
DEFAULT_DTB := $(BUILD)/dts/qemu-virt-dom0.dtb

.PHONY: all deps deps-check run check bench bench-deps clean patches tool-arm64
.DELETE_ON_ERROR:

all: deps $(BUILD)/xen-extregions

deps:
	@sh tools/deps.sh run

deps-check:
	@sh tools/deps.sh check

$(BUILD)/dts/%.dtb: dts/%.dts
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/%/default-dtb.o: tools/xen-extregions/default-dtb.S $(DEFAULT_DTB)
	@mkdir -p $(@D)
	$(CC) -c -DDEFAULT_DTB='"$(DEFAULT_DTB)"' -o $@ $<

$(BUILD)/xen-extregions: $(KERNEL) $(SHIMS) $(TOOL) $(HEADERS) \
			 $(BUILD)/plain/default-dtb.o
	$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/san/xen-extregions: $(KERNEL) $(SHIMS) $(TOOL) $(HEADERS) \
			     $(BUILD)/san/default-dtb.o
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(BUILD)/san/test-shims: tests/test_shims.c $(SHIMS) $(HEADERS) tests/harness.h \
			 tests/run_case.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

# The KUnit suites that need no Xen, on the host (tools/include/kunit/).
KUNIT_HOST := arch/arm/xen/extended-regions-test.c

$(BUILD)/san/test-kunit: tests/test_kunit.c $(KUNIT_HOST) $(KERNEL) $(SHIMS) \
			 $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/san/test-regions: tests/test_regions.c $(KERNEL) $(SHIMS) \
			   $(HEADERS) tests/harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/san/test-xenlog: tests/test_xenlog.c tools/xen-extregions/xenlog.c \
			  $(HEADERS) tests/harness.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/san/test-alloc: tests/test_alloc.c tools/xen-extregions/blob.c \
			$(KERNEL_T) $(KERNEL) $(SHIMS) $(HEADERS) tests/harness.h \
			tests/run_case.h tests/alloc_env.h tests/ext_target.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(KSRC_T) $(LDLIBS)

$(BUILD)/san/test-frugal: tests/test_frugal.c tools/xen-extregions/blob.c \
			 $(KERNEL) $(SHIMS) $(HEADERS) tests/harness.h tests/run_case.h \
			 tests/alloc_env.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

# The bugs a review of the allocator found, one case each.
$(BUILD)/san/test-review: tests/test_review.c tools/xen-extregions/blob.c \
			 $(KERNEL) $(SHIMS) $(HEADERS) tests/harness.h tests/run_case.h \
			 tests/alloc_env.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

# The same with the Kconfig default set to sub-sections.
$(BUILD)/san/test-frugal-kconfig: tests/test_frugal.c tools/xen-extregions/blob.c \
			 $(KERNEL) $(SHIMS) $(HEADERS) tests/harness.h tests/run_case.h \
			 tests/alloc_env.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -DCONFIG_XEN_UNPOPULATED_SUBSECTION=1 -o $@ $(filter %.c,$^) $(LDLIBS)

# x86: the allocator alone, with a model of x86's arch hook; again as PV.
X86	:= tests/test_x86.c drivers/xen/unpopulated-alloc.c $(SHIMS)

$(BUILD)/san/test-x86: $(X86) $(HEADERS) tests/harness.h tests/run_case.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/san/test-x86-pv: $(X86) $(HEADERS) tests/harness.h tests/run_case.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -DCONFIG_XEN_HAVE_PVMMU -o $@ $(filter %.c,$^) $(LDLIBS)

STRESS	:= tests/test_stress.c tools/xen-extregions/blob.c $(KERNEL) $(SHIMS)

$(BUILD)/san/test-stress: $(STRESS) $(HEADERS) tests/harness.h tests/alloc_env.h tests/run_case.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $(filter %.c,$^) $(LDLIBS)

$(BUILD)/tsan/test-stress: $(STRESS) $(HEADERS) tests/harness.h tests/alloc_env.h tests/run_case.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 -fsanitize=thread -o $@ $(filter %.c,$^) $(LDLIBS)

run: all
	$(BUILD)/xen-extregions

# The tool as a static arm64 binary, to run inside a guest (--live).
# Xen's public headers (arch-independent) come from the host's
# libxen-dev through a directory of their own, so that the cross compiler
# sees no other host header.
ARM64_CC	:= aarch64-linux-gnu-gcc
ARM64_SYS	:= $(BUILD)/arm64/sysroot

$(ARM64_SYS)/usr/lib/aarch64-linux-gnu/libfdt.a:
	@sh tools/arm64-libfdt.sh $(ARM64_SYS)

$(ARM64_SYS)/xen-include/xen: | $(ARM64_SYS)/usr/lib/aarch64-linux-gnu/libfdt.a
	@mkdir -p $(@D)
	ln -sfn /usr/include/xen $@

$(BUILD)/arm64/default-dtb.o: tools/xen-extregions/default-dtb.S $(DEFAULT_DTB)
	@mkdir -p $(@D)
	$(ARM64_CC) -c -DDEFAULT_DTB='"$(DEFAULT_DTB)"' -o $@ $<

$(BUILD)/arm64/xen-extregions: $(KERNEL) $(SHIMS) $(TOOL) $(HEADERS) \
			       $(BUILD)/arm64/default-dtb.o \
			       $(ARM64_SYS)/usr/lib/aarch64-linux-gnu/libfdt.a \
			       $(ARM64_SYS)/xen-include/xen
	$(ARM64_CC) -static $(CFLAGS) -I$(ARM64_SYS)/usr/include \
		-I$(ARM64_SYS)/xen-include -o $@ $(filter %.c %.o %.a,$^) -lpthread

tool-arm64: deps $(BUILD)/arm64/xen-extregions
	@file $(BUILD)/arm64/xen-extregions 2>/dev/null || ls -l $(BUILD)/arm64/xen-extregions

CHECKS	:= $(BUILD)/san/test-shims $(BUILD)/san/test-regions $(BUILD)/san/test-kunit \
	   $(BUILD)/san/test-alloc $(BUILD)/san/test-stress \
	   $(BUILD)/san/test-frugal $(BUILD)/san/test-frugal-kconfig \
	   $(BUILD)/san/test-review \
	   $(BUILD)/san/test-x86 $(BUILD)/san/test-x86-pv \
	   $(BUILD)/tsan/test-stress \
	   $(BUILD)/san/test-xenlog $(BUILD)/san/xen-extregions

include tests/fuzz/fuzz.mk
CHECKS	+= $(FUZZ_BINS) $(BUILD)/hostile/gen

check: deps-check $(CHECKS) $(DTBS) $(BUILD)/xen-extregions
	@sh tests/run.sh $(BUILD) host

# make bench: the usable shares of the logged regions; then our allocator
# against upstream Linux's, instructions first (callgrind, counting only
# the measured loops), then the timed repetitions and the tables, whose
# last line is the worst ratio upstream / ours.  Upstream's allocator is
# drivers/xen/unpopulated-alloc.c of Debian's linux-source-6.12, taken
# from its tarball at build time into $(BENCH_DIR) (never into the
# repository) and compiled unchanged against the same headers, with its
# global symbols renamed beside ours: the allocator's API, its weak arch
# hook (so that it keeps its own default target, iomem_resource), its
# xen_unpopulated_pages, the host wrapper of its initcall
# (tools/include/linux/init.h), and memremap_pages(), which the bench
# provides as upstream_memremap_pages() (see tests/bench_alloc.c).
BENCH_DIR	:= $(BUILD)/bench
BENCH_CG	:= $(BENCH_DIR)/callgrind/out
BENCH_LINUX	:= /usr/src/linux-source-6.12.tar.xz
BENCH_UPSTREAM	:= $(BENCH_DIR)/upstream-unpopulated-alloc.c
BENCH_CFLAGS	:= $(filter-out -DCONFIG_LOCKDEP,$(CFLAGS))
BENCH_RENAME	:= \
	-Dxen_alloc_unpopulated_pages=upstream_xen_alloc_unpopulated_pages \
	-Dxen_free_unpopulated_pages=upstream_xen_free_unpopulated_pages \
	-Darch_xen_unpopulated_init=upstream_arch_xen_unpopulated_init \
	-Dxen_unpopulated_pages=upstream_xen_unpopulated_pages \
	-Dhost_initcall_unpopulated_init=host_initcall_upstream_unpopulated_init \
	-Dmemremap_pages=upstream_memremap_pages

bench-deps:
	@sh tests/bench_deps.sh

$(BENCH_UPSTREAM): $(wildcard $(BENCH_LINUX)) | bench-deps
	@mkdir -p $(@D)
	tar -xJf $(BENCH_LINUX) -O \
		linux-source-6.12/drivers/xen/unpopulated-alloc.c > $@

$(BENCH_DIR)/upstream-unpopulated-alloc.o: $(BENCH_UPSTREAM) $(HEADERS)
	$(CC) $(BENCH_CFLAGS) $(BENCH_RENAME) -c -o $@ $<

$(BUILD)/bench-alloc: tests/bench_alloc.c tools/xen-extregions/blob.c \
		      $(KERNEL) $(SHIMS) $(HEADERS) tests/alloc_env.h \
		      $(BENCH_DIR)/upstream-unpopulated-alloc.o | bench-deps
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

bench: deps bench-deps $(BUILD)/bench-alloc $(DEFAULT_DTB) $(BUILD)/xen-extregions
	python3 tests/bench_usable.py $(BUILD)/xen-extregions dts/logs
	@rm -rf $(dir $(BENCH_CG)) && mkdir -p $(dir $(BENCH_CG))
	valgrind -q --tool=callgrind --instr-atstart=no \
		--callgrind-out-file=$(BENCH_CG) $(BUILD)/bench-alloc --count $(BUILD)/dts
	$(BUILD)/bench-alloc --time $(BUILD)/dts $(BENCH_CG)

# The kernel patch series, one per Debian tree, checked: build/patches/VER.
PATCH_VERSIONS ?= 6.1 6.12 7.3

patches: deps-check
	@PATCH_VERSIONS="$(PATCH_VERSIONS)" sh tests/run.sh $(BUILD) kernel

# Keeps $(BUILD)/qemu, the QEMU tier's download and kernel cache.
clean:
	rm -rf $(BUILD)/san $(BUILD)/tsan $(BUILD)/plain $(BUILD)/bench-alloc $(BUILD)/bench \
		$(BUILD)/hostile $(FUZZ_BINS) $(BUILD)/fuzz/shim $(BUILD)/dts $(BUILD)/xen-extregions
include tests/qemu/qemu.mk

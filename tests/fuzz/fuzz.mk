# SPDX-License-Identifier: GPL-2.0-only
#
# Fuzzing and hostile device trees.  Included by the top Makefile after its
# variables (BUILD, CFLAGS, LDLIBS, KERNEL, SHIMS, HEADERS, DTBS).
#
#   make fuzz [FUZZ_SECONDS=60]  each libFuzzer target for FUZZ_SECONDS,
#                                new inputs kept in build/fuzz/corpus-*
#   make fuzz-smoke              each target for 10 s (CI, make check)
#   make hostile-check           the hostile device trees through the tool
#
# Targets, built with clang and libFuzzer (libclang-rt-14-dev):
#   fuzz-init           blob bytes through xen_ext_regions_read/_build
#   fuzz-xenlog         text through the tool's Xen log parser
#   fuzz-alloc          alloc/free sequences on the QEMU virt dom0 layout
#   fuzz-alloc-balloon  the same on a tree without extended regions
#   fuzz-alloc-subsection  fuzz-alloc with 2 MiB sub-section granules
# A crash leaves its input in build/fuzz/crash-TARGET-*; the run goes on
# with the other targets and fails at the end.  Past crashes, kept in
# tests/fuzz/crashes/TARGET/, are replayed as seeds on every run.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_TARGETS	:= init xenlog alloc alloc-balloon alloc-subsection
FUZZ_BINS	:= $(addprefix $(FUZZ_DIR)/fuzz-,$(FUZZ_TARGETS))

# The host build's flags (warnings stay errors), at the sanitizers' -O1.
FUZZ_CFLAGS	= $(filter-out -O2,$(CFLAGS)) -O1 -fno-omit-frame-pointer \
		  -fno-sanitize-recover=all
FUZZ_SAN	:= -fsanitize=address,undefined
FUZZ_LINK	:= -fsanitize=fuzzer,address,undefined
# Per-page loops run hundreds of thousands of times per input in the
# allocator targets: edge coverage only, no comparison tracing.
FUZZ_NOCMP	:= -fno-sanitize-coverage=trace-cmp

# The host models get sanitizers but no coverage: their branches are not
# what is fuzzed, and they sit in every per-page path.
FUZZ_SHIM_OBJS	:= $(patsubst tools/shim/%.c,$(FUZZ_DIR)/shim/%.o,$(SHIMS))

$(FUZZ_SHIM_OBJS): $(FUZZ_DIR)/shim/%.o: tools/shim/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c -o $@ $<

$(FUZZ_DIR)/fuzz-init: tests/fuzz/fuzz_init.c tools/xen-extregions/blob.c \
		       $(KERNEL) $(FUZZ_SHIM_OBJS) $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LINK) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(FUZZ_DIR)/fuzz-xenlog: tests/fuzz/fuzz_xenlog.c tools/xen-extregions/xenlog.c \
			 $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LINK) -o $@ $(filter %.c,$^) $(LDLIBS)

$(FUZZ_DIR)/fuzz-alloc: tests/fuzz/fuzz_alloc.c tools/xen-extregions/blob.c \
			$(KERNEL_T) $(KERNEL) $(FUZZ_SHIM_OBJS) $(HEADERS) tests/ext_target.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LINK) $(FUZZ_NOCMP) -o $@ \
		$(KSRC_T) $(LDLIBS)

$(FUZZ_DIR)/fuzz-alloc-balloon: tests/fuzz/fuzz_alloc.c \
				tools/xen-extregions/blob.c $(KERNEL_T) $(KERNEL) \
				$(FUZZ_SHIM_OBJS) $(HEADERS) tests/ext_target.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LINK) $(FUZZ_NOCMP) \
		-DFUZZ_ALLOC_DTB_NAME='"no-ext-regions.dtb"' -o $@ \
		$(KSRC_T) $(LDLIBS)

$(FUZZ_DIR)/fuzz-alloc-subsection: tests/fuzz/fuzz_alloc.c \
				   tools/xen-extregions/blob.c $(KERNEL_T) $(KERNEL) \
				   $(FUZZ_SHIM_OBJS) $(HEADERS) tests/ext_target.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LINK) $(FUZZ_NOCMP) \
		-DFUZZ_ALLOC_GRANULARITY='"subsection"' -o $@ \
		$(KSRC_T) $(LDLIBS)

# $(call fuzz_run,SECONDS): every target in turn, one process each (one
# core), seeded from the fixtures; prints the executions of each target
# and ends with "N passed, M failed" like the other host tests.
define fuzz_run
	@pass=0; fail=0; total=0; \
	for t in $(FUZZ_TARGETS); do \
		corpus=$(FUZZ_DIR)/corpus-$$t; \
		log=$(FUZZ_DIR)/fuzz-$$t.log; \
		mkdir -p $$corpus; \
		case $$t in \
		init)	seeds="$(BUILD)/dts"; opts=-max_len=65536; \
			if [ -d $(BUILD)/hostile/blobs ]; then \
				seeds="$$seeds $(BUILD)/hostile/blobs"; fi ;; \
		xenlog)	seeds=dts/logs; opts=-max_len=8192 ;; \
		*)	seeds=; opts=-max_len=128 ;; \
		esac; \
		if [ -d tests/fuzz/crashes/$$t ]; then \
			seeds="$$seeds tests/fuzz/crashes/$$t"; fi; \
		$(FUZZ_DIR)/fuzz-$$t $$opts -max_total_time=$(1) -timeout=30 \
			-print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/crash-$$t- \
			$$corpus $$seeds >$$log 2>&1; \
		rc=$$?; \
		n=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
		if [ -z "$$n" ]; then \
			n=$$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' $$log | tail -1); fi; \
		n=$${n:-0}; total=$$((total + n)); \
		units=$$(ls $$corpus | wc -l); \
		if [ $$rc -eq 0 ]; then \
			pass=$$((pass + 1)); \
			echo "fuzz-$$t: $$n executions in $(1) s, corpus $$units"; \
		else \
			fail=$$((fail + 1)); \
			echo "FAIL fuzz-$$t: exit $$rc after $$n executions, see $$log"; \
			grep -E 'fuzz_(init|xenlog|alloc):|ERROR:|SUMMARY:|Test unit written' $$log | head -8; \
		fi; \
	done; \
	echo "fuzz: $$total executions in total"; \
	echo "$$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]
endef

.PHONY: fuzz fuzz-smoke fuzz-bins hostile-check

fuzz-bins: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS) $(DTBS)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZ_BINS) $(DTBS)
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

# Hostile device trees: a generator writes them, the manifest
# tests/hostile/expect.txt says what the tool must make of each.
$(BUILD)/hostile/gen: tests/hostile/gen_hostile.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

hostile-check: $(BUILD)/hostile/gen $(BUILD)/san/xen-extregions \
	       $(BUILD)/xen-extregions
	python3 tests/hostile/run_hostile.py $(BUILD)/san/xen-extregions \
		$(BUILD)/hostile/blobs --gen $(BUILD)/hostile/gen \
		--plain $(BUILD)/xen-extregions

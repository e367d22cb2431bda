// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extended-region discovery, one row per device-tree layout: the regions
 * read, the target resource and its busy holes, or the reason to fall
 * back.  Then the arch hook's fallback paths, and allocation failures at
 * every point with a check that nothing leaks.
 *
 * Usage: test-regions DTB_DIR
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/kernel.h>
#include <linux/acpi.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/of_fdt.h>
#include <linux/slab.h>
#include <xen/extended-regions.h>
#include <xen/xen.h>
#include <host/model.h>
#include <host/xen-public-arm.h>

#include "harness.h"

#define R(s, e)		{ (s), (e) }
#define MAX_REGIONS	12
#define MAX_HOLES	8

struct row {
	const char *name;
	const char *dtb;
	u64 phys_offset;
	unsigned int va_bits;		/* 0: 48 */
	int ret;
	const char *reason;		/* part of the reason on failure */
	bool gnttab;
	struct range gnttab_range;
	unsigned int nr;		/* regions read, DT order */
	struct range regions[MAX_REGIONS];
	struct range resource;
	unsigned int nr_holes;
	struct range holes[MAX_HOLES];
	unsigned int warnings;		/* lines logged while reading */
};

/* seeds/004: Xen's log of ten regions and the holes the thread expects. */
#define SEEDS004_REGIONS						\
	{ R(0x0, 0x7ffffff), R(0xc000000, 0x2fffffff),			\
	  R(0x40000000, 0x47dfffff), R(0xd0000000, 0xe5ffffff),		\
	  R(0xe7800000, 0xebffffff), R(0xf1200000, 0xfcffffff),		\
	  R(0x100000000, 0x4ffffffff), R(0x580000000, 0x5ffffffff),	\
	  R(0x680000000, 0x6ffffffff), R(0x780000000, 0xffffffffff) }
#define SEEDS004_HOLES							\
	{ R(0x47e00000, 0xcfffffff), R(0xe6000000, 0xe77fffff),		\
	  R(0xec000000, 0xf11fffff), R(0xfd000000, 0xffffffff),		\
	  R(0x500000000, 0x57fffffff), R(0x600000000, 0x67fffffff),	\
	  R(0x700000000, 0x77fffffff) }

static const struct row rows[] = {
	/*
	 * 0x40200000 grant table
	 * 0x40400000 [ region 1 ] 0x5fffffff
	 * 0x60000000 ( hole     ) 0x7fffffff   dom0 RAM
	 * 0x80000000 [ region 2 ] 0xbfffffff
	 */
	{ "QEMU virt dom0", "qemu-virt-dom0.dtb", 0x40000000, 0, 0, NULL,
	  true, R(0x40200000, 0x4023ffff),
	  2, { R(0x40400000, 0x5fffffff), R(0x80000000, 0xbfffffff) },
	  R(0x40400000, 0xbfffffff), 1, { R(0x60000000, 0x7fffffff) } },
	/*
	 * 0x0        [ r1 ] 0x7ffffff           below PHYS_OFFSET: clamped
	 * 0xc000000  [ r2 ] 0x2fffffff          below PHYS_OFFSET: clamped
	 * 0x40000000 [ r3 ] 0x47dfffff          resource starts here
	 * 0xd0000000 [ r4 ] ... [ r10 ] 0xffffffffff, seven holes between
	 */
	{ "seeds/004 ten regions, 48-bit VA", "seeds004-ten-regions.dtb",
	  0x40000000, 48, 0, NULL, true, R(0x38000000, 0x38ffffff), 10,
	  SEEDS004_REGIONS,
	  R(0x40000000, 0xffffffffff), 7,
	  SEEDS004_HOLES },
	/*
	 * Same tree, 39-bit VA: the range ends 256 GiB past PHYS_OFFSET, at
	 * 0x403fffffff, inside region 10, which is clipped there.
	 */
	{ "seeds/004 ten regions, 39-bit VA clips the top",
	  "seeds004-ten-regions.dtb", 0x40000000, 39, 0, NULL,
	  true, R(0x38000000, 0x38ffffff), 10,
	  SEEDS004_REGIONS,
	  R(0x40000000, 0x403fffffff), 7,
	  SEEDS004_HOLES },
	/*
	 * 0x38000000 grant table (GUEST_GNTTAB_BASE)
	 * 0x60000000 [ rest of GUEST_RAM0 ] 0xffffffff
	 * 0x100000000 ( hole ) 0x1ffffffff
	 * 0x200000000 [ GUEST_RAM1 ] 0xffffffffff
	 */
	{ "domU from the toolstack", "domu-xl.dtb", 0x40000000, 0, 0, NULL,
	  true, R(0x38000000, 0x38ffffff),
	  2, { R(0x60000000, 0xffffffff), R(0x200000000, 0xffffffffff) },
	  R(0x60000000, 0xffffffffff), 1, { R(0x100000000, 0x1ffffffff) } },
	/*
	 * One-cell addresses and sizes:
	 * 0x60000000 [ r1 ] 0x7fffffff ( hole ) [ r2 0x90000000 ] 0xbfffffff
	 */
	{ "32-bit cells", "cells32-dom0.dtb", 0x40000000, 0, 0, NULL,
	  true, R(0x3fe00000, 0x3fe3ffff),
	  2, { R(0x60000000, 0x7fffffff), R(0x90000000, 0xbfffffff) },
	  R(0x60000000, 0xbfffffff), 1, { R(0x80000000, 0x8fffffff) } },
	/* Descending order in the tree, same resource as QEMU virt. */
	{ "unsorted regions are sorted", "unsorted.dtb", 0x40000000, 0, 0,
	  NULL, true, R(0x40200000, 0x4023ffff),
	  2, { R(0x80000000, 0xbfffffff), R(0x40400000, 0x5fffffff) },
	  R(0x40400000, 0xbfffffff), 1, { R(0x60000000, 0x7fffffff) } },
	/*
	 * 0x48000000 [ r1 ][ r2 ] 0x6fffffff  adjacent: no hole
	 * 0x70000000 ( hole ) 0x7fffffff, [ r3 ] 0x80000000-0xbfffffff
	 */
	{ "adjacent regions leave no hole", "adjacent.dtb", 0x40000000, 0, 0,
	  NULL, true, R(0x40200000, 0x4023ffff),
	  3, { R(0x48000000, 0x4fffffff), R(0x50000000, 0x6fffffff),
	       R(0x80000000, 0xbfffffff) },
	  R(0x48000000, 0xbfffffff), 1, { R(0x70000000, 0x7fffffff) } },
	/* An empty entry between two good ones: skipped, one warning. */
	{ "zero-size entry skipped", "zero-size.dtb", 0x40000000, 0, 0, NULL,
	  true, R(0x40200000, 0x4023ffff),
	  2, { R(0x40400000, 0x5fffffff), R(0x80000000, 0xbfffffff) },
	  R(0x40400000, 0xbfffffff), 1, { R(0x60000000, 0x7fffffff) }, 1 },
	/* RAM at 0x80000000; regions at 0x10000000 and 0x30000000 only. */
	{ "all regions below the range", "below-range.dtb", 0x80000000, 0,
	  -ERANGE, "no extended region inside", true,
	  R(0x7fe00000, 0x7fe3ffff),
	  2, { R(0x10000000, 0x1fffffff), R(0x30000000, 0x3fffffff) } },
	{ "overlapping regions", "bad-overlap.dtb", 0x40000000, 0, -EINVAL,
	  "overlap", true, R(0x40200000, 0x4023ffff),
	  2, { R(0x40400000, 0x5fffffff), R(0x50000000, 0x8fffffff) } },
	{ "duplicated region", "bad-duplicate.dtb", 0x40000000, 0, -EINVAL,
	  "overlap", true, R(0x40200000, 0x4023ffff),
	  2, { R(0x80000000, 0xbfffffff), R(0x80000000, 0xbfffffff) } },
	{ "region passes 2^64", "bad-overflow.dtb", 0x40000000, 0, -EINVAL,
	  "passes 2^64", true, R(0x40200000, 0x4023ffff) },
	{ "reg length not a multiple of the entry", "bad-reg-length.dtb",
	  0x40000000, 0, -EINVAL, "not a non-zero multiple of 16" },
	{ "#address-cells 3", "bad-address-cells.dtb", 0x40000000, 0,
	  -EINVAL, "3/2 not supported" },
	{ "grant table only", "no-ext-regions.dtb", 0x40000000, 0, -ENOENT,
	  "no extended regions", true, R(0x40200000, 0x4023ffff) },
	{ "node without reg (ACPI)", "acpi-no-reg.dtb", 0x40000000, 0,
	  -ENOENT, "no reg property" },
	{ "no hypervisor node", "no-hypervisor.dtb", 0x40000000, 0, -ENODEV,
	  "no hypervisor node" },
	{ "two hypervisor nodes", "two-nodes.dtb", 0x40000000, 0, -EINVAL,
	  "more than one hypervisor node" },
};

static const char *dtb_dir;

static void *load_dtb(const char *name)
{
	char path[512];
	void *buf = NULL;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dtb_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n);
		if (buf && (fread(buf, 1, n, f) != (size_t)n ||
			    fdt_check_full(buf, n))) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static void setup_arm64(const struct row *t)
{
	host_arm64_reset();
	host_arm64.phys_offset = t->phys_offset;
	if (t->va_bits)
		host_arm64.va_bits = t->va_bits;
}

static void check_holes(struct resource *res, const struct range *holes,
			unsigned int nr)
{
	struct resource *c = res->child;
	unsigned int i;

	for (i = 0; i < nr && c; i++, c = c->sibling) {
		CHECK(c->start == holes[i].start && c->end == holes[i].end,
		      "hole %u is 0x%llx-0x%llx, want 0x%llx-0x%llx", i,
		      c->start, c->end, holes[i].start, holes[i].end);
		CHECK(c->flags & IORESOURCE_BUSY, "hole %u not busy", i);
	}
	CHECK(i == nr && !c, "%u holes expected", nr);
}

static void run_row(const struct row *t)
{
	struct resource res = { .name = "test", .flags = IORESOURCE_MEM };
	long live = host_slab_live();
	struct xen_ext_regions er;
	unsigned int i, logged;
	void *fdt;
	int ret;

	h_begin(t->name);
	fdt = load_dtb(t->dtb);
	CHECK(fdt, "cannot load %s", t->dtb);
	if (!fdt) {
		h_end();
		return;
	}
	setup_arm64(t);
	logged = host_log_count();
	ret = xen_ext_regions_read(fdt, &er);
	CHECK_EQ(host_log_count() - logged, t->warnings);
	if (!ret)
		ret = xen_ext_regions_build(&er, mhp_get_pluggable_range(true),
					    &res);
	CHECK(ret == t->ret, "returned %d, want %d (%s)", ret, t->ret,
	      er.reason);
	if (t->reason)
		CHECK(strstr(er.reason, t->reason), "reason \"%s\"", er.reason);
	else
		CHECK(!er.reason[0], "reason \"%s\" on success", er.reason);
	CHECK(er.has_gnttab == t->gnttab, "grant table");
	if (t->gnttab) {
		CHECK_EQ(er.gnttab.start, t->gnttab_range.start);
		CHECK_EQ(er.gnttab.end, t->gnttab_range.end);
	}
	CHECK(er.nr == t->nr, "%u regions, want %u", er.nr, t->nr);
	for (i = 0; i < t->nr && i < er.nr; i++)
		CHECK(er.regions[i].start == t->regions[i].start &&
		      er.regions[i].end == t->regions[i].end,
		      "region %u is 0x%llx-0x%llx", i, er.regions[i].start,
		      er.regions[i].end);
	if (!t->ret) {
		CHECK_EQ(res.start, t->resource.start);
		CHECK_EQ(res.end, t->resource.end);
	}
	check_holes(&res, t->holes, t->ret ? 0 : t->nr_holes);
	xen_ext_regions_release(&res);
	xen_ext_regions_free(&er);
	CHECK(host_slab_live() == live, "leaked %ld objects",
	      host_slab_live() - live);
	free(fdt);
	h_end();
}

/* Xen's own domU layout constants say the same as the domU fixture. */
static void test_domu_matches_xen(void)
{
	struct xen_ext_regions er;
	void *fdt = load_dtb("domu-xl.dtb");

	h_begin("domU fixture follows Xen's public guest layout");
	CHECK(fdt && !xen_ext_regions_read(fdt, &er), "read");
	if (fdt && !er.reason[0]) {
		CHECK_EQ(er.addr_cells, GUEST_ROOT_ADDRESS_CELLS);
		CHECK_EQ(er.size_cells, GUEST_ROOT_SIZE_CELLS);
		CHECK_EQ(er.gnttab.start, GUEST_GNTTAB_BASE);
		CHECK_EQ(er.gnttab.end, GUEST_GNTTAB_BASE + GUEST_GNTTAB_SIZE - 1);
		CHECK_EQ(er.regions[0].end, GUEST_RAM0_BASE + GUEST_RAM0_SIZE - 1);
		CHECK_EQ(er.regions[1].start, GUEST_RAM1_BASE);
		CHECK_EQ(er.regions[1].end, GUEST_RAM1_BASE + GUEST_RAM1_SIZE - 1);
		xen_ext_regions_free(&er);
	}
	free(fdt);
	h_end();
}

/* Every allocation and the hole insertion fail in turn: -ENOMEM or the
 * insertion error comes back, the reason says so, nothing is left behind.
 */
static void test_faults(void)
{
	const struct row *t = &rows[1];		/* ten regions, seven holes */
	void *fdt = load_dtb(t->dtb);
	struct xen_ext_regions er;
	unsigned long k, calls;
	long live;
	int ret;

	h_begin("every allocation failure is unwound");
	setup_arm64(t);
	for (k = 0; fdt; k++) {
		struct resource res = { .name = "test" };

		live = host_slab_live();
		calls = host_fault_calls(HOST_FAULT_SLAB);
		host_fault_arm(HOST_FAULT_SLAB, k);
		ret = xen_ext_regions_read(fdt, &er);
		if (!ret)
			ret = xen_ext_regions_build(&er,
					mhp_get_pluggable_range(true), &res);
		host_fault_clear();
		if (host_fault_calls(HOST_FAULT_SLAB) - calls <= k) {
			CHECK(!ret, "no fault left to inject, still %d", ret);
			xen_ext_regions_release(&res);
			xen_ext_regions_free(&er);
			break;
		}
		CHECK(ret == -ENOMEM, "slab fault %lu gave %d", k, ret);
		CHECK(strstr(er.reason, "out of memory"), "%s", er.reason);
		CHECK(!res.child, "holes left after fault %lu", k);
		xen_ext_regions_free(&er);
		CHECK(host_slab_live() == live, "fault %lu leaked", k);
	}
	CHECK(k == 1 + 1 + 7, "%lu allocations, want regions+copy+7 holes", k);
	h_end();

	h_begin("a failing hole insertion is unwound");
	for (k = 0; fdt && k < 7; k++) {
		struct resource res = { .name = "test" };

		live = host_slab_live();
		CHECK(!xen_ext_regions_read(fdt, &er), "read");
		host_fault_arm(HOST_FAULT_RESOURCE_INSERT, k);
		ret = xen_ext_regions_build(&er, mhp_get_pluggable_range(true),
					    &res);
		host_fault_clear();
		CHECK(ret == -EBUSY && !res.child, "insert fault %lu: %d", k,
		      ret);
		xen_ext_regions_free(&er);
		CHECK(host_slab_live() == live, "insert fault %lu leaked", k);
	}
	h_end();
	free(fdt);
}

struct hook_case {
	const char *name;
	const char *dtb;		/* NULL: no blob */
	enum xen_domain_type type;
	int acpi;
	int ret;
	const char *log;		/* in the one line logged */
};

static const struct hook_case hooks[] = {
	{ "hook: not on Xen", "qemu-virt-dom0.dtb", XEN_NATIVE, 0, -ENODEV,
	  "not running on Xen, using ballooned pages" },
	{ "hook: ACPI boot", "qemu-virt-dom0.dtb", XEN_HVM_DOMAIN, 1,
	  -ENODEV, "ACPI boot" },
	{ "hook: no blob", NULL, XEN_HVM_DOMAIN, 0, -ENODEV,
	  "no flattened device tree" },
	{ "hook: no node", "no-hypervisor.dtb", XEN_HVM_DOMAIN, 0, -ENODEV,
	  "no hypervisor node, using ballooned pages" },
	{ "hook: no extended regions", "no-ext-regions.dtb", XEN_HVM_DOMAIN,
	  0, -ENOENT, "no extended regions, using ballooned pages" },
	{ "hook: invalid node", "bad-overlap.dtb", XEN_HVM_DOMAIN, 0, -EINVAL,
	  "overlap, using ballooned pages" },
	{ "hook: QEMU virt dom0", "qemu-virt-dom0.dtb", XEN_HVM_DOMAIN, 0, 0,
	  "target 0x40400000-0xbfffffff" },
};

/* The hook keeps its state in statics: each case runs in a child. */
static int run_hook_child(const struct hook_case *c)
{
	struct resource *res = NULL;
	unsigned int i, n;
	const char *line;
	int ret, level, found = 0;

	h_failed = h_passed = 0;
	host_log_clear();
	host_arm64_reset();
	host_arm64.phys_offset = 0x40000000;
	xen_domain_type = c->type;
	acpi_disabled = !c->acpi;
	initial_boot_params = c->dtb ? load_dtb(c->dtb) : NULL;
	CHECK(!c->dtb || initial_boot_params, "load %s", c->dtb);
	ret = arch_xen_unpopulated_init(&res);
	CHECK(ret == c->ret, "returned %d", ret);
	CHECK(!ret == !!res, "resource %p", (void *)res);
	n = host_log_count();
	for (i = 0; i < n; i++) {
		line = host_log_line(i, &level);
		if (strstr(line, c->log)) {
			found++;
			CHECK(strncmp(line, "xen-ext-regions: ", 17) == 0,
			      "pr_fmt prefix: %s", line);
			CHECK(level == (ret ? 4 : 6), "level %d", level);
		}
	}
	CHECK(found == 1, "log line \"%s\" seen %d times", c->log, found);
	if (ret)
		CHECK(n == 1, "%u lines logged for a fallback", n);
	free(initial_boot_params);
	fflush(stdout);
	return h_case_failures ? 1 : 0;
}

static void test_hooks(void)
{
	unsigned int i;
	int status;
	pid_t pid;

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		h_begin(hooks[i].name);
		fflush(stdout);
		pid = fork();
		if (!pid)
			_exit(run_hook_child(&hooks[i]));
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
		      WIFEXITED(status) && !WEXITSTATUS(status),
		      "child failed");
		h_end();
	}
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		run_row(&rows[i]);
	test_domu_matches_xen();
	test_faults();
	test_hooks();
	return h_finish();
}

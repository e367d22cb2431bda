// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the extended-region parser: hypervisor nodes written into
 * flattened trees at run time, read by xen_ext_regions_read() and turned
 * into a target resource by xen_ext_regions_build().  Nothing here needs
 * Xen: the cases run in any arm or arm64 kernel built with
 * CONFIG_XEN_EXTENDED_REGIONS_KUNIT_TEST.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/string.h>

#include <xen/extended-regions.h>

#define XT_BLOB_SIZE	1024
#define XT_MAX_REG	5

/* the grant-table entry Xen writes for a QEMU virt guest */
#define XT_GNTTAB	{ 0x38000000, 0x1000000 }

/* a 39-bit kernel's hotpluggable range with RAM at 1 GiB */
static const struct range xt_limit = { 0x40000000, 0x403fffffff };

/**
 * struct xt_layout - a hypervisor node to write into a tree
 * @ac:		the root's #address-cells
 * @sc:		the root's #size-cells
 * @cells_a:	address cells per reg entry, if not @ac
 * @cells_s:	size cells per reg entry, if not @sc
 * @nodes:	nodes compatible with "xen,xen"
 * @nr:		reg entries, the grant table first
 * @reg:	(address, size) of each entry
 */
struct xt_layout {
	u32 ac, sc, cells_a, cells_s;
	unsigned int nodes, nr;
	struct {
		u64 start, size;
	} reg[XT_MAX_REG];
};

/**
 * struct xt_expect - what reading and building a layout must give
 * @err:	the error of the read, or of the build if the read works
 * @nr:		regions read
 * @regions:	the regions, in device-tree order
 * @target:	the target resource's span
 * @nr_holes:	busy children of the target
 * @holes:	the children, in address order
 */
struct xt_expect {
	int err;
	unsigned int nr;
	struct range regions[XT_MAX_REG];
	struct range target;
	unsigned int nr_holes;
	struct range holes[XT_MAX_REG];
};

static unsigned int __init xt_put(fdt32_t *cells, unsigned int n, u64 val,
				  u32 nr_cells)
{
	if (nr_cells == 2)
		cells[n++] = cpu_to_fdt32(upper_32_bits(val));
	cells[n++] = cpu_to_fdt32(lower_32_bits(val));
	return n;
}

static void *__init xt_blob(struct kunit *test, const struct xt_layout *l)
{
	u32 ca = l->cells_a ?: l->ac, cs = l->cells_s ?: l->sc;
	fdt32_t cells[XT_MAX_REG * 4];
	unsigned int i, n = 0;
	void *fdt;

	fdt = kunit_kzalloc(test, XT_BLOB_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fdt);
	for (i = 0; i < l->nr; i++) {
		n = xt_put(cells, n, l->reg[i].start, ca);
		n = xt_put(cells, n, l->reg[i].size, cs);
	}

	KUNIT_ASSERT_EQ(test, fdt_create(fdt, XT_BLOB_SIZE), 0);
	KUNIT_ASSERT_EQ(test, fdt_finish_reservemap(fdt), 0);
	KUNIT_ASSERT_EQ(test, fdt_begin_node(fdt, ""), 0);
	KUNIT_ASSERT_EQ(test, fdt_property_u32(fdt, "#address-cells", l->ac), 0);
	KUNIT_ASSERT_EQ(test, fdt_property_u32(fdt, "#size-cells", l->sc), 0);
	for (i = 0; i < l->nodes; i++) {
		KUNIT_ASSERT_EQ(test, fdt_begin_node(fdt, i ? "hypervisor-2" : "hypervisor"), 0);
		KUNIT_ASSERT_EQ(test, fdt_property_string(fdt, "compatible", "xen,xen"), 0);
		if (n)
			KUNIT_ASSERT_EQ(test, fdt_property(fdt, "reg", cells,
							   n * sizeof(*cells)), 0);
		KUNIT_ASSERT_EQ(test, fdt_end_node(fdt), 0);
	}
	KUNIT_ASSERT_EQ(test, fdt_end_node(fdt), 0);
	KUNIT_ASSERT_EQ(test, fdt_finish(fdt), 0);
	return fdt;
}

static void __init xt_expect_range(struct kunit *test, const char *what,
				   unsigned int i, u64 start, u64 end,
				   const struct range *want)
{
	KUNIT_EXPECT_EQ_MSG(test, start, want->start, "%s %u start", what, i);
	KUNIT_EXPECT_EQ_MSG(test, end, want->end, "%s %u end", what, i);
}

/* Reads and builds @l, checks the outcome against @x, undoes everything. */
static void __init xt_check(struct kunit *test, const struct xt_layout *l,
			    const struct xt_expect *x)
{
	struct resource res = { .name = "test target", .flags = IORESOURCE_MEM };
	struct xen_ext_regions er;
	struct resource *hole;
	unsigned int i;
	int ret;

	ret = xen_ext_regions_read(xt_blob(test, l), &er);
	if (ret) {
		KUNIT_EXPECT_EQ_MSG(test, ret, x->err, "read: %s", er.reason);
		KUNIT_EXPECT_NE(test, er.reason[0], 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, er.nr, x->nr);
	for (i = 0; i < min(er.nr, x->nr); i++)
		xt_expect_range(test, "region", i, er.regions[i].start,
				er.regions[i].end, &x->regions[i]);

	ret = xen_ext_regions_build(&er, xt_limit, &res);
	xen_ext_regions_free(&er);
	KUNIT_EXPECT_EQ_MSG(test, ret, x->err, "build: %s", er.reason);
	if (ret) {
		KUNIT_EXPECT_NE(test, er.reason[0], 0);
		KUNIT_EXPECT_PTR_EQ(test, res.child, (struct resource *)NULL);
		return;
	}

	xt_expect_range(test, "target", 0, res.start, res.end, &x->target);
	for (i = 0, hole = res.child; hole; i++, hole = hole->sibling) {
		KUNIT_EXPECT_TRUE(test, hole->flags & IORESOURCE_BUSY);
		if (i < x->nr_holes)
			xt_expect_range(test, "hole", i, hole->start, hole->end,
					&x->holes[i]);
	}
	KUNIT_EXPECT_EQ(test, i, x->nr_holes);
	xen_ext_regions_release(&res);
}

/* Three regions as Xen writes them: sorted, the last past the range. */
static void __init xt_sorted(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 4,
		.reg = { XT_GNTTAB, { 0x48000000, 0x38000000 },
			 { 0x100000000, 0x100000000 },
			 { 0x8000000000, 0x8000000000 } },
	};
	static const struct xt_expect x __initconst = {
		.nr = 3,
		.regions = { { 0x48000000, 0x7fffffff },
			     { 0x100000000, 0x1ffffffff },
			     { 0x8000000000, 0xffffffffff } },
		.target = { 0x48000000, 0x403fffffff },
		.nr_holes = 2,
		.holes = { { 0x80000000, 0xffffffff },
			   { 0x200000000, 0x403fffffff } },
	};

	xt_check(test, &l, &x);
}

/* The same regions out of order: read as written, built as sorted. */
static void __init xt_unsorted(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 4,
		.reg = { XT_GNTTAB, { 0x8000000000, 0x8000000000 },
			 { 0x48000000, 0x38000000 },
			 { 0x100000000, 0x100000000 } },
	};
	static const struct xt_expect x __initconst = {
		.nr = 3,
		.regions = { { 0x8000000000, 0xffffffffff },
			     { 0x48000000, 0x7fffffff },
			     { 0x100000000, 0x1ffffffff } },
		.target = { 0x48000000, 0x403fffffff },
		.nr_holes = 2,
		.holes = { { 0x80000000, 0xffffffff },
			   { 0x200000000, 0x403fffffff } },
	};

	xt_check(test, &l, &x);
}

/* One cell each for addresses and sizes, as a 32-bit tree has them. */
static void __init xt_one_cell(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 1, .sc = 1, .nodes = 1, .nr = 3,
		.reg = { XT_GNTTAB, { 0x48000000, 0x8000000 },
			 { 0x60000000, 0x20000000 } },
	};
	static const struct xt_expect x __initconst = {
		.nr = 2,
		.regions = { { 0x48000000, 0x4fffffff },
			     { 0x60000000, 0x7fffffff } },
		.target = { 0x48000000, 0x7fffffff },
		.nr_holes = 1,
		.holes = { { 0x50000000, 0x5fffffff } },
	};

	xt_check(test, &l, &x);
}

/* Two address cells and one size cell; adjacent regions leave no hole. */
static void __init xt_mixed_cells(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 1, .nodes = 1, .nr = 3,
		.reg = { XT_GNTTAB, { 0x100000000, 0x10000000 },
			 { 0x110000000, 0x10000000 } },
	};
	static const struct xt_expect x __initconst = {
		.nr = 2,
		.regions = { { 0x100000000, 0x10fffffff },
			     { 0x110000000, 0x11fffffff } },
		.target = { 0x100000000, 0x11fffffff },
	};

	xt_check(test, &l, &x);
}

static void __init xt_overlap(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 3,
		.reg = { XT_GNTTAB, { 0x50000000, 0x10000000 },
			 { 0x48000000, 0x10000000 } },
	};
	static const struct xt_expect x __initconst = {
		.err = -EINVAL, .nr = 2,
		.regions = { { 0x50000000, 0x5fffffff },
			     { 0x48000000, 0x57ffffff } },
	};

	xt_check(test, &l, &x);
}

/*
 * Below the hotpluggable range: a region wholly below is left out, one
 * that straddles its start is clipped, and so is the hole between them.
 */
static void __init xt_below_pluggable(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 4,
		.reg = { XT_GNTTAB, { 0x10000000, 0x10000000 },
			 { 0x30000000, 0x20000000 },
			 { 0x60000000, 0x10000000 } },
	};
	static const struct xt_expect x __initconst = {
		.nr = 3,
		.regions = { { 0x10000000, 0x1fffffff },
			     { 0x30000000, 0x4fffffff },
			     { 0x60000000, 0x6fffffff } },
		.target = { 0x40000000, 0x6fffffff },
		.nr_holes = 1,
		.holes = { { 0x50000000, 0x5fffffff } },
	};

	xt_check(test, &l, &x);
}

static void __init xt_all_below_pluggable(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 2,
		.reg = { XT_GNTTAB, { 0x10000000, 0x10000000 } },
	};
	static const struct xt_expect x __initconst = {
		.err = -ERANGE, .nr = 1,
		.regions = { { 0x10000000, 0x1fffffff } },
	};

	xt_check(test, &l, &x);
}

/* The grant table alone, as Xen before 4.16 writes it. */
static void __init xt_no_regions(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 1, .reg = { XT_GNTTAB },
	};
	static const struct xt_expect x __initconst = { .err = -ENOENT };

	xt_check(test, &l, &x);
}

static void __init xt_empty_regions(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 3,
		.reg = { XT_GNTTAB, { 0x48000000, 0 }, { 0x50000000, 0 } },
	};
	static const struct xt_expect x __initconst = { .err = -ENOENT };

	xt_check(test, &l, &x);
}

static void __init xt_no_hypervisor_node(struct kunit *test)
{
	static const struct xt_layout l __initconst = { .ac = 2, .sc = 2 };
	static const struct xt_expect x __initconst = { .err = -ENODEV };

	xt_check(test, &l, &x);
}

static void __init xt_two_hypervisor_nodes(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 2, .nr = 2,
		.reg = { XT_GNTTAB, { 0x48000000, 0x8000000 } },
	};
	static const struct xt_expect x __initconst = { .err = -EINVAL };

	xt_check(test, &l, &x);
}

/* Entries written with one cell each under a root that says two. */
static void __init xt_reg_length(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .cells_a = 1, .cells_s = 1, .nodes = 1, .nr = 3,
		.reg = { XT_GNTTAB, { 0x48000000, 0x8000000 },
			 { 0x60000000, 0x8000000 } },
	};
	static const struct xt_expect x __initconst = { .err = -EINVAL };

	xt_check(test, &l, &x);
}

static void __init xt_past_2_64(struct kunit *test)
{
	static const struct xt_layout l __initconst = {
		.ac = 2, .sc = 2, .nodes = 1, .nr = 2,
		.reg = { XT_GNTTAB, { 0xfffffffff0000000, 0x20000000 } },
	};
	static const struct xt_expect x __initconst = { .err = -EINVAL };

	xt_check(test, &l, &x);
}

static struct kunit_case __refdata xen_ext_regions_cases[] = {
	KUNIT_CASE(xt_sorted),
	KUNIT_CASE(xt_unsorted),
	KUNIT_CASE(xt_one_cell),
	KUNIT_CASE(xt_mixed_cells),
	KUNIT_CASE(xt_overlap),
	KUNIT_CASE(xt_below_pluggable),
	KUNIT_CASE(xt_all_below_pluggable),
	KUNIT_CASE(xt_no_regions),
	KUNIT_CASE(xt_empty_regions),
	KUNIT_CASE(xt_no_hypervisor_node),
	KUNIT_CASE(xt_two_hypervisor_nodes),
	KUNIT_CASE(xt_reg_length),
	KUNIT_CASE(xt_past_2_64),
	{}
};

static struct kunit_suite xen_ext_regions_suite = {
	.name = "xen_extended_regions",
	.test_cases = xen_ext_regions_cases,
};

kunit_test_init_section_suites(&xen_ext_regions_suite);

MODULE_DESCRIPTION("KUnit tests of Xen extended-region parsing");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of contiguous unpopulated allocations, run in a Xen initial
 * domain that maps its own grants:
 *
 * - runs of several sizes, all held at once, are made of the allocator's
 *   scratch pages with consecutive frames, aligned to their order and
 *   apart from each other;
 * - pages of the domain's own, granted to itself, map into the runs and
 *   read back through the runs' kernel mapping, both ways;
 * - after the frees the allocator hands out as many pages as before and
 *   puts the largest run where it put it first: the blocks merged again;
 * - without scratch space a contiguous run is refused, not ballooned.
 *
 * Outside such a domain every case is skipped, saying why.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>

/* Sizes in pages, held together; the last one is the largest. */
static const unsigned int xut_sizes[] = { 1, 3, 16, 64, 512, 1024 };

#define XUT_RUNS	ARRAY_SIZE(xut_sizes)

/**
 * struct xut_run - one contiguous run and what was done with it
 * @nr:		pages in the run
 * @held:	the run is allocated
 * @pages:	the run's pages
 * @ram:	pages of the domain's own, one per page of the run
 * @refs:	grant references of @ram, granted to the domain itself
 * @nr_refs:	references in @refs still granted
 * @map:	the map operations, one per page of the run
 * @mapped:	indexes into @pages of the maps that worked
 * @nr_mapped:	entries in @mapped
 */
struct xut_run {
	unsigned int nr;
	bool held;
	struct page **pages;
	struct page **ram;
	grant_ref_t *refs;
	unsigned int nr_refs;
	struct gnttab_map_grant_ref *map;
	unsigned int *mapped;
	unsigned int nr_mapped;
};

static unsigned long xut_handed_out(void)
{
	struct xen_unpopulated_stats st;

	xen_unpopulated_get_stats(&st);
	return st.pages - st.free;
}

static bool xut_scratch(void)
{
	struct xen_unpopulated_stats st;

	xen_unpopulated_get_stats(&st);
	return st.scratch;
}

static u64 xut_pattern(unsigned int run, unsigned int page, unsigned int word)
{
	return ((u64)run << 56) ^ ((u64)page << 32) ^ (word * 0x9e3779b97f4a7c15ULL);
}

static void xut_fill(void *p, unsigned int run, unsigned int page, bool flip)
{
	u64 *w = p;
	unsigned int i;

	for (i = 0; i < XEN_PAGE_SIZE / sizeof(*w); i++)
		w[i] = flip ? ~xut_pattern(run, page, i) : xut_pattern(run, page, i);
}

static bool xut_same(const void *p, unsigned int run, unsigned int page, bool flip)
{
	const u64 *w = p;
	unsigned int i;

	for (i = 0; i < XEN_PAGE_SIZE / sizeof(*w); i++)
		if (w[i] != (flip ? ~xut_pattern(run, page, i) : xut_pattern(run, page, i)))
			return false;
	return true;
}

/* Takes run @r and checks its shape; the case's exit frees it. */
static void xut_alloc(struct kunit *test, struct xut_run *r)
{
	unsigned long pfn, gfn, align = 1UL << order_base_2(r->nr);
	unsigned int i;

	KUNIT_ASSERT_EQ_MSG(test, xen_alloc_unpopulated_contiguous_pages(r->nr, r->pages),
			    0, "%u-page run", r->nr);
	r->held = true;

	pfn = page_to_pfn(r->pages[0]);
	gfn = xen_page_to_gfn(r->pages[0]);
	KUNIT_EXPECT_EQ_MSG(test, pfn & (align - 1), 0,
			    "%u-page run at pfn %#lx", r->nr, pfn);
	for (i = 0; i < r->nr; i++) {
		struct page *page = r->pages[i];

		KUNIT_ASSERT_TRUE_MSG(test, is_zone_device_page(page),
				      "%u-page run: page %u is not a scratch page",
				      r->nr, i);
		KUNIT_ASSERT_EQ_MSG(test, page_to_pfn(page), pfn + i,
				    "%u-page run: page %u", r->nr, i);
		KUNIT_ASSERT_EQ_MSG(test, xen_page_to_gfn(page),
				    gfn + i * XEN_PFN_PER_PAGE,
				    "%u-page run: frame of page %u", r->nr, i);
	}
}

/* Every run of @runs, held at once, apart from each other. */
static void xut_alloc_all(struct kunit *test, struct xut_run *runs)
{
	unsigned long before = xut_handed_out(), total = 0;
	unsigned long a0, b0;
	unsigned int i, j;

	for (i = 0; i < XUT_RUNS; i++) {
		xut_alloc(test, &runs[i]);
		total += runs[i].nr;
		a0 = page_to_pfn(runs[i].pages[0]);
		for (j = 0; j < i; j++) {
			b0 = page_to_pfn(runs[j].pages[0]);
			KUNIT_EXPECT_TRUE_MSG(test, a0 + runs[i].nr <= b0 ||
					      b0 + runs[j].nr <= a0,
					      "%u-page run at pfn %#lx overlaps the %u-page run at %#lx",
					      runs[i].nr, a0, runs[j].nr, b0);
		}
	}
	KUNIT_EXPECT_EQ(test, xut_handed_out(), before + total);
}

/* Grants pages of the domain's own to itself, maps them into run @r. */
static void xut_map(struct kunit *test, struct xut_run *r, unsigned int idx)
{
	unsigned int i;
	int ret;

	KUNIT_ASSERT_EQ(test, gnttab_pages_set_private(r->nr, r->pages), 0);
	for (i = 0; i < r->nr; i++) {
		r->ram[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r->ram[i]);
		xut_fill(page_address(r->ram[i]), idx, i, false);
	}
	for (i = 0; i < r->nr; i++) {
		ret = gnttab_grant_foreign_access(0, xen_page_to_gfn(r->ram[i]), 0);
		KUNIT_ASSERT_GE_MSG(test, ret, 0, "grant of page %u", i);
		r->refs[i] = ret;
		r->nr_refs++;
	}

	for (i = 0; i < r->nr; i++)
		gnttab_set_map_op(&r->map[i], (unsigned long)page_address(r->pages[i]),
				  GNTMAP_host_map, r->refs[i], 0);
	ret = gnttab_map_refs(r->map, NULL, r->pages, r->nr);
	for (i = 0; i < r->nr; i++)
		if (r->map[i].status == GNTST_okay)
			r->mapped[r->nr_mapped++] = i;
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%u-page run: gnttab_map_refs", r->nr);
	KUNIT_ASSERT_EQ_MSG(test, r->nr_mapped, r->nr, "%u-page run: maps that worked",
			    r->nr);
}

/* The granted data through run @r, both ways. */
static void xut_check_data(struct kunit *test, struct xut_run *r, unsigned int idx)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		KUNIT_ASSERT_TRUE_MSG(test, xut_same(page_address(r->pages[i]), idx, i, false),
				      "%u-page run: page %u does not read what was granted",
				      r->nr, i);
		xut_fill(page_address(r->pages[i]), idx, i, true);
		KUNIT_ASSERT_TRUE_MSG(test, xut_same(page_address(r->ram[i]), idx, i, true),
				      "%u-page run: a write to page %u did not reach the granted page",
				      r->nr, i);
	}
}

/*
 * Undoes whatever xut_alloc() and xut_map() did to run @r.  Returns
 * -EIO if an unmap failed: the run is then kept, its pages may still
 * hold foreign frames.
 */
static int xut_release(struct xut_run *r)
{
	struct gnttab_unmap_grant_ref *unmap = NULL;
	struct page **pages = NULL;
	unsigned int i;
	int ret = 0;

	if (r->nr_mapped) {
		unmap = kcalloc(r->nr_mapped, sizeof(*unmap), GFP_KERNEL);
		pages = kcalloc(r->nr_mapped, sizeof(*pages), GFP_KERNEL);
		if (!unmap || !pages) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < r->nr_mapped; i++) {
			unsigned int k = r->mapped[i];

			gnttab_set_unmap_op(&unmap[i], (unsigned long)page_address(r->pages[k]),
					    GNTMAP_host_map, r->map[k].handle);
			pages[i] = r->pages[k];
		}
		ret = gnttab_unmap_refs(unmap, NULL, pages, r->nr_mapped);
		for (i = 0; i < r->nr_mapped; i++)
			if (unmap[i].status != GNTST_okay)
				ret = ret ?: -EIO;
		if (ret)
			goto out;
		r->nr_mapped = 0;
	}

	/* frees each RAM page once its grant is no longer in use */
	for (i = 0; i < r->nr_refs; i++) {
		gnttab_end_foreign_access(r->refs[i], r->ram[i]);
		r->ram[i] = NULL;
	}
	r->nr_refs = 0;
	for (i = 0; i < r->nr; i++) {
		if (r->ram[i])
			__free_page(r->ram[i]);
		r->ram[i] = NULL;
	}

	if (r->held) {
		gnttab_pages_clear_private(r->nr, r->pages);
		xen_free_unpopulated_pages(r->nr, r->pages);
		r->held = false;
	}
out:
	kfree(unmap);
	kfree(pages);
	return ret;
}

static int xut_init(struct kunit *test)
{
	struct xut_run *runs;
	unsigned int i, nr;

	if (!xen_domain())
		kunit_skip(test, "not running on Xen");
	/* grants to itself need the domain's id: 0 is the only one known */
	if (!xen_initial_domain())
		kunit_skip(test, "not the initial domain");
	/* the maps go to guest-physical addresses, not to page tables */
	if (!xen_feature(XENFEAT_auto_translated_physmap))
		kunit_skip(test, "not an auto-translated domain");

	runs = kunit_kcalloc(test, XUT_RUNS, sizeof(*runs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, runs);
	for (i = 0; i < XUT_RUNS; i++) {
		nr = xut_sizes[i];
		runs[i].pages = kunit_kcalloc(test, nr, sizeof(*runs[i].pages), GFP_KERNEL);
		runs[i].ram = kunit_kcalloc(test, nr, sizeof(*runs[i].ram), GFP_KERNEL);
		runs[i].refs = kunit_kcalloc(test, nr, sizeof(*runs[i].refs), GFP_KERNEL);
		runs[i].map = kunit_kcalloc(test, nr, sizeof(*runs[i].map), GFP_KERNEL);
		runs[i].mapped = kunit_kcalloc(test, nr, sizeof(*runs[i].mapped), GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, runs[i].pages && runs[i].ram && runs[i].refs &&
				  runs[i].map && runs[i].mapped);
		runs[i].nr = nr;
	}
	test->priv = runs;
	return 0;
}

static void xut_exit(struct kunit *test)
{
	struct xut_run *runs = test->priv;
	unsigned int i;

	for (i = 0; runs && i < XUT_RUNS; i++)
		KUNIT_EXPECT_EQ_MSG(test, xut_release(&runs[i]), 0,
				    "%u-page run: unmap failed, its pages are kept",
				    runs[i].nr);
}

static void xut_need_scratch(struct kunit *test)
{
	if (!xut_scratch())
		kunit_skip(test, "no scratch space (no usable extended regions)");
}

static void xut_runs(struct kunit *test)
{
	xut_need_scratch(test);
	xut_alloc_all(test, test->priv);
}

static void xut_grant_maps(struct kunit *test)
{
	struct xut_run *runs = test->priv;
	unsigned int i;

	xut_need_scratch(test);
	xut_alloc_all(test, runs);
	for (i = 0; i < XUT_RUNS; i++) {
		xut_map(test, &runs[i], i);
		xut_check_data(test, &runs[i], i);
	}
}

static void xut_merged_after_free(struct kunit *test)
{
	struct xut_run *runs = test->priv, *largest = &runs[XUT_RUNS - 1];
	unsigned long before, first;
	unsigned int i;

	xut_need_scratch(test);
	before = xut_handed_out();
	xut_alloc(test, largest);
	first = page_to_pfn(largest->pages[0]);
	KUNIT_ASSERT_EQ(test, xut_release(largest), 0);
	KUNIT_ASSERT_EQ(test, xut_handed_out(), before);

	xut_alloc_all(test, runs);
	for (i = 0; i < XUT_RUNS; i++)
		KUNIT_ASSERT_EQ(test, xut_release(&runs[i]), 0);
	KUNIT_EXPECT_EQ(test, xut_handed_out(), before);

	xut_alloc(test, largest);
	KUNIT_EXPECT_EQ_MSG(test, page_to_pfn(largest->pages[0]), first,
			    "%u-page run after the frees", largest->nr);
}

static void xut_refused_without_scratch(struct kunit *test)
{
	struct xen_unpopulated_stats st;
	struct xut_run *r = test->priv;
	unsigned long out;

	if (xut_scratch())
		kunit_skip(test, "the allocator has scratch space");
	xen_unpopulated_get_stats(&st);
	out = st.balloon_out;
	KUNIT_EXPECT_NE(test, xen_alloc_unpopulated_contiguous_pages(1, r->pages), 0);
	/* handed out after all: the case's exit frees it */
	r->held = !!r->pages[0];
	xen_unpopulated_get_stats(&st);
	KUNIT_EXPECT_EQ(test, st.balloon_out, out);
}

static struct kunit_case xen_unpopulated_cases[] = {
	KUNIT_CASE(xut_runs),
	KUNIT_CASE(xut_grant_maps),
	KUNIT_CASE(xut_merged_after_free),
	KUNIT_CASE(xut_refused_without_scratch),
	{}
};

static struct kunit_suite xen_unpopulated_suite = {
	.name = "xen_unpopulated_alloc",
	.init = xut_init,
	.exit = xut_exit,
	.test_cases = xen_unpopulated_cases,
};

kunit_test_suite(xen_unpopulated_suite);

MODULE_DESCRIPTION("KUnit tests of Xen contiguous unpopulated allocations");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time self-test of contiguous unpopulated allocations.
 *
 * Off unless the kernel command line says xen_unpopulated.selftest=1.  In
 * the initial domain, at late_initcall, it takes contiguous runs of
 * several sizes from the unpopulated-memory allocator, all held at once,
 * and checks that each is made of the allocator's scratch pages with
 * consecutive frames, aligned to its order and apart from the others.
 * It then grants ordinary pages of the domain's own, filled with a
 * pattern, to the domain itself, maps every grant into one page of a run
 * and checks the data through the run's kernel mapping, both ways.  After
 * everything is unmapped and freed, the allocator must hand out exactly as
 * many pages as before and give the largest run the very frames it gave at
 * the start: freed blocks were merged again.
 *
 * Without scratch space (no extended regions) the allocator must refuse a
 * contiguous run instead of handing out ballooned pages.
 *
 * One line sums the result up: "xen-unpopulated-selftest: PASS ..." or
 * "xen-unpopulated-selftest: FAIL ...".  The code and its data are freed
 * with the rest of the init sections.
 */

#define pr_fmt(fmt) "xen-unpopulated-selftest: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "xen_unpopulated."

static bool selftest;
module_param(selftest, bool, 0);
MODULE_PARM_DESC(selftest, "Test contiguous unpopulated allocations at boot");

/* Sizes in pages, held together; the last one is the largest. */
static const unsigned int selftest_sizes[] __initconst = {
	1, 3, 16, 64, 512, 1024
};

#define SELFTEST_RUNS ARRAY_SIZE(selftest_sizes)

/**
 * struct selftest_run - one contiguous run and what was done with it
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
struct selftest_run {
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

static unsigned long __init handed_out(void)
{
	struct xen_unpopulated_stats st;

	xen_unpopulated_get_stats(&st);
	return st.pages - st.free;
}

static u64 __init pattern(unsigned int run, unsigned int page, unsigned int word)
{
	return ((u64)run << 56) ^ ((u64)page << 32) ^ (word * 0x9e3779b97f4a7c15ULL);
}

static void __init fill(void *p, unsigned int run, unsigned int page, bool flip)
{
	u64 *w = p;
	unsigned int i;

	for (i = 0; i < XEN_PAGE_SIZE / sizeof(*w); i++)
		w[i] = flip ? ~pattern(run, page, i) : pattern(run, page, i);
}

static bool __init same(const void *p, unsigned int run, unsigned int page, bool flip)
{
	const u64 *w = p;
	unsigned int i;

	for (i = 0; i < XEN_PAGE_SIZE / sizeof(*w); i++)
		if (w[i] != (flip ? ~pattern(run, page, i) : pattern(run, page, i)))
			return false;
	return true;
}

/**
 * run_alloc() - take a contiguous run and check its shape
 * @r:	the run, with @r->nr and @r->pages set
 * @err: where to describe a failure
 * @len: size of @err
 *
 * Return: 0, or -errno with @err filled in.
 */
static int __init run_alloc(struct selftest_run *r, char *err, size_t len)
{
	unsigned long pfn, align = 1UL << order_base_2(r->nr);
	unsigned long gfn;
	unsigned int i;
	int ret;

	ret = xen_alloc_unpopulated_contiguous_pages(r->nr, r->pages);
	if (ret) {
		snprintf(err, len, "%u-page run: allocation failed (%d)", r->nr, ret);
		return ret;
	}
	r->held = true;

	pfn = page_to_pfn(r->pages[0]);
	gfn = xen_page_to_gfn(r->pages[0]);
	if (pfn & (align - 1)) {
		snprintf(err, len, "%u-page run at pfn %#lx: not aligned to %lu pages",
			 r->nr, pfn, align);
		return -EINVAL;
	}
	for (i = 0; i < r->nr; i++) {
		struct page *page = r->pages[i];

		if (!is_zone_device_page(page)) {
			snprintf(err, len, "%u-page run: page %u (pfn %#lx) is not a scratch page",
				 r->nr, i, page_to_pfn(page));
			return -EINVAL;
		}
		if (page_to_pfn(page) != pfn + i) {
			snprintf(err, len, "%u-page run: page %u has pfn %#lx, not %#lx",
				 r->nr, i, page_to_pfn(page), pfn + i);
			return -EINVAL;
		}
		if (xen_page_to_gfn(page) != gfn + i * XEN_PFN_PER_PAGE) {
			snprintf(err, len, "%u-page run: page %u has frame %#lx, not %#lx",
				 r->nr, i, xen_page_to_gfn(page),
				 gfn + i * XEN_PFN_PER_PAGE);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * run_map() - grant own pages to ourselves and map them into the run
 * @r:	an allocated run
 * @idx: the run's number, for the pattern
 * @err: where to describe a failure
 * @len: size of @err
 *
 * Whatever was set up stays recorded in @r for run_release().
 *
 * Return: 0, or -errno with @err filled in.
 */
static int __init run_map(struct selftest_run *r, unsigned int idx, char *err, size_t len)
{
	unsigned int i;
	int ret;

	ret = gnttab_pages_set_private(r->nr, r->pages);
	if (ret) {
		snprintf(err, len, "%u-page run: gnttab_pages_set_private: %d", r->nr, ret);
		return ret;
	}

	for (i = 0; i < r->nr; i++) {
		r->ram[i] = alloc_page(GFP_KERNEL);
		if (!r->ram[i]) {
			snprintf(err, len, "%u-page run: out of memory for its RAM pages", r->nr);
			return -ENOMEM;
		}
		fill(page_address(r->ram[i]), idx, i, false);
	}

	for (i = 0; i < r->nr; i++) {
		ret = gnttab_grant_foreign_access(0, xen_page_to_gfn(r->ram[i]), 0);
		if (ret < 0) {
			snprintf(err, len, "%u-page run: grant of page %u: %d", r->nr, i, ret);
			return ret;
		}
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
	if (ret) {
		snprintf(err, len, "%u-page run: gnttab_map_refs: %d", r->nr, ret);
		return ret;
	}
	if (r->nr_mapped != r->nr) {
		for (i = 0; i < r->nr && r->map[i].status == GNTST_okay; i++)
			;
		snprintf(err, len, "%u-page run: map of page %u: status %d (%u of %u mapped)",
			 r->nr, i, r->map[i].status, r->nr_mapped, r->nr);
		return -EIO;
	}
	return 0;
}

/**
 * run_check() - the data through the run, both ways
 * @r:	a mapped run
 * @idx: the run's number, for the pattern
 * @err: where to describe a failure
 * @len: size of @err
 *
 * Return: 0, or -EIO with @err filled in.
 */
static int __init run_check(struct selftest_run *r, unsigned int idx, char *err, size_t len)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		if (!same(page_address(r->pages[i]), idx, i, false)) {
			snprintf(err, len,
				 "%u-page run: page %u (pfn %#lx) does not read what was granted",
				 r->nr, i, page_to_pfn(r->pages[i]));
			return -EIO;
		}
		fill(page_address(r->pages[i]), idx, i, true);
		if (!same(page_address(r->ram[i]), idx, i, true)) {
			snprintf(err, len,
				 "%u-page run: a write to page %u did not reach the granted page",
				 r->nr, i);
			return -EIO;
		}
	}
	return 0;
}

/**
 * run_release() - undo whatever run_alloc() and run_map() did
 * @r:	the run
 *
 * Return: 0, or -EIO if an unmap failed (the run is then kept: its pages
 * may still hold foreign frames).
 */
static int __init run_release(struct selftest_run *r)
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

static int __init run_arrays(struct selftest_run *r, unsigned int nr)
{
	r->pages = kcalloc(nr, sizeof(*r->pages), GFP_KERNEL);
	r->ram = kcalloc(nr, sizeof(*r->ram), GFP_KERNEL);
	r->refs = kcalloc(nr, sizeof(*r->refs), GFP_KERNEL);
	r->map = kcalloc(nr, sizeof(*r->map), GFP_KERNEL);
	r->mapped = kcalloc(nr, sizeof(*r->mapped), GFP_KERNEL);
	if (!r->pages || !r->ram || !r->refs || !r->map || !r->mapped)
		return -ENOMEM;
	r->nr = nr;
	return 0;
}

static void __init run_free_arrays(struct selftest_run *r)
{
	kfree(r->pages);
	kfree(r->ram);
	kfree(r->refs);
	kfree(r->map);
	kfree(r->mapped);
}

/* Two held runs must not share a page. */
static bool __init runs_apart(const struct selftest_run *a, const struct selftest_run *b)
{
	unsigned long a0 = page_to_pfn(a->pages[0]), b0 = page_to_pfn(b->pages[0]);

	return a0 + a->nr <= b0 || b0 + b->nr <= a0;
}

/*
 * Without scratch space a contiguous run must be refused, not made of
 * ballooned pages.
 */
static int __init selftest_no_scratch(void)
{
	struct xen_unpopulated_stats st;
	struct page *page = NULL;
	int ret;

	ret = xen_alloc_unpopulated_contiguous_pages(1, &page);
	if (!ret) {
		xen_free_unpopulated_pages(1, &page);
		pr_err("FAIL: no scratch space, yet a contiguous page was handed out (pfn %#lx)\n",
		       page_to_pfn(page));
		return 0;
	}
	xen_unpopulated_get_stats(&st);
	if (st.balloon_out) {
		pr_err("FAIL: no scratch space; the refused run left %lu ballooned page(s) out\n",
		       st.balloon_out);
		return 0;
	}
	pr_info("PASS: no scratch space: a contiguous run is refused (%d), nothing ballooned\n",
		ret);
	return 0;
}

static int __init selftest_run_all(struct selftest_run *runs, char *err, size_t len)
{
	struct page **probe;
	unsigned long first_pfn, before, during, total = 0;
	unsigned int i, j, largest = selftest_sizes[SELFTEST_RUNS - 1];
	bool again;
	int ret;

	probe = kcalloc(largest, sizeof(*probe), GFP_KERNEL);
	if (!probe) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}

	/* where the largest run goes while nothing of ours is held */
	before = handed_out();
	ret = xen_alloc_unpopulated_contiguous_pages(largest, probe);
	if (ret) {
		snprintf(err, len, "%u-page probe run: allocation failed (%d)", largest, ret);
		goto out;
	}
	first_pfn = page_to_pfn(probe[0]);
	xen_free_unpopulated_pages(largest, probe);
	if (handed_out() != before) {
		snprintf(err, len,
			 "%u-page probe run: %lu pages handed out after its free, %lu before",
			 largest, handed_out(), before);
		ret = -EINVAL;
		goto out;
	}

	for (i = 0; i < SELFTEST_RUNS; i++) {
		ret = run_arrays(&runs[i], selftest_sizes[i]);
		if (ret) {
			snprintf(err, len, "out of memory");
			goto out;
		}
		ret = run_alloc(&runs[i], err, len);
		if (ret)
			goto out;
		total += runs[i].nr;
		for (j = 0; j < i; j++) {
			if (!runs_apart(&runs[i], &runs[j])) {
				snprintf(err, len,
					 "%u-page run at pfn %#lx overlaps the %u-page run at %#lx",
					 runs[i].nr, page_to_pfn(runs[i].pages[0]),
					 runs[j].nr, page_to_pfn(runs[j].pages[0]));
				ret = -EINVAL;
				goto out;
			}
		}
		pr_info("%u-page run: pfn %#lx-%#lx, frame %#lx, aligned to %lu pages\n",
			runs[i].nr, page_to_pfn(runs[i].pages[0]),
			page_to_pfn(runs[i].pages[0]) + runs[i].nr - 1,
			xen_page_to_gfn(runs[i].pages[0]), 1UL << order_base_2(runs[i].nr));
	}
	during = handed_out();
	if (during != before + total) {
		snprintf(err, len, "%lu pages handed out with all runs held, expected %lu + %lu",
			 during, before, total);
		ret = -EINVAL;
		goto out;
	}

	for (i = 0; i < SELFTEST_RUNS; i++) {
		ret = run_map(&runs[i], i, err, len);
		if (ret)
			goto out;
		ret = run_check(&runs[i], i, err, len);
		if (ret)
			goto out;
	}

	/* unmap and free every run, then look at what the allocator kept */
	for (i = 0; i < SELFTEST_RUNS; i++) {
		ret = run_release(&runs[i]);
		if (ret) {
			snprintf(err, len, "%u-page run: unmap failed (%d)", runs[i].nr, ret);
			goto out;
		}
	}
	if (handed_out() != before) {
		snprintf(err, len, "%lu pages handed out after the frees, %lu before",
			 handed_out(), before);
		ret = -EINVAL;
		goto out;
	}
	ret = xen_alloc_unpopulated_contiguous_pages(largest, probe);
	if (ret) {
		snprintf(err, len, "%u-page run after the frees: allocation failed (%d)",
			 largest, ret);
		goto out;
	}
	again = page_to_pfn(probe[0]) == first_pfn;
	snprintf(err, len, "%u-page run after the frees at pfn %#lx, first at %#lx",
		 largest, page_to_pfn(probe[0]), first_pfn);
	xen_free_unpopulated_pages(largest, probe);
	if (!again) {
		ret = -EINVAL;
		goto out;
	}

	pr_info("PASS: %zu contiguous runs (1 to %u pages, %lu in all) aligned and apart, %lu grant maps read back both ways, blocks merged again (%u pages at pfn %#lx again, %lu handed out as before)\n",
		SELFTEST_RUNS, largest, total, total, largest, first_pfn, before);
out:
	kfree(probe);
	return ret;
}

static int __init xen_unpopulated_selftest(void)
{
	struct xen_unpopulated_stats st;
	struct selftest_run *runs;
	char *err;
	unsigned int i;
	int ret;

	if (!selftest)
		return 0;
	if (!xen_domain()) {
		pr_err("FAIL: not running on Xen\n");
		return 0;
	}
	/* grants to ourselves need our domain id: 0 is the only one known */
	if (!xen_initial_domain()) {
		pr_err("FAIL: runs in the initial domain only\n");
		return 0;
	}
	/* the maps go to guest-physical addresses, not to page tables */
	if (!xen_feature(XENFEAT_auto_translated_physmap)) {
		pr_err("FAIL: needs an auto-translated domain (not x86 PV)\n");
		return 0;
	}
	xen_unpopulated_get_stats(&st);
	if (!st.scratch)
		return selftest_no_scratch();

	runs = kcalloc(SELFTEST_RUNS, sizeof(*runs), GFP_KERNEL);
	err = kzalloc(256, GFP_KERNEL);
	if (!runs || !err) {
		pr_err("FAIL: out of memory\n");
		goto out;
	}

	ret = selftest_run_all(runs, err, 256);
	if (ret)
		pr_err("FAIL: %s\n", err);

	/* on a failure, whatever is still set up */
	for (i = 0; i < SELFTEST_RUNS; i++) {
		if (run_release(&runs[i]))
			pr_err("%u-page run: unmap failed, its pages are kept\n", runs[i].nr);
		run_free_arrays(&runs[i]);
	}
out:
	kfree(err);
	kfree(runs);
	return 0;
}
late_initcall(xen_unpopulated_selftest);

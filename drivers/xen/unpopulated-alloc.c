// SPDX-License-Identifier: GPL-2.0
/*
 * Unpopulated pages for Xen grant and foreign mappings, from:
 * - scratch ranges: unused address space carved from the target resource
 *   (Arm: Xen's extended regions; else iomem_resource) in granules of a
 *   section or 2 MiB sub-section, backed by memremap_pages();
 * - seeded runs: RAM pages the arch hook hands in at init (x86: extra
 *   memory), which go out first;
 * - the balloon, for whatever the others cannot meet.
 *
 * Ranges and runs have a bitmap with a bit set per page handed out, and
 * pages are looked up by pfn, never through their struct page: one that
 * is not ours, free already or whose range is gone is refused.  Idle
 * ranges are given back after a delay, but for a spare of free pages.
 */

#define pr_fmt(fmt) "xen-unpopulated: " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <xen/balloon.h>
#include <xen/features.h>
#include <xen/page.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "xen_unpopulated."

/* The largest range and contiguous request, in sections. */
#define XEN_SCRATCH_MAX_SECTIONS	16UL

/**
 * struct xen_run - a run of page frames, handed out page by page
 * @list:	in xen_runs: seeded runs, then scratch ranges, by pfn
 * @pfn:	the first page frame
 * @nr_pages:	pages in the run
 * @nr_free:	of those, pages not handed out
 * @hint:	the bitmap word the next search for a free page starts at
 * @scratch:	the run is a scratch range (else seeded pages)
 * @in_use:	a bit per page, set while it is handed out (and past the end)
 */
struct xen_run {
	struct list_head list;
	unsigned long pfn;
	unsigned long nr_pages;
	unsigned long nr_free;
	unsigned long hint;
	bool scratch;
	unsigned long *in_use;
};

/**
 * struct xen_scratch - one carved range of unused address space
 * @run:	its pages
 * @res:	the range, a busy child of the target resource
 * @iomem:	the same range, reserved in iomem_resource
 * @p2m_identity: x86 PV: which p2m entries were identity before the carve
 * @idle_since:	jiffies when its last page was taken back
 * @pgmap:	the ZONE_DEVICE mapping; last, as it ends in a flexible array
 */
struct xen_scratch {
	struct xen_run run;
	struct resource res;
	struct resource iomem;
	unsigned long *p2m_identity;
	unsigned long idle_since;
	struct dev_pagemap pgmap;
};

/* Pages an arch hook set aside (x86: extra memory), for the balloon. */
unsigned long xen_unpopulated_pages __initdata;

static DEFINE_MUTEX(xen_unpopulated_lock);
static LIST_HEAD(xen_runs);
/* Pages of the runs that are not handed out. */
static unsigned long xen_free_pages;
/* The counters of xen_unpopulated_get_stats(). */
static struct xen_unpopulated_stats xen_counts;
static bool xen_seeding;
static struct resource *target_resource;
/* Granule number -> the scratch range that holds it. */
static DEFINE_XARRAY(xen_scratch_granules);
/* Pfn -> ballooned page handed out. */
static DEFINE_XARRAY(xen_ballooned);
/* The run a page was last looked up in: batches stay in one run. */
static struct xen_run *xen_run_last;

static bool xen_subsection = IS_ENABLED(CONFIG_XEN_UNPOPULATED_SUBSECTION);

static int xen_granularity_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "section"))
		xen_subsection = false;
	else if (sysfs_streq(val, "subsection"))
		xen_subsection = true;
	else
		return -EINVAL;
	return 0;
}

static int xen_granularity_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", xen_subsection ? "subsection" : "section");
}

static const struct kernel_param_ops xen_granularity_ops = {
	.set = xen_granularity_set,
	.get = xen_granularity_get,
};
module_param_cb(granularity, &xen_granularity_ops, NULL, 0444);
MODULE_PARM_DESC(granularity,
		 "Carve scratch space in whole sections or 2 MiB sub-sections (section|subsection)");

static int xen_reclaim_delay = 300;
module_param_named(reclaim_delay, xen_reclaim_delay, int, 0644);
MODULE_PARM_DESC(reclaim_delay,
		 "Seconds a scratch range stays idle before it is given back (negative: never)");

static unsigned long xen_spare_pages = 512;
module_param_named(spare_pages, xen_spare_pages, ulong, 0644);
MODULE_PARM_DESC(spare_pages, "Free scratch pages that reclaim keeps backed");

static void xen_reclaim_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(xen_reclaim_work, xen_reclaim_fn);

/* log2 of the pages in a granule: what ranges are carved and indexed in. */
static unsigned int xen_granule_order(void)
{
	return xen_subsection ? PFN_SUBSECTION_SHIFT : PFN_SECTION_SHIFT;
}

/* Adds @r to xen_runs: seeded runs first, each kind in pfn order. */
static void xen_run_insert(struct xen_run *r)
{
	struct xen_run *pos;

	list_for_each_entry(pos, &xen_runs, list)
		if (pos->scratch > r->scratch ||
		    (pos->scratch == r->scratch && pos->pfn > r->pfn))
			break;
	list_add_tail(&r->list, &pos->list);
}

/* Gives @r its bitmap, every page free; the bits past its end are set. */
static int xen_run_init_bitmap(struct xen_run *r)
{
	r->in_use = kvcalloc(BITS_TO_LONGS(r->nr_pages), sizeof(long),
			     GFP_KERNEL);
	if (!r->in_use)
		return -ENOMEM;
	bitmap_set(r->in_use, r->nr_pages,
		   round_up(r->nr_pages, BITS_PER_LONG) - r->nr_pages);
	r->nr_free = r->nr_pages;
	return 0;
}

/*
 * Hands out up to @nr free pages of @r, a stretch of free bits of a word
 * at a time from where the last search stopped; returns how many.  With
 * SPARSEMEM_VMEMMAP, consecutive pfns have consecutive struct pages.
 */
static unsigned int xen_run_take(struct xen_run *r, unsigned int nr,
				 struct page **pages)
{
	unsigned long w = r->hint, free, lo, len;
	unsigned int n = 0;
	struct page *page;

	nr = min_t(unsigned long, nr, r->nr_free);
	while (n < nr) {
		free = ~r->in_use[w];
		if (!free) {
			w = w + 1 < BITS_TO_LONGS(r->nr_pages) ? w + 1 : 0;
			continue;
		}
		lo = __ffs(free);
		len = ~(free >> lo) ? __ffs(~(free >> lo)) : BITS_PER_LONG;
		len = min_t(unsigned long, len, nr - n);
		r->in_use[w] |= GENMASK(lo + len - 1, lo);
		page = pfn_to_page(r->pfn + w * BITS_PER_LONG + lo);
		while (len--)
			pages[n++] = page++;
	}
	r->hint = w;
	r->nr_free -= n;
	xen_free_pages -= n;
	return n;
}

/*
 * Takes back the @nr pages of @r from index @idx, a bitmap word at a
 * time; a page that is free already is refused with a warning.
 */
static void xen_run_put(struct xen_run *r, unsigned long idx,
			unsigned long nr)
{
	unsigned long w, lo, len, bits, twice, n = nr;

	for (; nr; idx += len, nr -= len) {
		w = idx / BITS_PER_LONG;
		lo = idx % BITS_PER_LONG;
		len = min(nr, BITS_PER_LONG - lo);
		bits = GENMASK(lo + len - 1, lo);
		twice = bits & ~r->in_use[w];
		if (WARN_ONCE(twice, "Xen unpopulated page %#lx freed twice\n",
			      r->pfn + w * BITS_PER_LONG + __ffs(twice)))
			n -= hweight_long(twice);
		r->in_use[w] &= ~bits;
	}
	r->nr_free += n;
	xen_free_pages += n;
}

/* The run that holds @pfn, or NULL: the index, then the seeded runs. */
static struct xen_run *xen_run_of(unsigned long pfn)
{
	struct xen_run *r = xen_run_last;
	struct xen_scratch *s;

	if (r && pfn - r->pfn < r->nr_pages)
		return r;
	s = xa_load(&xen_scratch_granules, pfn >> xen_granule_order());
	if (s)
		return xen_run_last = &s->run;
	list_for_each_entry(r, &xen_runs, list)
		if (r->scratch || pfn - r->pfn < r->nr_pages)
			break;
	if (list_entry_is_head(r, &xen_runs, list) || r->scratch)
		return NULL;
	return xen_run_last = r;
}

/*
 * Records @page, handed in by the arch hook, at the end of the last seeded
 * run if it follows it, else in a new run: hooks hand pages in ascending
 * order.  The runs get their bitmaps once the hook is done.
 */
static int xen_seed_add(struct page *page)
{
	unsigned long pfn;
	struct xen_run *r;

	if (!page || is_zone_device_page(page))
		return -EINVAL;
	pfn = page_to_pfn(page);
	r = list_empty(&xen_runs) ? NULL :
		list_last_entry(&xen_runs, struct xen_run, list);
	if (r && !r->scratch && pfn == r->pfn + r->nr_pages) {
		r->nr_pages++;
		return 0;
	}
	if (xen_run_of(pfn))
		return -EEXIST;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->pfn = pfn;
	r->nr_pages = 1;
	xen_run_insert(r);
	return 0;
}

#ifdef CONFIG_XEN_HAVE_PVMMU
/* Puts back the first @nr p2m entries of @s as they were before the carve. */
static void xen_scratch_p2m_restore(struct xen_scratch *s, unsigned long nr)
{
	unsigned long i, pfn, mfn;

	for (i = 0; s->p2m_identity && i < nr; i++) {
		pfn = s->run.pfn + i;
		mfn = test_bit(i, s->p2m_identity) ? IDENTITY_FRAME(pfn) :
						     INVALID_P2M_ENTRY;
		if (__pfn_to_mfn(pfn) != mfn && !set_phys_to_machine(pfn, mfn))
			pr_warn_once("cannot restore the p2m entry of pfn %#lx\n",
				     pfn);
	}
	bitmap_free(s->p2m_identity);
	s->p2m_identity = NULL;
}

/*
 * memremap_pages() writes the range's page tables from the p2m, so its
 * entries must be invalid first.  Identity entries are put back when the
 * range goes; an entry with a frame behind it means the space is in use.
 */
static int xen_scratch_p2m_invalidate(struct xen_scratch *s)
{
	unsigned long i, pfn, mfn;
	int ret = 0;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return 0;
	s->p2m_identity = bitmap_zalloc(s->run.nr_pages, GFP_KERNEL);
	if (!s->p2m_identity)
		return -ENOMEM;
	for (i = 0; i < s->run.nr_pages; i++) {
		pfn = s->run.pfn + i;
		mfn = __pfn_to_mfn(pfn);
		if (mfn == IDENTITY_FRAME(pfn)) {
			__set_bit(i, s->p2m_identity);
		} else if (mfn != INVALID_P2M_ENTRY) {
			pr_err_ratelimited("pfn %#lx has frame %#lx in the p2m, not carved\n",
					   pfn, mfn);
			ret = -EEXIST;
			break;
		}
		if (!set_phys_to_machine(pfn, INVALID_P2M_ENTRY)) {
			pr_warn_ratelimited("cannot clear the p2m entry of pfn %#lx\n",
					    pfn);
			ret = -ENOMEM;
			break;
		}
	}
	if (ret)
		xen_scratch_p2m_restore(s, i);
	return ret;
}

/* Gives every page about to be handed out a p2m entry. */
static int xen_p2m_alloc_entries(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret = 0;

	if (xen_feature(XENFEAT_auto_translated_physmap))
		return 0;
	for (i = 0; i < nr_pages && !ret; i++)
		ret = xen_alloc_p2m_entry(page_to_pfn(pages[i]));
	return ret;
}
#else
static void xen_scratch_p2m_restore(struct xen_scratch *s, unsigned long nr)
{
}

static int xen_scratch_p2m_invalidate(struct xen_scratch *s)
{
	return 0;
}

static int xen_p2m_alloc_entries(unsigned int nr_pages, struct page **pages)
{
	return 0;
}
#endif

/* Marks @start..@end of the target busy for good, @why. */
static int xen_scratch_block(resource_size_t start, resource_size_t end,
			     const char *name, const char *why)
{
	struct resource *block;
	int ret;

	block = kzalloc(sizeof(*block), GFP_KERNEL);
	if (!block)
		return -ENOMEM;
	block->name = name;
	block->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	block->start = start;
	block->end = end;
	ret = request_resource(target_resource, block);
	if (ret) {
		kfree(block);
		return ret;
	}
	pr_warn_ratelimited("%#llx-%#llx %s, skipped\n", (u64)start, (u64)end,
			    why);
	xen_counts.blocked += resource_size(block);
	return 0;
}

/*
 * Takes @size bytes, @align aligned, from the target and reserves them in
 * iomem_resource; a candidate that something there uses already is
 * blocked, and the next one is tried.  -ENOSPC: no room.
 */
static int xen_scratch_reserve(struct xen_scratch *s, u64 size, u64 align)
{
	struct range mhp = mhp_get_pluggable_range(true);
	struct resource *busy;
	int ret;

	s->res.name = "Xen scratch";
	s->res.flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	for (;;) {
		if (allocate_resource(target_resource, &s->res, size,
				      mhp.start, mhp.end, align, NULL, NULL))
			return -ENOSPC;
		if (target_resource == &iomem_resource)
			return 0;
		s->iomem = s->res;
		busy = request_resource_conflict(&iomem_resource, &s->iomem);
		if (!busy)
			return 0;
		release_resource(&s->res);
		if (busy == &iomem_resource)
			return -EINVAL;
		ret = xen_scratch_block(max(s->res.start, busy->start),
					min(s->res.end, busy->end),
					"Xen scratch: in use elsewhere",
					busy->name ? busy->name : "is in use");
		if (ret)
			return ret;
	}
}

/* Indexes @nr granules from @first as those of @s; @s NULL: forgets them. */
static int xen_scratch_index(struct xen_scratch *s, unsigned long first,
			     unsigned long nr)
{
	unsigned long i;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = xa_err(xa_store(&xen_scratch_granules, first + i, s,
				      GFP_KERNEL));
		if (ret) {
			xen_scratch_index(NULL, first, i);
			return ret;
		}
	}
	return 0;
}

/*
 * Carves a range of @size bytes, @align aligned, and backs it, or unwinds.
 * A candidate that cannot be backed for a reason of its own is blocked for
 * good and the next one tried; -ENOSPC: no room.
 */
static struct xen_scratch *xen_scratch_carve(u64 size, u64 align)
{
	struct xen_scratch *s;
	int ret;

	lockdep_assert_held(&xen_unpopulated_lock);
again:
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	ret = xen_scratch_reserve(s, size, align);
	if (ret)
		goto free;
	s->run.pfn = PHYS_PFN(s->res.start);
	s->run.nr_pages = size >> PAGE_SHIFT;
	s->run.scratch = true;
	ret = xen_run_init_bitmap(&s->run);
	if (ret)
		goto unreserve;
	/* The p2m first, then the vmemmap: the one is written from the other. */
	ret = xen_scratch_p2m_invalidate(s);
	if (ret)
		goto free_bitmap;
	s->pgmap.type = MEMORY_DEVICE_GENERIC;
	s->pgmap.range.start = s->res.start;
	s->pgmap.range.end = s->res.end;
	s->pgmap.nr_range = 1;
	ret = PTR_ERR_OR_ZERO(memremap_pages(&s->pgmap, NUMA_NO_NODE));
	if (ret)
		goto restore;
	ret = xen_scratch_index(s, s->run.pfn >> xen_granule_order(),
				s->run.nr_pages >> xen_granule_order());
	if (ret)
		goto unmap;

	s->idle_since = jiffies;
	xen_run_insert(&s->run);
	xen_free_pages += s->run.nr_pages;
	xen_counts.carved++;
	pr_info("carved %#llx-%#llx\n", (u64)s->res.start, (u64)s->res.end);
	return s;

unmap:
	memunmap_pages(&s->pgmap);
restore:
	xen_scratch_p2m_restore(s, s->run.nr_pages);
free_bitmap:
	kvfree(s->run.in_use);
unreserve:
	if (target_resource != &iomem_resource)
		release_resource(&s->iomem);
	release_resource(&s->res);
	if (ret != -ENOMEM) {
		pr_err_ratelimited("cannot back %#llx-%#llx with pages: %d\n",
				   (u64)s->res.start, (u64)s->res.end, ret);
		if (!xen_scratch_block(s->res.start, s->res.end,
				       "Xen scratch: unusable", "cannot be backed")) {
			kfree(s);
			goto again;
		}
	}
free:
	kfree(s);
	return ERR_PTR(ret);
}

/*
 * Carves ranges until at least @nr_pages more pages are free, or no more
 * can be: each as large as still needed, up to XEN_SCRATCH_MAX_SECTIONS
 * sections, or half as large where the target has no room for that.
 */
static void xen_scratch_grow(unsigned long nr_pages)
{
	unsigned long granule = BIT(xen_granule_order());
	unsigned long need = DIV_ROUND_UP(nr_pages, granule);
	unsigned long n = min(need, XEN_SCRATCH_MAX_SECTIONS *
				    PAGES_PER_SECTION / granule);
	struct xen_scratch *s;

	while (need) {
		s = xen_scratch_carve((u64)n * granule << PAGE_SHIFT,
				      (u64)granule << PAGE_SHIFT);
		if (PTR_ERR(s) == -ENOSPC && n > 1) {
			n /= 2;
			continue;
		}
		if (IS_ERR(s)) {
			pr_warn_ratelimited("%s %lu more page(s): %ld\n",
					    PTR_ERR(s) == -ENOSPC ? "no room left to carve" :
					    "cannot carve", need * granule, PTR_ERR(s));
			return;
		}
		need -= n;
		n = min(n, need);
	}
}

/*
 * Takes back @nr_pages pages, consecutive pages of one run at a time.  A
 * range whose last page comes back starts the reclaim timer, but in an x86
 * PV domain, where memunmap_pages() would free vmemmap page tables that
 * Xen still has pinned.
 */
static void __xen_free_pages(unsigned int nr_pages, struct page **pages)
{
	struct page **p = pages, **end = pages + nr_pages, **run, **stop, *next;
	int delay = READ_ONCE(xen_reclaim_delay);
	unsigned long pfn;
	struct xen_run *r;

	lockdep_assert_held(&xen_unpopulated_lock);
	while (p < end) {
		run = p++;
		if (WARN_ON_ONCE(!*run))
			continue;
		pfn = page_to_pfn(*run);
		r = xen_run_of(pfn);
		if (!r) {
			/* Ballooned or not ours; by pfn, as its page may be gone. */
			if (!WARN_ONCE(!xa_erase(&xen_ballooned, pfn),
				       "freeing page %#lx that is not a Xen unpopulated page\n",
				       pfn)) {
				xen_counts.balloon_out--;
				xen_free_ballooned_pages(1, run);
			}
			continue;
		}
		/* Consecutive in the vmemmap, up to the run's end. */
		stop = run + min_t(unsigned long, end - run,
				   r->pfn + r->nr_pages - pfn);
		for (next = *run + 1; p < stop && *p == next; next++)
			p++;
		xen_run_put(r, pfn - r->pfn, p - run);
		if (!r->scratch || r->nr_free != r->nr_pages)
			continue;
		container_of(r, struct xen_scratch, run)->idle_since = jiffies;
		if (delay >= 0 && !xen_pv_domain())
			schedule_delayed_work(&xen_reclaim_work,
					      (unsigned long)delay * HZ);
	}
}

/*
 * Gets @nr_pages ballooned pages and records them by pfn, or gets none.
 * Called without the allocator's mutex: the balloon may take long.
 */
static int xen_balloon_alloc(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret;

	ret = xen_alloc_ballooned_pages(nr_pages, pages);
	if (ret)
		return ret;
	mutex_lock(&xen_unpopulated_lock);
	for (i = 0; i < nr_pages && !ret; i++)
		ret = xa_err(xa_store(&xen_ballooned, page_to_pfn(pages[i]),
				      pages[i], GFP_KERNEL));
	if (ret) {
		while (i--)
			xa_erase(&xen_ballooned, page_to_pfn(pages[i]));
	} else {
		xen_counts.balloon_out += nr_pages;
		xen_counts.balloon_served += nr_pages;
	}
	mutex_unlock(&xen_unpopulated_lock);
	if (ret)
		xen_free_ballooned_pages(nr_pages, pages);
	return ret;
}

/**
 * xen_alloc_unpopulated_pages - get pages to map foreign pages into
 * @nr_pages: how many
 * @pages: filled with the pages
 *
 * Seeded pages go first, then scratch pages, carving ranges as needed;
 * what those cannot meet (no target resource, the target used up, a range
 * that cannot be carved) comes from xen_alloc_ballooned_pages().
 *
 * Context: process context; takes the allocator's mutex and may carve.
 *
 * Return: 0, or -ENOMEM (or another negative errno) with nothing taken.
 */
int xen_alloc_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int n = 0;
	struct xen_run *r;
	int ret;

	might_sleep();
	if (WARN_ON(nr_pages && !pages))
		return -EINVAL;
	mutex_lock(&xen_unpopulated_lock);
	if (target_resource && xen_free_pages < nr_pages)
		xen_scratch_grow(nr_pages - xen_free_pages);
	list_for_each_entry(r, &xen_runs, list) {
		if (n == nr_pages)
			break;
		n += xen_run_take(r, nr_pages - n, pages + n);
	}
	ret = xen_p2m_alloc_entries(n, pages);
	if (ret)
		goto free;
	mutex_unlock(&xen_unpopulated_lock);
	if (n == nr_pages)
		return 0;

	if (target_resource)
		pr_info_ratelimited("%u of %u page(s) from the balloon: no scratch space for them\n",
				    nr_pages - n, nr_pages);
	ret = xen_balloon_alloc(nr_pages - n, pages + n);
	if (!ret)
		return 0;
	mutex_lock(&xen_unpopulated_lock);
free:
	__xen_free_pages(n, pages);
	mutex_unlock(&xen_unpopulated_lock);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_pages);

/**
 * xen_free_unpopulated_pages - return pages from xen_alloc_unpopulated_pages
 * @nr_pages: how many
 * @pages: the pages
 *
 * Each page goes back where it came from, in any mix and order: its
 * scratch range, its seeded run or the balloon.  While the arch hook runs
 * at init, the pages it hands in here are seeded.  A page that is none of
 * these, or is free already, is refused with a warning and left alone.
 *
 * Context: process context; takes the allocator's mutex.
 */
void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret;

	might_sleep();
	if (WARN_ON(nr_pages && !pages))
		return;
	mutex_lock(&xen_unpopulated_lock);
	for (i = 0; xen_seeding && i < nr_pages; i++) {
		ret = xen_seed_add(pages[i]);
		if (ret == -ENOMEM)
			xen_counts.seed_lost++;
		else
			WARN_ONCE(ret, "page %u of %u cannot be seeded: %d\n",
				  i, nr_pages, ret);
	}
	if (!xen_seeding)
		__xen_free_pages(nr_pages, pages);
	mutex_unlock(&xen_unpopulated_lock);
}
EXPORT_SYMBOL(xen_free_unpopulated_pages);

/**
 * xen_alloc_unpopulated_contiguous_pages - get physically contiguous pages
 * @nr_pages: how many
 * @pages: filled with the pages, in address order
 *
 * The pages are scratch pages, never seeded or ballooned ones, and start
 * at a multiple of the power of two not less than @nr_pages (at most 16
 * sections), carving a range for them if none has room.  No RAM is behind
 * them: a device cannot DMA to them unless foreign pages are mapped there.
 * Return them with xen_free_unpopulated_pages().
 *
 * Context: process context; takes the allocator's mutex and may carve.
 *
 * Return: 0; -EINVAL for a size of 0 or over 16 sections; -ENOMEM (or
 * another negative errno) with nothing taken when there is no scratch
 * space that large.
 */
int xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
					   struct page **pages)
{
	unsigned int order = order_base_2(nr_pages), i;
	unsigned long idx, mask = BIT(order) - 1;
	struct xen_scratch *s;
	struct xen_run *r;
	u64 size;
	int ret;

	might_sleep();
	if (!nr_pages || WARN_ON(!pages) ||
	    BIT_ULL(order) > XEN_SCRATCH_MAX_SECTIONS * PAGES_PER_SECTION)
		return -EINVAL;
	size = (u64)max(BIT(order), BIT(xen_granule_order())) << PAGE_SHIFT;

	mutex_lock(&xen_unpopulated_lock);
	/* The first free stretch that is aligned, or a range of its own. */
	list_for_each_entry(r, &xen_runs, list) {
		if (!r->scratch || r->nr_free < nr_pages)
			continue;
		idx = bitmap_find_next_zero_area_off(r->in_use, r->nr_pages, 0,
						     nr_pages, mask,
						     r->pfn & mask);
		if (idx < r->nr_pages)
			goto found;
	}
	s = target_resource ? xen_scratch_carve(size, size) : ERR_PTR(-ENOSPC);
	ret = PTR_ERR(s) == -ENOSPC ? -ENOMEM : PTR_ERR(s);
	if (IS_ERR(s))
		goto unlock;
	r = &s->run;
	idx = 0;
found:
	bitmap_set(r->in_use, idx, nr_pages);
	r->nr_free -= nr_pages;
	xen_free_pages -= nr_pages;
	for (i = 0; i < nr_pages; i++)
		pages[i] = pfn_to_page(r->pfn + idx + i);
	ret = xen_p2m_alloc_entries(nr_pages, pages);
	if (ret)
		__xen_free_pages(nr_pages, pages);
	else
		xen_counts.contig_served++;
unlock:
	mutex_unlock(&xen_unpopulated_lock);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_contiguous_pages);

/*
 * Moves the ranges idle for the reclaim delay to @gone, but for the lowest
 * ones the spare (or all that is free, if less) has room for.  A large
 * range goes back whole rather than kept for a small spare: @short_pages
 * is what the kept ones lack, for a range carved anew.  Returns the
 * jiffies until the next idle range is due, or 0.
 */
static unsigned long xen_scratch_reclaim(struct list_head *gone,
					 unsigned long *short_pages)
{
	unsigned long delay = (unsigned long)READ_ONCE(xen_reclaim_delay) * HZ;
	unsigned long spare = READ_ONCE(xen_spare_pages), due = 0, left;
	unsigned long order = xen_granule_order(), free = 0, held = 0;
	struct xen_scratch *s, *tmp;

	lockdep_assert_held(&xen_unpopulated_lock);
	list_for_each_entry(s, &xen_runs, run.list) {
		if (!s->run.scratch)
			continue;
		free += s->run.nr_free;
		if (s->run.nr_free != s->run.nr_pages ||
		    time_before(jiffies, s->idle_since + delay))
			held += s->run.nr_free;
	}
	spare = min(spare, free);

	list_for_each_entry_safe(s, tmp, &xen_runs, run.list) {
		if (!s->run.scratch || s->run.nr_free != s->run.nr_pages)
			continue;
		if (time_before(jiffies, s->idle_since + delay)) {
			left = s->idle_since + delay - jiffies;
			if (!due || left < due)
				due = left;
			continue;
		}
		if (held < spare &&
		    s->run.nr_pages <= round_up(spare - held, BIT(order))) {
			held += s->run.nr_pages;
			continue;
		}
		xen_scratch_index(NULL, s->run.pfn >> order,
				  s->run.nr_pages >> order);
		if (xen_run_last == &s->run)
			xen_run_last = NULL;
		xen_free_pages -= s->run.nr_pages;
		xen_counts.reclaimed++;
		list_move(&s->run.list, gone);
	}
	*short_pages = held < spare && !list_empty(gone) ? spare - held : 0;
	return due;
}

/* Hot-remove takes long: ranges go back without the allocator's mutex. */
static void xen_reclaim_fn(struct work_struct *work)
{
	struct xen_scratch *s, *tmp;
	unsigned long due, short_pages;
	LIST_HEAD(gone);

	if (READ_ONCE(xen_reclaim_delay) < 0 || xen_pv_domain())
		return;
	mutex_lock(&xen_unpopulated_lock);
	due = xen_scratch_reclaim(&gone, &short_pages);
	mutex_unlock(&xen_unpopulated_lock);
	list_for_each_entry_safe(s, tmp, &gone, run.list) {
		memunmap_pages(&s->pgmap);
		xen_scratch_p2m_restore(s, s->run.nr_pages);
		kvfree(s->run.in_use);
		pr_info("released %#llx-%#llx\n", (u64)s->res.start,
			(u64)s->res.end);
		if (target_resource != &iomem_resource)
			release_resource(&s->iomem);
		release_resource(&s->res);
		kfree(s);
	}
	if (short_pages) {
		/* The spare, in a range of its own where a large one went. */
		mutex_lock(&xen_unpopulated_lock);
		xen_scratch_grow(short_pages);
		mutex_unlock(&xen_unpopulated_lock);
	}
	if (due)
		schedule_delayed_work(&xen_reclaim_work, due);
}

/**
 * xen_unpopulated_get_stats - snapshot of the allocator's state
 * @st: filled in
 *
 * Reads the allocator under its mutex and changes nothing.
 */
void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st)
{
	struct xen_run *r;

	mutex_lock(&xen_unpopulated_lock);
	*st = xen_counts;
	st->scratch = !!target_resource;
	st->granule_pages = BIT(xen_granule_order());
	list_for_each_entry(r, &xen_runs, list) {
		if (r->scratch) {
			st->nr_ranges++;
			st->pages += r->nr_pages;
			st->free += r->nr_free;
		} else {
			st->nr_seed_runs++;
			st->seeded += r->nr_pages;
			st->seeded_free += r->nr_free;
		}
	}
	mutex_unlock(&xen_unpopulated_lock);
}

static int xen_unpopulated_show(struct seq_file *m, void *v)
{
	struct xen_unpopulated_stats st;
	struct resource *t, *r;
	struct xen_scratch *s;

	xen_unpopulated_get_stats(&st);
	seq_printf(m, "granularity: %s, %lu KiB\n",
		   xen_subsection ? "subsection" : "section",
		   st.granule_pages << PAGE_SHIFT >> 10);
	seq_printf(m, "reclaim: delay %d s, spare %lu page(s)\n",
		   READ_ONCE(xen_reclaim_delay), READ_ONCE(xen_spare_pages));
	mutex_lock(&xen_unpopulated_lock);
	t = target_resource;
	if (!t || t == &iomem_resource)
		seq_printf(m, "target: %s\n", t ? "iomem" : "none");
	else
		seq_printf(m, "target: %#llx-%#llx\n", (u64)t->start,
			   (u64)t->end);
	/* The target's children: only this file changes them, under the lock. */
	for (r = t && t != &iomem_resource ? t->child : NULL; r;
	     r = r->sibling) {
		s = xa_load(&xen_scratch_granules,
			    PHYS_PFN(r->start) >> xen_granule_order());
		if (s && &s->res == r)
			seq_printf(m, "range: %#llx-%#llx pages %lu free %lu in-use %lu\n",
				   (u64)r->start, (u64)r->end, s->run.nr_pages,
				   s->run.nr_free,
				   s->run.nr_pages - s->run.nr_free);
		else
			seq_printf(m, "busy: %#llx-%#llx %s\n", (u64)r->start,
				   (u64)r->end, r->name ? r->name : "?");
	}
	mutex_unlock(&xen_unpopulated_lock);
	seq_printf(m, "scratch: ranges %u pages %lu free %lu in-use %lu\n",
		   st.nr_ranges, st.pages, st.free, st.pages - st.free);
	seq_printf(m, "seeded: runs %u pages %lu free %lu in-use %lu\n",
		   st.nr_seed_runs, st.seeded, st.seeded_free,
		   st.seeded - st.seeded_free);
	seq_printf(m, "ballooned: in-use %lu\n", st.balloon_out);
	seq_printf(m, "counters: carved %lu reclaimed %lu balloon-served %lu blocked-bytes %llu contiguous-served %lu\n",
		   st.carved, st.reclaimed, st.balloon_served,
		   (unsigned long long)st.blocked, st.contig_served);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xen_unpopulated);

static int __init xen_unpopulated_debugfs(void)
{
	struct dentry *dir;

	if (!xen_domain())
		return 0;
	/* x86 makes "xen" at fs_initcall time; Arm has none. */
	dir = debugfs_lookup("xen", NULL);
	if (IS_ERR_OR_NULL(dir))
		dir = debugfs_create_dir("xen", NULL);
	else
		dput(dir);
	debugfs_create_file("unpopulated", 0444, dir, NULL,
			    &xen_unpopulated_fops);
	return 0;
}
late_initcall(xen_unpopulated_debugfs);

/* Without an arch hook, any unused part of iomem_resource will do. */
int __weak __init arch_xen_unpopulated_init(struct resource **res)
{
	*res = &iomem_resource;
	return 0;
}

static int __init xen_unpopulated_init(void)
{
	struct xen_run *r, *tmp;
	int ret;

	if (!xen_domain())
		return -ENODEV;

	xen_seeding = true;	/* before SMP: nothing else runs yet */
	ret = arch_xen_unpopulated_init(&target_resource);
	mutex_lock(&xen_unpopulated_lock);
	xen_seeding = false;
	list_for_each_entry_safe(r, tmp, &xen_runs, list) {
		if (!xen_run_init_bitmap(r)) {
			xen_free_pages += r->nr_pages;
			continue;
		}
		xen_counts.seed_lost += r->nr_pages;
		list_del(&r->list);
		kfree(r);
	}
	xen_run_last = NULL;
	if (ret)
		target_resource = NULL;
	mutex_unlock(&xen_unpopulated_lock);

	if (xen_free_pages)
		pr_info("%lu page(s) handed in by the arch hook\n",
			xen_free_pages);
	if (xen_pv_domain())
		pr_info("PV domain: idle scratch ranges are kept\n");
	if (xen_counts.seed_lost)
		pr_warn("%lu page(s) handed in by the arch hook lost: out of memory\n",
			xen_counts.seed_lost);
	if (ret)
		pr_info("no scratch address space (%d): %s\n", ret,
			xen_free_pages ? "seeded, then ballooned pages will be used" :
				 "ballooned pages will be used");
	return ret;
}
early_initcall(xen_unpopulated_init);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unpopulated pages for Xen grant and foreign mappings.
 *
 * Every page handed out has one of three origins, and goes back to it:
 *
 * - scratch ranges: unused guest-physical address space carved, a whole
 *   number of sections at a time, from the target resource (on Arm, the
 *   extended regions Xen advertises; elsewhere iomem_resource) and backed
 *   by ZONE_DEVICE struct pages through memremap_pages();
 * - seeded pages: ordinary pages that the arch hook hands in through
 *   xen_free_unpopulated_pages() while it runs (x86: the extra-memory
 *   regions, in the physmap but not populated); they are handed out first;
 * - ballooned pages, when there is no target resource.
 *
 * Scratch ranges and runs of seeded pages are pools: each keeps a bitmap
 * with one bit per page, set while the page is handed out.  A scratch page
 * finds its range by section number (an xarray, as scratch ranges are
 * whole sections) and a seeded page its run by pfn; neither needs the
 * page's own fields, so a page that is not ours or is already free is
 * refused with a warning instead of corrupting a free set; a range whose
 * pages are all free can be recognised for reclaim; and contiguous runs
 * can be found.
 *
 * x86 PV guests also keep their p2m right: a range's entries are made
 * invalid before its pages are mapped, and every page handed out gets a
 * p2m entry.
 */

#define pr_fmt(fmt) "xen-unpopulated: " fmt

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include <xen/balloon.h>
#include <xen/features.h>
#include <xen/page.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>

/* One range at most this many sections: its bitmap stays a small kmalloc. */
#define XEN_SCRATCH_MAX_SECTIONS	16UL
/* One run of seeded pages at most this many pages (a 32 KiB bitmap). */
#define XEN_SEED_RUN_MAX		BIT(18)

/**
 * struct xen_upool - pages handed out from one run of page frames
 * @list:	entry in xen_seeds or xen_scratch_ranges, ascending pfns
 * @pfn:	the first page frame
 * @nr_pages:	pages in the pool
 * @nr_free:	of those, pages not handed out
 * @hint:	where the next search for a free page starts
 * @in_use:	one bit per page, set while the page is handed out
 */
struct xen_upool {
	struct list_head list;
	unsigned long pfn;
	unsigned long nr_pages;
	unsigned long nr_free;
	unsigned long hint;
	unsigned long *in_use;
};

/**
 * struct xen_scratch - one carved range of unused address space
 * @pool:	its pages
 * @res:	the range, a busy child of the target resource
 * @iomem:	the same range, reserved in iomem_resource
 * @p2m_identity: x86 PV: which p2m entries were identity before the carve
 * @pgmap:	the ZONE_DEVICE mapping; last, as it ends in a flexible array
 */
struct xen_scratch {
	struct xen_upool pool;
	struct resource res;
	struct resource iomem;
	unsigned long *p2m_identity;
	struct dev_pagemap pgmap;
};

/**
 * struct xen_seed - a run of pages the arch hook handed in
 * @pool:	its pages
 * @nr_bits:	pages @pool.in_use has room for
 */
struct xen_seed {
	struct xen_upool pool;
	unsigned long nr_bits;
};

/*
 * Pages an arch hook set aside for unpopulated use, which the balloon
 * driver of newer kernels subtracts from its target (x86: extra memory).
 */
unsigned long xen_unpopulated_pages __initdata;

static DEFINE_MUTEX(xen_upool_lock);
static LIST_HEAD(xen_seeds);
static LIST_HEAD(xen_scratch_ranges);
static unsigned long xen_seed_free;
static unsigned long xen_seeded;
static unsigned long xen_seed_lost;
static bool xen_seeding;
static unsigned long xen_scratch_free;
static u64 xen_scratch_blocked;
static struct resource *target_resource;
/* Section number -> the scratch range that holds it. */
static DEFINE_XARRAY(xen_scratch_sections);

/* Hands out up to @nr free pages of @p into @pages; returns how many. */
static unsigned int xen_upool_take(struct xen_upool *p, unsigned int nr,
				   struct page **pages)
{
	unsigned int n = 0;
	unsigned long idx;

	while (n < nr && p->nr_free) {
		idx = find_next_zero_bit(p->in_use, p->nr_pages, p->hint);
		if (idx >= p->nr_pages)
			idx = find_first_zero_bit(p->in_use, p->nr_pages);
		__set_bit(idx, p->in_use);
		p->hint = idx + 1;
		p->nr_free--;
		pages[n++] = pfn_to_page(p->pfn + idx);
	}
	return n;
}

/* Takes back page @idx of @p; false, with a warning, if it was free. */
static bool xen_upool_put(struct xen_upool *p, unsigned long idx)
{
	if (WARN_ONCE(!test_bit(idx, p->in_use),
		      "Xen unpopulated page %#lx freed twice\n", p->pfn + idx))
		return false;
	__clear_bit(idx, p->in_use);
	p->nr_free++;
	return true;
}

/* The run of seeded pages that holds @pfn, or NULL. */
static struct xen_seed *xen_seed_of(unsigned long pfn)
{
	struct xen_seed *sd;

	list_for_each_entry(sd, &xen_seeds, pool.list)
		if (pfn - sd->pool.pfn < sd->pool.nr_pages)
			return sd;
	return NULL;
}

/*
 * Records @page, which the arch hook hands in: it extends the run that
 * ends just below it, or starts a new one.  Seeded pages are ordinary
 * pages: they are never ZONE_DEVICE pages.
 */
static int xen_seed_add(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), *in_use;
	struct xen_seed *sd, *pos;

	if (is_zone_device_page(page))
		return -EINVAL;
	if (xen_seed_of(pfn))
		return -EEXIST;

	list_for_each_entry(pos, &xen_seeds, pool.list) {
		if (pos->pool.pfn > pfn)
			break;
		if (pos->pool.pfn + pos->pool.nr_pages == pfn &&
		    pos->pool.nr_pages < XEN_SEED_RUN_MAX) {
			sd = pos;
			goto found;
		}
	}
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->pool.pfn = pfn;
	/* Before @pos, which starts above @pfn, or last. */
	list_add_tail(&sd->pool.list, &pos->pool.list);

found:
	if (sd->pool.nr_pages == sd->nr_bits) {
		unsigned long bits = clamp_t(unsigned long, 2 * sd->nr_bits,
					     BITS_PER_LONG, XEN_SEED_RUN_MAX);

		in_use = bitmap_zalloc(bits, GFP_KERNEL);
		if (!in_use) {
			if (!sd->pool.nr_pages) {
				list_del(&sd->pool.list);
				kfree(sd);
			}
			return -ENOMEM;
		}
		if (sd->pool.in_use)
			bitmap_copy(in_use, sd->pool.in_use, sd->pool.nr_pages);
		bitmap_free(sd->pool.in_use);
		sd->pool.in_use = in_use;
		sd->nr_bits = bits;
	}
	sd->pool.nr_pages++;
	sd->pool.nr_free++;
	xen_seed_free++;
	xen_seeded++;
	return 0;
}

#ifdef CONFIG_XEN_HAVE_PVMMU
/* Whether the p2m of an x86 PV guest has to be kept by hand. */
static bool xen_p2m_by_hand(void)
{
	return !xen_feature(XENFEAT_auto_translated_physmap);
}

/* Puts back the first @nr p2m entries of @s as they were before the carve. */
static void xen_scratch_p2m_restore(struct xen_scratch *s, unsigned long nr)
{
	unsigned long i, pfn, mfn;

	if (!s->p2m_identity)
		return;
	for (i = 0; i < nr; i++) {
		pfn = s->pool.pfn + i;
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
 * entries must be invalid first.  Unused address space has invalid or
 * identity entries; which were identity is kept, to put them back when
 * the range goes.  An entry with a frame behind it means the space is not
 * unused after all: the range is refused.
 */
static int xen_scratch_p2m_invalidate(struct xen_scratch *s)
{
	unsigned long i, pfn, mfn;
	int ret = 0;

	if (!xen_p2m_by_hand())
		return 0;
	s->p2m_identity = bitmap_zalloc(s->pool.nr_pages, GFP_KERNEL);
	if (!s->p2m_identity)
		return -ENOMEM;
	for (i = 0; i < s->pool.nr_pages; i++) {
		pfn = s->pool.pfn + i;
		mfn = __pfn_to_mfn(pfn);
		if (mfn == IDENTITY_FRAME(pfn)) {
			__set_bit(i, s->p2m_identity);
		} else if (mfn != INVALID_P2M_ENTRY) {
			pr_err("pfn %#lx has frame %#lx in the p2m, not carved\n",
			       pfn, mfn);
			ret = -EEXIST;
			break;
		}
		if (!set_phys_to_machine(pfn, INVALID_P2M_ENTRY)) {
			pr_warn("cannot clear the p2m entry of pfn %#lx\n", pfn);
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
	int ret;

	if (!xen_p2m_by_hand())
		return 0;
	for (i = 0; i < nr_pages; i++) {
		ret = xen_alloc_p2m_entry(page_to_pfn(pages[i]));
		if (ret < 0)
			return ret;
	}
	return 0;
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

/* Marks the part of @cand that @busy uses as unavailable in the target. */
static int xen_scratch_block(const struct resource *cand,
			     const struct resource *busy)
{
	struct resource *block;
	int ret;

	block = kzalloc(sizeof(*block), GFP_KERNEL);
	if (!block)
		return -ENOMEM;
	block->name = "Xen scratch: in use elsewhere";
	block->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	block->start = max(cand->start, busy->start);
	block->end = min(cand->end, busy->end);
	/* @cand was free in the target a moment ago: this cannot conflict. */
	ret = request_resource(target_resource, block);
	if (ret) {
		kfree(block);
		return ret;
	}
	pr_warn("%#llx-%#llx is used by %s, skipped\n", (u64)block->start,
		(u64)block->end, busy->name ? busy->name : "another resource");
	xen_scratch_blocked += resource_size(block);
	return 0;
}

/*
 * Takes @size bytes, section aligned, from the target and reserves them in
 * iomem_resource.  A candidate that something in iomem_resource already
 * uses is marked unavailable and the next one is tried.
 */
static int xen_scratch_reserve(struct xen_scratch *s, u64 size)
{
	struct range mhp = mhp_get_pluggable_range(true);
	u64 align = (u64)PAGES_PER_SECTION << PAGE_SHIFT;
	struct resource *busy;
	int ret;

	s->res.name = "Xen scratch";
	s->res.flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	for (;;) {
		ret = allocate_resource(target_resource, &s->res, size,
					mhp.start, mhp.end, align, NULL, NULL);
		if (ret || target_resource == &iomem_resource)
			return ret;

		s->iomem.name = s->res.name;
		s->iomem.flags = s->res.flags;
		s->iomem.start = s->res.start;
		s->iomem.end = s->res.end;
		busy = request_resource_conflict(&iomem_resource, &s->iomem);
		if (!busy)
			return 0;
		release_resource(&s->res);
		if (busy == &iomem_resource)
			return -EINVAL;
		ret = xen_scratch_block(&s->res, busy);
		if (ret)
			return ret;
	}
}

static void xen_scratch_unreserve(struct xen_scratch *s)
{
	if (target_resource != &iomem_resource)
		release_resource(&s->iomem);
	release_resource(&s->res);
}

/* Forgets the first @nr sections of @s in xen_scratch_sections. */
static void xen_scratch_unindex(struct xen_scratch *s, unsigned long nr)
{
	unsigned long sec = pfn_to_section_nr(s->pool.pfn);

	while (nr--)
		xa_erase(&xen_scratch_sections, sec + nr);
}

/* Records the sections of @s, so that its pages are found by pfn. */
static int xen_scratch_index(struct xen_scratch *s)
{
	unsigned long sec = pfn_to_section_nr(s->pool.pfn);
	unsigned long i, nr = s->pool.nr_pages / PAGES_PER_SECTION;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = xa_err(xa_store(&xen_scratch_sections, sec + i, s,
				      GFP_KERNEL));
		if (ret) {
			xen_scratch_unindex(s, i);
			return ret;
		}
	}
	return 0;
}

/* Carves a range of @size bytes and backs it with pages, or unwinds. */
static struct xen_scratch *xen_scratch_carve(u64 size)
{
	struct xen_scratch *s;
	void *vaddr;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	ret = xen_scratch_reserve(s, size);
	if (ret)
		goto free;

	s->pool.pfn = PHYS_PFN(s->res.start);
	s->pool.nr_pages = size >> PAGE_SHIFT;
	s->pool.in_use = bitmap_zalloc(s->pool.nr_pages, GFP_KERNEL);
	if (!s->pool.in_use) {
		ret = -ENOMEM;
		goto unreserve;
	}
	ret = xen_scratch_index(s);
	if (ret)
		goto free_bitmap;
	ret = xen_scratch_p2m_invalidate(s);
	if (ret)
		goto unindex;

	s->pgmap.type = MEMORY_DEVICE_GENERIC;
	s->pgmap.range.start = s->res.start;
	s->pgmap.range.end = s->res.end;
	s->pgmap.nr_range = 1;
	vaddr = memremap_pages(&s->pgmap, NUMA_NO_NODE);
	if (IS_ERR(vaddr)) {
		ret = PTR_ERR(vaddr);
		pr_err("cannot back %#llx-%#llx with pages: %d\n",
		       (u64)s->res.start, (u64)s->res.end, ret);
		goto restore_p2m;
	}
	s->pool.nr_free = s->pool.nr_pages;
	return s;

restore_p2m:
	xen_scratch_p2m_restore(s, s->pool.nr_pages);
unindex:
	xen_scratch_unindex(s, s->pool.nr_pages / PAGES_PER_SECTION);
free_bitmap:
	bitmap_free(s->pool.in_use);
unreserve:
	xen_scratch_unreserve(s);
free:
	kfree(s);
	return ERR_PTR(ret);
}

static void xen_scratch_add(struct xen_scratch *s)
{
	struct xen_scratch *pos;

	list_for_each_entry(pos, &xen_scratch_ranges, pool.list)
		if (pos->pool.pfn > s->pool.pfn)
			break;
	list_add_tail(&s->pool.list, &pos->pool.list);
	xen_scratch_free += s->pool.nr_free;
}

/*
 * Carves ranges until at least @nr_pages more pages are free.  Each range
 * is as large as still needed, up to XEN_SCRATCH_MAX_SECTIONS; when no
 * room that large is left, fewer sections are tried, so one request can
 * span several extended regions.
 */
static int xen_scratch_fill(unsigned long nr_pages)
{
	unsigned long need = DIV_ROUND_UP(nr_pages, PAGES_PER_SECTION), n;
	struct xen_scratch *s;

	lockdep_assert_held(&xen_upool_lock);
	while (need) {
		n = min(need, XEN_SCRATCH_MAX_SECTIONS);
		for (;;) {
			s = xen_scratch_carve((u64)n * PAGES_PER_SECTION <<
					      PAGE_SHIFT);
			if (!IS_ERR(s) || PTR_ERR(s) != -EBUSY || n == 1)
				break;
			n--;
		}
		if (IS_ERR(s)) {
			pr_warn("cannot carve %lu more section(s): %ld\n",
				need, PTR_ERR(s));
			return PTR_ERR(s) == -EBUSY ? -ENOMEM : PTR_ERR(s);
		}
		pr_info("carved %#llx-%#llx\n", (u64)s->res.start,
			(u64)s->res.end);
		xen_scratch_add(s);
		need -= n;
	}
	return 0;
}

/* Hands out @nr_pages pages, seeded ones first; the caller checked. */
static void xen_upool_take_all(unsigned int nr_pages, struct page **pages)
{
	struct xen_scratch *s;
	struct xen_seed *sd;
	unsigned int i = 0, n;

	list_for_each_entry(sd, &xen_seeds, pool.list) {
		if (i == nr_pages)
			break;
		n = xen_upool_take(&sd->pool, nr_pages - i, pages + i);
		xen_seed_free -= n;
		i += n;
	}
	list_for_each_entry(s, &xen_scratch_ranges, pool.list) {
		if (i == nr_pages)
			break;
		n = xen_upool_take(&s->pool, nr_pages - i, pages + i);
		xen_scratch_free -= n;
		i += n;
	}
}

/*
 * The pool @page was handed out from and its index there, or NULL if it
 * is neither one of our scratch pages nor a seeded page.
 */
static struct xen_upool *xen_upool_of(struct page *page, unsigned long *idx,
				      unsigned long **nr_free)
{
	struct xen_scratch *s;
	struct xen_seed *sd;
	unsigned long pfn = page_to_pfn(page);

	if (is_zone_device_page(page)) {
		s = xa_load(&xen_scratch_sections, pfn_to_section_nr(pfn));
		if (!s)
			return NULL;
		*idx = pfn - s->pool.pfn;
		*nr_free = &xen_scratch_free;
		return &s->pool;
	}
	sd = xen_seed_of(pfn);
	if (!sd)
		return NULL;
	*idx = pfn - sd->pool.pfn;
	*nr_free = &xen_seed_free;
	return &sd->pool;
}

/* Takes back @page; a page that is not ours, or free, is refused. */
static void xen_upool_free_one(struct page *page)
{
	unsigned long idx, *nr_free;
	struct xen_upool *p;

	p = xen_upool_of(page, &idx, &nr_free);
	if (WARN_ONCE(!p, "freeing page %#lx that is not a Xen unpopulated page\n",
		      page_to_pfn(page)))
		return;
	if (xen_upool_put(p, idx))
		(*nr_free)++;
}

/**
 * xen_alloc_unpopulated_pages - get pages to map foreign pages into
 * @nr_pages: how many
 * @pages: filled with the pages
 *
 * Pages the arch hook handed in go first, then pages of scratch ranges,
 * carving new ranges as needed.  Without a target resource, ballooned
 * pages are used when the seeded pages do not suffice.
 *
 * Return: 0, or -ENOMEM (or another negative errno) with nothing taken.
 */
int xen_alloc_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned long avail;
	unsigned int i;
	int ret = 0;

	if (!nr_pages)
		return 0;
	if (WARN_ON(!pages))
		return -EINVAL;

	mutex_lock(&xen_upool_lock);
	avail = xen_seed_free;
	if (target_resource) {
		avail += xen_scratch_free;
		if (avail < nr_pages)
			ret = xen_scratch_fill(nr_pages - avail);
	} else if (avail < nr_pages) {
		mutex_unlock(&xen_upool_lock);
		return xen_alloc_ballooned_pages(nr_pages, pages);
	}
	if (!ret) {
		xen_upool_take_all(nr_pages, pages);
		ret = xen_p2m_alloc_entries(nr_pages, pages);
		if (ret)
			for (i = 0; i < nr_pages; i++)
				xen_upool_free_one(pages[i]);
	}
	mutex_unlock(&xen_upool_lock);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_pages);

/**
 * xen_free_unpopulated_pages - return pages from xen_alloc_unpopulated_pages
 * @nr_pages: how many
 * @pages: the pages
 *
 * Each page goes back where it came from: its scratch range, its run of
 * seeded pages, or the balloon.  While the arch hook runs at init, the
 * pages it hands in here are taken as seeded pages.  A page that is none
 * of these, or is already free, is refused with a warning and left alone.
 */
void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret;

	if (!nr_pages || WARN_ON(!pages))
		return;

	mutex_lock(&xen_upool_lock);
	for (i = 0; i < nr_pages; i++) {
		if (WARN_ON_ONCE(!pages[i]))
			continue;
		if (xen_seeding) {
			ret = xen_seed_add(pages[i]);
			if (ret == -ENOMEM)
				xen_seed_lost++;
			else
				WARN_ONCE(ret, "page %#lx cannot be seeded: %d\n",
					  page_to_pfn(pages[i]), ret);
		} else if (!target_resource && !is_zone_device_page(pages[i]) &&
			   !xen_seed_of(page_to_pfn(pages[i]))) {
			xen_free_ballooned_pages(1, &pages[i]);
		} else {
			xen_upool_free_one(pages[i]);
		}
	}
	mutex_unlock(&xen_upool_lock);
}
EXPORT_SYMBOL(xen_free_unpopulated_pages);

/**
 * xen_unpopulated_get_stats - snapshot of the allocator's state
 * @st: filled in
 */
void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st)
{
	struct xen_scratch *s;
	struct xen_seed *sd;

	memset(st, 0, sizeof(*st));
	mutex_lock(&xen_upool_lock);
	st->scratch = !!target_resource;
	list_for_each_entry(s, &xen_scratch_ranges, pool.list) {
		st->nr_ranges++;
		st->pages += s->pool.nr_pages;
		st->free += s->pool.nr_free;
	}
	list_for_each_entry(sd, &xen_seeds, pool.list) {
		st->nr_seed_runs++;
		st->seeded += sd->pool.nr_pages;
		st->seeded_free += sd->pool.nr_free;
	}
	WARN_ON(st->free != xen_scratch_free);
	WARN_ON(st->seeded != xen_seeded || st->seeded_free != xen_seed_free);
	st->seed_lost = xen_seed_lost;
	st->blocked = xen_scratch_blocked;
	mutex_unlock(&xen_upool_lock);
}

/* Without an arch hook, any unused part of iomem_resource will do. */
int __weak __init arch_xen_unpopulated_init(struct resource **res)
{
	*res = &iomem_resource;
	return 0;
}

static int __init xen_unpopulated_init(void)
{
	int ret;

	if (!xen_domain())
		return -ENODEV;

	mutex_lock(&xen_upool_lock);
	xen_seeding = true;
	mutex_unlock(&xen_upool_lock);
	ret = arch_xen_unpopulated_init(&target_resource);
	mutex_lock(&xen_upool_lock);
	xen_seeding = false;
	if (ret)
		target_resource = NULL;
	mutex_unlock(&xen_upool_lock);

	if (xen_seeded)
		pr_info("%lu page(s) handed in by the arch hook\n", xen_seeded);
	if (xen_seed_lost)
		pr_warn("%lu page(s) handed in by the arch hook lost: out of memory\n",
			xen_seed_lost);
	if (ret)
		pr_info("no scratch address space (%d): %s\n", ret,
			xen_seeded ? "seeded, then ballooned pages will be used" :
				     "ballooned pages will be used");
	return ret;
}
early_initcall(xen_unpopulated_init);

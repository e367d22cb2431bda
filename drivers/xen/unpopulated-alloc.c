// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unpopulated pages for Xen grant and foreign mappings.
 *
 * Every page handed out has one of three origins, and goes back to it:
 *
 * - scratch ranges: unused guest-physical address space carved, a whole
 *   number of granules at a time, from the target resource (on Arm, the
 *   extended regions Xen advertises; elsewhere iomem_resource) and backed
 *   by ZONE_DEVICE struct pages through memremap_pages().  A granule is a
 *   memory section, or a sub-section (2 MiB) with
 *   xen_unpopulated.granularity=subsection;
 * - seeded pages: ordinary pages that the arch hook hands in through
 *   xen_free_unpopulated_pages() while it runs (x86: the extra-memory
 *   regions, in the physmap but not populated); they are handed out first;
 * - ballooned pages, for whatever part of a request the other two cannot
 *   meet; they are recorded by pfn.
 *
 * Scratch ranges and runs of seeded pages are pools: each keeps a bitmap
 * with one bit per page, set while the page is handed out.  A scratch page
 * finds its range by granule number (an xarray, as scratch ranges are
 * whole granules) and a seeded page its run by pfn; neither needs the
 * page's own fields, so a page that is not ours or is already free is
 * refused with a warning instead of corrupting a free set.
 *
 * The free pages of a scratch range form a buddy allocator: blocks of
 * 2^order pages aligned to their size in guest-physical address space,
 * one bitmap per order with a bit set where a free block starts.  A block
 * coalesces with its buddy (the block whose address differs in bit
 * "order" alone) as soon as both are free, so a range whose pages are all
 * free is a handful of maximal blocks.  The same blocks serve requests for
 * single pages, for batches (which take whole blocks: the pages of a block
 * are consecutive, so filling and freeing a batch costs neither a walk of
 * a list nor a touch of a struct page) and for physically contiguous runs
 * (xen_alloc_unpopulated_contiguous_pages()).
 *
 * Single scratch pages freed alone go to a small cache of the CPU that
 * frees them, under a spinlock of that cache and not the allocator's
 * mutex, and single-page requests take them from there: a workload that
 * maps one page at a time neither splits and coalesces a range each time
 * nor takes the mutex.  A cached page stays handed out as far as its
 * range's bitmaps go, with a byte of its own set in the range's cached
 * map, so that freeing it again is refused; a byte, not a bit, so that
 * CPUs caching pages of one range never write the same word.  The caches
 * go back into the buddies, each under its lock, before reclaim, before a
 * contiguous request carves and for statistics.
 *
 * A scratch range whose pages have all been free for
 * xen_unpopulated.reclaim_delay seconds is given back by a delayed work
 * item, but for idle ranges that fit in xen_unpopulated.spare_pages.
 *
 * x86 PV guests also keep their p2m right: a range's entries are made
 * invalid before its pages are mapped, and every page handed out gets a
 * p2m entry.
 */

#define pr_fmt(fmt) "xen-unpopulated: " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
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

/* One range at most this many sections: its bitmap stays a small kmalloc. */
#define XEN_SCRATCH_MAX_SECTIONS	16UL
/* One run of seeded pages at most this many pages (a 32 KiB bitmap). */
#define XEN_SEED_RUN_MAX		BIT(18)
/* Block orders a range's buddy keeps: up to 16 sections of 4K pages. */
#define XEN_BUDDY_ORDERS		XEN_UNPOPULATED_ORDERS
/* Single pages each CPU keeps aside for single-page requests. */
#define XEN_HOT_PAGES			64

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
 * @max_order:	the largest order of a block in the range
 * @nr_blocks:	free blocks of each order
 * @first:	per order, no bit of @free_map is set below this one
 * @free_map:	per order, a bit for each aligned block of that order that
 *		overlaps the range, set while it is a free block
 * @res:	the range, a busy child of the target resource
 * @iomem:	the same range, reserved in iomem_resource
 * @cached:	one byte per page, set while the page is in a CPU's cache
 * @p2m_identity: x86 PV: which p2m entries were identity before the carve
 * @idle_since:	jiffies when a page was last put back in its buddy (for a
 *		page from a CPU's cache: when that cache last took one)
 * @pgmap:	the ZONE_DEVICE mapping; last, as it ends in a flexible array
 */
struct xen_scratch {
	struct xen_upool pool;
	unsigned int max_order;
	unsigned long nr_blocks[XEN_BUDDY_ORDERS];
	unsigned long first[XEN_BUDDY_ORDERS];
	unsigned long *free_map[XEN_BUDDY_ORDERS];
	struct resource res;
	struct resource iomem;
	u8 *cached;
	unsigned long *p2m_identity;
	unsigned long idle_since;
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
static unsigned long xen_scratch_carved;
static unsigned long xen_scratch_reclaimed;
static unsigned long xen_balloon_out;
static unsigned long xen_balloon_served;
static struct resource *target_resource;
/* Granule number -> the scratch range that holds it. */
static DEFINE_XARRAY(xen_scratch_granules);
/* The range a page was last looked up in: batches stay in one range. */
static struct xen_scratch *xen_scratch_last;

/**
 * struct xen_hot - scratch pages one CPU freed alone, for single pages
 * @lock:	held by whoever uses the cache: a task that found it its
 *		CPU's, or the allocator draining it (with xen_upool_lock)
 * @nr:		pages in @pages
 * @stamp:	jiffies when the cache last took a page
 * @last:	the range a page was last found in, or NULL
 * @pages:	the pages, by range and pfn: handed out as far as the
 *		range's bitmaps go, their bytes set in its cached map
 */
struct xen_hot {
	spinlock_t lock;	/* guards the rest of the cache */
	unsigned int nr;
	unsigned long stamp;
	struct xen_scratch *last;
	struct {
		struct xen_scratch *s;
		unsigned long pfn;
	} pages[XEN_HOT_PAGES];
};

static DEFINE_PER_CPU(struct xen_hot, xen_hot);
static unsigned long xen_contig_served;
/* Pfn -> ballooned page handed out. */
static DEFINE_XARRAY(xen_ballooned);

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
MODULE_PARM_DESC(spare_pages,
		 "Free scratch pages kept in idle ranges that reclaim leaves alone");

static void xen_reclaim_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(xen_reclaim_work, xen_reclaim_fn);

/* log2 of the pages in a granule: what ranges are carved and indexed in. */
static unsigned int xen_granule_order(void)
{
	return xen_subsection ? PFN_SUBSECTION_SHIFT : PFN_SECTION_SHIFT;
}

static unsigned long xen_granule_pages(void)
{
	return 1UL << xen_granule_order();
}

/*
 * The buddy of each scratch range.  A block is named by its first pfn and
 * its order; it lies in range @s when all its pages do.  Each helper does
 * one thing; only xen_buddy_take() and xen_buddy_put() change the shape
 * of the free blocks, and both keep the rule that no two free blocks are
 * buddies of each other.
 */

/* The bit of @s's map for @order that stands for the block at @pfn. */
static unsigned long xen_buddy_bit(const struct xen_scratch *s,
				   unsigned long pfn, unsigned int order)
{
	return (pfn >> order) - (s->pool.pfn >> order);
}

/* Bits in @s's map for @order: aligned blocks that overlap the range. */
static unsigned long xen_buddy_bits(const struct xen_scratch *s,
				    unsigned int order)
{
	return xen_buddy_bit(s, s->pool.pfn + s->pool.nr_pages - 1, order) + 1;
}

/* The block that @pfn's block of @order merges with: found by address. */
static unsigned long xen_buddy_of(unsigned long pfn, unsigned int order)
{
	return pfn ^ BIT(order);
}

static bool xen_buddy_in(const struct xen_scratch *s, unsigned long pfn,
			 unsigned int order)
{
	return pfn >= s->pool.pfn &&
	       pfn + BIT(order) <= s->pool.pfn + s->pool.nr_pages;
}

static bool xen_buddy_is_free(const struct xen_scratch *s, unsigned long pfn,
			      unsigned int order)
{
	return test_bit(xen_buddy_bit(s, pfn, order), s->free_map[order]);
}

static void xen_buddy_mark(struct xen_scratch *s, unsigned long pfn,
			   unsigned int order)
{
	unsigned long bit = xen_buddy_bit(s, pfn, order);

	__set_bit(bit, s->free_map[order]);
	s->first[order] = min(s->first[order], bit);
	s->nr_blocks[order]++;
}

static void xen_buddy_unmark(struct xen_scratch *s, unsigned long pfn,
			     unsigned int order)
{
	__clear_bit(xen_buddy_bit(s, pfn, order), s->free_map[order]);
	s->nr_blocks[order]--;
}

/* Frees block @pfn of @order, merging it with its buddy while it is free. */
static void xen_buddy_put(struct xen_scratch *s, unsigned long pfn,
			  unsigned int order)
{
	unsigned long buddy;

	while (order < s->max_order) {
		buddy = xen_buddy_of(pfn, order);
		if (!xen_buddy_in(s, buddy, order) ||
		    !xen_buddy_is_free(s, buddy, order))
			break;
		xen_buddy_unmark(s, buddy, order);
		pfn = min(pfn, buddy);
		order++;
	}
	xen_buddy_mark(s, pfn, order);
}

/* Frees the @nr pages from @pfn, as the largest aligned blocks they hold. */
static void xen_buddy_put_run(struct xen_scratch *s, unsigned long pfn,
			      unsigned long nr)
{
	unsigned int order;

	while (nr) {
		order = min_t(unsigned int, ilog2(nr), s->max_order);
		if (pfn)
			order = min_t(unsigned int, order, __ffs(pfn));
		xen_buddy_put(s, pfn, order);
		pfn += BIT(order);
		nr -= BIT(order);
	}
}

/* The smallest order, at least @order, with a free block in @s; or -1. */
static int xen_buddy_find_order(const struct xen_scratch *s,
				unsigned int order)
{
	for (; order <= s->max_order; order++)
		if (s->nr_blocks[order])
			return order;
	return -1;
}

/*
 * Takes a block of @order out of @s, the lowest one of the smallest order
 * that has one, halving it down to @order.  False if @s has none.
 */
static bool xen_buddy_take(struct xen_scratch *s, unsigned int order,
			   unsigned long *pfn)
{
	int from = xen_buddy_find_order(s, order);
	unsigned long idx;

	if (from < 0)
		return false;
	idx = find_next_bit(s->free_map[from], xen_buddy_bits(s, from),
			    s->first[from]);
	s->first[from] = idx;
	*pfn = ((s->pool.pfn >> from) + idx) << from;
	xen_buddy_unmark(s, *pfn, from);
	while (from > order) {
		from--;
		xen_buddy_mark(s, *pfn + BIT(from), from);
	}
	return true;
}

/* Makes room for the block maps of @s, all blocks taken. */
static int xen_buddy_alloc_maps(struct xen_scratch *s)
{
	unsigned long longs = 0, *maps;
	unsigned int order;

	s->max_order = min_t(unsigned int, ilog2(s->pool.nr_pages),
			     XEN_BUDDY_ORDERS - 1);
	for (order = 0; order <= s->max_order; order++)
		longs += BITS_TO_LONGS(xen_buddy_bits(s, order));
	maps = kvcalloc(longs, sizeof(*maps), GFP_KERNEL);
	if (!maps)
		return -ENOMEM;
	for (order = 0; order <= s->max_order; order++) {
		s->free_map[order] = maps;
		s->first[order] = xen_buddy_bits(s, order);
		maps += BITS_TO_LONGS(xen_buddy_bits(s, order));
	}
	return 0;
}

static void xen_buddy_free_maps(struct xen_scratch *s)
{
	kvfree(s->free_map[0]);
}

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
 * Takes @size bytes, @align aligned, from the target and reserves them in
 * iomem_resource.  A candidate that something in iomem_resource already
 * uses is marked unavailable and the next one is tried.
 */
static int xen_scratch_reserve(struct xen_scratch *s, u64 size, u64 align)
{
	struct range mhp = mhp_get_pluggable_range(true);
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

/* Forgets the first @nr granules of @s in xen_scratch_granules. */
static void xen_scratch_unindex(struct xen_scratch *s, unsigned long nr)
{
	unsigned long first = s->pool.pfn >> xen_granule_order();

	while (nr--)
		xa_erase(&xen_scratch_granules, first + nr);
}

/* Records the granules of @s, so that its pages are found by pfn. */
static int xen_scratch_index(struct xen_scratch *s)
{
	unsigned long first = s->pool.pfn >> xen_granule_order();
	unsigned long i, nr = s->pool.nr_pages >> xen_granule_order();
	int ret;

	for (i = 0; i < nr; i++) {
		ret = xa_err(xa_store(&xen_scratch_granules, first + i, s,
				      GFP_KERNEL));
		if (ret) {
			xen_scratch_unindex(s, i);
			return ret;
		}
	}
	return 0;
}

/*
 * Carves a range of @size bytes, aligned to @align (granules, both), and
 * backs it with pages, or unwinds.
 */
static struct xen_scratch *xen_scratch_carve(u64 size, u64 align)
{
	struct xen_scratch *s;
	void *vaddr;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	ret = xen_scratch_reserve(s, size, align);
	if (ret)
		goto free;

	s->pool.pfn = PHYS_PFN(s->res.start);
	s->pool.nr_pages = size >> PAGE_SHIFT;
	s->pool.in_use = bitmap_zalloc(s->pool.nr_pages, GFP_KERNEL);
	if (!s->pool.in_use) {
		ret = -ENOMEM;
		goto unreserve;
	}
	s->cached = kvzalloc(s->pool.nr_pages, GFP_KERNEL);
	if (!s->cached) {
		ret = -ENOMEM;
		goto free_bitmap;
	}
	ret = xen_buddy_alloc_maps(s);
	if (ret)
		goto free_cached;
	ret = xen_scratch_index(s);
	if (ret)
		goto free_maps;
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
	xen_buddy_put_run(s, s->pool.pfn, s->pool.nr_pages);
	s->idle_since = jiffies;
	return s;

restore_p2m:
	xen_scratch_p2m_restore(s, s->pool.nr_pages);
unindex:
	xen_scratch_unindex(s, s->pool.nr_pages >> xen_granule_order());
free_maps:
	xen_buddy_free_maps(s);
free_cached:
	kvfree(s->cached);
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
	xen_scratch_carved++;
}

/*
 * Makes every CPU's cache forget @s, which is going: no page of it is
 * cached, and no cache finds it any more once its granules are unindexed.
 */
static void xen_hot_forget(struct xen_scratch *s)
{
	struct xen_hot *hot;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		hot = per_cpu_ptr(&xen_hot, cpu);
		spin_lock(&hot->lock);
		if (hot->last == s)
			hot->last = NULL;
		spin_unlock(&hot->lock);
	}
}

/* Gives back idle range @s: its pages, its reservations, its p2m entries. */
static void xen_scratch_release(struct xen_scratch *s)
{
	list_del(&s->pool.list);
	xen_scratch_free -= s->pool.nr_free;
	memunmap_pages(&s->pgmap);
	xen_scratch_p2m_restore(s, s->pool.nr_pages);
	xen_scratch_unindex(s, s->pool.nr_pages >> xen_granule_order());
	xen_hot_forget(s);
	if (xen_scratch_last == s)
		xen_scratch_last = NULL;
	xen_buddy_free_maps(s);
	kvfree(s->cached);
	bitmap_free(s->pool.in_use);
	pr_info("released %#llx-%#llx\n", (u64)s->res.start, (u64)s->res.end);
	xen_scratch_unreserve(s);
	kfree(s);
	xen_scratch_reclaimed++;
}

/*
 * The largest number of granules, at most @n, that one free stretch of the
 * target still holds.  A fit of n granules implies a fit of fewer, so
 * this bisects with trial reservations.
 */
static unsigned long xen_scratch_room(unsigned long n)
{
	struct range mhp = mhp_get_pluggable_range(true);
	u64 granule = (u64)xen_granule_pages() << PAGE_SHIFT;
	struct resource probe = { .name = "Xen scratch: probe" };
	unsigned long lo = 0, mid;

	probe.flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	while (lo < n) {
		mid = lo + (n - lo + 1) / 2;
		if (allocate_resource(target_resource, &probe, mid * granule,
				      mhp.start, mhp.end, granule, NULL, NULL)) {
			n = mid - 1;
		} else {
			release_resource(&probe);
			lo = mid;
		}
	}
	return lo;
}

/*
 * Carves ranges until at least @nr_pages more pages are free, or no more
 * can be carved.  Each range is as large as still needed, up to
 * XEN_SCRATCH_MAX_SECTIONS sections, or as large as the largest free
 * stretch of the target, so one request can span several extended
 * regions.
 */
static void xen_scratch_fill(unsigned long nr_pages)
{
	unsigned long max = XEN_SCRATCH_MAX_SECTIONS * PAGES_PER_SECTION >>
			    xen_granule_order();
	unsigned long need = DIV_ROUND_UP(nr_pages, xen_granule_pages());
	struct xen_scratch *s;
	bool probe = false;
	unsigned long n;

	lockdep_assert_held(&xen_upool_lock);
	while (need) {
		n = min(need, max);
		/*
		 * Probe only once a carve found no room: on x86 the target
		 * is iomem_resource, where a probe is briefly in the way of
		 * others.
		 */
		if (probe)
			n = xen_scratch_room(n);
		if (!n) {
			pr_warn_ratelimited("no room left to carve %lu more page(s)\n",
					    need << xen_granule_order());
			break;
		}
		s = xen_scratch_carve((u64)n << xen_granule_order() << PAGE_SHIFT,
				      (u64)xen_granule_pages() << PAGE_SHIFT);
		probe = IS_ERR(s) && PTR_ERR(s) == -EBUSY;
		if (IS_ERR(s)) {
			/* -EBUSY: not that much room (any more): look again. */
			if (probe)
				continue;
			pr_warn_ratelimited("cannot carve %lu more page(s): %ld\n",
					    need << xen_granule_order(), PTR_ERR(s));
			break;
		}
		pr_info("carved %#llx-%#llx\n", (u64)s->res.start,
			(u64)s->res.end);
		xen_scratch_add(s);
		need -= n;
	}
}

/*
 * Hands out the @nr pages from @pfn of @s, just taken from its buddy.
 * ZONE_DEVICE needs SPARSEMEM_VMEMMAP, so the struct pages of a range are
 * consecutive in the vmemmap: no per-page lookup, no struct page read.
 */
static void xen_scratch_hand_out(struct xen_scratch *s, unsigned long pfn,
				 unsigned int nr, struct page **pages)
{
	struct page *first = pfn_to_page(pfn);
	unsigned int i;

	if (nr == 1)
		__set_bit(pfn - s->pool.pfn, s->pool.in_use);
	else
		bitmap_set(s->pool.in_use, pfn - s->pool.pfn, nr);
	s->pool.nr_free -= nr;
	xen_scratch_free -= nr;
	/* Four at a time: batches are mostly whole blocks of four or more. */
	for (i = 0; i + 4 <= nr; i += 4) {
		pages[i] = first + i;
		pages[i + 1] = first + i + 1;
		pages[i + 2] = first + i + 2;
		pages[i + 3] = first + i + 3;
	}
	for (; i < nr; i++)
		pages[i] = first + i;
}

/* Takes a block of @order from the lowest range that has one, or NULL. */
static struct xen_scratch *xen_scratch_take_block(unsigned int order,
						  unsigned long *pfn)
{
	struct xen_scratch *s;

	list_for_each_entry(s, &xen_scratch_ranges, pool.list)
		if (xen_buddy_take(s, order, pfn))
			return s;
	return NULL;
}

/*
 * Hands out up to @nr scratch pages, in blocks as large as what is left to
 * hand out; returns how many.
 */
static unsigned int xen_scratch_take(unsigned int nr, struct page **pages)
{
	unsigned int n = 0, order = XEN_BUDDY_ORDERS - 1;
	struct xen_scratch *s;
	unsigned long pfn;

	while (n < nr) {
		/* No range has a block of a larger order than the last miss. */
		order = min_t(unsigned int, order, ilog2(nr - n));
		s = xen_scratch_take_block(order, &pfn);
		if (s) {
			xen_scratch_hand_out(s, pfn, BIT(order), pages + n);
			n += BIT(order);
		} else if (order) {
			order--;
		} else {
			break;
		}
	}
	return n;
}

/*
 * Hands out up to @nr_pages pages, seeded ones first, carving scratch
 * ranges as needed; returns how many.
 */
static unsigned int xen_upool_take_all(unsigned int nr_pages,
				       struct page **pages)
{
	unsigned long avail = xen_seed_free + xen_scratch_free;
	struct xen_seed *sd;
	unsigned int i = 0, n;

	lockdep_assert_held(&xen_upool_lock);
	if (target_resource && avail < nr_pages)
		xen_scratch_fill(nr_pages - avail);

	list_for_each_entry(sd, &xen_seeds, pool.list) {
		if (i == nr_pages)
			break;
		n = xen_upool_take(&sd->pool, nr_pages - i, pages + i);
		xen_seed_free -= n;
		i += n;
	}
	return i + xen_scratch_take(nr_pages - i, pages + i);
}

/*
 * The scratch range that holds @pfn, or NULL.  Scratch ranges are address
 * space that nothing else uses, so the pfn alone tells.
 */
static struct xen_scratch *xen_scratch_of(unsigned long pfn)
{
	struct xen_scratch *s = xen_scratch_last;

	lockdep_assert_held(&xen_upool_lock);
	if (s && pfn - s->pool.pfn < s->pool.nr_pages)
		return s;
	s = xa_load(&xen_scratch_granules, pfn >> xen_granule_order());
	if (s)
		xen_scratch_last = s;
	return s;
}

/*
 * Whether idle ranges may be given back.  Not in an x86 PV domain: there
 * memunmap_pages() frees the page tables of the range's vmemmap while Xen
 * still has them pinned read-only, and the page allocator hands them out
 * again (the first write to one faults).
 */
static bool xen_reclaim_possible(void)
{
	return !xen_pv_domain();
}

/*
 * Starts the reclaim timer for the delay after @since, unless reclaim is
 * off or it is already queued: then its run finds what is due later too
 * and queues itself again for it.
 */
static void xen_reclaim_arm(unsigned long since)
{
	int delay = READ_ONCE(xen_reclaim_delay);
	unsigned long due;

	if (delayed_work_pending(&xen_reclaim_work))
		return;
	if (delay < 0 || !xen_reclaim_possible())
		return;
	due = since + (unsigned long)delay * HZ;
	schedule_delayed_work(&xen_reclaim_work,
			      time_after(due, jiffies) ? due - jiffies : 0);
}

/*
 * Takes back the @nr pages from @pfn, handed out from @s, as whole blocks
 * of its buddy; @since is when they were freed.  Pages that are free or
 * in a CPU's cache are refused with a warning; the others still go back.
 * Returns whether @s is idle now.
 */
static bool xen_scratch_put(struct xen_scratch *s, unsigned long pfn,
			    unsigned int nr, unsigned long since)
{
	unsigned long idx = pfn - s->pool.pfn, i;
	bool cached;

	/* Other CPUs' caches write other pages' bytes: none of these. */
	cached = data_race(memchr_inv(s->cached + idx, 0, nr));
	if (cached ||
	    find_next_zero_bit(s->pool.in_use, idx + nr, idx) < idx + nr) {
		for (i = 0; i < nr; i++) {
			if (WARN_ONCE(READ_ONCE(s->cached[idx + i]),
				      "Xen unpopulated page %#lx freed twice\n",
				      pfn + i) ||
			    !xen_upool_put(&s->pool, idx + i))
				continue;
			xen_scratch_free++;
			xen_buddy_put(s, pfn + i, 0);
		}
	} else {
		bitmap_clear(s->pool.in_use, idx, nr);
		s->pool.nr_free += nr;
		xen_scratch_free += nr;
		xen_buddy_put_run(s, pfn, nr);
	}
	if (time_after(since, s->idle_since))
		s->idle_since = since;
	return s->pool.nr_free == s->pool.nr_pages;
}

/* Puts the pages of every CPU's cache back into their ranges' buddies. */
static void xen_hot_drain(void)
{
	struct xen_scratch *s;
	struct xen_hot *hot;
	unsigned long pfn;
	unsigned int cpu;

	lockdep_assert_held(&xen_upool_lock);
	for_each_possible_cpu(cpu) {
		hot = per_cpu_ptr(&xen_hot, cpu);
		spin_lock(&hot->lock);
		while (hot->nr) {
			hot->nr--;
			s = hot->pages[hot->nr].s;
			pfn = hot->pages[hot->nr].pfn;
			WRITE_ONCE(s->cached[pfn - s->pool.pfn], 0);
			/*
			 * The reclaim work queued as the cache took the page
			 * finds @s if it is idle now.
			 */
			xen_scratch_put(s, pfn, 1, hot->stamp);
		}
		spin_unlock(&hot->lock);
	}
}

/*
 * Keeps @page in a CPU's cache if it is a scratch page handed out, without
 * xen_upool_lock; false if it is not one or the cache is full, and the
 * mutex path is to take it back.  A range found under the cache's lock
 * stays while it is held: xen_hot_forget() waits for the lock.  Two frees
 * of one page at the same time on two CPUs may both be taken.
 */
static bool xen_hot_put(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), idx;
	struct xen_scratch *s;
	struct xen_hot *hot;
	bool taken = false;

	/* Any CPU's cache will do, as it is locked: this one is the nearest. */
	hot = raw_cpu_ptr(&xen_hot);
	spin_lock(&hot->lock);
	if (hot->nr == XEN_HOT_PAGES)
		goto unlock;
	s = hot->last;
	if (!s || pfn - s->pool.pfn >= s->pool.nr_pages) {
		s = xa_load(&xen_scratch_granules, pfn >> xen_granule_order());
		if (!s)
			goto unlock;
		hot->last = s;
	}
	idx = pfn - s->pool.pfn;
	/*
	 * A page's in-use bit changes under the mutex alone, as the page is
	 * handed out or taken back: while its holder frees it, it stays set.
	 */
	if (!test_bit(idx, s->pool.in_use))
		goto unlock;
	taken = true;
	if (WARN_ONCE(READ_ONCE(s->cached[idx]),
		      "Xen unpopulated page %#lx freed twice\n", pfn))
		goto unlock;
	WRITE_ONCE(s->cached[idx], 1);
	hot->pages[hot->nr].s = s;
	hot->pages[hot->nr].pfn = pfn;
	hot->nr++;
	hot->stamp = jiffies;
unlock:
	spin_unlock(&hot->lock);
	if (taken)
		xen_reclaim_arm(jiffies);
	return taken;
}

/* Takes a page from a CPU's cache into @page; false if it has none. */
static bool xen_hot_take(struct page **page)
{
	struct xen_hot *hot = raw_cpu_ptr(&xen_hot);
	struct xen_scratch *s;
	unsigned long pfn;

	spin_lock(&hot->lock);
	if (!hot->nr) {
		spin_unlock(&hot->lock);
		return false;
	}
	hot->nr--;
	s = hot->pages[hot->nr].s;
	pfn = hot->pages[hot->nr].pfn;
	WRITE_ONCE(s->cached[pfn - s->pool.pfn], 0);
	spin_unlock(&hot->lock);
	*page = pfn_to_page(pfn);
	return true;
}

/*
 * Takes back @page, which is not a scratch page: a seeded page to its
 * run, a ballooned page to the balloon.  A page that is neither, or is
 * free, is refused with a warning.
 */
static void xen_upool_free_other(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct xen_seed *sd;

	sd = is_zone_device_page(page) ? NULL : xen_seed_of(pfn);
	if (sd) {
		if (xen_upool_put(&sd->pool, pfn - sd->pool.pfn))
			xen_seed_free++;
		return;
	}
	if (!is_zone_device_page(page) && xa_erase(&xen_ballooned, pfn)) {
		xen_balloon_out--;
		xen_free_ballooned_pages(1, &page);
		return;
	}
	WARN_ONCE(1, "freeing page %#lx that is not a Xen unpopulated page\n",
		  pfn);
}

/* Takes back @nr_pages pages, consecutive scratch pages a run at a time. */
static void xen_upool_free_pages(unsigned int nr_pages, struct page **pages)
{
	struct page **pp, *next;
	unsigned long pfn, end;
	struct xen_scratch *s;
	unsigned int i, run;

	lockdep_assert_held(&xen_upool_lock);
	for (i = 0; i < nr_pages; i += run) {
		run = 1;
		if (WARN_ON_ONCE(!pages[i]))
			continue;
		pfn = page_to_pfn(pages[i]);
		s = xen_scratch_of(pfn);
		if (!s) {
			xen_upool_free_other(pages[i]);
			continue;
		}
		/* Consecutive in the vmemmap, as in xen_scratch_hand_out(). */
		end = min_t(unsigned long, s->pool.pfn + s->pool.nr_pages - pfn,
			    nr_pages - i);
		next = pages[i] + 1;
		pp = pages + i + 1;
		/* Four at a time while they follow, then one by one. */
		while (pp + 4 <= pages + i + end && pp[0] == next &&
		       pp[1] == next + 1 && pp[2] == next + 2 && pp[3] == next + 3) {
			pp += 4;
			next += 4;
		}
		while (pp < pages + i + end && *pp == next) {
			pp++;
			next++;
		}
		run = pp - (pages + i);
		if (xen_scratch_put(s, pfn, run, jiffies))
			xen_reclaim_arm(s->idle_since);
	}
}

/*
 * Gets @nr_pages ballooned pages and records them as such, or gets none.
 * Called without xen_upool_lock: the balloon may take long.
 */
static int xen_balloon_take(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret;

	ret = xen_alloc_ballooned_pages(nr_pages, pages);
	if (ret)
		return ret;
	mutex_lock(&xen_upool_lock);
	for (i = 0; i < nr_pages; i++) {
		ret = xa_err(xa_store(&xen_ballooned, page_to_pfn(pages[i]),
				      pages[i], GFP_KERNEL));
		if (ret)
			break;
	}
	if (ret) {
		while (i--)
			xa_erase(&xen_ballooned, page_to_pfn(pages[i]));
	} else {
		xen_balloon_out += nr_pages;
		xen_balloon_served += nr_pages;
	}
	mutex_unlock(&xen_upool_lock);
	if (ret)
		xen_free_ballooned_pages(nr_pages, pages);
	return ret;
}

/*
 * The part of xen_alloc_unpopulated_pages() under xen_upool_lock, with
 * the balloon for what scratch space cannot meet.
 */
static int xen_upool_alloc(unsigned int nr_pages, struct page **pages)
{
	unsigned int n;
	int ret;

	mutex_lock(&xen_upool_lock);
	n = xen_upool_take_all(nr_pages, pages);
	ret = xen_p2m_alloc_entries(n, pages);
	if (ret)
		goto put;
	mutex_unlock(&xen_upool_lock);
	if (n == nr_pages)
		return 0;

	if (target_resource)
		pr_info_ratelimited("%u of %u page(s) from the balloon: no scratch space for them\n",
				    nr_pages - n, nr_pages);
	ret = xen_balloon_take(nr_pages - n, pages + n);
	if (!ret)
		return 0;
	mutex_lock(&xen_upool_lock);
put:
	xen_upool_free_pages(n, pages);
	mutex_unlock(&xen_upool_lock);
	return ret;
}

/* The part of xen_free_unpopulated_pages() under xen_upool_lock. */
static void xen_upool_free(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;
	int ret;

	mutex_lock(&xen_upool_lock);
	if (!xen_seeding) {
		xen_upool_free_pages(nr_pages, pages);
		mutex_unlock(&xen_upool_lock);
		return;
	}
	for (i = 0; i < nr_pages; i++) {
		if (WARN_ON_ONCE(!pages[i]))
			continue;
		ret = xen_seed_add(pages[i]);
		if (ret == -ENOMEM)
			xen_seed_lost++;
		else
			WARN_ONCE(ret, "page %#lx cannot be seeded: %d\n",
				  page_to_pfn(pages[i]), ret);
	}
	mutex_unlock(&xen_upool_lock);
}

/**
 * xen_alloc_unpopulated_pages - get pages to map foreign pages into
 * @nr_pages: how many
 * @pages: filled with the pages
 *
 * A single page comes from a CPU's cache of scratch pages freed alone,
 * without the allocator's mutex, if it has one.  Otherwise pages the arch
 * hook handed in go first, then pages of scratch ranges, carving new
 * ranges as needed.  The part of the request that those cannot meet (no
 * target resource, the target used up, or a range that cannot be carved)
 * comes from xen_alloc_ballooned_pages().
 *
 * Context: process context; may take the allocator's mutex and carve.
 *
 * Return: 0, or -ENOMEM (or another negative errno) with nothing taken.
 */
int xen_alloc_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	int ret;

	if (!nr_pages)
		return 0;
	if (WARN_ON(!pages))
		return -EINVAL;
	if (nr_pages != 1 || !xen_hot_take(pages))
		return xen_upool_alloc(nr_pages, pages);

	ret = xen_p2m_alloc_entries(1, pages);
	if (ret)
		xen_free_unpopulated_pages(1, pages);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_pages);

/**
 * xen_free_unpopulated_pages - return pages from xen_alloc_unpopulated_pages
 * @nr_pages: how many
 * @pages: the pages
 *
 * Each page goes back where it came from: its scratch range, its run of
 * seeded pages, or the balloon, in any mix and order; a scratch page freed
 * alone goes to a cache of the CPU, without the allocator's mutex.  While
 * the arch hook runs at init, the pages it hands in here are taken as
 * seeded pages.  A page that is none of these, or is already free, is
 * refused with a warning and left alone.
 *
 * Context: process context; may take the allocator's mutex.
 */
void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	if (!nr_pages || WARN_ON(!pages))
		return;
	if (nr_pages != 1 || !pages[0] || !xen_hot_put(pages[0]))
		xen_upool_free(nr_pages, pages);
}
EXPORT_SYMBOL(xen_free_unpopulated_pages);

/*
 * Takes a free block of @order from the scratch ranges: one that is free,
 * else one that the CPUs' cached single pages complete, else one carved
 * for it, as large as the block and aligned to its size.
 */
static struct xen_scratch *xen_scratch_take_contig(unsigned int order,
						   unsigned long *pfn)
{
	u64 size = (u64)max(BIT(order), xen_granule_pages()) << PAGE_SHIFT;
	struct xen_scratch *s;

	s = xen_scratch_take_block(order, pfn);
	if (s)
		return s;
	xen_hot_drain();
	s = xen_scratch_take_block(order, pfn);
	if (s)
		return s;
	s = xen_scratch_carve(size, size);
	if (IS_ERR(s)) {
		pr_warn_ratelimited("cannot carve %llu contiguous bytes: %ld\n",
				    size, PTR_ERR(s));
		return s;
	}
	pr_info("carved %#llx-%#llx\n", (u64)s->res.start, (u64)s->res.end);
	xen_scratch_add(s);
	if (WARN_ON(!xen_buddy_take(s, order, pfn)))
		return ERR_PTR(-EINVAL);
	return s;
}

/**
 * xen_alloc_unpopulated_contiguous_pages - get physically contiguous pages
 * @nr_pages: how many
 * @pages: filled with the pages, in address order
 *
 * The pages come from a block of scratch address space aligned to its size,
 * the power of two not less than @nr_pages (so at most 16 memory sections),
 * carving a range for it if no free block is that large.  They are
 * contiguous in guest-physical address space only: they have no RAM behind
 * them, so they are not DMA-able by a device unless foreign pages mapped
 * there are.  Unlike xen_alloc_unpopulated_pages(), this never takes
 * seeded or ballooned pages.  Return them with
 * xen_free_unpopulated_contiguous_pages().
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
	unsigned int order = order_base_2(nr_pages);
	struct xen_scratch *s;
	unsigned long pfn;
	int ret = 0;

	if (!nr_pages || WARN_ON(!pages))
		return -EINVAL;
	if (order >= XEN_BUDDY_ORDERS ||
	    BIT(order) > XEN_SCRATCH_MAX_SECTIONS * PAGES_PER_SECTION)
		return -EINVAL;

	mutex_lock(&xen_upool_lock);
	if (!target_resource) {
		ret = -ENOMEM;
		goto unlock;
	}
	s = xen_scratch_take_contig(order, &pfn);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s) == -EBUSY ? -ENOMEM : PTR_ERR(s);
		goto unlock;
	}
	xen_scratch_hand_out(s, pfn, nr_pages, pages);
	/* The rest of the block was never handed out: only back in. */
	xen_buddy_put_run(s, pfn + nr_pages, BIT(order) - nr_pages);
	ret = xen_p2m_alloc_entries(nr_pages, pages);
	if (!ret)
		xen_contig_served++;
	else if (xen_scratch_put(s, pfn, nr_pages, jiffies))
		xen_reclaim_arm(s->idle_since);
unlock:
	mutex_unlock(&xen_upool_lock);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_contiguous_pages);

/**
 * xen_free_unpopulated_contiguous_pages - return contiguous scratch pages
 * @nr_pages: how many, as when they were allocated
 * @pages: the pages from xen_alloc_unpopulated_contiguous_pages()
 *
 * The block goes back to the buddy at once, merging with free neighbours.
 *
 * Context: process context; takes the allocator's mutex.
 */
void xen_free_unpopulated_contiguous_pages(unsigned int nr_pages,
					   struct page **pages)
{
	unsigned long pfn;
	unsigned int i;

	if (!nr_pages || WARN_ON(!pages))
		return;
	pfn = page_to_pfn(pages[0]);
	for (i = 1; i < nr_pages; i++)
		if (WARN_ONCE(page_to_pfn(pages[i]) != pfn + i,
			      "Xen unpopulated pages %#lx.. are not contiguous\n",
			      pfn))
			break;

	mutex_lock(&xen_upool_lock);
	xen_upool_free_pages(nr_pages, pages);
	mutex_unlock(&xen_upool_lock);
}
EXPORT_SYMBOL(xen_free_unpopulated_contiguous_pages);

/**
 * is_xen_unpopulated_page - whether a page is scratch address space
 * @page: the page
 *
 * Return: true if @page belongs to one of the scratch ranges that the
 * allocator carved (no RAM behind it), false for any other page,
 * including seeded and ballooned pages that it handed out.
 *
 * Context: process context; takes the allocator's mutex.
 */
bool is_xen_unpopulated_page(struct page *page)
{
	bool ret;

	mutex_lock(&xen_upool_lock);
	ret = xen_scratch_of(page_to_pfn(page));
	mutex_unlock(&xen_upool_lock);
	return ret;
}
EXPORT_SYMBOL(is_xen_unpopulated_page);

/*
 * Gives back scratch ranges that have been idle for the reclaim delay, but
 * for those that fit, in address order, in what the spare leaves after
 * the free pages of the ranges kept anyway.  Returns the jiffies until the
 * next idle range is due, or 0 if none is waiting.
 */
static unsigned long xen_scratch_reclaim(void)
{
	unsigned long delay = (unsigned long)READ_ONCE(xen_reclaim_delay) * HZ;
	unsigned long spare = READ_ONCE(xen_spare_pages), due = 0, held, left;
	struct xen_scratch *s, *tmp;

	lockdep_assert_held(&xen_upool_lock);
	/* A range goes back whole: its cached pages back in its buddy first. */
	xen_hot_drain();
	held = xen_scratch_free;
	list_for_each_entry(s, &xen_scratch_ranges, pool.list)
		if (s->pool.nr_free == s->pool.nr_pages &&
		    time_after_eq(jiffies, s->idle_since + delay))
			held -= s->pool.nr_pages;
	spare = spare > held ? spare - held : 0;

	list_for_each_entry_safe(s, tmp, &xen_scratch_ranges, pool.list) {
		if (s->pool.nr_free != s->pool.nr_pages)
			continue;
		if (time_before(jiffies, s->idle_since + delay)) {
			left = s->idle_since + delay - jiffies;
			if (!due || left < due)
				due = left;
			continue;
		}
		if (s->pool.nr_pages <= spare) {
			spare -= s->pool.nr_pages;
			continue;
		}
		xen_scratch_release(s);
	}
	return due;
}

static void xen_reclaim_fn(struct work_struct *work)
{
	unsigned long due;

	if (READ_ONCE(xen_reclaim_delay) < 0 || !xen_reclaim_possible())
		return;
	mutex_lock(&xen_upool_lock);
	due = xen_scratch_reclaim();
	mutex_unlock(&xen_upool_lock);
	if (due)
		schedule_delayed_work(&xen_reclaim_work, due);
}

/* Whether the free block @pfn of @order in @s overlaps a page of @map. */
static bool xen_buddy_overlaps(const struct xen_scratch *s,
			       const unsigned long *map, unsigned long pfn,
			       unsigned int order)
{
	unsigned long idx = pfn - s->pool.pfn;

	return find_next_bit(map, idx + BIT(order), idx) < idx + BIT(order);
}

/*
 * Checks the buddy of @s, whose cached pages are back in it: every free
 * block lies in the range (and is aligned, as the maps only name aligned
 * blocks), free blocks are disjoint from each other and from the pages
 * handed out, they add up to the free pages, and no two are buddies.
 * Returns the number of faults found.
 */
static unsigned long xen_buddy_check(const struct xen_scratch *s)
{
	unsigned long *seen, nbits, bit, pfn, n, free = 0, faults = 0;
	unsigned int order;

	seen = bitmap_zalloc(s->pool.nr_pages, GFP_KERNEL);
	if (!seen)
		return 0;
	for (order = 0; order <= s->max_order; order++) {
		nbits = xen_buddy_bits(s, order);
		n = 0;
		for (bit = find_first_bit(s->free_map[order], nbits);
		     bit < nbits;
		     bit = find_next_bit(s->free_map[order], nbits, bit + 1)) {
			n++;
			pfn = ((s->pool.pfn >> order) + bit) << order;
			if (!xen_buddy_in(s, pfn, order)) {
				faults++;
				continue;
			}
			if (xen_buddy_overlaps(s, seen, pfn, order) ||
			    xen_buddy_overlaps(s, s->pool.in_use, pfn, order))
				faults++;
			bitmap_set(seen, pfn - s->pool.pfn, BIT(order));
			free += BIT(order);
			if (order < s->max_order &&
			    xen_buddy_in(s, xen_buddy_of(pfn, order), order) &&
			    xen_buddy_is_free(s, xen_buddy_of(pfn, order), order))
				faults++;
		}
		if (n != s->nr_blocks[order] ||
		    find_first_bit(s->free_map[order], nbits) < s->first[order])
			faults++;
	}
	if (free != s->pool.nr_free ||
	    free + bitmap_weight(s->pool.in_use, s->pool.nr_pages) !=
	    s->pool.nr_pages)
		faults++;
	bitmap_free(seen);
	return faults;
}

/**
 * xen_unpopulated_get_stats - snapshot of the allocator's state
 * @st: filled in
 *
 * Single pages cached for single-page requests go back into the buddy
 * first, so that the block counts are exact; the buddy of every range is
 * checked on the way (st->buddy_faults, with a warning).
 */
void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st)
{
	struct xen_scratch *s;
	struct xen_seed *sd;
	unsigned int order;

	memset(st, 0, sizeof(*st));
	mutex_lock(&xen_upool_lock);
	xen_hot_drain();
	st->scratch = !!target_resource;
	st->granule_pages = xen_granule_pages();
	list_for_each_entry(s, &xen_scratch_ranges, pool.list) {
		st->nr_ranges++;
		st->pages += s->pool.nr_pages;
		st->free += s->pool.nr_free;
		for (order = 0; order <= s->max_order; order++)
			st->free_blocks[order] += s->nr_blocks[order];
		st->buddy_faults += xen_buddy_check(s);
	}
	WARN_ONCE(st->buddy_faults, "Xen unpopulated buddy: %lu fault(s)\n",
		  st->buddy_faults);
	st->contig_served = xen_contig_served;
	list_for_each_entry(sd, &xen_seeds, pool.list) {
		st->nr_seed_runs++;
		st->seeded += sd->pool.nr_pages;
		st->seeded_free += sd->pool.nr_free;
	}
	WARN_ON(st->free != xen_scratch_free);
	WARN_ON(st->seeded != xen_seeded || st->seeded_free != xen_seed_free);
	st->seed_lost = xen_seed_lost;
	st->blocked = xen_scratch_blocked;
	st->carved = xen_scratch_carved;
	st->reclaimed = xen_scratch_reclaimed;
	st->balloon_out = xen_balloon_out;
	st->balloon_served = xen_balloon_served;
	mutex_unlock(&xen_upool_lock);
}

static int xen_unpopulated_show(struct seq_file *m, void *v)
{
	struct xen_unpopulated_stats st;
	struct xen_scratch *s;
	struct resource *r;
	unsigned int order;

	xen_unpopulated_get_stats(&st);
	seq_printf(m, "granularity: %s, %lu KiB\n",
		   xen_subsection ? "subsection" : "section",
		   st.granule_pages << PAGE_SHIFT >> 10);
	seq_printf(m, "reclaim: delay %d s, spare %lu page(s)\n",
		   READ_ONCE(xen_reclaim_delay), READ_ONCE(xen_spare_pages));

	mutex_lock(&xen_upool_lock);
	if (!target_resource)
		seq_puts(m, "target: none\n");
	else if (target_resource == &iomem_resource)
		seq_puts(m, "target: iomem\n");
	else
		seq_printf(m, "target: %#llx-%#llx\n",
			   (u64)target_resource->start,
			   (u64)target_resource->end);
	/* Only this file changes the target's children, under the lock. */
	if (target_resource && target_resource != &iomem_resource) {
		for (r = target_resource->child; r; r = r->sibling) {
			s = xa_load(&xen_scratch_granules,
				    PHYS_PFN(r->start) >> xen_granule_order());
			if (s && &s->res == r)
				seq_printf(m, "range: %#llx-%#llx pages %lu free %lu in-use %lu\n",
					   (u64)r->start, (u64)r->end,
					   s->pool.nr_pages, s->pool.nr_free,
					   s->pool.nr_pages - s->pool.nr_free);
			else
				seq_printf(m, "busy: %#llx-%#llx %s\n",
					   (u64)r->start, (u64)r->end,
					   r->name ? r->name : "?");
		}
	}
	mutex_unlock(&xen_upool_lock);

	seq_printf(m, "scratch: ranges %u pages %lu free %lu in-use %lu\n",
		   st.nr_ranges, st.pages, st.free, st.pages - st.free);
	seq_printf(m, "seeded: runs %u pages %lu free %lu in-use %lu\n",
		   st.nr_seed_runs, st.seeded, st.seeded_free,
		   st.seeded - st.seeded_free);
	seq_printf(m, "ballooned: in-use %lu\n", st.balloon_out);
	seq_printf(m, "counters: carved %lu reclaimed %lu balloon-served %lu blocked-bytes %llu contiguous-served %lu\n",
		   st.carved, st.reclaimed, st.balloon_served,
		   (unsigned long long)st.blocked, st.contig_served);
	seq_puts(m, "free-blocks:");
	for (order = 0; order < XEN_UNPOPULATED_ORDERS; order++)
		seq_printf(m, " %lu", st.free_blocks[order]);
	seq_printf(m, "\nbuddy-faults: %lu\n", st.buddy_faults);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xen_unpopulated);

static int __init xen_unpopulated_debugfs(void)
{
	struct dentry *dir;

	if (!xen_domain())
		return 0;
	/*
	 * x86 makes "xen" at fs_initcall time; Arm has none.  Without
	 * debugfs, the lookup and the creations return error pointers.
	 */
	dir = debugfs_lookup("xen", NULL);
	if (IS_ERR_OR_NULL(dir)) {
		dir = debugfs_create_dir("xen", NULL);
		debugfs_create_file("unpopulated", 0444, dir, NULL,
				    &xen_unpopulated_fops);
	} else {
		debugfs_create_file("unpopulated", 0444, dir, NULL,
				    &xen_unpopulated_fops);
		dput(dir);
	}
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
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(&xen_hot, cpu)->lock);
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
	if (xen_pv_domain())
		pr_info("PV domain: idle scratch ranges are kept\n");
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

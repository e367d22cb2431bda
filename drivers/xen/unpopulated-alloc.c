// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unpopulated pages for Xen grant and foreign mappings.
 *
 * Pages come from scratch ranges: unused guest-physical address space
 * carved, a whole number of sections at a time, from the target resource
 * (on Arm, the extended regions Xen advertises) and backed by ZONE_DEVICE
 * struct pages through memremap_pages().  Without a target resource,
 * ballooned pages are used instead.
 *
 * Every scratch range keeps its own free set: a bitmap with one bit per
 * page, set while the page is handed out.  A page finds its range through
 * its pgmap, so freeing needs no search; a page that is not ours or is
 * already free is refused with a warning instead of corrupting the set; a
 * range whose pages are all free can be recognised for reclaim; and
 * contiguous runs can be found in the bitmap.
 *
 * Arm and HVM-style guests only: x86 PV guests would also need their p2m
 * updated, so they keep ballooned pages.
 */

#define pr_fmt(fmt) "xen-unpopulated: " fmt

#include <linux/bitmap.h>
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

#include <xen/balloon.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>

/* One range at most this many sections: its bitmap stays a small kmalloc. */
#define XEN_SCRATCH_MAX_SECTIONS	16UL

/**
 * struct xen_scratch - one carved range of unused address space
 * @list:	entry in xen_scratch_ranges, ascending addresses
 * @res:	the range, a busy child of the target resource
 * @iomem:	the same range, reserved in iomem_resource
 * @nr_pages:	pages backing the range
 * @nr_free:	of those, pages not handed out
 * @hint:	where the next search for a free page starts
 * @in_use:	one bit per page, set while the page is handed out
 * @pgmap:	the ZONE_DEVICE mapping; last, as it ends in a flexible array
 */
struct xen_scratch {
	struct list_head list;
	struct resource res;
	struct resource iomem;
	unsigned long nr_pages;
	unsigned long nr_free;
	unsigned long hint;
	unsigned long *in_use;
	struct dev_pagemap pgmap;
};

#ifdef XEN_UNPOPULATED_PAGES_COUNT
/*
 * Newer kernels' balloon driver subtracts this many pages set aside for
 * unpopulated use from its target (x86 extra memory); Arm sets none aside.
 * scripts/kernel-overlay.sh defines the flag where xen.h declares it.
 */
unsigned long xen_unpopulated_pages __initdata;
#endif

static DEFINE_MUTEX(xen_scratch_lock);
static LIST_HEAD(xen_scratch_ranges);
static unsigned long xen_scratch_free;
static u64 xen_scratch_blocked;
static struct resource *target_resource;

/* Owner of our pgmaps: tells our pages from other ZONE_DEVICE pages. */
#define XEN_SCRATCH_OWNER	((void *)&xen_scratch_ranges)

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

	s->nr_pages = size >> PAGE_SHIFT;
	s->in_use = bitmap_zalloc(s->nr_pages, GFP_KERNEL);
	if (!s->in_use) {
		ret = -ENOMEM;
		goto unreserve;
	}

	s->pgmap.type = MEMORY_DEVICE_GENERIC;
	s->pgmap.range.start = s->res.start;
	s->pgmap.range.end = s->res.end;
	s->pgmap.nr_range = 1;
	s->pgmap.owner = XEN_SCRATCH_OWNER;
	vaddr = memremap_pages(&s->pgmap, NUMA_NO_NODE);
	if (IS_ERR(vaddr)) {
		ret = PTR_ERR(vaddr);
		pr_err("cannot back %#llx-%#llx with pages: %d\n",
		       (u64)s->res.start, (u64)s->res.end, ret);
		goto free_bitmap;
	}
	s->nr_free = s->nr_pages;
	return s;

free_bitmap:
	bitmap_free(s->in_use);
unreserve:
	xen_scratch_unreserve(s);
free:
	kfree(s);
	return ERR_PTR(ret);
}

static void xen_scratch_add(struct xen_scratch *s)
{
	struct xen_scratch *pos;

	list_for_each_entry(pos, &xen_scratch_ranges, list)
		if (pos->res.start > s->res.start)
			break;
	list_add_tail(&s->list, &pos->list);
	xen_scratch_free += s->nr_free;
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

	lockdep_assert_held(&xen_scratch_lock);
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

static void xen_scratch_take(unsigned int nr_pages, struct page **pages)
{
	struct xen_scratch *s;
	unsigned int i = 0;
	unsigned long idx;

	list_for_each_entry(s, &xen_scratch_ranges, list) {
		for (; i < nr_pages && s->nr_free; i++) {
			idx = find_next_zero_bit(s->in_use, s->nr_pages, s->hint);
			if (idx >= s->nr_pages)
				idx = find_first_zero_bit(s->in_use, s->nr_pages);
			__set_bit(idx, s->in_use);
			s->hint = idx + 1;
			s->nr_free--;
			pages[i] = pfn_to_page(PHYS_PFN(s->res.start) + idx);
		}
		if (i == nr_pages)
			break;
	}
	xen_scratch_free -= nr_pages;
}

/**
 * xen_alloc_unpopulated_pages - get pages to map foreign pages into
 * @nr_pages: how many
 * @pages: filled with the pages
 *
 * Return: 0, or -ENOMEM (or another negative errno) with nothing taken.
 */
int xen_alloc_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	int ret = 0;

	if (!nr_pages)
		return 0;
	if (WARN_ON(!pages))
		return -EINVAL;
	if (!target_resource)
		return xen_alloc_ballooned_pages(nr_pages, pages);

	mutex_lock(&xen_scratch_lock);
	if (xen_scratch_free < nr_pages)
		ret = xen_scratch_fill(nr_pages - xen_scratch_free);
	if (!ret)
		xen_scratch_take(nr_pages, pages);
	mutex_unlock(&xen_scratch_lock);
	return ret;
}
EXPORT_SYMBOL(xen_alloc_unpopulated_pages);

/* The range @page belongs to and its index there, or NULL if not ours. */
static struct xen_scratch *xen_scratch_of(struct page *page,
					  unsigned long *idx)
{
	struct xen_scratch *s;

	if (!page || !is_zone_device_page(page) ||
	    page->pgmap->owner != XEN_SCRATCH_OWNER)
		return NULL;
	s = container_of(page->pgmap, struct xen_scratch, pgmap);
	*idx = page_to_pfn(page) - PHYS_PFN(s->res.start);
	return *idx < s->nr_pages ? s : NULL;
}

/**
 * xen_free_unpopulated_pages - return pages from xen_alloc_unpopulated_pages
 * @nr_pages: how many
 * @pages: the pages
 *
 * A page that is not a scratch page, or is already free, is refused with a
 * warning and left alone.
 */
void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages)
{
	struct xen_scratch *s;
	unsigned long idx;
	unsigned int i;

	if (!nr_pages || WARN_ON(!pages))
		return;
	if (!target_resource) {
		xen_free_ballooned_pages(nr_pages, pages);
		return;
	}

	mutex_lock(&xen_scratch_lock);
	for (i = 0; i < nr_pages; i++) {
		s = xen_scratch_of(pages[i], &idx);
		if (WARN_ONCE(!s, "freeing a page that is not a Xen scratch page\n"))
			continue;
		if (WARN_ONCE(!test_bit(idx, s->in_use),
			      "Xen scratch page %#lx freed twice\n",
			      page_to_pfn(pages[i])))
			continue;
		__clear_bit(idx, s->in_use);
		s->nr_free++;
		xen_scratch_free++;
	}
	mutex_unlock(&xen_scratch_lock);
}
EXPORT_SYMBOL(xen_free_unpopulated_pages);

/**
 * xen_unpopulated_get_stats - snapshot of the allocator's state
 * @st: filled in
 */
void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st)
{
	struct xen_scratch *s;

	memset(st, 0, sizeof(*st));
	mutex_lock(&xen_scratch_lock);
	st->scratch = !!target_resource;
	list_for_each_entry(s, &xen_scratch_ranges, list) {
		st->nr_ranges++;
		st->pages += s->nr_pages;
		st->free += s->nr_free;
	}
	WARN_ON(st->free != xen_scratch_free);
	st->blocked = xen_scratch_blocked;
	mutex_unlock(&xen_scratch_lock);
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
	if (xen_pv_domain())
		ret = -EOPNOTSUPP;
	else
		ret = arch_xen_unpopulated_init(&target_resource);
	if (ret) {
		target_resource = NULL;
		pr_info("no scratch address space (%d): ballooned pages will be used\n",
			ret);
	}
	return ret;
}
early_initcall(xen_unpopulated_init);

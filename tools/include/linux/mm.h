/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/mm.h>: struct page with the fields the Xen
 * code touches, and page sizes from the configured arm64 model.
 */
#ifndef _HOST_LINUX_MM_H
#define _HOST_LINUX_MM_H

#include <linux/kernel.h>
#include <host/model.h>

struct dev_pagemap;

struct page {
	unsigned long flags;
	struct dev_pagemap *pgmap;	/* ZONE_DEVICE pages */
	void *zone_device_data;
	/* Host model only: where the page is and what backs it. */
	unsigned long host_pfn;
	bool host_zone_device;
};

#define PAGE_SHIFT	(host_arm64.page_shift)
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)

static inline unsigned long page_to_pfn(const struct page *page)
{
	return page->host_pfn;
}

/* Pages backed by memremap_pages(); NULL for any other pfn. */
struct page *pfn_to_page(unsigned long pfn);

static inline bool is_zone_device_page(const struct page *page)
{
	return page->host_zone_device;
}

#endif

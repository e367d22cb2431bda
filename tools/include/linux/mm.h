/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/mm.h>: a 64-byte struct page in a virtually
 * contiguous array, the vmemmap, as an arm64 kernel (SPARSEMEM_VMEMMAP)
 * has it, and page sizes from the configured arm64 model.
 */
#ifndef _HOST_LINUX_MM_H
#define _HOST_LINUX_MM_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <host/model.h>

struct dev_pagemap;

/*
 * The fields the Xen code touches, at the offsets a ZONE_DEVICE page has
 * them in the kernel; the other words (the rest of the lru/mapping union,
 * index, private, map and reference counts, memcg data) only give the
 * struct its size: 64 bytes, as on arm64 without debug options.
 */
struct page {
	unsigned long flags;		/* zone number in the top bits */
	struct dev_pagemap *pgmap;	/* ZONE_DEVICE pages */
	void *zone_device_data;
	unsigned long unused[5];
};

#define PAGE_SHIFT	(host_arm64.page_shift)
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)

/*
 * One struct page slot per pfn of the physical address space, reserved
 * inaccessible; memremap_pages() and the host's RAM populate the slots of
 * their ranges and memunmap_pages() takes them away again
 * (tools/shim/memremap.c).  host_vmemmap_pfns is how many slots the
 * reservation holds: a pfn at or above it has no slot and stops the
 * program rather than alias other host memory.
 */
extern struct page *host_vmemmap;
extern unsigned long host_vmemmap_pfns;
void __noreturn host_vmemmap_bad_pfn(unsigned long pfn);

#define vmemmap		host_vmemmap

static inline struct page *pfn_to_page(unsigned long pfn)
{
	if (unlikely(pfn >= host_vmemmap_pfns))
		host_vmemmap_bad_pfn(pfn);
	return vmemmap + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return page - vmemmap;
}

/* As in the kernel, page->flags names the zone in its top bits. */
enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	__MAX_NR_ZONES
};

#define ZONES_WIDTH	3
#define ZONES_PGSHIFT	(BITS_PER_LONG - ZONES_WIDTH)
#define ZONES_MASK	((1UL << ZONES_WIDTH) - 1)

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (page->flags >> ZONES_PGSHIFT) & ZONES_MASK;
}

static inline bool is_zone_device_page(const struct page *page)
{
	return page_zonenum(page) == ZONE_DEVICE;
}

#endif

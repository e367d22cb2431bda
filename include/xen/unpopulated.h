/* SPDX-License-Identifier: GPL-2.0-only */
/* State of the unpopulated-page allocator, for statistics and tests. */
#ifndef _XEN_UNPOPULATED_H
#define _XEN_UNPOPULATED_H

#include <linux/types.h>

/**
 * struct xen_unpopulated_stats - a consistent snapshot of the allocator
 * @scratch:	pages come from scratch ranges (false: ballooned pages)
 * @nr_ranges:	scratch ranges held now
 * @pages:	pages backing those ranges
 * @free:	of those, pages not handed out
 * @nr_seed_runs: runs of pages the arch hook handed in at init
 * @seeded:	pages in those runs
 * @seeded_free: of those, pages not handed out
 * @seed_lost:	pages handed in that could not be recorded (out of memory)
 * @blocked:	bytes of the target skipped because something else used them
 * @granule_pages: pages in the unit scratch ranges are carved in
 * @carved:	scratch ranges carved since boot
 * @reclaimed:	of those, ranges given back after staying idle
 * @balloon_out: ballooned pages handed out now
 * @balloon_served: ballooned pages handed out since boot
 * @contig_served: contiguous allocations since boot
 */
struct xen_unpopulated_stats {
	bool scratch;
	unsigned int nr_ranges;
	unsigned long pages;
	unsigned long free;
	unsigned int nr_seed_runs;
	unsigned long seeded;
	unsigned long seeded_free;
	unsigned long seed_lost;
	u64 blocked;
	unsigned long granule_pages;
	unsigned long carved;
	unsigned long reclaimed;
	unsigned long balloon_out;
	unsigned long balloon_served;
	unsigned long contig_served;
};

/*
 * Pages an arch hook set aside for unpopulated use (x86: extra memory),
 * for the balloon driver's initial target.  Defined by the allocator;
 * newer <xen/xen.h> declare it too.
 */
extern unsigned long xen_unpopulated_pages;

void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st);

#endif /* _XEN_UNPOPULATED_H */

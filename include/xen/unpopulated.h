/* SPDX-License-Identifier: GPL-2.0-only */
/* State of the unpopulated-page allocator, for statistics and tests. */
#ifndef _XEN_UNPOPULATED_H
#define _XEN_UNPOPULATED_H

#include <linux/types.h>

/**
 * struct xen_unpopulated_stats - a consistent snapshot of the allocator
 * @scratch:	pages come from scratch ranges (false: ballooned pages)
 * @nr_ranges:	scratch ranges carved so far
 * @pages:	pages backing those ranges
 * @free:	of those, pages not handed out
 * @blocked:	bytes of the target skipped because something else used them
 */
struct xen_unpopulated_stats {
	bool scratch;
	unsigned int nr_ranges;
	unsigned long pages;
	unsigned long free;
	u64 blocked;
};

void xen_unpopulated_get_stats(struct xen_unpopulated_stats *st);

#endif /* _XEN_UNPOPULATED_H */

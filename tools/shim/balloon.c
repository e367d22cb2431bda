// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host balloon: each page handed out stands for a RAM page taken from the
 * guest.  Pages are counted, marked so a page that is not the balloon's is
 * refused on return, and the whole call fails with nothing taken, as the
 * kernel's xen_alloc_ballooned_pages() does.
 */
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <xen/balloon.h>
#include <host/model.h>

#define BALLOON_MARK	0xba11007UL
#define BALLOON_PFN0	0x100000UL	/* RAM pfns are modelled from 4 GiB */

static long live;
static unsigned long next_pfn = BALLOON_PFN0;

int xen_alloc_ballooned_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;

	if (host_fault_hit(HOST_FAULT_BALLOON))
		return -ENOMEM;
	for (i = 0; i < nr_pages; i++) {
		pages[i] = calloc(1, sizeof(*pages[i]));
		if (!pages[i]) {
			xen_free_ballooned_pages(i, pages);
			return -ENOMEM;
		}
		pages[i]->flags = BALLOON_MARK;
		pages[i]->host_pfn = __atomic_fetch_add(&next_pfn, 1,
							__ATOMIC_RELAXED);
		__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

void xen_free_ballooned_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		if (WARN_ON(!pages[i] || pages[i]->flags != BALLOON_MARK))
			continue;
		pages[i]->flags = 0;
		free(pages[i]);
		__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	}
}

long host_balloon_live_pages(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

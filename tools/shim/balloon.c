// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host balloon: each page handed out is a RAM page taken from the guest,
 * with its struct page in the vmemmap.  The balloon's RAM starts at pfn
 * BALLOON_PFN0 and grows a chunk at a time (skipping pfns that are mapped
 * already); returned pages are lent again first.  Pages are counted,
 * marked so a page that is not the balloon's is refused on return, and
 * the whole call fails with nothing taken, as the kernel's
 * xen_alloc_ballooned_pages() does.
 */
#include <pthread.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <xen/balloon.h>
#include <host/model.h>

/* A page->flags bit of the host balloon's own, for pages it lent. */
#define BALLOON_MARK	BIT(0)
#define BALLOON_PFN0	0x100000UL	/* RAM pfns are modelled from here */
#define BALLOON_CHUNK	512UL

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long *spare;		/* pfns of RAM the balloon holds */
static unsigned long nr_spare, nr_ram;
static unsigned long next_pfn;
static long live;

/*
 * More RAM for the balloon: the next chunk that is not mapped yet, from
 * BALLOON_PFN0 or, in a physical address space too small for that, from
 * its middle.
 */
static int grow(void)
{
	unsigned long i, *p;

	p = realloc(spare, (nr_ram + BALLOON_CHUNK) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	spare = p;
	if (!nr_ram)
		next_pfn = min(BALLOON_PFN0,
			       1UL << (host_arm64.pa_bits - PAGE_SHIFT - 1));
	while (!host_ram_pages(next_pfn, BALLOON_CHUNK)) {
		next_pfn += BALLOON_CHUNK;
		if (next_pfn >= host_vmemmap_pfns)
			return -ENOMEM;
	}
	/* Lent in ascending pfn order. */
	for (i = BALLOON_CHUNK; i--; )
		spare[nr_spare++] = next_pfn + i;
	next_pfn += BALLOON_CHUNK;
	nr_ram += BALLOON_CHUNK;
	return 0;
}

static void give_back(struct page *page)
{
	page->flags &= ~BALLOON_MARK;
	spare[nr_spare++] = page_to_pfn(page);
	live--;
}

int xen_alloc_ballooned_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;

	if (host_fault_hit(HOST_FAULT_BALLOON))
		return -ENOMEM;
	pthread_mutex_lock(&lock);
	for (i = 0; i < nr_pages; i++) {
		if (!nr_spare && grow()) {
			while (i--)
				give_back(pages[i]);
			pthread_mutex_unlock(&lock);
			return -ENOMEM;
		}
		pages[i] = pfn_to_page(spare[--nr_spare]);
		pages[i]->flags |= BALLOON_MARK;
		live++;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

void xen_free_ballooned_pages(unsigned int nr_pages, struct page **pages)
{
	unsigned int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < nr_pages; i++) {
		if (WARN_ON(!pages[i] || is_zone_device_page(pages[i]) ||
			    !(pages[i]->flags & BALLOON_MARK)))
			continue;
		give_back(pages[i]);
	}
	pthread_mutex_unlock(&lock);
}

long host_balloon_live_pages(void)
{
	long n;

	pthread_mutex_lock(&lock);
	n = live;
	pthread_mutex_unlock(&lock);
	return n;
}

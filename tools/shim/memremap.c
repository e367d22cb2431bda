// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host memremap_pages(): real struct page arrays for ZONE_DEVICE ranges,
 * refused as the kernel refuses them: a range not aligned to sub-sections
 * (-EINVAL), outside the hotpluggable range (-E2BIG), or overlapping a
 * mapped one (-ENOMEM).
 */
#include <pthread.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <host/model.h>

#define SUBSECTION_SIZE	(1ULL << 21)

struct mapping {
	struct dev_pagemap *pgmap;
	struct page *pages;
	unsigned long pfn, nr;
};

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *maps;
static unsigned int nr_maps, cap_maps;
static long live_pages;

static struct mapping *find_pfn(unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < nr_maps; i++)
		if (pfn - maps[i].pfn < maps[i].nr)
			return &maps[i];
	return NULL;
}

static int check_range(const struct dev_pagemap *pgmap)
{
	struct range mhp = mhp_get_pluggable_range(true);
	const struct range *r = &pgmap->range;
	unsigned int i;

	if (pgmap->nr_range != 1 || pgmap->type != MEMORY_DEVICE_GENERIC)
		return -EINVAL;
	if (r->end < r->start || !IS_ALIGNED(r->start, SUBSECTION_SIZE) ||
	    !IS_ALIGNED(r->end + 1, SUBSECTION_SIZE))
		return -EINVAL;
	if (r->start < mhp.start || r->end > mhp.end)
		return -E2BIG;
	for (i = 0; i < nr_maps; i++)
		if (PHYS_PFN(r->start) <= maps[i].pfn + maps[i].nr - 1 &&
		    PHYS_PFN(r->end) >= maps[i].pfn)
			return -ENOMEM;
	return 0;
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	struct mapping *m;
	unsigned long i, nr;
	int ret;

	if (host_fault_hit(HOST_FAULT_MEMREMAP))
		return ERR_PTR(-ENOMEM);
	pthread_mutex_lock(&map_lock);
	ret = check_range(pgmap);
	if (ret)
		goto out;
	if (nr_maps == cap_maps) {
		unsigned int cap = cap_maps ? 2 * cap_maps : 16;

		m = realloc(maps, cap * sizeof(*m));
		ret = -ENOMEM;
		if (!m)
			goto out;
		maps = m;
		cap_maps = cap;
	}
	m = &maps[nr_maps];
	nr = range_len(&pgmap->range) >> PAGE_SHIFT;
	m->pages = calloc(nr, sizeof(*m->pages));
	ret = -ENOMEM;
	if (!m->pages)
		goto out;
	m->pgmap = pgmap;
	m->pfn = PHYS_PFN(pgmap->range.start);
	m->nr = nr;
	for (i = 0; i < nr; i++) {
		m->pages[i].pgmap = pgmap;
		m->pages[i].host_pfn = m->pfn + i;
		m->pages[i].host_zone_device = true;
	}
	nr_maps++;
	live_pages += nr;
	ret = 0;
out:
	pthread_mutex_unlock(&map_lock);
	return ret ? ERR_PTR(ret) : m->pages;
}

void memunmap_pages(struct dev_pagemap *pgmap)
{
	unsigned int i;

	pthread_mutex_lock(&map_lock);
	for (i = 0; i < nr_maps && maps[i].pgmap != pgmap; i++)
		;
	if (!WARN_ON(i == nr_maps)) {
		live_pages -= maps[i].nr;
		free(maps[i].pages);
		maps[i] = maps[--nr_maps];
	}
	pthread_mutex_unlock(&map_lock);
}

/*
 * Ordinary struct pages for [@pfn, @pfn + @nr): RAM pages such as the ones
 * an x86 arch hook seeds the allocator with.  No pgmap, not ZONE_DEVICE.
 */
struct page *host_ram_pages(unsigned long pfn, unsigned long nr)
{
	struct mapping *m = NULL;
	unsigned long i;

	pthread_mutex_lock(&map_lock);
	for (i = 0; i < nr_maps; i++)
		if (pfn <= maps[i].pfn + maps[i].nr - 1 &&
		    pfn + nr - 1 >= maps[i].pfn)
			goto out;
	if (nr_maps == cap_maps) {
		unsigned int cap = cap_maps ? 2 * cap_maps : 16;

		m = realloc(maps, cap * sizeof(*m));
		if (!m)
			goto out;
		maps = m;
		cap_maps = cap;
	}
	m = &maps[nr_maps];
	m->pages = calloc(nr, sizeof(*m->pages));
	if (!m->pages) {
		m = NULL;
		goto out;
	}
	m->pgmap = NULL;
	m->pfn = pfn;
	m->nr = nr;
	for (i = 0; i < nr; i++)
		m->pages[i].host_pfn = pfn + i;
	nr_maps++;
out:
	pthread_mutex_unlock(&map_lock);
	return m ? m->pages : NULL;
}

struct page *pfn_to_page(unsigned long pfn)
{
	struct mapping *m;
	struct page *page = NULL;

	pthread_mutex_lock(&map_lock);
	m = find_pfn(pfn);
	if (m)
		page = &m->pages[pfn - m->pfn];
	pthread_mutex_unlock(&map_lock);
	return page;
}

long host_memremap_live_pages(void)
{
	long n;

	pthread_mutex_lock(&map_lock);
	n = live_pages;
	pthread_mutex_unlock(&map_lock);
	return n;
}

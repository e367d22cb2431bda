// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host vmemmap and memremap_pages().
 *
 * As on arm64 with SPARSEMEM_VMEMMAP, struct pages form one virtually
 * contiguous array indexed by pfn (pfn_to_page() in <linux/mm.h> is
 * arithmetic).  The host reserves that array inaccessible, one 64-byte slot
 * per pfn of the model's physical address space, and gives the slots of a
 * range backing (fresh zeroed host pages) only while memory is there:
 * memremap_pages() for ZONE_DEVICE ranges, host_ram_pages() for RAM.
 * memunmap_pages() takes the backing away again, so a struct page of a
 * released range faults when used, as a stale vmemmap access would.
 *
 * memremap_pages() refuses ranges as the kernel does: not aligned to
 * sub-sections (-EINVAL), outside the hotpluggable range (-E2BIG), or
 * overlapping memory already there (-ENOMEM).
 *
 * The reservation is sized from host_arm64 (pa_bits, page_shift) when
 * memory is first added, and made again for a changed configuration when
 * no memory is left.  Where the host refuses a reservation that large
 * (ThreadSanitizer's application ranges, valgrind's address space), it is
 * halved until it fits and covers the low pfns only; memory above it is
 * refused with -ENOMEM, as a vmemmap that cannot be populated would be.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/memory_hotplug.h>
#include <linux/mutex.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <host/model.h>

_Static_assert(sizeof(struct page) == 64,
	       "struct page is 64 bytes, as on arm64 without debug options");

#define SUBSECTION_SIZE	(1ULL << 21)
/* Stop halving a refused reservation here: 2^24 slots. */
#define VMEMMAP_MIN_BYTES	(1UL << 30)
/* Never ask for more than 2^40 slots (64 TiB of address space). */
#define VMEMMAP_MAX_SHIFT	40U

struct page *host_vmemmap;
unsigned long host_vmemmap_pfns;

/*
 * Host bookkeeping, where the kernel has its section map and pgmap tree:
 * which pfn ranges have slots populated, and by whom (NULL for RAM).
 */
struct mapping {
	struct dev_pagemap *pgmap;
	unsigned long pfn, nr;
};

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *maps;
static unsigned int nr_maps, cap_maps;
static long live_pages;
static size_t vmemmap_bytes;
static unsigned long vmemmap_want;	/* slots the configuration asked for */

void host_vmemmap_bad_pfn(unsigned long pfn)
{
	fprintf(stderr, "pfn_to_page(%#lx): no struct page slot, the vmemmap has %lu\n",
		pfn, host_vmemmap_pfns);
	abort();
}

static uintptr_t host_page_size(void)
{
	static uintptr_t size;

	if (!size)
		size = sysconf(_SC_PAGESIZE);
	return size;
}

/* Slots for every pfn of the configured physical address space. */
static unsigned long pa_space_pfns(void)
{
	unsigned int shift = host_arm64.pa_bits - host_arm64.page_shift;

	return 1UL << min(shift, VMEMMAP_MAX_SHIFT);
}

/* Called with map_lock held. */
static int vmemmap_reserve(void)
{
	static unsigned int warned_small;
	unsigned long want = pa_space_pfns();
	size_t len;
	void *p;

	if (host_vmemmap && (want == vmemmap_want || nr_maps))
		return 0;
	if (host_vmemmap) {
		munmap(host_vmemmap, vmemmap_bytes);
		host_vmemmap = NULL;
		host_vmemmap_pfns = 0;
	}
	for (len = want * sizeof(struct page); ; len /= 2) {
		p = mmap(NULL, len, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED)
			break;
		if (len / 2 < VMEMMAP_MIN_BYTES)
			return -ENOMEM;
	}
	host_vmemmap = p;
	vmemmap_bytes = len;
	vmemmap_want = want;
	host_vmemmap_pfns = len / sizeof(struct page);
	if (host_vmemmap_pfns < want && !warned_small++)
		fprintf(stderr, "host vmemmap: the host reserves %lu of %lu struct page slots; memory from pfn %#lx up is refused\n",
			host_vmemmap_pfns, want, host_vmemmap_pfns);
	return 0;
}

static bool in_vmemmap(unsigned long pfn, unsigned long nr)
{
	return nr && pfn < host_vmemmap_pfns && nr <= host_vmemmap_pfns - pfn;
}

static uintptr_t slots_start(unsigned long pfn)
{
	return ALIGN_DOWN((uintptr_t)(host_vmemmap + pfn), host_page_size());
}

static uintptr_t slots_end(unsigned long pfn, unsigned long nr)
{
	return ALIGN((uintptr_t)(host_vmemmap + pfn + nr), host_page_size());
}

/* Backs the slots of [@pfn, @pfn + @nr) with host pages and zeroes them. */
static int slots_populate(unsigned long pfn, unsigned long nr)
{
	uintptr_t start = slots_start(pfn), end = slots_end(pfn, nr);

	if (mprotect((void *)start, end - start, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	/* A host page shared with a neighbour may hold a released range's. */
	memset(host_vmemmap + pfn, 0, nr * sizeof(struct page));
	return 0;
}

/* Whether a mapped range still has slots in the host page at @addr. */
static bool host_page_in_use(uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < nr_maps; i++)
		if (slots_start(maps[i].pfn) <= addr &&
		    addr < slots_end(maps[i].pfn, maps[i].nr))
			return true;
	return false;
}

/*
 * Takes the backing of [@pfn, @pfn + @nr) away, the range being out of
 * maps[] already.  A host page that also holds slots of a range still
 * mapped (ranges smaller than a host page of slots) keeps its backing;
 * the released slots in it are zeroed.
 */
static void slots_depopulate(unsigned long pfn, unsigned long nr)
{
	uintptr_t start = slots_start(pfn), end = slots_end(pfn, nr);

	memset(host_vmemmap + pfn, 0, nr * sizeof(struct page));
	if (host_page_in_use(start))
		start += host_page_size();
	if (end > start && host_page_in_use(end - host_page_size()))
		end -= host_page_size();
	if (end <= start)
		return;
	if (madvise((void *)start, end - start, MADV_DONTNEED) ||
	    mprotect((void *)start, end - start, PROT_NONE))
		WARN_ON(1);
}

static bool overlaps_mapped(unsigned long pfn, unsigned long nr)
{
	unsigned int i;

	for (i = 0; i < nr_maps; i++)
		if (pfn <= maps[i].pfn + maps[i].nr - 1 &&
		    pfn + nr - 1 >= maps[i].pfn)
			return true;
	return false;
}

/* Records [@pfn, @pfn + @nr) and populates its slots; map_lock held. */
static int map_add(struct dev_pagemap *pgmap, unsigned long pfn,
		   unsigned long nr)
{
	struct mapping *m;
	int ret;

	if (nr_maps == cap_maps) {
		unsigned int cap = cap_maps ? 2 * cap_maps : 16;

		m = realloc(maps, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		maps = m;
		cap_maps = cap;
	}
	ret = slots_populate(pfn, nr);
	if (ret)
		return ret;
	maps[nr_maps++] = (struct mapping){ pgmap, pfn, nr };
	return 0;
}

static void set_page_zone(struct page *page, enum zone_type zone)
{
	page->flags &= ~(ZONES_MASK << ZONES_PGSHIFT);
	page->flags |= (unsigned long)zone << ZONES_PGSHIFT;
}

static int check_range(const struct dev_pagemap *pgmap)
{
	struct range mhp = mhp_get_pluggable_range(true);
	const struct range *r = &pgmap->range;

	if (pgmap->nr_range != 1 || pgmap->type != MEMORY_DEVICE_GENERIC)
		return -EINVAL;
	if (r->end < r->start || !IS_ALIGNED(r->start, SUBSECTION_SIZE) ||
	    !IS_ALIGNED(r->end + 1, SUBSECTION_SIZE))
		return -EINVAL;
	if (r->start < mhp.start || r->end > mhp.end)
		return -E2BIG;
	if (overlaps_mapped(PHYS_PFN(r->start), PHYS_PFN(range_len(r))))
		return -ENOMEM;
	/* Beyond a reservation the host had to make smaller. */
	if (!in_vmemmap(PHYS_PFN(r->start), PHYS_PFN(range_len(r))))
		return -ENOMEM;
	return 0;
}

/*
 * Returns the range's first struct page where the kernel returns its
 * linear-map address: the host has no linear map, and callers only test
 * the result with IS_ERR().
 */
void (*host_memremap_hook)(void);
static unsigned long unmapped_under_mutex;

unsigned long host_memunmap_under_mutex(void)
{
	return unmapped_under_mutex;
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	unsigned long i, pfn, nr;
	struct page *page;
	int ret;

	if (host_memremap_hook)
		host_memremap_hook();

	if (host_fault_hit(HOST_FAULT_MEMREMAP))
		return ERR_PTR(-ENOMEM);
	pthread_mutex_lock(&map_lock);
	ret = vmemmap_reserve();
	if (!ret)
		ret = check_range(pgmap);
	if (ret)
		goto out;
	pfn = PHYS_PFN(pgmap->range.start);
	nr = PHYS_PFN(range_len(&pgmap->range));
	ret = map_add(pgmap, pfn, nr);
	if (ret)
		goto out;
	for (i = 0; i < nr; i++) {
		page = pfn_to_page(pfn + i);
		set_page_zone(page, ZONE_DEVICE);
		page->pgmap = pgmap;
	}
	live_pages += nr;
out:
	pthread_mutex_unlock(&map_lock);
	return ret ? ERR_PTR(ret) : pfn_to_page(pfn);
}

void memunmap_pages(struct dev_pagemap *pgmap)
{
	struct mapping m;
	unsigned int i;

	if (host_mutex_depth)
		unmapped_under_mutex++;
	pthread_mutex_lock(&map_lock);
	for (i = 0; i < nr_maps && (!pgmap || maps[i].pgmap != pgmap); i++)
		;
	if (!WARN_ON(i == nr_maps)) {
		m = maps[i];
		maps[i] = maps[--nr_maps];
		slots_depopulate(m.pfn, m.nr);
		live_pages -= m.nr;
	}
	pthread_mutex_unlock(&map_lock);
}

/*
 * Ordinary struct pages for [@pfn, @pfn + @nr): RAM pages such as the ones
 * an x86 arch hook seeds the allocator with, or the balloon lends.  No
 * pgmap, ZONE_NORMAL; they stay for the life of the program.
 */
struct page *host_ram_pages(unsigned long pfn, unsigned long nr)
{
	struct page *pages = NULL;
	unsigned long i;

	pthread_mutex_lock(&map_lock);
	if (vmemmap_reserve() || !in_vmemmap(pfn, nr) ||
	    overlaps_mapped(pfn, nr) || map_add(NULL, pfn, nr))
		goto out;
	pages = pfn_to_page(pfn);
	for (i = 0; i < nr; i++)
		set_page_zone(&pages[i], ZONE_NORMAL);
out:
	pthread_mutex_unlock(&map_lock);
	return pages;
}

long host_memremap_live_pages(void)
{
	long n;

	pthread_mutex_lock(&map_lock);
	n = live_pages;
	pthread_mutex_unlock(&map_lock);
	return n;
}

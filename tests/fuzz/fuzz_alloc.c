// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: input bytes as a sequence of alloc/free operations on
 * the unpopulated-page allocator.
 *
 * The allocator keeps its state in statics and boots once, so it is booted
 * once per process in LLVMFuzzerInitialize() on a device tree: by default
 * build/dts/qemu-virt-dom0.dtb found next to the binary (BIN/../dts/), or
 * the file named by $FUZZ_ALLOC_DTB.  A tree without extended regions
 * (FUZZ_ALLOC_DTB=.../no-ext-regions.dtb, or the fuzz-alloc-balloon build)
 * runs the balloon fallback instead; $FUZZ_ALLOC_PAGE_SHIFT (12, 14 or 16)
 * boots with 4K (default), 16K or 64K pages; $FUZZ_ALLOC_GRANULARITY
 * (section or subsection, the fuzz-alloc-subsection build) sets the
 * granularity.  Reclaim has no delay; it runs only when an input asks.
 * Each input starts with nothing held and ends by freeing everything it
 * holds, so no state but the carved ranges carries over.
 *
 * Operations, two bytes each (op, arg), 64 at most; op & 15 (14 and 15
 * wrap to 6 and 7):
 *   8  reclaim with a spare of arg * 64 pages: the due work runs
 *   9  contiguous alloc of (arg & 63) + 1 pages times 1, 8, 64 or 512
 *      (arg >> 6), freed like any batch
 *  10  the same with one failure injected, as for op 7, after arg & 7
 *      calls, of (arg >> 3) * 64 + 1 pages
 *  11  run on CPU arg % NR_CPUS of the model from now on
 *  12  single pages, through the CPUs' caches: for each bit of arg from
 *      the lowest, a one-page alloc kept as a batch (1) or a free of the
 *      newest batch if it is one page (0), no snapshot in between
 *  13  misuse: a page freed alone twice while cached, then once more in
 *      a batch of two with a page held
 *   0  alloc arg % 64 + 1 pages          1  alloc (arg + 1) * 16 pages
 *   2  alloc (arg + 1) * 128 pages       3  free held batch arg
 *   4  free the first half of batch arg  5  free everything held
 *   6  misuse, arg & 3: free pages freed before / pages that are not ours
 *      and NULL entries / a NULL array / zero pages (scratch only; the
 *      balloon gets zero-page and NULL-array calls)
 *   7  alloc with one failure injected: slab, allocate_resource,
 *      insert/request_resource or memremap_pages (balloon: the balloon),
 *      after (arg >> 2) & 7 calls, of ((arg >> 5) + 1) * 4096 pages
 *
 * Checked after every operation (abort() on failure): every page held is
 * distinct; a scratch page is a ZONE_DEVICE page that pfn_to_page() maps
 * back to, inside its pgmap's range and inside a "Xen scratch" range of
 * iomem_resource that is a busy child of the target resource; stats.free
 * + pages held == stats.pages, the ranges are those in iomem_resource and
 * memremap_pages() backs exactly them; a failed alloc takes nothing and
 * fails only under an injected fault; an alloc that free pages cover
 * carves nothing and takes no ballooned page; a page that is not
 * ZONE_DEVICE is a ballooned one, and the balloon lends exactly the
 * ballooned pages held (all pages held, in balloon mode); reclaim gives
 * back only ranges with no page held; misuse changes nothing; no WARN
 * outside misuse; nothing lent at the end of each input.  The buddy
 * checks out after every operation (blocks in their range, disjoint,
 * clear of pages held, adding up to the free pages, no two free buddies);
 * a contiguous alloc hands out consecutive scratch pages aligned to
 * their order, never ballooned ones, and fails only with -ENOMEM (or
 * under an injected fault) taking nothing; once all is freed, every range
 * is its largest aligned blocks.
 */
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/of_fdt.h>
#include <xen/extended-regions.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>
#include <host/model.h>

#include "../../tools/xen-extregions/tool.h"
#include "../ext_target.h"

#ifndef FUZZ_ALLOC_GRANULARITY
#define FUZZ_ALLOC_GRANULARITY	""
#endif

#ifndef FUZZ_ALLOC_DTB_NAME
#define FUZZ_ALLOC_DTB_NAME	"qemu-virt-dom0.dtb"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_alloc: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

/* The checks run per page: no coverage feedback, it only slows them. */
#define NOCOV	__attribute__((no_sanitize("coverage")))

#define MAX_BATCHES	64
#define MAX_OPS		64		/* per input: each may move 32K pages */
#define HELD_MAX	400000u		/* pages held at most */
#define SET_BITS	20		/* page set: 2^20 slots */
#define SET_SIZE	(1u << SET_BITS)
#define RECENT		64		/* freed pages kept for double frees */
#define MAX_SCRATCH	1024		/* one range a 2 MiB granule */

struct batch {
	struct page **pages;
	unsigned int n;
	bool contig;
};

static bool scratch_mode;
static const struct resource *target;
static struct batch batches[MAX_BATCHES];
static unsigned int nr_batches;
static unsigned long held, held_balloon;
static struct page *recent[RECENT];
static unsigned int recent_pos;

/* ------------------------------------------------------------------ */
/* The set of pages held                                                */

/*
 * Scratch pages: one bit per pfn of the target resource.  Ballooned pages
 * have ever-growing pfns: a hash set of pointers, open addressing with
 * linear probing.
 */
static unsigned long *held_bits;
static unsigned long base_pfn, nr_pfns;
static struct page **set;

static NOCOV size_t slot_of(const struct page *p)
{
	uint64_t h = (uintptr_t)p * 0x9e3779b97f4a7c15ULL;

	return h >> (64 - SET_BITS);
}

static NOCOV bool bit_flip(unsigned long pfn, bool want)
{
	unsigned long *w, bit;
	bool was;

	if (pfn - base_pfn >= nr_pfns)
		FAIL("pfn %#lx outside the target", pfn);
	w = &held_bits[(pfn - base_pfn) / 64];
	bit = 1UL << ((pfn - base_pfn) % 64);
	was = *w & bit;
	*w = want ? *w | bit : *w & ~bit;
	return was;
}

static NOCOV void set_add(struct page *p)
{
	size_t i = slot_of(p);

	if (scratch_mode && is_zone_device_page(p)) {
		if (bit_flip(page_to_pfn(p), true))
			FAIL("pfn %#lx handed out twice", page_to_pfn(p));
		return;
	}

	while (set[i]) {
		if (set[i] == p)
			FAIL("page %p (pfn %#lx) handed out twice", (void *)p,
			     page_to_pfn(p));
		i = (i + 1) & (SET_SIZE - 1);
	}
	set[i] = p;
}

static NOCOV bool set_has(const struct page *p)
{
	size_t i = slot_of(p);
	unsigned long pfn;

	if (scratch_mode && is_zone_device_page(p)) {
		pfn = page_to_pfn(p);
		return pfn - base_pfn < nr_pfns &&
		       held_bits[(pfn - base_pfn) / 64] >> ((pfn - base_pfn) % 64) & 1;
	}

	for (; set[i]; i = (i + 1) & (SET_SIZE - 1))
		if (set[i] == p)
			return true;
	return false;
}

static NOCOV void set_del(const struct page *p)
{
	size_t i = slot_of(p), j, k;

	if (scratch_mode && is_zone_device_page(p)) {
		if (!bit_flip(page_to_pfn(p), false))
			FAIL("freeing a page not held");
		return;
	}

	while (set[i] != p) {
		if (!set[i])
			FAIL("freeing a page not held");
		i = (i + 1) & (SET_SIZE - 1);
	}
	/* Backward-shift deletion keeps every probe chain unbroken. */
	for (j = i;;) {
		set[i] = NULL;
		for (;;) {
			j = (j + 1) & (SET_SIZE - 1);
			if (!set[j])
				return;
			k = slot_of(set[j]);
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		set[i] = set[j];
		i = j;
	}
}

/* ------------------------------------------------------------------ */
/* Invariants                                                           */

struct snap {
	struct xen_unpopulated_stats st;
	unsigned int nr_iomem;
	struct range iomem[MAX_SCRATCH];
};

static NOCOV void snapshot(struct snap *s)
{
	const struct resource *c;

	xen_unpopulated_get_stats(&s->st);
	s->nr_iomem = 0;
	for (c = iomem_resource.child; c; c = c->sibling) {
		if (strcmp(c->name, "Xen scratch"))
			continue;
		if (s->nr_iomem == MAX_SCRATCH)
			FAIL("more than %d scratch ranges", MAX_SCRATCH);
		if (!(c->flags & IORESOURCE_BUSY))
			FAIL("scratch range not busy");
		s->iomem[s->nr_iomem].start = c->start;
		s->iomem[s->nr_iomem++].end = c->end;
	}
}

/* The ranges in iomem_resource are busy children of the target too. */
static NOCOV void check_target(const struct snap *s)
{
	const struct resource *c;
	unsigned int i, n = 0;

	for (c = target->child; c; c = c->sibling) {
		if (strcmp(c->name, "Xen scratch"))
			continue;
		for (i = 0; i < s->nr_iomem; i++)
			if (s->iomem[i].start == c->start &&
			    s->iomem[i].end == c->end)
				break;
		if (i == s->nr_iomem || !(c->flags & IORESOURCE_BUSY))
			FAIL("target range %#llx-%#llx not in iomem_resource",
			     (u64)c->start, (u64)c->end);
		if (c->start < target->start || c->end > target->end)
			FAIL("scratch range outside the target");
		n++;
	}
	if (n != s->nr_iomem)
		FAIL("%u ranges in the target, %u in iomem_resource", n,
		     s->nr_iomem);
}

static NOCOV void check_state(struct snap *s)
{
	snapshot(s);
	if (s->st.scratch != scratch_mode)
		FAIL("allocator changed mode");
	if (host_balloon_live_pages() != (long)held_balloon ||
	    s->st.balloon_out != held_balloon)
		FAIL("balloon lends %ld pages, allocator counts %lu, %lu held",
		     host_balloon_live_pages(), s->st.balloon_out, held_balloon);
	if (!scratch_mode) {
		if (s->st.pages || s->nr_iomem)
			FAIL("balloon mode with scratch pages");
		return;
	}
	if (s->st.free > s->st.pages ||
	    s->st.free + held - held_balloon != s->st.pages)
		FAIL("accounting: free %lu + held %lu != pages %lu",
		     s->st.free, held - held_balloon, s->st.pages);
	if (s->st.nr_ranges != s->nr_iomem)
		FAIL("%u ranges, %u in iomem_resource", s->st.nr_ranges,
		     s->nr_iomem);
	if (host_memremap_live_pages() != (long)s->st.pages)
		FAIL("memremap backs %ld pages, allocator counts %lu",
		     host_memremap_live_pages(), s->st.pages);
	check_target(s);
}

static NOCOV void check_page(struct page *p, const struct snap *s)
{
	unsigned long pfn;
	phys_addr_t addr;
	unsigned int i;

	if (!p)
		FAIL("NULL page handed out");
	if (!is_zone_device_page(p)) {
		set_add(p);
		return;
	}
	if (!scratch_mode)
		FAIL("a ZONE_DEVICE page in balloon mode");
	pfn = page_to_pfn(p);
	addr = PFN_PHYS(pfn);
	if (!is_zone_device_page(p) || !p->pgmap || pfn_to_page(pfn) != p)
		FAIL("pfn %#lx: not a mapped ZONE_DEVICE page", pfn);
	if (addr < p->pgmap->range.start ||
	    addr + PAGE_SIZE - 1 > p->pgmap->range.end)
		FAIL("pfn %#lx outside its pgmap %#llx-%#llx", pfn,
		     p->pgmap->range.start, p->pgmap->range.end);
	for (i = 0; i < s->nr_iomem; i++)
		if (addr >= s->iomem[i].start &&
		    addr + PAGE_SIZE - 1 <= s->iomem[i].end)
			break;
	if (i == s->nr_iomem)
		FAIL("pfn %#lx in no Xen scratch range", pfn);
	set_add(p);
}

/* Checks and holds @n pages just handed out. */
static NOCOV __attribute__((noinline)) void hold_pages(struct page **p,
							unsigned int n,
							const struct snap *s)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		check_page(p[i], s);
		held_balloon += !is_zone_device_page(p[i]);
	}
}

/* Drops @n pages just freed from the set. */
static NOCOV __attribute__((noinline)) void drop_pages(struct page **p,
							unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		set_del(p[i]);
		if (is_zone_device_page(p[i]))
			recent[recent_pos++ % RECENT] = p[i];
		else
			held_balloon--;
	}
}

/* ------------------------------------------------------------------ */
/* Operations                                                           */

/*
 * Room for one more batch of @n pages: its array, with a fault armed if
 * @fault >= 0, and the state before; NULL if the input holds enough.
 */
static struct page **batch_start(unsigned int n, int fault, unsigned int skip,
				 struct snap *before)
{
	struct page **pages;

	if (nr_batches == MAX_BATCHES || held + n > HELD_MAX)
		return NULL;
	snapshot(before);
	pages = calloc(n, sizeof(*pages));
	if (!pages)
		abort();
	if (fault >= 0)
		host_fault_arm(fault, skip);
	return pages;
}

/* Keeps the @n pages just handed out as a batch, and checks the state. */
static void batch_keep(struct page **pages, unsigned int n, bool contig,
		       struct snap *after)
{
	hold_pages(pages, n, after);
	batches[nr_batches].pages = pages;
	batches[nr_batches].contig = contig;
	batches[nr_batches++].n = n;
	held += n;
	check_state(after);
}

static void do_alloc(unsigned int n, int fault, unsigned int skip)
{
	struct snap before, after;
	struct page **pages;
	int ret;

	pages = batch_start(n, fault, skip, &before);
	if (!pages)
		return;
	ret = xen_alloc_unpopulated_pages(n, pages);
	host_fault_clear();
	if (ret) {
		/* Entries written before a failure were taken back. */
		check_state(&after);
		if (ret != -ENOMEM && ret != -EINVAL)
			FAIL("alloc of %u pages: unexpected error %d", n, ret);
		if (fault < 0)
			FAIL("alloc failed without a fault: %d", ret);
		if (scratch_mode && after.st.free >= n)
			FAIL("alloc of %u failed (%d) with %lu free", n, ret,
			     after.st.free);
		if (scratch_mode && before.st.free >= n)
			FAIL("alloc that free pages cover failed");
		free(pages);
		return;
	}
	snapshot(&after);
	if (scratch_mode && before.st.free >= n &&
	    (after.st.pages != before.st.pages ||
	     after.st.balloon_served != before.st.balloon_served))
		FAIL("carved or ballooned although %lu pages were free",
		     before.st.free);
	batch_keep(pages, n, false, &after);
}

/* A contiguous alloc of @n pages, with a fault injected if @fault >= 0. */
static void do_alloc_contig(unsigned int n, int fault, unsigned int skip)
{
	struct snap before, after;
	struct page **pages;
	unsigned long pfn;
	unsigned int i;
	int ret;

	pages = batch_start(n, fault, skip, &before);
	if (!pages)
		return;
	ret = xen_alloc_unpopulated_contiguous_pages(n, pages);
	host_fault_clear();
	snapshot(&after);
	if (after.st.balloon_served != before.st.balloon_served)
		FAIL("a contiguous alloc took ballooned pages");
	if (ret) {
		check_state(&after);
		if (ret != -ENOMEM && fault < 0)
			FAIL("contiguous alloc of %u: error %d", n, ret);
		if (!scratch_mode && ret != -ENOMEM)
			FAIL("contiguous alloc without scratch space: %d", ret);
		if (after.st.free - before.st.free !=
		    after.st.pages - before.st.pages)
			FAIL("failed contiguous alloc took pages");
		free(pages);
		return;
	}
	if (!scratch_mode)
		FAIL("contiguous alloc without scratch space");
	pfn = page_to_pfn(pages[0]);
	if (pfn & ((1UL << order_base_2(n)) - 1))
		FAIL("contiguous run of %u at pfn %#lx not aligned", n, pfn);
	for (i = 0; i < n; i++)
		if (!pages[i] || page_to_pfn(pages[i]) != pfn + i ||
		    !is_zone_device_page(pages[i]))
			FAIL("page %u of a contiguous run of %u", i, n);
	batch_keep(pages, n, true, &after);
}

/* Frees the first @k pages of batch @b. */
static void do_free(unsigned int b, unsigned int k)
{
	struct batch *bt = &batches[b];
	struct snap s;

	if (!k)
		return;
	/* Before the free: a ballooned page's struct page may go with it. */
	drop_pages(bt->pages, k);
	xen_free_unpopulated_pages(k, bt->pages);
	held -= k;
	if (k == bt->n) {
		free(bt->pages);
		*bt = batches[--nr_batches];
	} else {
		memmove(bt->pages, bt->pages + k,
			(bt->n - k) * sizeof(*bt->pages));
		bt->n -= k;
	}
	check_state(&s);
}

static void free_all(void)
{
	while (nr_batches)
		do_free(nr_batches - 1, batches[nr_batches - 1].n);
}

/*
 * Reclaim with a spare of @spare pages: ranges with a page held stay;
 * freed pages remembered for misuse may lose their struct pages.
 */
static void do_reclaim(unsigned long spare)
{
	struct snap before, after;
	char num[32];

	snapshot(&before);
	snprintf(num, sizeof(num), "%lu", spare);
	if (host_param_set("xen_unpopulated.spare_pages", num))
		FAIL("spare_pages refused %s", num);
	host_jiffies_advance(1);
	host_workqueue_run();
	check_state(&after);
	if (before.st.free - after.st.free != before.st.pages - after.st.pages)
		FAIL("reclaim released pages in use");
	if (after.st.pages < before.st.pages)
		memset(recent, 0, sizeof(recent));
}

static bool same_stats(const struct snap *a, const struct snap *b)
{
	return a->st.pages == b->st.pages && a->st.free == b->st.free &&
	       a->st.nr_ranges == b->st.nr_ranges;
}

static void do_misuse(u8 arg)
{
	static struct dev_pagemap other = { .type = MEMORY_DEVICE_GENERIC };
	static struct page *ram;
	struct page *p[RECENT + 3];
	struct snap before, after;
	unsigned int i, n = 0;

	snapshot(&before);
	switch (arg & 3) {
	case 0:		/* pages freed already, none handed out again */
		if (!scratch_mode)
			return;
		for (i = 0; i < RECENT; i++)
			if (recent[i] && !set_has(recent[i]))
				p[n++] = recent[i];
		xen_free_unpopulated_pages(n, p);
		break;
	case 1:		/* a page that is no ZONE_DEVICE page, another
			 * ZONE_DEVICE owner's page, a NULL entry; the other
			 * owner's page lies in the hole between the regions,
			 * as a pfn inside a scratch range is only ever ours
			 */
		if (!scratch_mode)
			return;
		if (!ram && !(ram = host_ram_pages(PHYS_PFN(0x40000000), 1)))
			FAIL("no RAM page at 0x40000000");
		other.nr_range = 1;
		other.range.start = 0x60000000;
		other.range.end = 0x601fffff;
		if (IS_ERR(memremap_pages(&other, NUMA_NO_NODE)))
			FAIL("no other ZONE_DEVICE range in the hole");
		p[0] = ram;
		p[1] = pfn_to_page(PHYS_PFN(other.range.start));
		p[2] = NULL;
		xen_free_unpopulated_pages(3, p);
		memunmap_pages(&other);
		break;
	case 2:
		if (xen_alloc_unpopulated_pages(1 + arg, NULL) != -EINVAL)
			FAIL("alloc into a NULL array did not fail");
		xen_free_unpopulated_pages(1 + arg, NULL);
		break;
	case 3:
		if (xen_alloc_unpopulated_pages(0, p))
			FAIL("alloc of zero pages failed");
		xen_free_unpopulated_pages(0, p);
		break;
	}
	check_state(&after);
	if (!same_stats(&before, &after))
		FAIL("misuse %u changed the allocator: free %lu -> %lu",
		     arg & 3, before.st.free, after.st.free);
}

/* Frees the newest batch, if it is a single page; no state checked. */
static bool free_last_single(void)
{
	struct batch *bt;

	if (!nr_batches)
		return false;
	bt = &batches[nr_batches - 1];
	if (bt->n != 1 || bt->contig)
		return false;
	drop_pages(bt->pages, 1);
	xen_free_unpopulated_pages(1, bt->pages);
	held--;
	free(bt->pages);
	nr_batches--;
	return true;
}

/*
 * Op 12: one-page allocs and frees back to back, as a driver mapping one
 * page at a time does; each page is checked to be distinct as it comes,
 * and in its range once the state is checked at the end.
 */
static void do_singles(u8 arg)
{
	unsigned int i, first = nr_batches;
	struct page **p;
	struct snap s;

	for (i = 0; i < 8; i++, arg >>= 1) {
		if (!(arg & 1)) {
			if (free_last_single() && first > nr_batches)
				first = nr_batches;
			continue;
		}
		if (nr_batches == MAX_BATCHES || held == HELD_MAX)
			continue;
		p = calloc(1, sizeof(*p));
		if (!p)
			abort();
		if (xen_alloc_unpopulated_pages(1, p))
			FAIL("a single page refused");
		if (!p[0])
			FAIL("NULL page handed out");
		set_add(p[0]);
		held_balloon += !is_zone_device_page(p[0]);
		batches[nr_batches].pages = p;
		batches[nr_batches].contig = false;
		batches[nr_batches++].n = 1;
		held++;
	}
	check_state(&s);
	for (i = first; i < nr_batches; i++) {
		/* Checked in full: out of the set, then back in. */
		set_del(batches[i].pages[0]);
		check_page(batches[i].pages[0], &s);
	}
}

/*
 * Op 13: a scratch page freed alone sits in its CPU's cache; freeing it
 * again alone, then with a page held in a batch of two, is refused for it
 * (with a warning) and nothing else changes but the held page going back.
 */
static void do_misuse_cached(void)
{
	struct snap before, after;
	struct page *p[2];

	if (!scratch_mode)
		return;
	snapshot(&before);
	if (before.st.free < 2)		/* no carving, no balloon */
		return;
	if (xen_alloc_unpopulated_pages(1, p) ||
	    xen_alloc_unpopulated_pages(1, p + 1))
		FAIL("a single page refused");
	xen_free_unpopulated_pages(1, p);
	xen_free_unpopulated_pages(1, p);
	xen_free_unpopulated_pages(2, p);
	check_state(&after);
	if (!same_stats(&before, &after))
		FAIL("freeing a cached page again changed the allocator: free %lu -> %lu",
		     before.st.free, after.st.free);
}

static void warned(unsigned long before, const char *what)
{
	if (host_warn_count() != before)
		FAIL("WARN during %s: %s", what,
		     host_log_line(host_log_count() - 1, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int scratch_faults[4] = {
		HOST_FAULT_SLAB, HOST_FAULT_RESOURCE_ALLOC,
		HOST_FAULT_RESOURCE_INSERT, HOST_FAULT_MEMREMAP,
	};
	unsigned int ops = 0;
	unsigned long w;
	struct snap s;

	if (held || nr_batches)
		FAIL("an input started with pages held");

	for (; size >= 2 && ops < MAX_OPS; data += 2, size -= 2, ops++) {
		u8 op = data[0] & 15, arg = data[1];

		w = host_warn_count();
		if (op == 8) {
			do_reclaim(arg * 64UL);
			warned(w, "reclaim");
			continue;
		}
		if (op == 9) {
			do_alloc_contig(((arg & 63) + 1) << (3 * (arg >> 6)),
					-1, 0);
			warned(w, "a contiguous alloc");
			continue;
		}
		if (op == 11) {
			host_cpu_set(arg % NR_CPUS);
			continue;
		}
		if (op == 12) {
			do_singles(arg);
			warned(w, "single pages");
			continue;
		}
		if (op == 13) {
			do_misuse_cached();
			continue;	/* misuse may WARN */
		}
		if (op == 10) {
			do_alloc_contig((arg >> 3) * 64 + 1,
					scratch_mode ? scratch_faults[arg & 3] :
					HOST_FAULT_SLAB, arg & 7);
			warned(w, "a contiguous alloc with a fault");
			continue;
		}
		switch (op & 7) {
		case 0:
			do_alloc(arg % 64 + 1, -1, 0);
			break;
		case 1:
			do_alloc((arg + 1) * 16, -1, 0);
			break;
		case 2:
			do_alloc((arg + 1) * 128, -1, 0);
			break;
		case 3:
			if (nr_batches)
				do_free(arg % nr_batches,
					batches[arg % nr_batches].n);
			break;
		case 4:
			if (nr_batches)
				do_free(arg % nr_batches,
					batches[arg % nr_batches].n / 2);
			break;
		case 5:
			free_all();
			break;
		case 6:
			do_misuse(arg);
			continue;	/* misuse may WARN */
		case 7:
			do_alloc(((arg >> 5) + 1) * 4096,
				 scratch_mode ? scratch_faults[arg & 3] :
				 HOST_FAULT_BALLOON, (arg >> 2) & 7);
			break;
		}
		warned(w, "an operation");
	}
	w = host_warn_count();
	free_all();
	warned(w, "the final free");
	check_state(&s);
	if (held || (scratch_mode && s.st.free != s.st.pages) ||
	    host_balloon_live_pages())
		FAIL("pages left after freeing all");
	host_log_clear();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Boot                                                                 */

static const char *dtb_path(const char *argv0, char *buf, size_t len)
{
	const char *env = getenv("FUZZ_ALLOC_DTB");
	char *copy;

	if (env && *env)
		return env;
	copy = strdup(argv0);
	if (!copy)
		abort();
	snprintf(buf, len, "%s/../dts/%s", dirname(copy), FUZZ_ALLOC_DTB_NAME);
	free(copy);
	if (!access(buf, R_OK))
		return buf;
	snprintf(buf, len, "build/dts/%s", FUZZ_ALLOC_DTB_NAME);
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char buf[4096], err[512];
	const char *path = dtb_path((*argv)[0], buf, sizeof(buf)), *shift, *gran;
	struct blob b;
	struct snap s;
	int ret;

	if (blob_load(path, &b, err, sizeof(err))) {
		fprintf(stderr, "fuzz_alloc: %s (set FUZZ_ALLOC_DTB)\n", err);
		exit(1);
	}
	host_arm64_reset();
	gran = getenv("FUZZ_ALLOC_GRANULARITY");
	if (!gran || !*gran)
		gran = FUZZ_ALLOC_GRANULARITY;
	if (*gran &&
	    host_param_set("xen_unpopulated.granularity", gran))
		FAIL("FUZZ_ALLOC_GRANULARITY takes section or subsection");
	shift = getenv("FUZZ_ALLOC_PAGE_SHIFT");
	if (shift && *shift) {
		host_arm64.page_shift = atoi(shift);
		if (host_arm64.page_shift != 12 && host_arm64.page_shift != 14 &&
		    host_arm64.page_shift != 16)
			FAIL("FUZZ_ALLOC_PAGE_SHIFT takes 12, 14 or 16");
		host_arm64.section_bits =
			host_arm64_default_section_bits(host_arm64.page_shift);
	}
	ret = blob_boot(b.fdt, true);	/* b.fdt kept for the process's life */
	snapshot(&s);
	scratch_mode = s.st.scratch;
	if (host_param_set("xen_unpopulated.reclaim_delay", "0"))
		FAIL("reclaim_delay refused");
	if (!ret != scratch_mode)
		FAIL("initcall returned %d, scratch %d", ret, scratch_mode);
	target = scratch_mode ? host_ext_target() : NULL;
	if (scratch_mode && target->start >= target->end)
		FAIL("scratch mode without a target resource");
	if (scratch_mode) {
		base_pfn = PHYS_PFN(target->start);
		nr_pfns = PHYS_PFN(target->end) - base_pfn + 1;
		held_bits = calloc(nr_pfns / 64 + 1, sizeof(*held_bits));
		if (!held_bits)
			abort();
	}
	set = calloc(SET_SIZE, sizeof(*set));
	if (!set)
		abort();
	fprintf(stderr, "fuzz_alloc: %s, %luK pages, %lu-page granules: %s mode\n",
		path, PAGE_SIZE >> 10, s.st.granule_pages,
		scratch_mode ? "scratch" : "balloon");
	host_log_clear();
	return 0;
}

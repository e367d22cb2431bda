// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPUs' caches of single scratch pages, on the QEMU virt dom0 layout
 * with 4K pages: a page freed alone comes back from its CPU's cache, not
 * another CPU's; a full cache sends pages to the buddy; freeing a cached
 * page again is refused, alone or in a batch; reclaim drains the caches
 * and gives back a range whose pages were all freed alone, no earlier
 * than the delay after the last one; a range given back is forgotten by
 * every cache.
 *
 * Usage: test-hot DTB_DIR
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/jiffies.h>

#include "alloc_env.h"

#define CACHE	64		/* XEN_HOT_PAGES */

static struct page *pages[CACHE + 1];

static struct page *one(void)
{
	struct page *p = NULL;

	CHECK(!xen_alloc_unpopulated_pages(1, &p) && p, "one page");
	return p;
}

/* Freed alone, handed out again from the same CPU's cache only. */
static void same_cpu(void)
{
	struct page *p, *q, *r;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	host_cpu_set(0);
	p = one();
	xen_free_unpopulated_pages(1, &p);
	host_cpu_set(1);
	q = one();
	CHECK(q != p, "CPU 1 took CPU 0's cached page");
	host_cpu_set(0);
	r = one();
	CHECK(r == p, "CPU 0 got pfn %#lx, not its cached %#lx",
	      page_to_pfn(r), page_to_pfn(p));
	CHECK_EQ(stats().free, stats().pages - 2);
	xen_free_unpopulated_pages(1, &q);
	xen_free_unpopulated_pages(1, &r);
	/* Statistics count cached pages free and put them back. */
	CHECK_EQ(stats().free, stats().pages);
	check_buddy(true);
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
}

/* A full cache: the next page goes to the buddy, and out last. */
static void full_cache(void)
{
	unsigned int i;
	struct page *p;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	host_cpu_set(2);
	for (i = 0; i <= CACHE; i++)
		pages[i] = one();
	for (i = 0; i <= CACHE; i++)
		xen_free_unpopulated_pages(1, pages + i);
	/* The cache gives back the last page it took first. */
	for (i = CACHE; i-- > 0;) {
		p = one();
		CHECK(p == pages[i], "pop %u: pfn %#lx, cached %#lx", i,
		      page_to_pfn(p), page_to_pfn(pages[i]));
	}
	/* Then the buddy, whose lowest free page is the one it took. */
	p = one();
	CHECK(p == pages[CACHE], "from the buddy: pfn %#lx, freed %#lx",
	      page_to_pfn(p), page_to_pfn(pages[CACHE]));
	xen_free_unpopulated_pages(CACHE, pages);
	xen_free_unpopulated_pages(1, &p);
	check_buddy(true);
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
}

/* A cached page freed again is refused, alone or in a batch. */
static void cached_twice(void)
{
	unsigned long warns;
	struct page *p[2];

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	p[0] = one();
	p[1] = one();
	xen_free_unpopulated_pages(1, p);
	warns = host_warn_count();
	xen_free_unpopulated_pages(1, p);
	CHECK(host_warn_count() == warns + 1 && logged("freed twice"),
	      "alone: %lu warnings", host_warn_count() - warns);
	xen_free_unpopulated_pages(2, p);
	CHECK(host_warn_count() == warns + 2, "in a batch: %lu warnings",
	      host_warn_count() - warns);
	/* The held page went back, the cached one is there once. */
	CHECK_EQ(stats().free, stats().pages);
	CHECK(!stats().buddy_faults, "buddy faults");
	check_buddy(true);
	CHECK(one() != one(), "one page handed out twice");
}

/*
 * Reclaim drains the caches: a range whose pages were all freed alone
 * goes once the delay has passed since the last of them, not before.
 */
static void reclaim_cached(void)
{
	struct page *p[3];

	CHECK(!set("reclaim_delay", "10") && !set("spare_pages", "0"),
	      "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	p[0] = one();
	p[1] = one();
	host_cpu_set(1);
	p[2] = one();
	xen_free_unpopulated_pages(1, p + 2);
	host_cpu_set(0);
	xen_free_unpopulated_pages(1, p);
	host_jiffies_advance(6 * HZ);
	xen_free_unpopulated_pages(1, p + 1);
	host_jiffies_advance(5 * HZ);
	host_workqueue_run();
	CHECK(stats().nr_ranges == 1 && !stats().reclaimed,
	      "released 5 s after its last page was freed");
	host_jiffies_advance(5 * HZ);
	host_workqueue_run();
	CHECK(!stats().nr_ranges && stats().reclaimed == 1 &&
	      !host_memremap_live_pages() && !iomem_scratch(0),
	      "not released: %u ranges", stats().nr_ranges);
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
}

/*
 * A range given back while a cache last found a page in it: the next
 * page that cache takes is looked up afresh (AddressSanitizer would see
 * the range read after it was freed).
 */
static void range_forgotten(void)
{
	struct page *p;
	unsigned int cpu;

	CHECK(!set("reclaim_delay", "0") && !set("spare_pages", "0"),
	      "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		host_cpu_set(cpu);
		p = one();
		xen_free_unpopulated_pages(1, &p);
	}
	host_workqueue_run();
	CHECK(!stats().nr_ranges && stats().reclaimed == 1, "released");
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		host_cpu_set(cpu);
		p = one();
		CHECK(stats().nr_ranges == 1, "carved again");
		xen_free_unpopulated_pages(1, &p);
		CHECK(stats().free == stats().pages, "taken back");
	}
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("a page freed alone comes back from its CPU's cache only",
		 same_cpu);
	run_case("a full cache sends the next page to the buddy", full_cache);
	run_case("a cached page freed again is refused, alone or in a batch",
		 cached_twice);
	run_case("reclaim drains the caches, after the delay",
		 reclaim_cached);
	run_case("a range given back is forgotten by every cache",
		 range_forgotten);
	return h_finish();
}

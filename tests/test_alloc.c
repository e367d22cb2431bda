// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scratch-page allocator on the fixtures: what each request carves,
 * that every page is distinct, inside its range and mapped to the right
 * address, exhaustion, the balloon fallback, every fault-injection point,
 * ranges used by a device registered later, and misuse.
 *
 * Usage: test-alloc DTB_DIR
 */
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/mmzone.h>
#include <linux/numa.h>
#include <xen/extended-regions.h>
#include <xen/balloon.h>

#include "alloc_env.h"
#include "ext_target.h"

#define SEC		32768U		/* pages per 128 MiB section, 4K pages */
#define MAX_PAGES	(12 * SEC)

static struct page *pages[MAX_PAGES];

/* Pages are distinct, ours, and each maps the address its pfn says. */
static void check_pages(struct page **p, unsigned int n)
{
	unsigned long lo = ~0UL, hi = 0, i, bad = 0;
	unsigned char *seen;

	for (i = 0; i < n; i++) {
		lo = min(lo, page_to_pfn(p[i]));
		hi = max(hi, page_to_pfn(p[i]));
	}
	seen = calloc(n ? hi - lo + 1 : 1, 1);
	for (i = 0; i < n && seen; i++) {
		unsigned long pfn = page_to_pfn(p[i]);
		const struct resource *r;
		phys_addr_t addr = PFN_PHYS(pfn);
		unsigned int k;

		bad += seen[pfn - lo]++ != 0;
		bad += pfn_to_page(pfn) != p[i] || !is_zone_device_page(p[i]);
		for (k = 0; (r = iomem_scratch(k)); k++)
			if (addr >= r->start && addr + PAGE_SIZE - 1 <= r->end)
				break;
		bad += !r;
		bad += addr < p[i]->pgmap->range.start ||
		       addr > p[i]->pgmap->range.end;
	}
	CHECK(seen && !bad, "%lu bad pages of %u", bad, n);
	free(seen);
}

static void expect_scratch(unsigned int n, u64 start, u64 end)
{
	const struct resource *r = iomem_scratch(n);

	CHECK(r && r->start == start && r->end == end,
	      "scratch %u is 0x%llx-0x%llx, want 0x%llx-0x%llx", n,
	      r ? (u64)r->start : 0, r ? (u64)r->end : 0, start, end);
	CHECK(r && (r->flags & IORESOURCE_BUSY), "scratch %u not busy", n);
}

static void virt_one_page(void)
{
	struct xen_unpopulated_stats st;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	expect_scratch(0, 0x48000000, 0x4fffffff);
	CHECK(!iomem_scratch(1), "one range only");
	check_pages(pages, 1);
	st = stats();
	CHECK(st.scratch && st.nr_ranges == 1 && st.pages == SEC &&
	      st.free == SEC - 1, "stats %u %lu %lu", st.nr_ranges, st.pages,
	      st.free);
	CHECK_EQ(host_memremap_live_pages(), SEC);
	xen_free_unpopulated_pages(1, pages);
	CHECK_EQ(stats().free, SEC);
	/* Freed pages are used again before anything new is carved. */
	CHECK(!xen_alloc_unpopulated_pages(SEC, pages) && !iomem_scratch(1),
	      "a whole section from the first range");
	check_pages(pages, SEC);
}

static void seeds_one_page(void)
{
	CHECK(!boot_allocator("seeds004-ten-regions.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	/* 0x40000000-0x47ffffff would cross the hole at 0x47e00000. */
	expect_scratch(0, 0xd0000000, 0xd7ffffff);
}

static void section_and_one_more(void)
{
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(SEC, pages), "a section");
	expect_scratch(0, 0x48000000, 0x4fffffff);
	CHECK_EQ(stats().free, 0);
	CHECK(!xen_alloc_unpopulated_pages(1, pages + SEC), "one more");
	expect_scratch(1, 0x50000000, 0x57ffffff);
	check_pages(pages, SEC + 1);
}

static void section_plus_one(void)
{
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(SEC + 1, pages), "alloc");
	expect_scratch(0, 0x48000000, 0x57ffffff);	/* two sections */
	CHECK(!iomem_scratch(1), "in one range");
	check_pages(pages, SEC + 1);
}

/*
 * Region 1 holds 3 sections (0x48000000-0x5fffffff), region 2 holds 8
 * (0x80000000-0xbfffffff): 10 sections take both, 11 take all, more come
 * from the balloon.
 */
static void span_and_exhaust(void)
{
	struct xen_unpopulated_stats st;
	long live;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(10 * SEC, pages), "10 sections");
	/*
	 * No stretch of 10 sections: 5 in region 2, then 2 in region 1, 2 in
	 * region 2 and the last section of region 1 (in ascending order).
	 */
	expect_scratch(0, 0x48000000, 0x57ffffff);
	expect_scratch(1, 0x58000000, 0x5fffffff);
	expect_scratch(2, 0x80000000, 0xa7ffffff);
	expect_scratch(3, 0xa8000000, 0xb7ffffff);
	check_pages(pages, 10 * SEC);
	CHECK(!xen_alloc_unpopulated_pages(SEC, pages + 10 * SEC), "11th");
	expect_scratch(4, 0xb8000000, 0xbfffffff);
	st = stats();
	live = host_slab_live();
	/* Regions used up: the rest of a request comes from the balloon. */
	CHECK(!xen_alloc_unpopulated_pages(3, pages + 11 * SEC),
	      "exhausted: ballooned");
	CHECK(stats().free == 0 && stats().nr_ranges == st.nr_ranges &&
	      stats().balloon_out == 3 && host_balloon_live_pages() == 3,
	      "three ballooned pages, no range");
	CHECK(!is_zone_device_page(pages[11 * SEC]), "an ordinary page");
	/* Both exhausted: the request fails with nothing taken. */
	host_fault_arm(HOST_FAULT_BALLOON, 0);
	CHECK(xen_alloc_unpopulated_pages(1, pages + 11 * SEC + 3) == -ENOMEM,
	      "balloon empty too");
	CHECK(stats().balloon_out == 3 && host_balloon_live_pages() == 3,
	      "nothing more taken");
	/* Mixed frees, in any order: each page to its origin. */
	xen_free_unpopulated_pages(1, pages + 11 * SEC + 1);
	xen_free_unpopulated_pages(2, pages + 11 * SEC - 1);
	CHECK(stats().balloon_out == 1 && host_balloon_live_pages() == 1 &&
	      stats().free == 1, "ballooned and scratch pages back");
	xen_free_unpopulated_pages(1, pages + 11 * SEC + 2);
	CHECK(!host_balloon_live_pages() && stats().balloon_served == 3,
	      "all ballooned pages back");
	CHECK(host_slab_live() == live, "nothing leaked");
	CHECK(!xen_alloc_unpopulated_pages(1, pages + 11 * SEC - 1),
	      "the scratch page again");
	xen_free_unpopulated_pages(5, pages + 100);
	CHECK(!xen_alloc_unpopulated_pages(5, pages + 100), "after a free");
	check_pages(pages, 11 * SEC);
}

static void page_64k(void)
{
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 16), "boot");
	CHECK_EQ(PAGES_PER_SECTION, 8192);
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	/* 512 MiB sections: none fits in region 1. */
	expect_scratch(0, 0x80000000, 0x9fffffff);
	check_pages(pages, 1);
}

/*
 * 64K pages in 2 MiB sub-sections: a granule is 32 pages, so a range of
 * three is a word and a half of bitmap.  With the search in the last
 * word and free pages in the first, a request larger than the last
 * word's free pages gets the others from the first word, never a page
 * past the range's end.
 */
static void page_64k_half_word(void)
{
	unsigned long first;
	int i;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 16), "boot");
	CHECK(!xen_alloc_unpopulated_pages(96, pages), "alloc");
	CHECK(stats().nr_ranges == 1 && stats().pages == 96, "%u range(s), %lu pages",
	      stats().nr_ranges, stats().pages);
	first = page_to_pfn(pages[0]);
	xen_free_unpopulated_pages(10, pages);
	xen_free_unpopulated_pages(1, pages + 70);
	CHECK(!xen_alloc_unpopulated_pages(11, pages + 96), "again");
	for (i = 96; i < 107; i++)
		CHECK(page_to_pfn(pages[i]) - first < 96,
		      "pfn %#lx past the range %#lx+96", page_to_pfn(pages[i]),
		      first);
	CHECK_EQ(stats().free, 0);
}

static void fallback_balloon(void)
{
	CHECK(boot_allocator("no-ext-regions.dtb", 12) == -ENOENT, "boot");
	CHECK(!stats().scratch, "scratch off");
	CHECK(!xen_alloc_unpopulated_pages(300, pages), "alloc");
	CHECK_EQ(host_balloon_live_pages(), 300);
	CHECK(!is_zone_device_page(pages[0]) && !iomem_scratch(0), "RAM");
	host_fault_arm(HOST_FAULT_BALLOON, 0);
	CHECK(xen_alloc_unpopulated_pages(10, pages + 300) == -ENOMEM,
	      "balloon fault");
	CHECK_EQ(host_balloon_live_pages(), 300);
	CHECK(!xen_alloc_unpopulated_pages(10, pages + 300), "after fault");
	xen_free_unpopulated_pages(310, pages);
	CHECK_EQ(host_balloon_live_pages(), 0);
	CHECK_EQ(host_warn_count(), 0);
}

/* Children of @r whose name is @name. */
static unsigned int count_named(const struct resource *r, const char *name)
{
	unsigned int n = 0;

	for (r = r->child; r; r = r->sibling)
		n += !strcmp(r->name, name);
	return n;
}

/*
 * Everything the allocator holds is accounted for: mapped pages are the
 * ranges' pages, each range is reserved once in iomem_resource and once
 * in the target, each of its sections is indexed once, slab holds four
 * objects per range (the range, its bitmap, its cached map and its buddy's
 * block maps) plus one per unavailable block, and the buddies check out.
 */
static void check_accounting(long slab0, const char *what, unsigned long k)
{
	struct xen_unpopulated_stats st = stats();
	const struct resource *target = st.scratch ? host_ext_target() : NULL;
	unsigned int blocks;

	if (!target) {
		CHECK(!st.nr_ranges && host_slab_live() == slab0,
		      "%s %lu: fallback state leaked", what, k);
		return;
	}
	blocks = count_named(target, "Xen scratch: in use elsewhere");
	CHECK(host_xa_live() == (long)(st.pages / PAGES_PER_SECTION),
	      "%s %lu: %ld sections indexed for %lu pages", what, k,
	      host_xa_live(), st.pages);
	CHECK(host_memremap_live_pages() == (long)st.pages &&
	      count_named(&iomem_resource, "Xen scratch") == st.nr_ranges &&
	      count_named(target, "Xen scratch") == st.nr_ranges &&
	      host_slab_live() - slab0 == 2L * st.nr_ranges + blocks,
	      "%s %lu: %u ranges, %lu pages, %ld mapped, %ld slab",
	      what, k, st.nr_ranges, st.pages, host_memremap_live_pages(),
	      host_slab_live() - slab0);
}

static struct resource late_dev = { .name = "late device",
	.start = 0x48000000, .end = 0x48ffffff, .flags = IORESOURCE_MEM };

struct fault_scenario {
	const char *dtb;
	unsigned int pages;
	bool conflict;		/* a device takes 0x48000000 first */
};

static const struct fault_scenario fault_scenarios[] = {
	{ "qemu-virt-dom0.dtb", 1, false },
	{ "qemu-virt-dom0.dtb", 10 * SEC, false },	/* two carves */
	{ "qemu-virt-dom0.dtb", 1, true },		/* blocks a range */
	{ "no-ext-regions.dtb", 300, false },		/* balloon */
};

/*
 * Each scenario once per failure point of each model: the armed call
 * fails, the request fails cleanly (or succeeds another way), nothing is
 * left unaccounted, and the same request then succeeds.
 */
static void faults_all(void)
{
	unsigned int i, f;
	unsigned long k, calls, points = 0;
	long slab0;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fault_scenarios); i++) {
		const struct fault_scenario *sc = &fault_scenarios[i];

		for (f = 0; f < HOST_FAULT_NR; f++) {
			for (k = 0;; k++) {
				pid_t pid;
				int status;

				fflush(stdout);
				pid = fork();
				if (pid) {
					CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
					      WIFEXITED(status) && WEXITSTATUS(status) != 1,
					      "%s %s fault %lu", sc->dtb,
					      host_fault_name(f), k);
					if (WEXITSTATUS(status) == 2)
						break;
					points++;
					continue;
				}
				boot_allocator(sc->dtb, 12);
				if (sc->conflict)
					request_resource(&iomem_resource, &late_dev);
				slab0 = host_slab_live();
				calls = host_fault_calls(f);
				host_fault_arm(f, k);
				ret = xen_alloc_unpopulated_pages(sc->pages, pages);
				host_fault_clear();
				if (host_fault_calls(f) - calls <= k) {
					/* No call left to fail: the plain run. */
					CHECK(!ret, "unfaulted run failed: %d", ret);
					fflush(stdout);
					_exit(h_case_failures ? 1 : 2);
				}
				if (!ret)	/* met another way: give back */
					xen_free_unpopulated_pages(sc->pages, pages);
				check_accounting(slab0, host_fault_name(f), k);
				CHECK(!xen_alloc_unpopulated_pages(sc->pages, pages),
				      "%s fault %lu: next request failed",
				      host_fault_name(f), k);
				check_accounting(slab0, host_fault_name(f), k);
				xen_free_unpopulated_pages(sc->pages, pages);
				CHECK(stats().free == stats().pages, "all free");
				CHECK_EQ(host_balloon_live_pages(), 0);
				fflush(stdout);
				_exit(h_case_failures ? 1 : 0);
			}
		}
	}
	CHECK(points >= 10, "only %lu failure points", points);
	printf("fault injection: %lu failure points over %zu scenarios\n",
	       points, ARRAY_SIZE(fault_scenarios));
}

/*
 * A device claims 0x48000000-0x48ffffff after boot, another all of
 * 0x50000000-0x5fffffff: the first candidates are skipped and marked
 * unavailable, the request is met at 0x80000000.
 */
static void conflicts_skipped(void)
{
	static struct resource dev1 = { .name = "late device",
		.start = 0x48000000, .end = 0x48ffffff, .flags = IORESOURCE_MEM };
	static struct resource dev2 = { .name = "pci window",
		.start = 0x50000000, .end = 0x5fffffff, .flags = IORESOURCE_MEM };
	struct xen_unpopulated_stats st;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!request_resource(&iomem_resource, &dev1), "dev1");
	CHECK(!request_resource(&iomem_resource, &dev2), "dev2");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	expect_scratch(0, 0x80000000, 0x87ffffff);
	check_pages(pages, 1);
	st = stats();
	CHECK_EQ(st.blocked, 0x1000000 + 0x8000000 + 0x8000000);
	CHECK(st.nr_ranges == 1, "one range");
	/* The busy parts stay unavailable: the next range follows on. */
	CHECK(!xen_alloc_unpopulated_pages(SEC, pages + 1), "second");
	expect_scratch(1, 0x88000000, 0x8fffffff);
}

static void misuse(void)
{
	struct page *balloon[1], *foreign, *p[2];
	struct dev_pagemap other = { .type = MEMORY_DEVICE_GENERIC,
		.nr_range = 1, .range = { 0x90000000, 0x901fffff } };
	unsigned long warns;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(2, p), "alloc");
	CHECK(!xen_alloc_unpopulated_pages(0, NULL), "zero pages");
	warns = host_warn_count();
	CHECK(xen_alloc_unpopulated_pages(3, NULL) == -EINVAL, "NULL array");
	xen_free_unpopulated_pages(3, NULL);
	CHECK_EQ(host_warn_count(), warns + 2);

	xen_free_unpopulated_pages(1, p);
	xen_free_unpopulated_pages(1, p);	/* twice */
	CHECK_EQ(host_warn_count(), warns + 3);
	CHECK_EQ(stats().free, SEC - 1);

	CHECK(!xen_alloc_ballooned_pages(1, balloon), "a RAM page");
	CHECK(!IS_ERR(memremap_pages(&other, NUMA_NO_NODE)), "other pgmap");
	foreign = pfn_to_page(0x90000);
	xen_free_unpopulated_pages(1, balloon);
	xen_free_unpopulated_pages(1, &foreign);
	CHECK(host_warn_count() > warns + 3, "foreign pages warned");
	CHECK_EQ(stats().free, SEC - 1);
	CHECK(!xen_alloc_unpopulated_pages(SEC - 1, pages), "rest intact");
	check_pages(pages, SEC - 1);
	xen_free_ballooned_pages(1, balloon);
	memunmap_pages(&other);
}

/*
 * Pages go out and back a bitmap word at a time: 70 pages of a new range
 * come out consecutive across the first word's end; a batch of them
 * crossing that end, with one page in it freed already, frees the others
 * and refuses that one; pages come out again from the word where the
 * last search stopped, lowest first.
 */
static void bitmap_words(void)
{
	struct page *p[70], *q;
	int i;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(70, p), "alloc");
	for (i = 1; i < 70; i++)
		CHECK(p[i] == p[0] + i, "page %d not consecutive", i);
	xen_free_unpopulated_pages(1, p + 65);
	CHECK_EQ(stats().free, SEC - 69);
	xen_free_unpopulated_pages(10, p + 60);
	CHECK(host_warn_count() == 1, "freed twice: %lu warnings",
	      host_warn_count());
	CHECK_EQ(stats().free, SEC - 60);
	CHECK(!xen_alloc_unpopulated_pages(1, &q) && q == p[64], "next fit");
	xen_free_unpopulated_pages(1, &q);
	xen_free_unpopulated_pages(60, p);
	CHECK_EQ(stats().free, SEC);
}

static void not_on_xen(void)
{
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	xen_domain_type = XEN_NATIVE;
	CHECK(host_initcall_xen_unpopulated_init() == -ENODEV, "native");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("QEMU virt: one page carves 0x48000000", virt_one_page);
	run_case("seeds/004: one page carves 0xd0000000", seeds_one_page);
	run_case("exactly a section, then one more", section_and_one_more);
	run_case("a section plus one page", section_plus_one);
	run_case("spanning regions until exhausted", span_and_exhaust);
	run_case("64K pages, 512 MiB sections", page_64k);
	run_case("64K pages, a range of a word and a half", page_64k_half_word);
	run_case("fallback to ballooned pages", fallback_balloon);
	run_case("every failure point of every scenario", faults_all);
	run_case("ranges in use elsewhere are skipped", conflicts_skipped);
	run_case("misuse is refused with a warning", misuse);
	run_case("pages out and back a bitmap word at a time", bitmap_words);
	run_case("not on Xen", not_on_xen);
	return h_finish();
}

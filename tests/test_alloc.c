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
#include <xen/balloon.h>

#include "alloc_env.h"

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
 * (0x80000000-0xbfffffff): 10 sections take both, 11 take all, 12 fail.
 */
static void span_and_exhaust(void)
{
	struct xen_unpopulated_stats st;
	long live;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(10 * SEC, pages), "10 sections");
	expect_scratch(0, 0x48000000, 0x57ffffff);
	expect_scratch(1, 0x80000000, 0xbfffffff);
	check_pages(pages, 10 * SEC);
	CHECK(!xen_alloc_unpopulated_pages(SEC, pages + 10 * SEC), "11th");
	expect_scratch(1, 0x58000000, 0x5fffffff);	/* ascending order */
	expect_scratch(2, 0x80000000, 0xbfffffff);
	st = stats();
	live = host_slab_live();
	CHECK(xen_alloc_unpopulated_pages(1, pages + 11 * SEC) == -ENOMEM,
	      "exhausted");
	CHECK(stats().free == 0 && stats().nr_ranges == st.nr_ranges &&
	      host_slab_live() == live, "nothing taken or leaked");
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

static int nr_children(const struct resource *r)
{
	int n = 0;

	for (r = r->child; r; r = r->sibling)
		n++;
	return n;
}

/*
 * Each failure point of a first allocation in turn: the call fails, the
 * resource trees, slab and mappings are as before, and the next call
 * carves the very range it would have carved without the fault.
 */
static void faults_one(enum host_fault f)
{
	const struct resource *target;
	unsigned long k;
	int ret, top;
	long slab, mapped;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	target = iomem_scratch(0);
	top = nr_children(&iomem_resource);
	for (k = 0;; k++) {
		unsigned long calls = host_fault_calls(f);

		slab = host_slab_live();
		mapped = host_memremap_live_pages();
		host_fault_arm(f, k);
		ret = xen_alloc_unpopulated_pages(1, pages);
		host_fault_clear();
		if (host_fault_calls(f) - calls <= k) {
			CHECK(!ret, "%s: no fault left, still %d",
			      host_fault_name(f), ret);
			break;
		}
		CHECK(ret < 0, "%s fault %lu: returned %d", host_fault_name(f),
		      k, ret);
		CHECK(host_slab_live() == slab &&
		      host_memremap_live_pages() == mapped &&
		      nr_children(&iomem_resource) == top && !stats().nr_ranges,
		      "%s fault %lu left something behind", host_fault_name(f),
		      k);
	}
	CHECK(k >= 1 || f == HOST_FAULT_BALLOON, "%s: no failure point",
	      host_fault_name(f));
	expect_scratch(0, 0x48000000, 0x4fffffff);
	CHECK(!target, "clean start");
}

static void faults_slab(void)
{
	faults_one(HOST_FAULT_SLAB);
}

static void faults_resource_alloc(void)
{
	faults_one(HOST_FAULT_RESOURCE_ALLOC);
}

static void faults_resource_insert(void)
{
	faults_one(HOST_FAULT_RESOURCE_INSERT);
}

static void faults_memremap(void)
{
	faults_one(HOST_FAULT_MEMREMAP);
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

static void not_on_xen(void)
{
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	xen_domain_type = XEN_NATIVE;
	CHECK(host_initcall_xen_unpopulated_init() == -ENODEV, "native");
	xen_domain_type = XEN_PV_DOMAIN;
	CHECK(host_initcall_xen_unpopulated_init() == -EOPNOTSUPP, "PV");
	CHECK(!stats().scratch, "PV uses the balloon");
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
	run_case("fallback to ballooned pages", fallback_balloon);
	run_case("fault: slab", faults_slab);
	run_case("fault: allocate_resource", faults_resource_alloc);
	run_case("fault: iomem request", faults_resource_insert);
	run_case("fault: memremap_pages", faults_memremap);
	run_case("ranges in use elsewhere are skipped", conflicts_skipped);
	run_case("misuse is refused with a warning", misuse);
	run_case("not on Xen, or PV", not_on_xen);
	return h_finish();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The buddy over the scratch ranges, on the QEMU virt dom0 layout (regions
 * 0x40400000-0x5fffffff and 0x80000000-0xbfffffff, 4K pages): contiguous
 * allocations, their alignment and their ranges, random mixes with
 * per-page requests checked against a shadow of every page held, full
 * coalescing, reclaim, and every failure point.
 *
 * Usage: test-buddy DTB_DIR
 */
#include <stdlib.h>

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mmzone.h>

#include "alloc_env.h"

#define SEC	32768U		/* pages per 128 MiB section */
#define SUB	512U		/* pages per 2 MiB sub-section */
#define HELD	4096U		/* allocations a random run holds at most */
#define MAXPFN	(0xc0000000UL >> 12)

static struct page *pages[16 * SEC];



/* Sizes of several orders, each aligned, in its own block. */
static void contig_sizes(void)
{
	static const unsigned int sizes[] = { 1, 2, 3, 5, 16, 100, 512, 513,
					      4096, SEC };
	static struct page *held[10][SEC];
	unsigned int i, j;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		CHECK(!xen_alloc_unpopulated_contiguous_pages(sizes[i], held[i]),
		      "alloc %u", sizes[i]);
		CHECK(contiguous(held[i], sizes[i]), "%u pages not contiguous",
		      sizes[i]);
		CHECK(is_xen_unpopulated_page(held[i][0]) &&
		      is_zone_device_page(held[i][sizes[i] - 1]), "scratch");
		for (j = 0; j < i; j++)
			CHECK(page_to_pfn(held[i][0]) + sizes[i] <=
			      page_to_pfn(held[j][0]) ||
			      page_to_pfn(held[j][0]) + sizes[j] <=
			      page_to_pfn(held[i][0]),
			      "%u and %u overlap", sizes[i], sizes[j]);
		check_buddy(false);
	}
	CHECK_EQ(stats().contig_served, ARRAY_SIZE(sizes));
	CHECK(stats().free + 1 + 2 + 3 + 5 + 16 + 100 + 512 + 513 + 4096 + SEC ==
	      stats().pages, "pages held");
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		xen_free_unpopulated_contiguous_pages(sizes[i], held[i]);
	check_buddy(true);
	/* RAM pages, such as ballooned ones, are not scratch pages. */
	CHECK(!is_xen_unpopulated_page(host_ram_pages(0x1000, 1)), "RAM page");
}

/* Bad sizes, a block larger than any room, and no target at all. */
static void contig_limits(void)
{
	struct xen_unpopulated_stats st;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK_EQ(xen_alloc_unpopulated_contiguous_pages(0, pages), -EINVAL);
	CHECK_EQ(xen_alloc_unpopulated_contiguous_pages(16 * SEC + 1, pages),
		 -EINVAL);
	/* 2 GiB aligned to 2 GiB: the regions have no such room. */
	CHECK_EQ(xen_alloc_unpopulated_contiguous_pages(16 * SEC, pages),
		 -ENOMEM);
	st = stats();
	CHECK(!st.nr_ranges && !st.balloon_out && !host_balloon_live_pages(),
	      "nothing taken: %u ranges, %lu ballooned", st.nr_ranges,
	      st.balloon_out);
	/* 1 GiB aligned to 1 GiB: 0x80000000-0xbfffffff, carved for it. */
	CHECK(!xen_alloc_unpopulated_contiguous_pages(8 * SEC, pages), "1 GiB");
	CHECK(page_to_pfn(pages[0]) == 0x80000000 >> 12 &&
	      contiguous(pages, 8 * SEC), "at 0x%lx",
	      page_to_pfn(pages[0]) << 12);
	CHECK(iomem_scratch(0) && iomem_scratch(0)->start == 0x80000000 &&
	      iomem_scratch(0)->end == 0xbfffffff, "range carved");
	/* 4 MiB: a range of its own, aligned to 4 MiB, in the first region. */
	CHECK(!xen_alloc_unpopulated_contiguous_pages(1024, pages + 8 * SEC),
	      "4 MiB");
	CHECK(iomem_scratch(0) && iomem_scratch(0)->start == 0x40400000 &&
	      iomem_scratch(0)->end == 0x407fffff, "4 MiB range at 0x%llx",
	      iomem_scratch(0) ? (u64)iomem_scratch(0)->start : 0);
	xen_free_unpopulated_contiguous_pages(8 * SEC, pages);
	xen_free_unpopulated_contiguous_pages(1024, pages + 8 * SEC);
	check_buddy(true);
}

/* Contiguous requests never take ballooned pages; per-page ones do. */
static void contig_no_balloon(void)
{
	unsigned int total = (0x1fc00000 + 0x40000000) / 4096, done = 0, n;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	while (done < total) {
		n = min(4 * SEC, total - done);
		CHECK(!xen_alloc_unpopulated_pages(n, pages), "fill");
		done += n;
	}
	CHECK_EQ(xen_alloc_unpopulated_contiguous_pages(1, pages), -ENOMEM);
	CHECK(!host_balloon_live_pages() && !stats().balloon_out, "ballooned");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "per page");
	CHECK_EQ(stats().balloon_out, 1);
	xen_free_unpopulated_pages(1, pages);
}

/* Single pages cached, then flushed when a block needs them. */
static void hot_pages_coalesce(void)
{
	unsigned int i;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	for (i = 0; i < SUB; i++)
		CHECK(!xen_alloc_unpopulated_pages(1, pages + i), "one");
	CHECK_EQ(stats().nr_ranges, 1);
	for (i = 0; i < SUB; i++)
		xen_free_unpopulated_pages(1, pages + i);
	/* The whole sub-section again, without carving another. */
	CHECK(!xen_alloc_unpopulated_contiguous_pages(SUB, pages), "block");
	CHECK(contiguous(pages, SUB) && stats().nr_ranges == 1 &&
	      stats().carved == 1, "%u ranges", stats().nr_ranges);
	xen_free_unpopulated_contiguous_pages(SUB, pages);
	check_buddy(true);
}

/* A range goes back only once every block in it is free. */
static void contig_reclaim(void)
{
	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!set("reclaim_delay", "5") && !set("spare_pages", "0"), "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_contiguous_pages(3, pages), "3");
	CHECK(!xen_alloc_unpopulated_contiguous_pages(64, pages + 3), "64");
	xen_free_unpopulated_contiguous_pages(3, pages);
	host_jiffies_advance(10 * HZ);
	host_workqueue_run();
	CHECK(stats().nr_ranges == 1 && !stats().reclaimed, "kept while held");
	xen_free_unpopulated_contiguous_pages(64, pages + 3);
	host_jiffies_advance(10 * HZ);
	host_workqueue_run();
	CHECK(!stats().nr_ranges && stats().reclaimed == 1 &&
	      !host_memremap_live_pages(), "released: %u ranges",
	      stats().nr_ranges);
}

/* Misuse is refused with a warning and leaves the buddy whole. */
static void contig_misuse(void)
{
	unsigned long warns;

	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_contiguous_pages(8, pages), "alloc");
	xen_free_unpopulated_contiguous_pages(8, pages);
	warns = host_warn_count();
	xen_free_unpopulated_contiguous_pages(8, pages);
	CHECK(host_warn_count() > warns && logged("freed twice"), "twice");
	CHECK(!xen_alloc_unpopulated_pages(2, pages), "two");
	pages[2] = pages[0];
	warns = host_warn_count();
	xen_free_unpopulated_contiguous_pages(2, pages + 1);
	CHECK(host_warn_count() > warns && logged("not contiguous"), "order");
	check_buddy(true);
}

/*
 * Random mixes of per-page and contiguous requests and frees, checked
 * against a shadow of every pfn held: no page handed out twice, every
 * contiguous run aligned, the buddy sound, all coalesced at the end.
 */
static void random_mix(unsigned int seed, bool subsection)
{
	static struct { struct page **p; unsigned int nr; bool contig; } h[HELD];
	static unsigned char *owner;
	unsigned int nh = 0, step, i, k, nr;
	unsigned long pfn;
	bool contig;
	int ret;

	srandom(seed);
	owner = calloc(MAXPFN, 1);
	if (subsection)
		CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	for (step = 0; step < 3000 && !h_case_failures; step++) {
		if (nh && (nh == HELD || random() % 100 < 45)) {
			k = random() % nh;
			for (i = 0; i < h[k].nr; i++) {
				pfn = page_to_pfn(h[k].p[i]);
				if (pfn < MAXPFN)
					owner[pfn] = 0;
			}
			if (h[k].contig)
				xen_free_unpopulated_contiguous_pages(h[k].nr,
								      h[k].p);
			else
				xen_free_unpopulated_pages(h[k].nr, h[k].p);
			free(h[k].p);
			h[k] = h[--nh];
		} else {
			contig = random() % 2;
			nr = 1 + (random() % 4 ? random() % 64 :
				  random() % (contig ? 8192 : 20000));
			h[nh].p = malloc(nr * sizeof(*h[nh].p));
			ret = contig ?
			      xen_alloc_unpopulated_contiguous_pages(nr, h[nh].p) :
			      xen_alloc_unpopulated_pages(nr, h[nh].p);
			if (ret) {
				CHECK(contig && ret == -ENOMEM, "step %u: %d",
				      step, ret);
				free(h[nh].p);
				continue;
			}
			CHECK(!contig || contiguous(h[nh].p, nr),
			      "step %u: %u pages not contiguous", step, nr);
			for (i = 0; i < nr; i++) {
				pfn = page_to_pfn(h[nh].p[i]);
				if (pfn >= MAXPFN)
					continue;	/* ballooned */
				CHECK(!owner[pfn], "step %u: pfn 0x%lx twice",
				      step, pfn);
				owner[pfn] = 1;
			}
			h[nh].nr = nr;
			h[nh].contig = contig;
			nh++;
		}
		if (step % 97 == 0)
			check_buddy(false);
	}
	while (nh--) {
		if (h[nh].contig)
			xen_free_unpopulated_contiguous_pages(h[nh].nr, h[nh].p);
		else
			xen_free_unpopulated_pages(h[nh].nr, h[nh].p);
		free(h[nh].p);
	}
	check_buddy(true);
	CHECK(!stats().balloon_out && !host_balloon_live_pages(), "balloon");
	free(owner);
}

static void random_sections(void)
{
	random_mix(1, false);
}

static void random_subsections(void)
{
	random_mix(2, true);
}

/*
 * Every failure point of a contiguous request that carves: an error,
 * nothing held, and the next request works.
 */
static void faults(void)
{
	long slab0 = 0, xa0 = 0;
	unsigned long k;
	int f, ret;

	for (f = 0; f < HOST_FAULT_NR; f++) {
		for (k = 0; !h_case_failures; k++) {
			pid_t pid = fork();
			int status;

			if (!pid) {
				CHECK(!set("granularity", "subsection"), "p");
				CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12),
				      "boot");
				slab0 = host_slab_live();
				xa0 = host_xa_live();
				host_fault_arm(f, k);
				ret = xen_alloc_unpopulated_contiguous_pages(100,
									     pages);
				host_fault_clear();
				if (!ret) {
					xen_free_unpopulated_contiguous_pages(100,
									      pages);
					_exit(h_case_failures ? 1 : 2);
				}
				CHECK(!stats().nr_ranges &&
				      !host_memremap_live_pages() &&
				      host_slab_live() == slab0 &&
				      host_xa_live() == xa0,
				      "%s %lu: %d left %u ranges",
				      host_fault_name(f), k, ret,
				      stats().nr_ranges);
				CHECK(!xen_alloc_unpopulated_contiguous_pages(100,
									      pages) &&
				      contiguous(pages, 100), "%s %lu: again",
				      host_fault_name(f), k);
				xen_free_unpopulated_contiguous_pages(100, pages);
				check_buddy(true);
				_exit(h_case_failures ? 1 : 0);
			}
			CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
			      WIFEXITED(status) && WEXITSTATUS(status) != 1,
			      "%s fault %lu", host_fault_name(f), k);
			if (WEXITSTATUS(status) == 2)
				break;	/* no call left to fail */
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("contiguous: sizes of several orders, aligned, disjoint",
		 contig_sizes);
	run_case("contiguous: bad sizes, no room, a range carved for it",
		 contig_limits);
	run_case("contiguous: never ballooned", contig_no_balloon);
	run_case("single pages cached, then coalesced for a block",
		 hot_pages_coalesce);
	run_case("reclaim once every block of a range is free",
		 contig_reclaim);
	run_case("misuse refused, buddy whole", contig_misuse);
	run_case("random mix, sections", random_sections);
	run_case("random mix, sub-sections", random_subsections);
	run_case("every failure point of a contiguous request", faults);
	return h_finish();
}

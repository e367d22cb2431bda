// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bugs a maintainer's review of the allocator found (issue 17), one
 * case each, on the QEMU virt dom0 layout with 4K pages.  Each failed on
 * the allocator as it was before the review (8c76e0d).  Two more live in
 * test_x86.c, as they need x86's target: no probe in iomem_resource, and
 * a refused candidate marked and not tried again.
 *
 * Usage: test-review DTB_DIR
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <xen/xen.h>

#include "alloc_env.h"

#define SEC	32768UL		/* pages in a 128 MiB section */
#define SUB	512UL		/* pages in a 2 MiB sub-section */

static struct page *pages[40000];

static void boot(const char *granularity)
{
	CHECK(!set("granularity", granularity) &&
	      !set("reclaim_delay", "0"), "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
}

/* Runs the reclaim work that is due. */
static unsigned int reclaim(void)
{
	host_jiffies_advance(1);
	return host_workqueue_run();
}

/* 1: freed again once its range is gone: refused, nothing read. */
static void free_after_reclaim(void)
{
	boot("section");
	CHECK(!set("spare_pages", "0"), "no spare");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	CHECK(reclaim() == 1 && !stats().nr_ranges, "range given back");
	xen_free_unpopulated_pages(1, pages);
	CHECK(host_warn_count() == 1 &&
	      logged("not a Xen unpopulated page"), "%lu warnings",
	      host_warn_count());
}

/* 3: the spare keeps min(spare_pages, free) pages, in whole granules. */
static void spare_keeps(const char *granularity, unsigned long granule)
{
	struct xen_unpopulated_stats st;

	boot(granularity);
	CHECK(!xen_alloc_unpopulated_pages(40000, pages), "alloc");
	xen_free_unpopulated_pages(40000, pages);
	reclaim();
	st = stats();
	CHECK(st.reclaimed && st.free == st.pages && st.free >= 512 &&
	      st.pages <= round_up(512, granule),
	      "%s: %lu pages free of %lu held, %lu reclaimed", granularity,
	      st.free, st.pages, st.reclaimed);
}

static void spare_keeps_sections(void)
{
	spare_keeps("section", SEC);
}

static void spare_keeps_subsections(void)
{
	spare_keeps("subsection", SUB);
}

/* 4: hot-remove runs without the allocator's mutex. */
static void unmap_unlocked(void)
{
	boot("subsection");
	CHECK(!set("spare_pages", "0"), "no spare");
	CHECK(!xen_alloc_unpopulated_pages(4 * SUB, pages), "alloc");
	xen_free_unpopulated_pages(4 * SUB, pages);
	CHECK(reclaim() == 1 && !stats().nr_ranges, "given back");
	CHECK_EQ(host_memunmap_under_mutex(), 0);
}

/* 5: a range is found by pfn only once its pages are backed. */
static long xa_at_memremap = -1;

static void record_xa(void)
{
	xa_at_memremap = host_xa_live();
}

static void indexed_once_backed(void)
{
	long before;

	boot("section");
	before = host_xa_live();
	host_memremap_hook = record_xa;
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	host_memremap_hook = NULL;
	CHECK(xa_at_memremap == before && host_xa_live() == before + 1,
	      "%ld entries while backing, %ld before, %ld after",
	      xa_at_memremap, before, host_xa_live());
	xen_free_unpopulated_pages(1, pages);
}

/* 6: a call that may sleep says so, even when a page is at hand. */
static void might_sleep_always(void)
{
	boot("section");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	preempt_disable();
	xen_alloc_unpopulated_pages(1, pages);
	preempt_enable();
	CHECK(logged("sleeping function called from invalid context"),
	      "no warning from atomic context");
	xen_free_unpopulated_pages(1, pages);
}

/*
 * 7: no per-CPU memory: none on bare metal, where distribution kernels
 * build the file too, and none in a Xen domain (the pcp lists are gone).
 */
static void no_percpu_memory(void)
{
	xen_domain_type = XEN_NATIVE;
	CHECK(host_initcall_xen_unpopulated_init() == -ENODEV, "native");
	CHECK_EQ(host_percpu_bytes(), 0);
	xen_domain_type = XEN_HVM_DOMAIN;
	boot("section");
	CHECK_EQ(host_percpu_bytes(), 0);
}

/* The pfn the next one-page request gets; asks for statistics first. */
static unsigned long next_pfn(bool look)
{
	struct page *p = NULL;

	if (look) {
		stats();
		free(host_debugfs_read("xen/unpopulated"));
	}
	CHECK(!xen_alloc_unpopulated_pages(1, &p), "alloc");
	return p ? page_to_pfn(p) : 0;
}

/* 9: reading the statistics or the view changes nothing. */
static void stats_read_only(void)
{
	unsigned long pfn[2];
	int fd[2];
	pid_t pid;

	boot("section");
	CHECK(!host_initcall_xen_unpopulated_debugfs(), "debugfs");
	CHECK(!xen_alloc_unpopulated_pages(3, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	xen_free_unpopulated_pages(1, pages + 2);
	/* The same state twice: looked at in a child, not in the parent. */
	CHECK(!pipe(fd), "pipe");
	pid = fork();
	if (!pid) {
		pfn[0] = next_pfn(true);
		_exit(write(fd[1], pfn, sizeof(pfn[0])) != sizeof(pfn[0]));
	}
	pfn[1] = next_pfn(false);
	CHECK(pid > 0 && read(fd[0], pfn, sizeof(pfn[0])) == sizeof(pfn[0]) &&
	      waitpid(pid, NULL, 0) == pid, "child");
	CHECK(pfn[0] == pfn[1], "looked at: %#lx, not: %#lx", pfn[0], pfn[1]);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("1: freed again after reclaim: refused", free_after_reclaim);
	run_case("3: the spare keeps whole sections", spare_keeps_sections);
	run_case("3: the spare keeps whole sub-sections",
		 spare_keeps_subsections);
	run_case("4: memunmap_pages() without the mutex", unmap_unlocked);
	run_case("5: a range is indexed once backed", indexed_once_backed);
	run_case("6: might_sleep() at the entry points", might_sleep_always);
	run_case("7: no per-CPU memory", no_percpu_memory);
	run_case("9: statistics read without changing", stats_read_only);
	return h_finish();
}

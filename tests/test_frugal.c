// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frugal allocator on the QEMU virt dom0 layout (regions
 * 0x40400000-0x5fffffff and 0x80000000-0xbfffffff, 4K pages): sub-section
 * granularity, reclaim of idle ranges with its delay and spare, the
 * parameters as the command line sets them, and the debugfs view.
 *
 * Usage: test-frugal DTB_DIR
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/memremap.h>
#include <linux/mmzone.h>

#include "alloc_env.h"

#define SEC	32768U		/* pages per 128 MiB section */
#define SUB	512U		/* pages per 2 MiB sub-section */

static struct page *pages[4 * SEC];

static void expect_scratch(unsigned int n, u64 start, u64 end)
{
	const struct resource *r = iomem_scratch(n);

	CHECK(r && r->start == start && r->end == end,
	      "scratch %u is 0x%llx-0x%llx, want 0x%llx-0x%llx", n,
	      r ? (u64)r->start : 0, r ? (u64)r->end : 0, start, end);
}



static bool view_has(const char *line)
{
	char *v = host_debugfs_read("xen/unpopulated");
	bool found = v && strstr(v, line);

	if (!found)
		printf("  debugfs view lacks \"%s\":\n%s", line, v ? v : "(none)\n");
	free(v);
	return found;
}

/* Moves time past the delay and runs the due reclaim work. */
static unsigned int reclaim_after(unsigned int seconds)
{
	host_jiffies_advance(seconds * HZ);
	return host_workqueue_run();
}

static void params(void)
{
	char buf[64];

	CHECK(host_param_get("xen_unpopulated.granularity", buf, sizeof(buf)) > 0 &&
	      !strcmp(buf, IS_ENABLED(CONFIG_XEN_UNPOPULATED_SUBSECTION) ?
			   "subsection\n" : "section\n"), "default: %s", buf);
	CHECK_EQ(set("granularity", "page"), -EINVAL);
	CHECK_EQ(set("granularity", "subsection\n"), 0);
	CHECK(host_param_get("xen_unpopulated.granularity", buf, sizeof(buf)) > 0 &&
	      !strcmp(buf, "subsection\n"), "now %s", buf);
	CHECK_EQ(set("reclaim_delay", "x"), -EINVAL);
	CHECK_EQ(set("reclaim_delay", "-1"), 0);
	CHECK_EQ(set("spare_pages", "-1"), -EINVAL);
	CHECK_EQ(host_param_set("xen_unpopulated.nope", "1"), -ENOENT);
}

/* One page carves one 2 MiB sub-section at the very start of region 0. */
static void subsection_first_map(void)
{
	long live;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK_EQ(stats().granule_pages, SUB);
	live = host_memremap_live_pages();
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	expect_scratch(0, 0x40400000, 0x405fffff);
	/* 512 struct pages backed: the QEMU tier measures what they cost. */
	CHECK_EQ(host_memremap_live_pages() - live, SUB);
	CHECK(view_has("granularity: subsection, 2048 KiB") &&
	      view_has("range: 0x40400000-0x405fffff pages 512 free 511 in-use 1"),
	      "view");
	/* A section and a bit, less the 511 pages free: 64 sub-sections. */
	CHECK(!xen_alloc_unpopulated_pages(SEC + 1, pages + 1), "more");
	expect_scratch(1, 0x40600000, 0x485fffff);
	xen_free_unpopulated_pages(SEC + 2, pages);
}

/* Sub-sections use every aligned 2 MiB of both regions, then the balloon. */
static void subsection_fills_regions(void)
{
	unsigned int total = (0x1fc00000 + 0x40000000) / 4096;
	struct xen_unpopulated_stats st;
	unsigned int i, done = 0, n;

	CHECK(!set("granularity", "subsection"), "param");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	for (i = 0; done < total; i++) {
		n = min(4 * SEC, total - done);
		CHECK(!xen_alloc_unpopulated_pages(n, pages), "alloc %u", i);
		done += n;
	}
	st = stats();
	CHECK(st.pages == total && !st.free && !st.balloon_out,
	      "%lu pages, %lu free, %lu ballooned", st.pages, st.free,
	      st.balloon_out);
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "one more");
	CHECK(stats().balloon_out == 1 && !is_zone_device_page(pages[0]),
	      "ballooned");
	CHECK(view_has("ballooned: in-use 1") &&
	      view_has("balloon-served 1"), "view");
	xen_free_unpopulated_pages(1, pages);
}

/* Idle ranges go after the delay, held ones never, the spare stays. */
static void reclaim_delay_and_spare(void)
{
	struct xen_unpopulated_stats st;
	struct page *held;

	CHECK(!set("granularity", "subsection") && !set("reclaim_delay", "10") &&
	      !set("spare_pages", "512"), "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(2 * SEC, pages), "a burst");
	CHECK(!xen_alloc_unpopulated_pages(SUB, pages + 2 * SEC), "a small one");
	expect_scratch(0, 0x40400000, 0x503fffff);
	expect_scratch(1, 0x50400000, 0x505fffff);
	/* Nothing idle: nothing to do. */
	CHECK_EQ(host_workqueue_due(), -1);
	xen_free_unpopulated_pages(2 * SEC + SUB, pages);
	CHECK_EQ(host_workqueue_due(), 10 * HZ);
	CHECK(!reclaim_after(9) && stats().nr_ranges == 2, "not yet");
	CHECK(reclaim_after(1) == 1, "due");
	/* The small range fits in the spare; the burst's goes. */
	st = stats();
	CHECK(st.nr_ranges == 1 && st.reclaimed == 1 && st.pages == SUB,
	      "%u ranges, %lu pages", st.nr_ranges, st.pages);
	expect_scratch(0, 0x50400000, 0x505fffff);
	CHECK(logged("released 0x40400000-0x503fffff"), "logged");
	CHECK(view_has("reclaimed 1") &&
	      view_has("range: 0x50400000-0x505fffff pages 512 free 512 in-use 0"),
	      "view");
	/* A page handed out keeps its range, whatever the spare. */
	CHECK(!set("spare_pages", "0"), "spare 0");
	CHECK(!xen_alloc_unpopulated_pages(1, &held), "one page");
	CHECK(!reclaim_after(3600) && stats().nr_ranges == 1, "kept");
	CHECK(pfn_to_page(page_to_pfn(held)) == held &&
	      is_zone_device_page(held), "held page intact");
	xen_free_unpopulated_pages(1, &held);
	CHECK(reclaim_after(10) == 1, "ran");
	st = stats();
	CHECK(!st.nr_ranges && !st.pages && st.reclaimed == 2 &&
	      !host_memremap_live_pages() && !iomem_scratch(0) && !host_xa_live(),
	      "all given back: %u ranges", st.nr_ranges);
	/* And carving works again, at the same place. */
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "again");
	expect_scratch(0, 0x40400000, 0x405fffff);
	xen_free_unpopulated_pages(1, pages);
	CHECK_EQ(host_warn_count(), 0);
}

/* A negative delay turns reclaim off; section mode reclaims too. */
static void reclaim_off_and_sections(void)
{
	CHECK(!set("reclaim_delay", "-1") && !set("granularity", "section") &&
	      !set("spare_pages", "0"), "off");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	expect_scratch(0, 0x48000000, 0x4fffffff);
	xen_free_unpopulated_pages(1, pages);
	CHECK(!reclaim_after(3600) && stats().nr_ranges == 1, "kept");
	CHECK(!set("reclaim_delay", "0"), "on");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	CHECK(reclaim_after(0) == 1 && !stats().nr_ranges &&
	      !host_memremap_live_pages(), "section released");
}

/* Reclaim while a page is freed twice or a foreign page comes back. */
static void reclaim_misuse(void)
{
	struct page *foreign;

	CHECK(!set("reclaim_delay", "0") && !set("spare_pages", "0") &&
	      !set("granularity", "section"), "params");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!xen_alloc_unpopulated_pages(2, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	xen_free_unpopulated_pages(1, pages);	/* twice: refused */
	CHECK(host_warn_count() == 1 && stats().free == SEC - 1, "refused");
	/* The work runs for the cached page, and keeps the range. */
	reclaim_after(1);
	CHECK(stats().nr_ranges == 1 && stats().free == SEC - 1,
	      "range still used");
	foreign = host_ram_pages(0x12345, 1);
	xen_free_unpopulated_pages(1, &foreign);
	CHECK(host_warn_count() == 2, "foreign page refused");
	xen_free_unpopulated_pages(1, pages + 1);
	reclaim_after(1);
	CHECK(!stats().nr_ranges, "released once idle");
}

/* Every failure point under sub-sections and reclaim: no leak, no loss. */
static void faults(void)
{
	enum host_fault f;
	unsigned int points = 0;
	unsigned long k;
	pid_t pid;
	int status;

	/* Each of the first 24 calls of each service fails in turn. */
	for (f = 0; f < HOST_FAULT_NR; f++) {
		for (k = 0; k < 24; k++) {
			pid = fork();
			if (!pid) {
				long slab, xa;
				int ret;

				set("granularity", "subsection");
				set("reclaim_delay", "0");
				set("spare_pages", "0");
				if (boot_allocator("qemu-virt-dom0.dtb", 12))
					exit(3);
				slab = host_slab_live();
				xa = host_xa_live();
				host_fault_arm(f, k);
				ret = xen_alloc_unpopulated_pages(3 * SUB, pages);
				if (!ret)
					xen_free_unpopulated_pages(3 * SUB, pages);
				reclaim_after(1);
				host_fault_clear();
				reclaim_after(1);
				if (stats().nr_ranges || host_memremap_live_pages() ||
				    host_balloon_live_pages() || iomem_scratch(0) ||
				    host_slab_live() != slab || host_xa_live() != xa)
					exit(1);
				exit(ret && ret != -ENOMEM ? 2 : 0);
			}
			waitpid(pid, &status, 0);
			CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
			      "%s, call %lu: exit %d", host_fault_name(f), k,
			      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			points++;
		}
	}
	printf("frugal fault injection: %u failure points\n", points);
}

/* A kernel without debugfs: the initcall copes, there is no view. */
static void no_debugfs(void)
{
	host_debugfs_disable();
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	CHECK(!host_debugfs_read("xen/unpopulated"), "no view");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "alloc");
	xen_free_unpopulated_pages(1, pages);
	CHECK_EQ(host_warn_count(), 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("parameters parse as on the command line", params);
	run_case("subsection: the first map carves 2 MiB", subsection_first_map);
	run_case("subsection: every aligned 2 MiB, then the balloon",
		 subsection_fills_regions);
	run_case("reclaim: delay, spare, held pages", reclaim_delay_and_spare);
	run_case("reclaim: off when negative, whole sections too",
		 reclaim_off_and_sections);
	run_case("reclaim: misuse refused, range released once idle",
		 reclaim_misuse);
	run_case("every failure point with sub-sections and reclaim", faults);
	run_case("a kernel without debugfs", no_debugfs);
	return h_finish();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The allocator as x86 builds it: no device tree, iomem_resource as the
 * target and, as in Linux 6.12 and later, an arch hook that hands in every
 * page of the extra-memory regions through xen_free_unpopulated_pages().
 * Built twice: as a PVH/HVM guest sees it, and with CONFIG_XEN_HAVE_PVMMU
 * for a PV guest, whose p2m the allocator keeps.
 *
 * Usage: test-x86 (no arguments)
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <xen/balloon.h>
#include <xen/features.h>
#include <xen/page.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>
#include <host/model.h>
#include <host/p2m.h>

#include "harness.h"
#include "run_case.h"

#define SEC		32768UL			/* pages per 128 MiB section */
#define RAM_END		0x80000000ULL		/* 2 GiB of RAM from 0 */
#define EXTRA_PFN	0x20000UL		/* dom0_mem=512M: extra above */
#define EXTRA_NR	(0x80000UL - EXTRA_PFN)	/* up to RAM_END, 4K pages */
#define HOLE_PFN	0x80000UL		/* 2-4 GiB: no RAM, no device */
#define HOLE_NR		0x80000UL

/* What the model hook does: 6.1 hands nothing in, 6.12+ the extra memory. */
static struct {
	unsigned long seed_pfn, seed_nr;
	bool seed_twice;	/* hand one page in twice */
	int ret;		/* what it returns after seeding */
} hook;

int arch_xen_unpopulated_init(struct resource **res)
{
	struct page *pg;
	unsigned long i;

	*res = &iomem_resource;
	for (i = 0; i < hook.seed_nr; i++) {
		pg = pfn_to_page(hook.seed_pfn + i);
		xen_free_unpopulated_pages(1, &pg);
	}
	if (hook.seed_twice && hook.seed_nr) {
		pg = pfn_to_page(hook.seed_pfn);
		xen_free_unpopulated_pages(1, &pg);
	}
	xen_unpopulated_pages += hook.seed_nr;
	return hook.ret;
}

static struct resource ram = {
	.name = "System RAM", .start = 0, .end = RAM_END - 1,
	.flags = IORESOURCE_MEM | IORESOURCE_BUSY,
};
static struct resource pci = {
	.name = "PCI Bus 0000:00", .start = 0xfe000000, .end = 0xffffffff,
	.flags = IORESOURCE_MEM,
};

static bool pv(void)
{
#ifdef CONFIG_XEN_HAVE_PVMMU
	return true;
#else
	return false;
#endif
}

/* Boots an x86 dom0 model: 2 GiB of RAM, 512 MiB of it populated. */
static int boot(unsigned long seed_nr)
{
	host_arm64_reset();
	host_arm64.phys_offset = 0;	/* x86: pluggable from 0 to 2^46 */
	host_arm64.pa_bits = 46;
	xen_domain_type = pv() ? XEN_PV_DOMAIN : XEN_HVM_DOMAIN;
	xen_features[XENFEAT_auto_translated_physmap] = !pv();
	if (request_resource(&iomem_resource, &ram) ||
	    request_resource(&iomem_resource, &pci) ||
	    !host_ram_pages(0, HOLE_PFN))
		return -1;
	host_p2m_add_identity(HOLE_PFN, HOLE_NR);
	hook.seed_pfn = EXTRA_PFN;
	hook.seed_nr = seed_nr;
	return host_initcall_xen_unpopulated_init();
}

static struct xen_unpopulated_stats stats(void)
{
	struct xen_unpopulated_stats st;

	xen_unpopulated_get_stats(&st);
	return st;
}

static bool logged(const char *s)
{
	unsigned int i;

	for (i = 0; i < host_log_count(); i++)
		if (strstr(host_log_line(i, NULL), s))
			return true;
	return false;
}

static unsigned int nr_scratch(void)
{
	const struct resource *c;
	unsigned int n = 0;

	for (c = iomem_resource.child; c; c = c->sibling)
		n += !strcmp(c->name, "Xen scratch");
	return n;
}

#define MAX_PAGES	(EXTRA_NR + 2 * SEC)
static struct page *pages[MAX_PAGES];

/* Every page is distinct; seeded ones are RAM pages of the extra memory. */
static void check_pages(unsigned long n, unsigned long *seeded)
{
	unsigned long i, pfn, bad = 0, ns = 0;
	unsigned char *seen = calloc(PHYS_PFN(1ULL << 34), 1);

	for (i = 0; i < n && seen; i++) {
		pfn = page_to_pfn(pages[i]);
		bad += pfn >= PHYS_PFN(1ULL << 34) || seen[pfn]++;
		bad += pfn_to_page(pfn) != pages[i];
		if (!is_zone_device_page(pages[i])) {
			ns++;
			bad += pfn - EXTRA_PFN >= EXTRA_NR;
		}
		if (pv())
			bad += !host_p2m_allocated(pfn);
	}
	CHECK(seen && !bad, "%lu bad pages of %lu", bad, n);
	*seeded = ns;
	free(seen);
}

static void seeded_first(void)
{
	struct xen_unpopulated_stats st;
	unsigned long ns;

	CHECK(!boot(EXTRA_NR), "boot");
	st = stats();
	CHECK(st.scratch && st.seeded == EXTRA_NR &&
	      st.seeded_free == EXTRA_NR && st.nr_seed_runs == 1 &&
	      !st.nr_ranges, "seeded %lu in %u run(s), %u ranges", st.seeded,
	      st.nr_seed_runs, st.nr_ranges);
	CHECK_EQ(xen_unpopulated_pages, EXTRA_NR);
	CHECK(logged("xen-unpopulated: 393216 page(s) handed in by the arch hook"),
	      "init logs the seed");
	CHECK_EQ(host_warn_count(), 0);

	/* One page: a seeded page, nothing carved. */
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "one page");
	CHECK(!is_zone_device_page(pages[0]) && !nr_scratch(), "seeded, no carve");
	xen_free_unpopulated_pages(1, pages);

	/* All seeded pages, then one section more: one range carved. */
	CHECK(!xen_alloc_unpopulated_pages(EXTRA_NR + SEC, pages), "seed + section");
	check_pages(EXTRA_NR + SEC, &ns);
	CHECK_EQ(ns, EXTRA_NR);
	CHECK(nr_scratch() == 1 && iomem_resource.child->sibling->start == RAM_END,
	      "one range at 2 GiB");
	st = stats();
	CHECK(!st.seeded_free && !st.free && st.pages == SEC, "all handed out");
	if (pv()) {
		unsigned long pfn, bad = 0;

		for (pfn = HOLE_PFN; pfn < HOLE_PFN + SEC; pfn++)
			bad += __pfn_to_mfn(pfn) != INVALID_P2M_ENTRY;
		CHECK(!bad, "%lu p2m entries of the range not invalid", bad);
	}

	/* Everything back to its origin. */
	xen_free_unpopulated_pages(EXTRA_NR + SEC, pages);
	st = stats();
	CHECK(st.seeded_free == EXTRA_NR && st.free == SEC, "all free");
	CHECK_EQ(host_warn_count(), 0);
}

static void no_seed(void)
{
	unsigned long ns, calls;

	CHECK(!boot(0), "boot");
	CHECK(!stats().seeded && !logged("handed in"), "nothing seeded");
	calls = host_fault_calls(HOST_FAULT_RESOURCE_ALLOC);
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "one page");
	check_pages(1, &ns);
	CHECK(!ns && nr_scratch() == 1, "carved at once");
	/* As upstream: one allocate_resource() in iomem_resource, no probe. */
	CHECK_EQ(host_fault_calls(HOST_FAULT_RESOURCE_ALLOC) - calls, 1);
	xen_free_unpopulated_pages(1, pages);
	CHECK_EQ(stats().free, SEC);
}

static void misuse(void)
{
	unsigned long warns;
	struct page *foreign;

	hook.seed_twice = true;
	CHECK(!boot(100), "boot");
	CHECK(stats().seeded == 100 && host_warn_count() == 1,
	      "seeding a page twice warns once, counts once");
	CHECK(!xen_alloc_unpopulated_pages(2, pages), "two pages");
	warns = host_warn_count();
	xen_free_unpopulated_pages(1, pages);
	xen_free_unpopulated_pages(1, pages);	/* seeded page freed twice */
	CHECK(host_warn_count() == warns + 1, "double free warned");
	CHECK_EQ(stats().seeded_free, 99);
	foreign = pfn_to_page(0x100);		/* RAM, never seeded */
	xen_free_unpopulated_pages(1, &foreign);
	CHECK(host_warn_count() == warns + 2, "foreign page warned");
	CHECK_EQ(stats().seeded_free, 99);
	xen_free_unpopulated_pages(1, pages + 1);
	CHECK_EQ(stats().seeded_free, 100);
}

/* The hook fails after seeding: seeded pages, then the balloon. */
static void hook_fails(void)
{
	hook.ret = -ENODEV;
	CHECK(boot(10) == -ENODEV, "boot");
	CHECK(!stats().scratch && stats().seeded == 10, "no target, 10 seeded");
	CHECK(!xen_alloc_unpopulated_pages(10, pages), "seeded");
	CHECK(!xen_alloc_unpopulated_pages(5, pages + 10), "ballooned");
	CHECK(host_balloon_live_pages() == 5 && !nr_scratch(), "balloon used");
	xen_free_unpopulated_pages(15, pages);
	CHECK(host_balloon_live_pages() == 0 && stats().seeded_free == 10,
	      "each page back to its origin");
	CHECK_EQ(host_warn_count(), 0);
}

/* More than a run holds: two runs, both used. */
static void long_run(void)
{
	unsigned long ns;

	CHECK(!boot(EXTRA_NR), "boot");
	CHECK(!xen_alloc_unpopulated_pages(EXTRA_NR, pages), "all seeded");
	check_pages(EXTRA_NR, &ns);
	CHECK(ns == EXTRA_NR && !nr_scratch(), "no carve");
}

/* Out of memory while seeding: the page is counted as lost, not kept. */
static void seed_oom(void)
{
	host_fault_arm(HOST_FAULT_SLAB, 0);
	CHECK(!boot(3), "boot");
	CHECK(stats().seeded == 2 && stats().seed_lost == 1, "one lost");
	CHECK(logged("1 page(s) handed in by the arch hook lost"), "logged");
}

/*
 * Out of memory for a run's bitmap, once the hook is done, after a page
 * was handed in twice (which looked the run up): the run is lost whole,
 * and no lookup finds it afterwards.
 */
static void seed_bitmap_oom(void)
{
	struct page *pg;

	hook.seed_twice = true;
	host_fault_arm(HOST_FAULT_SLAB, 1);
	CHECK(!boot(3), "boot");
	CHECK(stats().seeded == 0 && stats().seed_lost == 3, "run lost");
	pg = pfn_to_page(EXTRA_PFN);
	xen_free_unpopulated_pages(1, &pg);
	CHECK(logged("that is not a Xen unpopulated page"), "refused");
	CHECK(!xen_alloc_unpopulated_pages(1, &pg) && is_zone_device_page(pg),
	      "a scratch page");
	xen_free_unpopulated_pages(1, &pg);
}

#ifdef CONFIG_XEN_HAVE_PVMMU
/* p2m failures unwind: nothing taken, entries as before, next call works. */
static void p2m_faults(void)
{
	unsigned long pfn, bad, live;
	enum host_fault f;
	unsigned int k;

	CHECK(!boot(4), "boot");
	CHECK(!xen_alloc_unpopulated_pages(4, pages), "seeded");
	for (k = 0; k < 3; k++) {
		f = k == 0 ? HOST_FAULT_P2M_SET : k == 1 ? HOST_FAULT_MEMREMAP :
			     HOST_FAULT_P2M_ALLOC;
		host_fault_arm(f, k == 0 ? 1000 : 0);
		live = host_slab_live();
		if (f == HOST_FAULT_P2M_ALLOC) {
			CHECK(xen_alloc_unpopulated_pages(1, pages + 4) == -ENOMEM,
			      "%s fails the call", host_fault_name(f));
		} else {
			/* The carve fails: a ballooned page stands in. */
			CHECK(!xen_alloc_unpopulated_pages(1, pages + 4),
			      "%s: ballooned", host_fault_name(f));
			CHECK(stats().balloon_out == 1 &&
			      !is_zone_device_page(pages[4]), "from the balloon");
			xen_free_unpopulated_pages(1, pages + 4);
			CHECK(!host_balloon_live_pages(), "back to the balloon");
		}
		bad = 0;
		for (pfn = HOLE_PFN; pfn < HOLE_PFN + SEC; pfn++)
			bad += __pfn_to_mfn(pfn) != (f == HOST_FAULT_P2M_ALLOC ?
				INVALID_P2M_ENTRY : IDENTITY_FRAME(pfn));
		CHECK(!bad, "%s: %lu p2m entries changed", host_fault_name(f), bad);
		if (f != HOST_FAULT_P2M_ALLOC)
			CHECK(!nr_scratch() && host_slab_live() == live &&
			      !host_memremap_live_pages(), "%s: unwound",
			      host_fault_name(f));
		else
			CHECK(stats().free == SEC, "the page went back");
	}
	CHECK(!xen_alloc_unpopulated_pages(1, pages + 4), "next call works");
	CHECK(host_p2m_allocated(page_to_pfn(pages[4])), "p2m entry");
	xen_free_unpopulated_pages(5, pages);
	CHECK_EQ(host_warn_count(), 0);
}

/* Log lines that contain @s. */
static unsigned int nr_logged(const char *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < host_log_count(); i++)
		n += !!strstr(host_log_line(i, NULL), s);
	return n;
}

/*
 * A p2m entry with a frame behind it: the candidate is refused, marked
 * unusable in the target so that no request tries it again, and the next
 * one is carved; one error, however many requests follow.
 */
static void p2m_backed(void)
{
	const struct resource *c;
	unsigned int i;

	CHECK(!boot(0), "boot");
	set_phys_to_machine(HOLE_PFN + 7, 0x1234);
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "carved elsewhere");
	CHECK(!stats().balloon_out && nr_logged("not carved") == 1, "refused");
	CHECK(page_to_pfn(pages[0]) - HOLE_PFN >= SEC, "not the refused section");
	CHECK(__pfn_to_mfn(HOLE_PFN + 7) == 0x1234 &&
	      __pfn_to_mfn(HOLE_PFN) == IDENTITY_FRAME(HOLE_PFN), "p2m intact");
	for (c = iomem_resource.child; c; c = c->sibling)
		if (!strcmp(c->name, "Xen scratch: unusable"))
			break;
	CHECK(c && c->start == PFN_PHYS(HOLE_PFN) &&
	      c->end == PFN_PHYS(HOLE_PFN + SEC) - 1, "marked unusable");
	for (i = 1; i < 10; i++) {
		CHECK(!xen_alloc_unpopulated_pages(SEC, pages + 1), "more");
		xen_free_unpopulated_pages(SEC, pages + 1);
	}
	CHECK(nr_logged("not carved") == 1, "%u errors", nr_logged("not carved"));
	xen_free_unpopulated_pages(1, pages);
	CHECK(!host_balloon_live_pages() && !host_warn_count(), "all back");
}

/* PV: a page whose p2m entry cannot be made goes back; the call fails. */
static void pv_p2m_failure(void)
{
	CHECK(!boot(0), "boot");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "carve");
	xen_free_unpopulated_pages(1, pages);
	host_fault_arm(HOST_FAULT_P2M_ALLOC, 0);
	CHECK(xen_alloc_unpopulated_pages(1, pages) == -ENOMEM,
	      "a p2m failure fails the call");
	host_fault_clear();
	CHECK(stats().free == SEC, "the page went back");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "then it works");
	CHECK(host_p2m_allocated(page_to_pfn(pages[0])), "p2m entry");
	xen_free_unpopulated_pages(1, pages);
	CHECK(stats().free == SEC && nr_scratch() == 1 && !host_warn_count(),
	      "%lu free, %lu warnings", stats().free, host_warn_count());
}

/* PV: an idle range is kept, whatever the delay (see the allocator). */
static void pv_no_reclaim(void)
{
	CHECK(!host_param_set("xen_unpopulated.reclaim_delay", "0") &&
	      !host_param_set("xen_unpopulated.spare_pages", "0"), "params");
	CHECK(!boot(0), "boot");
	CHECK(logged("PV domain: idle scratch ranges are kept"), "logged");
	CHECK(!xen_alloc_unpopulated_pages(1, pages), "carve");
	xen_free_unpopulated_pages(1, pages);
	host_jiffies_advance(3600 * HZ);
	CHECK(!host_workqueue_run() && host_workqueue_due() == -1, "no work");
	CHECK(nr_scratch() == 1 && stats().free == SEC && !stats().reclaimed,
	      "range kept");
}
#endif

/*
 * Contiguous requests take no seeded page: they come from a range carved
 * for them, with a p2m entry for every page in PV, and a p2m failure
 * gives the block back whole.
 */
static void contiguous_skips_seeds(void)
{
	unsigned long pfn, i, bad = 0;

	CHECK(!boot(EXTRA_NR), "boot");
	CHECK(!xen_alloc_unpopulated_contiguous_pages(1000, pages), "1000");
	pfn = page_to_pfn(pages[0]);
	for (i = 0; i < 1000; i++)
		bad += page_to_pfn(pages[i]) != pfn + i ||
		       !is_zone_device_page(pages[i]) ||
		       (pv() && !host_p2m_allocated(pfn + i));
	CHECK(!bad && !(pfn & 1023) && pfn >= RAM_END >> PAGE_SHIFT,
	      "%lu bad pages from pfn %#lx", bad, pfn);
	CHECK(stats().seeded_free == EXTRA_NR && nr_scratch() == 1,
	      "seeds untouched, one range");
	if (pv()) {
		host_fault_arm(HOST_FAULT_P2M_ALLOC, 10);
		CHECK(xen_alloc_unpopulated_contiguous_pages(64, pages + 1000) < 0,
		      "p2m failure");
		host_fault_clear();
		CHECK(stats().free + 1000 == stats().pages,
		      "given back: %lu free of %lu", stats().free, stats().pages);
	}
	xen_free_unpopulated_pages(1000, pages);
	CHECK(stats().free == stats().pages &&
	      !host_warn_count(), "all free");
}

/*
 * Only single sections are free in iomem_resource: a request for three
 * carves them one by one, and never inserts anything into iomem_resource
 * that it takes out again (a probe there is in a driver's way).
 */
static void no_probe(void)
{
	static struct resource above = {
		.name = "above 4G", .start = 0x100000000ULL,
		.end = (1ULL << 46) - 1, .flags = IORESOURCE_MEM | IORESOURCE_BUSY,
	};
	static struct resource gaps[8];
	unsigned long releases;
	unsigned int i;

	CHECK(!boot(0), "boot");
	CHECK(!request_resource(&iomem_resource, &above), "above");
	for (i = 0; i < 8; i++) {
		gaps[i].name = "gap";
		gaps[i].flags = IORESOURCE_MEM | IORESOURCE_BUSY;
		gaps[i].start = 0x88000000ULL + i * 0x10000000ULL;
		gaps[i].end = gaps[i].start + 0xfff;
		CHECK(!request_resource(&iomem_resource, gaps + i), "gap %u", i);
	}
	releases = host_iomem_releases();
	CHECK(!xen_alloc_unpopulated_pages(3 * SEC, pages), "three sections");
	CHECK(nr_scratch() == 3 && !stats().balloon_out, "%u ranges",
	      nr_scratch());
	CHECK_EQ(host_iomem_releases() - releases, 0);
	xen_free_unpopulated_pages(3 * SEC, pages);
}

int main(void)
{
	run_case("extra memory seeded, handed out before any carve", seeded_first);
	run_case("no seed (6.1): the first page carves", no_seed);
	run_case("seeded page freed twice, foreign page, double seed", misuse);
	run_case("hook fails after seeding: seeded then ballooned", hook_fails);
	run_case("seeded pages beyond one run", long_run);
	run_case("out of memory while seeding", seed_oom);
	run_case("out of memory for a seeded run's bitmap", seed_bitmap_oom);
	run_case("contiguous pages skip the seeds", contiguous_skips_seeds);
	run_case("no probe in iomem_resource", no_probe);
#ifdef CONFIG_XEN_HAVE_PVMMU
	run_case("PV: p2m failures unwind", p2m_faults);
	run_case("PV: a backed p2m entry is refused, marked, not retried", p2m_backed);
	run_case("PV: idle ranges are kept", pv_no_reclaim);
	run_case("PV: a page without a p2m entry goes back",
		 pv_p2m_failure);
#endif
	return h_finish();
}

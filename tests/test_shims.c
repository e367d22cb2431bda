// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host models checked against the kernel's semantics: the resource
 * tree (request, insert with adoption, release, allocate first fit with
 * alignment and limits), the slab count, the hotpluggable range, sort,
 * the xarray, kernel parameters, delayed work, debugfs, and the vmemmap
 * with memremap_pages(), RAM pages and the balloon.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/string.h>
#include <linux/memory_hotplug.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <xen/balloon.h>
#include <host/model.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "run_case.h"

#define RES(s, e, n) { .start = (s), .end = (e), .name = (n), \
		       .flags = IORESOURCE_MEM }

static void test_request(void)
{
	struct resource root = RES(0x1000, 0x1fff, "root");
	struct resource a = RES(0x1400, 0x14ff, "a");
	struct resource b = RES(0x1100, 0x11ff, "b");
	struct resource c = RES(0x14f0, 0x15ff, "c");
	struct resource d = RES(0x0f00, 0x10ff, "d");

	h_begin("request_resource keeps children sorted, refuses overlaps");
	CHECK(!request_resource(&root, &a), "a");
	CHECK(!request_resource(&root, &b), "b");
	CHECK(root.child == &b && b.sibling == &a && !a.sibling, "order");
	CHECK(request_resource_conflict(&root, &c) == &a, "c overlaps a");
	CHECK(request_resource_conflict(&root, &d) == &root, "d outside");
	CHECK(!release_resource(&a) && root.child == &b && !b.sibling, "rel");
	CHECK(release_resource(&a) == -EINVAL, "released twice");
	CHECK(!request_resource(&root, &c), "c fits now");
	h_end();
}

static void test_insert(void)
{
	struct resource root = RES(0, 0xffff, "root");
	struct resource a = RES(0x1000, 0x1fff, "a");
	struct resource b = RES(0x3000, 0x3fff, "b");
	struct resource big = RES(0x0800, 0x4fff, "big");
	struct resource inner = RES(0x1100, 0x11ff, "inner");
	struct resource partial = RES(0x1f00, 0x20ff, "partial");
	struct resource same = RES(0x1100, 0x11ff, "same");

	h_begin("insert_resource adopts covered children, refuses partial overlap");
	CHECK(!insert_resource(&root, &a) && !insert_resource(&root, &b), "ab");
	CHECK(!insert_resource(&root, &big), "big over a and b");
	CHECK(root.child == &big && !big.sibling, "big is the only child");
	CHECK(big.child == &a && a.sibling == &b && a.parent == &big &&
	      b.parent == &big, "a and b adopted");
	CHECK(!insert_resource(&root, &inner) && inner.parent == &a,
	      "inner goes two levels down");
	CHECK(insert_resource_conflict(&root, &partial) == &a, "partial");
	CHECK(!insert_resource(&root, &same) && same.child == &inner &&
	      same.parent == &a, "an equal range is adopted");
	h_end();
}

static resource_size_t align_up_4k(void *data, const struct resource *avail,
				   resource_size_t size, resource_size_t align)
{
	(*(int *)data)++;
	return ALIGN(avail->start, 0x1000);
}

static void test_allocate(void)
{
	struct resource root = RES(0x10000, 0x8ffff, "root");
	struct resource busy1 = RES(0x10000, 0x1ffff, "busy1");
	struct resource busy2 = RES(0x30000, 0x47fff, "busy2");
	struct resource r1 = RES(0, 0, "r1"), r2 = RES(0, 0, "r2");
	struct resource r3 = RES(0, 0, "r3"), r4 = RES(0, 0, "r4");
	struct resource r5 = RES(0, 0, "r5");
	int calls = 0;

	h_begin("allocate_resource takes the first aligned gap that fits");
	CHECK(!request_resource(&root, &busy1), "busy1");
	CHECK(!request_resource(&root, &busy2), "busy2");
	/* Gaps: 0x20000-0x2ffff, 0x48000-0x8ffff. */
	CHECK(!allocate_resource(&root, &r1, 0x10000, 0, ~0ULL, 0x10000,
				 NULL, NULL), "r1");
	CHECK_EQ(r1.start, 0x20000);
	CHECK_EQ(r1.end, 0x2ffff);
	/* 0x48000 is not 64K aligned: the next fit is 0x50000. */
	CHECK(!allocate_resource(&root, &r2, 0x8000, 0, ~0ULL, 0x10000,
				 NULL, NULL), "r2");
	CHECK_EQ(r2.start, 0x50000);
	/* Unaligned requests fill the gap left below r2 first. */
	CHECK(!allocate_resource(&root, &r3, 0x8000, 0, ~0ULL, 1,
				 NULL, NULL), "r3");
	CHECK_EQ(r3.start, 0x48000);
	/* min and max limit the search; 0x60000 cannot fit below 0x7ffff. */
	CHECK(allocate_resource(&root, &r4, 0x30000, 0, 0x7ffff, 0x10000,
				NULL, NULL) == -EBUSY, "too big under max");
	CHECK(!r4.parent, "nothing linked on failure");
	CHECK(!allocate_resource(&root, &r4, 0x10000, 0x70000, ~0ULL, 1,
				 NULL, NULL), "r4 above min");
	CHECK_EQ(r4.start, 0x70000);
	CHECK(!allocate_resource(&root, &r5, 0x1000, 0, ~0ULL, 1,
				 align_up_4k, &calls), "alignf");
	CHECK(calls > 0 && r5.start == 0x58000, "alignf used: 0x%llx",
	      (unsigned long long)r5.start);
	h_end();

	h_begin("allocate_resource at the top of the address space");
	{
		struct resource top = RES(0, ~0ULL, "top");
		struct resource hi = RES(~0ULL - 0xfff, ~0ULL, "hi");
		struct resource x = RES(0, 0, "x");

		CHECK(!request_resource(&top, &hi), "hi");
		CHECK(allocate_resource(&top, &x, 0x2000, ~0ULL - 0x1fff,
					~0ULL, 1, NULL, NULL) == -EBUSY,
		      "no room above");
		CHECK(!allocate_resource(&top, &x, 0x1000, ~0ULL - 0x1fff,
					 ~0ULL, 0x1000, NULL, NULL), "fits");
		CHECK_EQ(x.start, ~0ULL - 0x1fff);
	}
	h_end();
}

static void test_faults(void)
{
	struct resource root = RES(0, 0xffff, "root");
	struct resource a = RES(0, 0, "a");
	long live = host_slab_live();
	void *p;

	h_begin("fault injection fails exactly the armed call");
	host_fault_arm(HOST_FAULT_SLAB, 1);
	p = kmalloc(8, GFP_KERNEL);
	CHECK(p, "first call passes");
	CHECK(!kmalloc(8, GFP_KERNEL), "second call fails");
	kfree(p);
	p = kzalloc(8, GFP_KERNEL);
	CHECK(p && !*(char *)p, "later calls pass, zeroed");
	kfree(p);
	CHECK(host_slab_live() == live, "slab balanced");
	CHECK(!kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL), "overflow");
	host_fault_arm(HOST_FAULT_RESOURCE_ALLOC, 0);
	CHECK(allocate_resource(&root, &a, 0x100, 0, ~0ULL, 1, NULL, NULL) ==
	      -EBUSY, "allocate fails");
	CHECK(!allocate_resource(&root, &a, 0x100, 0, ~0ULL, 1, NULL, NULL),
	      "then works");
	h_end();
}

static void test_pluggable(void)
{
	struct range r;

	h_begin("hotpluggable range of arm64 configurations");
	host_arm64_reset();
	host_arm64.phys_offset = 0x40000000;
	r = mhp_get_pluggable_range(true);
	CHECK_EQ(r.start, 0x40000000);
	CHECK_EQ(r.end, 0x80003fffffffULL);
	host_arm64.va_bits = 39;
	r = mhp_get_pluggable_range(true);
	CHECK_EQ(r.end, 0x40000000 + (1ULL << 38) - 1);	/* 256 GiB */
	host_arm64.kasan_shift = 3;	/* generic KASAN: shadow 1/8 of VA */
	r = mhp_get_pluggable_range(true);
	CHECK_EQ(r.end, 0x303fffffffULL);	/* 192 GiB, as 6.1 booted */
	host_arm64.va_bits = 48;
	host_arm64.kasan_shift = 4;	/* software tags: 1/16 */
	r = mhp_get_pluggable_range(true);
	CHECK_EQ(r.end, 0x40000000 + (1ULL << 47) - (1ULL << 44) - 1);
	host_arm64.kasan_shift = 0;
	host_arm64.va_bits = 52;
	host_arm64.pa_bits = 48;
	r = mhp_get_pluggable_range(true);
	CHECK_EQ(r.end, (1ULL << 48) - 1);	/* capped by PA bits */
	host_arm64.phys_offset = 1ULL << 50;
	r = mhp_get_pluggable_range(true);
	CHECK(!r.start && !r.end, "PHYS_OFFSET above PA range: empty");
	r = mhp_get_pluggable_range(false);
	CHECK(!r.start && r.end == (1ULL << 48) - 1, "no mapping needed");
	host_arm64_reset();
	h_end();
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_sort(void)
{
	int v[257], i, ok = 1;

	h_begin("sort orders any input");
	for (i = 0; i < 257; i++)
		v[i] = (i * 7919) % 257;
	sort(v, 257, sizeof(int), cmp_int, NULL);
	for (i = 0; i < 257; i++)
		ok &= v[i] == i;
	CHECK(ok, "sorted");
	sort(v, 0, sizeof(int), cmp_int, NULL);
	h_end();
}

static void test_xarray(void)
{
	static DEFINE_XARRAY(xa);
	static int a, b;
	long live = host_xa_live();
	unsigned long i;

	h_begin("xarray stores, replaces, erases anywhere in 64 bits");
	CHECK(!xa_load(&xa, 0) && !xa_erase(&xa, 5), "empty");
	CHECK(!xa_store(&xa, 0, &a, GFP_KERNEL), "0");
	CHECK(!xa_store(&xa, ~0UL, &b, GFP_KERNEL), "max");
	CHECK(xa_load(&xa, 0) == &a && xa_load(&xa, ~0UL) == &b &&
	      !xa_load(&xa, 1) && !xa_load(&xa, ~0UL - 1), "loads");
	CHECK(xa_store(&xa, 0, &b, GFP_KERNEL) == &a && xa_load(&xa, 0) == &b,
	      "replace returns the old entry");
	for (i = 0; i < 100000; i++)
		xa_store(&xa, (1UL << 40) + i, &a, GFP_KERNEL);
	CHECK_EQ(host_xa_live() - live, 100002);
	for (i = 0; i < 100000; i++)
		if (xa_erase(&xa, (1UL << 40) + i) != &a)
			break;
	CHECK_EQ(i, 100000);
	host_fault_arm(HOST_FAULT_SLAB, 0);
	CHECK_EQ(xa_err(xa_store(&xa, 7UL << 50, &a, GFP_KERNEL)), -ENOMEM);
	CHECK(!xa_load(&xa, 7UL << 50), "failed store stores nothing");
	host_fault_arm(HOST_FAULT_SLAB, 0);
	CHECK(xa_store(&xa, 0, &a, GFP_KERNEL) == &b,
	      "replacing needs no node: no failure");
	host_fault_clear();
	CHECK(xa_erase(&xa, 0) == &a && xa_erase(&xa, ~0UL) == &b &&
	      host_xa_live() == live, "all erased");
	h_end();
}

static int p_int = 5;
static unsigned long p_ulong = 7;
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "shim."
module_param_named(i, p_int, int, 0644);
module_param_named(ul, p_ulong, ulong, 0644);

static void test_params(void)
{
	char buf[32];

	h_begin("parameters: set and get as the command line does");
	CHECK(!host_param_set("shim.i", "-12") && p_int == -12, "int");
	CHECK(host_param_set("shim.i", "3000000000") == -ERANGE && p_int == -12,
	      "int range");
	CHECK(host_param_set("shim.i", "") == -EINVAL, "empty");
	CHECK(!host_param_set("shim.ul", "0x10\n") && p_ulong == 16, "hex");
	CHECK(host_param_set("shim.ul", "-1") == -EINVAL, "negative ulong");
	CHECK(host_param_get("shim.ul", buf, sizeof(buf)) == 3 &&
	      !strcmp(buf, "16\n"), "get %s", buf);
	CHECK(host_param_set("i", "1") == -ENOENT, "prefix is part of the name");
	CHECK(sysfs_streq("a\n", "a") && sysfs_streq("a", "a\n") &&
	      !sysfs_streq("a", "ab") && !sysfs_streq("a\n\n", "a"), "streq");
	h_end();
}

static int work_runs;

static void work_fn(struct work_struct *w)
{
	work_runs++;
}

static void test_workqueue(void)
{
	static DECLARE_DELAYED_WORK(dw, work_fn);

	h_begin("delayed work runs once when due, pending schedules are no-ops");
	CHECK_EQ(host_workqueue_due(), -1);
	CHECK(schedule_delayed_work(&dw, 5), "queued");
	CHECK(!schedule_delayed_work(&dw, 1), "already pending");
	CHECK_EQ(host_workqueue_due(), 5);
	host_jiffies_advance(4);
	CHECK(!host_workqueue_run() && !work_runs, "not due");
	host_jiffies_advance(1);
	CHECK(host_workqueue_run() == 1 && work_runs == 1, "ran");
	CHECK(!host_workqueue_run() && host_workqueue_due() == -1, "once");
	CHECK(time_after(jiffies + 1, jiffies) && time_before_eq(jiffies, jiffies),
	      "time comparisons");
	h_end();
}

static int show_fn(struct seq_file *m, void *v)
{
	seq_printf(m, "n %d\n", 42);
	seq_puts(m, "end\n");
	return 0;
}

static const struct file_operations show_fops = { .host_show = show_fn };

static void test_debugfs(void)
{
	struct dentry *d, *e;
	char *text;

	h_begin("debugfs: names, errors and reading a show file");
	CHECK(!debugfs_lookup("top", NULL), "nothing yet");
	d = debugfs_create_dir("top", NULL);
	CHECK(!IS_ERR(d), "dir");
	CHECK(PTR_ERR(debugfs_create_dir("top", NULL)) == -EEXIST, "exists");
	e = debugfs_create_file("f", 0444, ERR_PTR(-ENOMEM), NULL, &show_fops);
	CHECK(PTR_ERR(e) == -ENOMEM, "error parent");
	CHECK(!IS_ERR(debugfs_create_file("f", 0444, d, NULL, &show_fops)),
	      "file");
	e = debugfs_lookup("top", NULL);
	CHECK(e == d, "lookup");
	dput(e);
	text = host_debugfs_read("top/f");
	CHECK(text && !strcmp(text, "n 42\nend\n"), "read: %s", text);
	free(text);
	CHECK(!host_debugfs_read("top/g") && !host_debugfs_read("top"),
	      "no such file");
	CHECK(!host_warn_count(), "no warnings");
	h_end();
}

/*
 * The vmemmap.  Each case runs in a child of its own (run_case): RAM pages
 * stay populated for good and the reservation follows the configuration.
 */
#define FAULTED	42

static void on_segv(int sig)
{
	_exit(FAULTED);
}

/*
 * Reads @page in a child: true if the read faulted, false if it read.
 * Anything else (a crash of another kind) is neither and fails the check.
 */
static int read_faults(const struct page *page)
{
	struct sigaction sa = { .sa_handler = on_segv };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		(void)READ_ONCE(page->flags);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == FAULTED ? 1 :
	       WEXITSTATUS(status) == 0 ? 0 : -1;
}

static struct dev_pagemap pgmap_of(u64 start, u64 size)
{
	return (struct dev_pagemap){ .type = MEMORY_DEVICE_GENERIC,
		.nr_range = 1, .range = { start, start + size - 1 } };
}

static bool all_zero(const struct page *page)
{
	static const struct page zero;

	return !memcmp(page, &zero, sizeof(zero));
}

static void vmemmap_arithmetic(void)
{
	struct dev_pagemap pg = pgmap_of(0x80000000, 1 << 21);
	unsigned long pfns[] = { 0, 1, 0x80000, 0x801ff, (1UL << 36) - 1 };
	unsigned int i;

	CHECK_EQ(sizeof(struct page), 64);
	host_arm64_reset();
	CHECK(!IS_ERR(memremap_pages(&pg, NUMA_NO_NODE)), "memremap");
	/* 48-bit PA, 4K pages: a slot for each of 2^36 pfns (4 TiB). */
	CHECK_EQ(host_vmemmap_pfns, 1UL << 36);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		CHECK(pfn_to_page(pfns[i]) == vmemmap + pfns[i], "%#lx", pfns[i]);
		CHECK_EQ(page_to_pfn(pfn_to_page(pfns[i])), pfns[i]);
		CHECK_EQ((char *)pfn_to_page(pfns[i]) - (char *)vmemmap,
			 pfns[i] * 64);
	}
	memunmap_pages(&pg);
}

static void vmemmap_populate(void)
{
	struct dev_pagemap pg = pgmap_of(0x80000000, 1 << 21);
	unsigned long pfn = 0x80000, nr = 512, i, bad;
	long live = host_memremap_live_pages();
	struct page *first;

	host_arm64_reset();
	host_arm64.phys_offset = 0x40000000;
	CHECK(host_ram_pages(0x100, 1), "a RAM page reserves the vmemmap");
	CHECK_EQ(read_faults(pfn_to_page(0x100)), 0);
	first = pfn_to_page(pfn);
	CHECK_EQ(read_faults(first), 1);
	CHECK_EQ(read_faults(first + nr - 1), 1);

	CHECK(memremap_pages(&pg, NUMA_NO_NODE) == first, "memremap");
	CHECK_EQ(host_memremap_live_pages(), live + nr);
	for (i = bad = 0; i < nr; i++)
		bad += !is_zone_device_page(first + i) ||
		       page_zonenum(first + i) != ZONE_DEVICE ||
		       first[i].pgmap != &pg || first[i].zone_device_data;
	CHECK_EQ(bad, 0);
	CHECK_EQ(read_faults(first), 0);
	CHECK_EQ(read_faults(first + nr - 1), 0);
	CHECK_EQ(read_faults(first + nr), 1);	/* the next sub-section */
	CHECK_EQ(read_faults(first - 1), 1);
	for (i = 0; i < nr; i++) {
		first[i].zone_device_data = &pg;
		first[i].unused[4] = i + 1;
	}

	memunmap_pages(&pg);
	CHECK_EQ(host_memremap_live_pages(), live);
	CHECK_EQ(read_faults(first), 1);
	CHECK_EQ(read_faults(first + nr / 2), 1);
	CHECK_EQ(read_faults(first + nr - 1), 1);
	CHECK_EQ(read_faults(pfn_to_page(0x100)), 0);	/* RAM stays */

	CHECK(memremap_pages(&pg, NUMA_NO_NODE) == first, "again");
	for (i = bad = 0; i < nr; i++)
		bad += first[i].zone_device_data || first[i].unused[4] ||
		       first[i].pgmap != &pg || !is_zone_device_page(first + i);
	CHECK(!bad, "%lu struct pages not fresh after the remap", bad);
	memunmap_pages(&pg);
	CHECK(!host_warn_count(), "no warnings");
}

/* 64K pages: a 2 MiB sub-section has 32 slots, half a host page of them. */
static void vmemmap_shared_host_page(void)
{
	struct dev_pagemap a = pgmap_of(0x40000000, 1 << 21);
	struct dev_pagemap b = pgmap_of(0x40200000, 1 << 21);
	struct page *pa, *pb;

	host_arm64_reset();
	host_arm64.page_shift = 16;
	host_arm64.section_bits = host_arm64_default_section_bits(16);
	host_arm64.phys_offset = 0x40000000;
	CHECK(!IS_ERR(memremap_pages(&a, NUMA_NO_NODE)), "a");
	CHECK_EQ(host_vmemmap_pfns, 1UL << 32);	/* re-made for 64K */
	CHECK(!IS_ERR(memremap_pages(&b, NUMA_NO_NODE)), "b");
	pa = pfn_to_page(0x4000);
	pb = pfn_to_page(0x4020);
	CHECK(pa + 32 == pb, "adjacent");
	pa[5].zone_device_data = &a;
	memunmap_pages(&a);
	/* b's slots keep their host page; a's in it are cleared. */
	CHECK_EQ(read_faults(pb), 0);
	CHECK(pb->pgmap == &b && is_zone_device_page(pb), "b intact");
	CHECK(all_zero(&pa[5]), "a's slot cleared");
	memunmap_pages(&b);
	CHECK_EQ(read_faults(pb), 1);
	CHECK_EQ(read_faults(pa), 1);
	CHECK_EQ(host_memremap_live_pages(), 0);
	CHECK(!host_warn_count(), "no warnings");
}

static void vmemmap_refusals(void)
{
	struct dev_pagemap a = pgmap_of(0x80000000, 1 << 27);
	struct dev_pagemap inside = pgmap_of(0x80200000, 1 << 21);
	struct dev_pagemap across = pgmap_of(0x7fe00000, 1 << 22);
	struct dev_pagemap odd = pgmap_of(0x90100000, 1 << 21);
	struct dev_pagemap low = pgmap_of(0x3fe00000, 1 << 21);
	struct dev_pagemap high = pgmap_of(1ULL << 48, 1 << 21);
	struct dev_pagemap ram = pgmap_of(0xc0000000, 1 << 21);
	long live;

	host_arm64_reset();
	host_arm64.phys_offset = 0x40000000;
	CHECK(!IS_ERR(memremap_pages(&a, NUMA_NO_NODE)), "a");
	live = host_memremap_live_pages();
	CHECK(PTR_ERR(memremap_pages(&inside, NUMA_NO_NODE)) == -ENOMEM, "in");
	CHECK(PTR_ERR(memremap_pages(&across, NUMA_NO_NODE)) == -ENOMEM,
	      "across");
	CHECK(PTR_ERR(memremap_pages(&odd, NUMA_NO_NODE)) == -EINVAL, "odd");
	CHECK(PTR_ERR(memremap_pages(&low, NUMA_NO_NODE)) == -E2BIG, "low");
	CHECK(PTR_ERR(memremap_pages(&high, NUMA_NO_NODE)) == -E2BIG, "high");
	CHECK(!host_ram_pages(0x80010, 16), "RAM over a ZONE_DEVICE range");
	CHECK(host_ram_pages(0xc0000, 16), "RAM");
	CHECK(PTR_ERR(memremap_pages(&ram, NUMA_NO_NODE)) == -ENOMEM,
	      "ZONE_DEVICE over RAM");
	CHECK_EQ(host_memremap_live_pages(), live);
	host_fault_arm(HOST_FAULT_MEMREMAP, 0);
	CHECK(PTR_ERR(memremap_pages(&inside, NUMA_NO_NODE)) == -ENOMEM,
	      "fault injected");
	memunmap_pages(&a);
	CHECK(!IS_ERR(memremap_pages(&inside, NUMA_NO_NODE)), "a is gone");
	CHECK(!IS_ERR(memremap_pages(&across, NUMA_NO_NODE)), "and across");
	memunmap_pages(&inside);
	memunmap_pages(&across);
	CHECK_EQ(host_memremap_live_pages(), 0);
	CHECK(!host_warn_count(), "no warnings");
	memunmap_pages(&inside);		/* not mapped: warned */
	CHECK_EQ(host_warn_count(), 1);
}

static void vmemmap_ram(void)
{
	struct page *ram, *b[3];
	unsigned long i, bad;
	int status;
	pid_t pid;

	host_arm64_reset();
	ram = host_ram_pages(0x1000, 100);
	CHECK(ram == pfn_to_page(0x1000), "RAM pages in the vmemmap");
	for (i = bad = 0; i < 100; i++)
		bad += is_zone_device_page(ram + i) || ram[i].pgmap ||
		       page_zonenum(ram + i) != ZONE_NORMAL ||
		       page_to_pfn(ram + i) != 0x1000 + i;
	CHECK_EQ(bad, 0);
	CHECK_EQ(read_faults(ram - 1), 1);
	/* Backing comes in host pages of 64 slots, as a vmemmap's does. */
	CHECK_EQ(read_faults(ram + 127), 0);
	CHECK_EQ(read_faults(ram + 128), 1);
	CHECK(!host_ram_pages(0x1063, 2), "overlap refused");
	CHECK(!host_ram_pages(host_vmemmap_pfns - 1, 2), "beyond the PA space");
	CHECK(!host_ram_pages(~0UL, 1), "pfn overflow");

	/* The balloon's pages are RAM pages too, lent again once back. */
	CHECK(!xen_alloc_ballooned_pages(3, b), "balloon");
	CHECK(b[1] == b[0] + 1 && b[2] == b[0] + 2, "consecutive");
	CHECK(!is_zone_device_page(b[0]) && pfn_to_page(page_to_pfn(b[0])) == b[0],
	      "ballooned page");
	CHECK_EQ(host_balloon_live_pages(), 3);
	xen_free_ballooned_pages(1, &ram);		/* not the balloon's */
	CHECK_EQ(host_warn_count(), 1);
	xen_free_ballooned_pages(3, b);
	CHECK_EQ(host_balloon_live_pages(), 0);
	i = page_to_pfn(b[0]);
	CHECK(!xen_alloc_ballooned_pages(1, b) && page_to_pfn(b[0]) - i < 3,
	      "reused");
	xen_free_ballooned_pages(1, b);

	/* A pfn without a slot stops the program instead of aliasing. */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		(void)READ_ONCE(pfn_to_page(host_vmemmap_pfns)->flags);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "pfn past the vmemmap");
}

/* The bitmap helpers the allocator uses, across word boundaries. */
static void bitmaps(void)
{
	unsigned long map[4] = { 0 };

	bitmap_set(map, 60, 70);		/* bits 60..129 */
	CHECK(map[0] == 0xfUL << 60 && map[1] == ~0UL && map[2] == 3,
	      "set: %lx %lx %lx", map[0], map[1], map[2]);
	CHECK_EQ(bitmap_weight(map, 256), 70);
	CHECK_EQ(bitmap_weight(map, 100), 40);
	CHECK_EQ(find_next_bit(map, 256, 0), 60);
	CHECK_EQ(find_next_bit(map, 256, 130), 256);
	CHECK_EQ(find_next_bit(map, 50, 0), 50);
	CHECK_EQ(find_next_zero_bit(map, 256, 60), 130);
	CHECK_EQ(find_first_zero_bit(map, 256), 0);
	bitmap_clear(map, 64, 64);		/* leaves 60..63, 128, 129 */
	CHECK(map[0] == 0xfUL << 60 && !map[1] && map[2] == 3,
	      "clear: %lx %lx %lx", map[0], map[1], map[2]);
	CHECK_EQ(find_next_bit(map, 256, 64), 128);
	CHECK_EQ(ilog2(1), 0);
	CHECK_EQ(ilog2(4097), 12);
	CHECK_EQ(order_base_2(1), 0);
	CHECK_EQ(order_base_2(3), 2);
	CHECK_EQ(order_base_2(4096), 12);
	CHECK_EQ(__ffs(0x40UL), 6);
	CHECK(GENMASK(0, 0) == 1 && GENMASK(63, 0) == ~0UL &&
	      GENMASK(63, 63) == 1UL << 63 && GENMASK(9, 4) == 0x3f0,
	      "GENMASK");
	CHECK(hweight_long(0) == 0 && hweight_long(~0UL) == 64 &&
	      hweight_long(0x3f0) == 6, "hweight_long");
	CHECK(PTR_ERR_OR_ZERO(map) == 0 && PTR_ERR_OR_ZERO(NULL) == 0 &&
	      PTR_ERR_OR_ZERO(ERR_PTR(-ENOMEM)) == -ENOMEM, "PTR_ERR_OR_ZERO");
	CHECK(is_power_of_2(1) && is_power_of_2(64) && !is_power_of_2(0) &&
	      !is_power_of_2(96), "is_power_of_2");
	CHECK(!test_and_set_bit(200, map) && test_and_set_bit(200, map) &&
	      test_bit(200, map), "test_and_set_bit");
	clear_bit(200, map);
	CHECK(!test_bit(200, map), "clear_bit");
	/* Clear stretches: 0..59, 64..127, 130..255. */
	CHECK_EQ(bitmap_find_next_zero_area(map, 256, 0, 4, 0), 0);
	CHECK_EQ(bitmap_find_next_zero_area(map, 256, 0, 64, 63), 64);
	CHECK_EQ(bitmap_find_next_zero_area(map, 256, 0, 65, 0), 130);
	CHECK_EQ(bitmap_find_next_zero_area(map, 256, 10, 8, 7), 16);
	/* Alignment of index + offset: index 61 is not clear, 69 is. */
	CHECK_EQ(bitmap_find_next_zero_area_off(map, 256, 58, 2, 7, 3), 69);
	/* None: a value past size - nr, as the kernel's. */
	CHECK(bitmap_find_next_zero_area(map, 256, 0, 127, 0) > 256 - 127,
	      "no room");
}

/* might_sleep() warns where the task cannot sleep, and only there. */
static void sleeping(void)
{
	DEFINE_SPINLOCK(lock);
	unsigned long w = host_warn_count();

	might_sleep();
	CHECK_EQ(host_warn_count(), w);
	spin_lock(&lock);
	CHECK(!preemptible(), "a spinlock disables preemption");
	might_sleep();
	spin_unlock(&lock);
	CHECK(preemptible() && host_warn_count() == w + 1, "%lu warnings",
	      host_warn_count() - w);
}

/* memchr_inv() at every alignment and length, across words. */
static void string_memchr_inv(void)
{
	unsigned char buf[40];
	unsigned int start, n, hit;
	const void *want;

	for (start = 0; start < 9; start++)
		for (n = 0; start + n <= sizeof(buf); n++)
			for (hit = 0; hit <= n; hit++) {
				memset(buf, 0, sizeof(buf));
				if (hit < n)
					buf[start + hit] = 1;
				/* Bytes around the span differ: not looked at. */
				if (start + n < sizeof(buf))
					buf[start + n] = 2;
				if (start)
					buf[start - 1] = 2;
				want = hit < n ? buf + start + hit : NULL;
				if (memchr_inv(buf + start, 0, n) != want)
					CHECK(0, "start %u, %u bytes, byte %u",
					      start, n, hit);
			}
	memset(buf, 0xa5, sizeof(buf));
	CHECK(!memchr_inv(buf, 0xa5, sizeof(buf)) &&
	      memchr_inv(buf, 0, 3) == buf, "another byte value");
}

struct item {
	struct list_head list;
	int v;
};

/* list_add_tail() before a position, a walk that runs out, the last entry. */
static void lists(void)
{
	struct item a = { .v = 1 }, b = { .v = 3 }, c = { .v = 2 }, *pos;
	LIST_HEAD(head);
	int sum = 0;

	list_for_each_entry(pos, &head, list)
		sum++;
	CHECK(!sum && list_entry_is_head(pos, &head, list), "empty walk");
	list_add_tail(&a.list, &head);
	list_add_tail(&b.list, &head);
	list_for_each_entry(pos, &head, list)
		if (pos->v > c.v)
			break;
	CHECK(!list_entry_is_head(pos, &head, list) && pos == &b, "found");
	list_add_tail(&c.list, &pos->list);
	list_for_each_entry(pos, &head, list)
		sum = sum * 10 + pos->v;
	CHECK_EQ(sum, 123);
	CHECK(list_entry_is_head(pos, &head, list) &&
	      list_last_entry(&head, struct item, list) == &b, "in order");
}

static long __percpu *counter;
static spinlock_t counter_lock;

/* Four threads add to one counter under a spinlock: no update lost. */
static void *spin_adder(void *arg)
{
	unsigned int i;

	for (i = 0; i < 100000; i++) {
		spin_lock(&counter_lock);
		(*per_cpu_ptr(counter, 0))++;
		spin_unlock(&counter_lock);
	}
	return arg;
}

static void *cpu_of_thread(void *arg)
{
	*(unsigned int *)arg = raw_smp_processor_id();
	return NULL;
}

/*
 * Per-CPU memory: one zeroed copy per possible CPU, counted while live; a
 * thread stays on its CPU, threads are spread over the CPUs and may be
 * moved by the test.
 */
static void percpu_and_spinlocks(void)
{
	unsigned int cpu, seen[2 * NR_CPUS], hits[NR_CPUS] = { 0 }, i;
	pthread_t t[2 * NR_CPUS];

	CHECK_EQ(host_percpu_bytes(), 0);
	counter = alloc_percpu(long);
	CHECK(counter && host_percpu_bytes() == NR_CPUS * sizeof(long),
	      "%lu bytes", host_percpu_bytes());
	for_each_possible_cpu(cpu)
		CHECK(!*per_cpu_ptr(counter, cpu), "zeroed");

	for_each_possible_cpu(cpu)
		*per_cpu_ptr(counter, cpu) = cpu;
	for_each_possible_cpu(cpu)
		CHECK(*per_cpu_ptr(counter, cpu) == cpu &&
		      (cpu == 0 || per_cpu_ptr(counter, cpu) !=
		       per_cpu_ptr(counter, cpu - 1)), "copy %u", cpu);
	cpu = raw_smp_processor_id();
	CHECK(cpu < NR_CPUS && raw_smp_processor_id() == cpu &&
	      raw_cpu_ptr(counter) == per_cpu_ptr(counter, cpu),
	      "this thread's CPU %u", cpu);
	host_cpu_set((cpu + 1) % NR_CPUS);
	CHECK_EQ(raw_smp_processor_id(), (cpu + 1) % NR_CPUS);
	for (i = 0; i < 2 * NR_CPUS; i++)
		pthread_create(&t[i], NULL, cpu_of_thread, &seen[i]);
	for (i = 0; i < 2 * NR_CPUS; i++) {
		pthread_join(t[i], NULL);
		if (seen[i] < NR_CPUS)
			hits[seen[i]]++;
	}
	for_each_possible_cpu(cpu)
		CHECK(hits[cpu] >= 1, "no thread on CPU %u", cpu);

	spin_lock_init(&counter_lock);
	*per_cpu_ptr(counter, 0) = 0;
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spin_adder, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(*per_cpu_ptr(counter, 0), 400000);
	free_percpu(counter);
	CHECK_EQ(host_percpu_bytes(), 0);
}

int main(void)
{
	test_xarray();
	test_params();
	test_workqueue();
	test_debugfs();
	test_request();
	test_insert();
	test_allocate();
	test_faults();
	test_pluggable();
	test_sort();
	run_case("vmemmap: pfn_to_page() is arithmetic on 64-byte slots",
		 vmemmap_arithmetic);
	run_case("vmemmap: slots populated by memremap, gone after memunmap",
		 vmemmap_populate);
	run_case("vmemmap: host pages of slots shared by two ranges",
		 vmemmap_shared_host_page);
	run_case("vmemmap: overlapping and misplaced ranges refused",
		 vmemmap_refusals);
	run_case("vmemmap: RAM and ballooned pages", vmemmap_ram);
	run_case("bitmaps and logarithms, across words", bitmaps);
	run_case("memchr_inv at every alignment", string_memchr_inv);
	run_case("lists: ordered insertion, walks, the last entry", lists);
	run_case("might_sleep() in atomic context", sleeping);
	run_case("per-CPU copies, threads on CPUs, spinlocks exclude",
		 percpu_and_spinlocks);
	return h_finish();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host models checked against the kernel's semantics: the resource
 * tree (request, insert with adoption, release, allocate first fit with
 * alignment and limits), the slab count, the hotpluggable range, sort,
 * the xarray, kernel parameters, delayed work and debugfs.
 */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/string.h>
#include <linux/memory_hotplug.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <host/model.h>
#include <stdlib.h>

#include "harness.h"

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
	return h_finish();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: the cost of handing out and taking back scratch pages once
 * the ranges are carved, for this allocator's per-range bitmaps and, in the
 * same run, for a singly linked free list threaded through the pages (the
 * design of the upstream allocator, modelled here).  Figures are ratios
 * from one run; the absolute times are only indicative on a noisy host.
 *
 * Usage: bench-alloc DTB_DIR
 */
#include <time.h>

#include <linux/errno.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>

#include "alloc_env.h"

#define SECTIONS	11		/* all of the QEMU virt layout */
#define BATCHES		8

static struct page *pool[SECTIONS * 32768];
static struct page *held[BATCHES][512];

/* The list model: a stack of free pages linked through zone_device_data. */
static DEFINE_MUTEX(list_lock);
static struct page *list_head;
static unsigned long list_count;

static int list_alloc(unsigned int n, struct page **pages)
{
	unsigned int i;

	mutex_lock(&list_lock);
	if (list_count < n) {
		mutex_unlock(&list_lock);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		pages[i] = list_head;
		list_head = list_head->zone_device_data;
	}
	list_count -= n;
	mutex_unlock(&list_lock);
	return 0;
}

static void list_free(unsigned int n, struct page **pages)
{
	unsigned int i;

	mutex_lock(&list_lock);
	for (i = 0; i < n; i++) {
		pages[i]->zone_device_data = list_head;
		list_head = pages[i];
	}
	list_count += n;
	mutex_unlock(&list_lock);
}

struct impl {
	const char *name;
	int (*alloc)(unsigned int n, struct page **pages);
	void (*free)(unsigned int n, struct page **pages);
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Nanoseconds per page over a mix of batch sizes; -1 on failure. */
static double run(const struct impl *im, unsigned int max_batch,
		  unsigned long pages_total)
{
	unsigned int sizes[BATCHES] = { 0 }, seed = 7, k;
	unsigned long done = 0;
	double t0 = now();

	while (done < pages_total) {
		seed = seed * 1103515245 + 12345;
		k = (seed >> 8) % BATCHES;
		if (sizes[k]) {
			im->free(sizes[k], held[k]);
			sizes[k] = 0;
			continue;
		}
		sizes[k] = 1 + (seed >> 12) % max_batch;
		if (im->alloc(sizes[k], held[k]))
			return -1;
		done += sizes[k];
	}
	for (k = 0; k < BATCHES; k++)
		if (sizes[k])
			im->free(sizes[k], held[k]);
	return (now() - t0) * 1e9 / done;
}

int main(int argc, char **argv)
{
	const struct impl ours = { "bitmaps", xen_alloc_unpopulated_pages,
				   xen_free_unpopulated_pages };
	const struct impl list = { "list", list_alloc, list_free };
	static const unsigned int batch[] = { 1, 32, 512 };
	unsigned long n = SECTIONS * PAGES_PER_SECTION, i;
	int fails = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	h_begin("bench");
	if (boot_allocator("qemu-virt-dom0.dtb", 12) ||
	    xen_alloc_unpopulated_pages(n, pool))
		return 1;
	/* The list model gets pages of its own from the same ranges. */
	xen_free_unpopulated_pages(n, pool);
	CHECK(!xen_alloc_unpopulated_pages(n / 2, pool), "pages for the list");
	list_free(n / 2, pool);

	printf("%-10s %12s %12s %8s\n", "max batch", "bitmaps ns", "list ns",
	       "ratio");
	for (i = 0; i < ARRAY_SIZE(batch); i++) {
		double a = run(&ours, batch[i], 4000000);
		double b = run(&list, batch[i], 4000000);

		fails += a < 0 || b < 0;
		printf("%-10u %12.1f %12.1f %8.2f\n", batch[i], a, b, a / b);
	}
	printf("free-set metadata: %lu bytes of bitmap per %lu MiB section, "
	       "%.2f%% of its %lu KiB struct page array\n",
	       PAGES_PER_SECTION / 8, (PAGES_PER_SECTION << PAGE_SHIFT) >> 20,
	       100.0 * (PAGES_PER_SECTION / 8) / (PAGES_PER_SECTION * 64),
	       PAGES_PER_SECTION * 64 / 1024);
	printf("note: the host's pfn_to_page() is a locked table lookup where "
	       "arm64's is arithmetic,\nso the bitmap figures include a cost "
	       "the kernel does not pay\n");
	CHECK(!fails, "a run failed");
	h_end();
	return h_finish();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Threads allocate and free concurrently on the QEMU virt layout.  Every
 * scratch page handed out must be distinct and inside its carved range,
 * free plus held pages always equal what was carved, and ballooned pages
 * held equal what the allocator counts: a monitor checks that between
 * whole calls (workers share a read lock around each call and its
 * bookkeeping, the monitor takes it for writing).  A second run adds a
 * thread that plays the kernel's worker: it moves time on and runs the
 * reclaim work, with no delay and no spare, while the others allocate and
 * free; at the end every range is given back.  Built with
 * AddressSanitizer and with ThreadSanitizer.
 *
 * Usage: test-stress DTB_DIR
 */
#include <pthread.h>

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/memremap.h>

#include "alloc_env.h"

#define THREADS		4
#define ROUNDS		300
#define OUTSTANDING	8
#define BASE_PFN	0x40000UL	/* 0x40000000 */
#define SPAN_PFNS	0x80000UL	/* up to 0xbfffffff */

static unsigned long handed[SPAN_PFNS / 64];
static long in_use, in_balloon, bad_pages, dup_pages, bad_sums;
static long bad_contig, contig_held, contig_refused;
static bool done, workers_done;
static pthread_rwlock_t quiesce = PTHREAD_RWLOCK_INITIALIZER;

struct held {
	struct page **p;
	unsigned int n;
	bool contig;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* Records pages handed out: scratch pages by pfn, ballooned ones counted. */
static void take(struct page **p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(p[i]), idx = pfn - BASE_PFN;
		const struct range *r;

		if (!is_zone_device_page(p[i])) {
			__atomic_add_fetch(&in_balloon, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_add_fetch(&in_use, 1, __ATOMIC_RELAXED);
		r = &p[i]->pgmap->range;
		if (idx >= SPAN_PFNS || PFN_PHYS(pfn) < r->start ||
		    PFN_PHYS(pfn) > r->end) {
			__atomic_add_fetch(&bad_pages, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (__atomic_fetch_or(&handed[idx / 64], 1UL << (idx % 64),
				      __ATOMIC_RELAXED) & (1UL << (idx % 64)))
			__atomic_add_fetch(&dup_pages, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Gives pages back, unrecording them first: once a range is idle, the
 * reclaim thread may free its struct pages.
 */
static void give_back(struct held *h)
{
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		unsigned long idx = page_to_pfn(h->p[i]) - BASE_PFN;

		if (!is_zone_device_page(h->p[i])) {
			__atomic_sub_fetch(&in_balloon, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_sub_fetch(&in_use, 1, __ATOMIC_RELAXED);
		if (idx < SPAN_PFNS)
			__atomic_fetch_and(&handed[idx / 64],
					   ~(1UL << (idx % 64)),
					   __ATOMIC_RELAXED);
	}
	if (h->contig)
		xen_free_unpopulated_pages(h->n, h->p);
	else
		xen_free_unpopulated_pages(h->n, h->p);
	free(h->p);
	h->p = NULL;
	h->n = 0;
}

/*
 * Mostly small requests, now and then one of many sections; one in four
 * contiguous, which may find no room (they take no ballooned pages); of
 * the others, one in three a single page, through the CPUs' caches.
 */
static bool grab(struct held *h, unsigned int *seed)
{
	h->contig = !(next_rand(seed) % 4);
	if (h->contig)
		h->n = 1 + next_rand(seed) % (next_rand(seed) % 8 ? 64 : 8192);
	else if (!(next_rand(seed) % 3))
		h->n = 1;
	else
		h->n = next_rand(seed) % 16 ? 1 + next_rand(seed) % 3000 :
		       20000 + next_rand(seed) % 60000;
	h->p = calloc(h->n, sizeof(*h->p));
	if (h->p && h->contig &&
	    !xen_alloc_unpopulated_contiguous_pages(h->n, h->p)) {
		if (!contiguous(h->p, h->n))
			__atomic_add_fetch(&bad_contig, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&contig_held, 1, __ATOMIC_RELAXED);
		take(h->p, h->n);
		return true;
	}
	if (h->p && h->contig) {
		__atomic_add_fetch(&contig_refused, 1, __ATOMIC_RELAXED);
		free(h->p);
		h->p = NULL;
		h->n = 0;
		return true;
	}
	if (h->p && !xen_alloc_unpopulated_pages(h->n, h->p)) {
		take(h->p, h->n);
		return true;
	}
	free(h->p);
	h->p = NULL;
	h->n = 0;
	return false;
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg, round, k;
	struct held held[OUTSTANDING] = { { 0 } };
	long failed = 0;

	for (round = 0; round < ROUNDS + OUTSTANDING; round++) {
		/* The last rounds give back whatever is still held. */
		k = round < ROUNDS ? next_rand(&seed) % OUTSTANDING :
		    round - ROUNDS;
		pthread_rwlock_rdlock(&quiesce);
		if (held[k].p)
			give_back(&held[k]);
		else if (round < ROUNDS && !grab(&held[k], &seed))
			failed++;
		pthread_rwlock_unlock(&quiesce);
	}
	return (void *)failed;
}

/* Between calls, free + held is exactly what was carved. */
static void *monitor(void *arg)
{
	struct xen_unpopulated_stats st;
	long checks = 0;

	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		pthread_rwlock_wrlock(&quiesce);
		xen_unpopulated_get_stats(&st);
		if (st.free + __atomic_load_n(&in_use, __ATOMIC_RELAXED) !=
		    st.pages ||
		    st.balloon_out != __atomic_load_n(&in_balloon, __ATOMIC_RELAXED))
			__atomic_add_fetch(&bad_sums, 1, __ATOMIC_RELAXED);
		pthread_rwlock_unlock(&quiesce);
		checks++;
		sched_yield();
	}
	return (void *)checks;
}

/* Plays the kernel's worker: time moves on, due work runs. */
static void *reclaimer(void *arg)
{
	long runs = 0;

	while (!__atomic_load_n(&workers_done, __ATOMIC_ACQUIRE)) {
		pthread_rwlock_rdlock(&quiesce);
		host_jiffies_advance(HZ);
		runs += host_workqueue_run();
		pthread_rwlock_unlock(&quiesce);
		sched_yield();
	}
	return (void *)runs;
}

static void stress(bool reclaim)
{
	pthread_t threads[THREADS], mon, rec;
	struct xen_unpopulated_stats st;
	long failed = 0, runs = 0;
	void *ret, *mret;
	int i;

	if (reclaim) {
		CHECK(!host_param_set("xen_unpopulated.reclaim_delay", "0") &&
		      !host_param_set("xen_unpopulated.spare_pages", "0"),
		      "parameters");
	}
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	pthread_create(&mon, NULL, monitor, NULL);
	if (reclaim)
		pthread_create(&rec, NULL, reclaimer, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, worker,
			       (void *)(unsigned long)(i + 1));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += (long)ret;
	}
	__atomic_store_n(&workers_done, true, __ATOMIC_RELEASE);
	if (reclaim) {
		pthread_join(rec, &ret);
		runs = (long)ret;
		host_jiffies_advance(HZ);
		runs += host_workqueue_run();
	}
	__atomic_store_n(&done, true, __ATOMIC_RELEASE);
	pthread_join(mon, &mret);

	xen_unpopulated_get_stats(&st);
	CHECK(!dup_pages && !bad_pages, "%ld duplicated, %ld outside", dup_pages,
	      bad_pages);
	CHECK(!bad_sums && (long)mret > 0,
	      "free + held differed from the carved pages %ld times of %ld",
	      bad_sums, (long)mret);
	CHECK(!in_use && !in_balloon && st.free == st.pages && !st.balloon_out,
	      "held %ld + %ld ballooned, free %lu of %lu", in_use, in_balloon,
	      st.free, st.pages);
	CHECK(!failed, "%ld requests refused", failed);
	CHECK(!bad_contig && contig_held > 0,
	      "%ld contiguous runs not contiguous, %ld runs held, %ld refused",
	      bad_contig, contig_held, contig_refused);
	CHECK(st.carved > 1, "%lu ranges: too little pressure", st.carved);
	if (reclaim)
		CHECK(!st.nr_ranges && st.reclaimed == st.carved &&
		      !host_memremap_live_pages() && !iomem_scratch(0) &&
		      runs > 0, "%u range(s) left of %lu carved, %ld runs",
		      st.nr_ranges, st.carved, runs);
	else
		CHECK(st.pages && !st.reclaimed, "no reclaim without time");
	/* Everything back: each range is its largest aligned blocks again. */
	check_free(true);
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
	printf("stress%s: %d threads x %d rounds, %lu ranges carved, %lu reclaimed, %lu ballooned pages\n",
	       reclaim ? " with reclaim" : "", THREADS, ROUNDS, st.carved,
	       st.reclaimed, st.balloon_served);
}

static void stress_plain(void)
{
	stress(false);
}

static void stress_reclaim(void)
{
	stress(true);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	run_case("concurrent alloc/free keeps pages distinct and counted",
		 stress_plain);
	run_case("reclaim racing alloc and free gives every range back",
		 stress_reclaim);
	return h_finish();
}

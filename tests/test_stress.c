// SPDX-License-Identifier: GPL-2.0-only
/*
 * Threads allocate and free concurrently on the QEMU virt layout.  Every
 * page handed out must be distinct and inside its carved range, and free
 * plus held pages always equal what was carved: a monitor checks that
 * between whole calls (workers share a read lock around each call and its
 * bookkeeping, the monitor takes it for writing).  Built with
 * AddressSanitizer and with ThreadSanitizer.
 *
 * Usage: test-stress DTB_DIR
 */
#include <pthread.h>

#include <linux/errno.h>
#include <linux/memremap.h>

#include "alloc_env.h"

#define THREADS		4
#define ROUNDS		300
#define OUTSTANDING	8
#define BASE_PFN	0x40000UL	/* 0x40000000 */
#define SPAN_PFNS	0x80000UL	/* up to 0xbfffffff */

static unsigned long handed[SPAN_PFNS / 64];
static long in_use, bad_pages, dup_pages, bad_sums;
static bool done;
static pthread_rwlock_t quiesce = PTHREAD_RWLOCK_INITIALIZER;

struct held {
	struct page **p;
	unsigned int n;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void take(struct page **p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(p[i]), idx = pfn - BASE_PFN;
		const struct range *r = &p[i]->pgmap->range;

		if (idx >= SPAN_PFNS || PFN_PHYS(pfn) < r->start ||
		    PFN_PHYS(pfn) > r->end) {
			__atomic_add_fetch(&bad_pages, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (__atomic_fetch_or(&handed[idx / 64], 1UL << (idx % 64),
				      __ATOMIC_RELAXED) & (1UL << (idx % 64)))
			__atomic_add_fetch(&dup_pages, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&in_use, n, __ATOMIC_RELAXED);
}

static void give_back(struct held *h)
{
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		unsigned long idx = page_to_pfn(h->p[i]) - BASE_PFN;

		if (idx < SPAN_PFNS)
			__atomic_fetch_and(&handed[idx / 64],
					   ~(1UL << (idx % 64)),
					   __ATOMIC_RELAXED);
	}
	__atomic_sub_fetch(&in_use, h->n, __ATOMIC_RELAXED);
	xen_free_unpopulated_pages(h->n, h->p);
	free(h->p);
	h->p = NULL;
	h->n = 0;
}

/* Mostly small requests, now and then one of many sections. */
static bool grab(struct held *h, unsigned int *seed)
{
	h->n = next_rand(seed) % 16 ? 1 + next_rand(seed) % 3000 :
	       20000 + next_rand(seed) % 60000;
	h->p = calloc(h->n, sizeof(*h->p));
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
		    st.pages)
			__atomic_add_fetch(&bad_sums, 1, __ATOMIC_RELAXED);
		pthread_rwlock_unlock(&quiesce);
		checks++;
		sched_yield();
	}
	return (void *)checks;
}

int main(int argc, char **argv)
{
	pthread_t threads[THREADS], mon;
	struct xen_unpopulated_stats st;
	long failed = 0;
	void *ret;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DTB_DIR\n", argv[0]);
		return 2;
	}
	dtb_dir = argv[1];
	h_begin("concurrent alloc/free keeps pages distinct and counted");
	CHECK(!boot_allocator("qemu-virt-dom0.dtb", 12), "boot");
	pthread_create(&mon, NULL, monitor, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, worker,
			       (void *)(unsigned long)(i + 1));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += (long)ret;
	}
	__atomic_store_n(&done, true, __ATOMIC_RELEASE);
	pthread_join(mon, &ret);

	xen_unpopulated_get_stats(&st);
	CHECK(!dup_pages && !bad_pages, "%ld duplicated, %ld outside", dup_pages,
	      bad_pages);
	CHECK(!bad_sums && (long)ret > 0,
	      "free + held differed from the carved pages %ld times of %ld",
	      bad_sums, (long)ret);
	CHECK(!in_use && st.free == st.pages && st.pages,
	      "held %ld, free %lu of %lu", in_use, st.free, st.pages);
	CHECK(st.nr_ranges > 1, "%u ranges: too little pressure", st.nr_ranges);
	CHECK(!host_warn_count(), "%lu warnings", host_warn_count());
	printf("stress: %d threads x %d rounds, %u ranges, %ld requests refused\n",
	       THREADS, ROUNDS, st.nr_ranges, failed);
	h_end();
	return h_finish();
}

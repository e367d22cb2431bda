// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: what handing out and taking back scratch pages costs once
 * the ranges are carved and backed, for this allocator ("ours") and, in
 * the same run, for the upstream design ("list"): a stack of free pages
 * linked through page->zone_device_data, with a counter, under a mutex.
 *
 * Both get the same conditions: their pages come from the same scratch
 * ranges, carved and backed by memremap_pages() before anything is
 * measured (half the pages go to the list, ours keeps the other half);
 * both take a struct mutex of the same host model once a call; the list
 * reads or writes the struct page of every page it moves, exactly as the
 * upstream code does, and ours pays for whatever it touches.  Neither
 * carves nor balloons while measured.
 *
 * The workload, for a batch size B: eight slots, each empty or holding B
 * pages; a fixed pseudo-random sequence picks a slot, frees it if held,
 * fills it otherwise.  The same sequence runs for both designs.
 *
 * Two modes, both run by "make bench":
 *
 *   bench-alloc --count DTB_DIR
 *	under "valgrind --tool=callgrind --instr-atstart=no": each measured
 *	loop runs once to warm up, then once more with instrumentation on,
 *	its instruction count dumped with the loop's name as the trigger;
 *	setup and warm-up are not counted.
 *
 *   bench-alloc --time DTB_DIR CALLGRIND_OUT
 *	the timed rounds, ours and the list interleaved (the order swapped
 *	every round, so drift hits both alike), in the thread's CPU time,
 *	medians per design; then the tables, with the instruction counts
 *	read from the dumps CALLGRIND_OUT.1, .2, ...  The last line is the
 *	speedup (list median time / ours median time), from this run's
 *	medians.
 */
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include <linux/errno.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>

#include "alloc_env.h"

#define SECTIONS	11		/* all of the QEMU virt layout */
#define SLOTS		8
#define MAX_BATCH	4096
/*
 * Timed rounds, each one repetition of every batch size for both designs:
 * at least ROUNDS_MIN, then more until ROUND_SECONDS of wall time have
 * passed (at most ROUNDS_MAX).  On a shared machine the speed of the CPU
 * we get comes and goes in phases of a fraction of a second, and need not
 * change both designs alike (one may wait on memory where the other
 * computes): the medians are taken over many such phases.
 */
#define ROUNDS_MIN	201
#define ROUNDS_MAX	2001
#define ROUND_SECONDS	20
#define CONTIG_REPS	31		/* timed repetitions per order */
#define CONTIG_ORDERS	10		/* orders 0..9 */
#define CONTIG_OPS	2048		/* alloc+free pairs a repetition */

static struct page *pool[SECTIONS * 32768];
static struct page *held[SLOTS][MAX_BATCH];

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

struct design {
	const char *name;
	int (*alloc)(unsigned int n, struct page **pages);
	void (*free)(unsigned int n, struct page **pages);
};

static const struct design ours = {
	"ours", xen_alloc_unpopulated_pages, xen_free_unpopulated_pages
};

static const struct design list = { "list", list_alloc, list_free };

static const struct design contig = {
	"contig", xen_alloc_unpopulated_contiguous_pages,
	xen_free_unpopulated_contiguous_pages
};

/* Batch sizes, and the pages a repetition hands out at each. */
static const struct {
	unsigned int batch;
	unsigned long pages;
} batches[] = {
	{ 1, 1UL << 16 }, { 16, 1UL << 18 }, { 256, 1UL << 19 },
	{ 4096, 1UL << 20 },
};

/*
 * The thread's CPU time: on a machine shared with other work, the time this
 * thread was not running is not counted against whichever design it hit.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One repetition: the slot workload until @pages pages were handed out,
 * then every slot emptied.  Returns the pages handed out, 0 on a failure.
 */
static unsigned long churn(const struct design *d, unsigned int batch,
			   unsigned long pages)
{
	bool full[SLOTS] = { false };
	u32 seed = 7;
	unsigned long done = 0;
	unsigned int k;

	while (done < pages) {
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 16) % SLOTS;
		if (full[k]) {
			d->free(batch, held[k]);
			full[k] = false;
			continue;
		}
		if (d->alloc(batch, held[k]))
			break;
		full[k] = true;
		done += batch;
	}
	for (k = 0; k < SLOTS; k++)
		if (full[k])
			d->free(batch, held[k]);
	return done >= pages ? done : 0;
}

/* Nanoseconds per page of one repetition, or -1 if it failed. */
static double timed(const struct design *d, unsigned int batch,
		    unsigned long pages)
{
	double t0 = now();
	unsigned long done = churn(d, batch, pages);

	return done ? (now() - t0) * 1e9 / done : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile (0..1) of @v[@n], nearest rank; sorts @v. */
static double quantile(double *v, unsigned int n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(unsigned int)(q * (n - 1) + 0.5)];
}

/* Pages first carved, half of them lent to the list for good. */
static int setup(void)
{
	unsigned long n = SECTIONS * PAGES_PER_SECTION;
	struct xen_unpopulated_stats st;

	if (boot_allocator("qemu-virt-dom0.dtb", 12)) {
		printf("bench: the allocator did not boot\n");
		return -1;
	}
	if (xen_alloc_unpopulated_pages(n, pool)) {
		printf("bench: cannot carve %lu pages\n", n);
		return -1;
	}
	xen_free_unpopulated_pages(n, pool);
	if (xen_alloc_unpopulated_pages(n / 2, pool)) {
		printf("bench: cannot take the list's pages\n");
		return -1;
	}
	list_free(n / 2, pool);
	xen_unpopulated_get_stats(&st);
	if (st.nr_ranges == 0 || st.balloon_out || st.free != n - n / 2) {
		printf("bench: unexpected state: %u ranges, %lu free, %lu ballooned\n",
		       st.nr_ranges, st.free, st.balloon_out);
		return -1;
	}
	return 0;
}

/*
 * Contiguous blocks are what they claim to be: consecutive page frames,
 * aligned to the order.  Checked once, outside anything measured.
 */
static int check_contig(unsigned int order)
{
	unsigned int i, n = 1u << order;
	unsigned long pfn;
	int ret;

	ret = xen_alloc_unpopulated_contiguous_pages(n, held[0]);
	if (ret) {
		printf("bench: contiguous order %u: error %d\n", order, ret);
		return -1;
	}
	pfn = page_to_pfn(held[0][0]);
	for (i = 0; i < n; i++)
		if (page_to_pfn(held[0][i]) != pfn + i)
			break;
	xen_free_unpopulated_contiguous_pages(n, held[0]);
	if (i < n || pfn & (n - 1)) {
		printf("bench: contiguous order %u: pfn %#lx not aligned, or page %u not next\n",
		       order, pfn, i);
		return -1;
	}
	return 0;
}

/* Runs one loop under callgrind, counted alone, named @label. */
static int count_one(const struct design *d, unsigned int batch,
		     unsigned long pages, const char *what, unsigned int key)
{
	unsigned long done;
	char label[96];

	if (!churn(d, batch, pages))	/* warm-up, not counted */
		return -1;
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	done = churn(d, batch, pages);
	snprintf(label, sizeof(label), "bench %s %u %lu", what, key, done);
	CALLGRIND_DUMP_STATS_AT(label);
	CALLGRIND_STOP_INSTRUMENTATION;
	return done ? 0 : -1;
}

static int count_mode(void)
{
	unsigned int i, o;

	if (!RUNNING_ON_VALGRIND) {
		printf("bench: --count runs under valgrind --tool=callgrind\n");
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(batches); i++) {
		if (count_one(&ours, batches[i].batch, batches[i].pages,
			      "ours", batches[i].batch) ||
		    count_one(&list, batches[i].batch, batches[i].pages,
			      "list", batches[i].batch))
			return 1;
	}
	for (o = 0; o < CONTIG_ORDERS; o++)
		if (count_one(&contig, 1u << o, (unsigned long)CONTIG_OPS << o,
			      "contig", o))
			return 1;
	return 0;
}

/*
 * Instructions a page (or, for "contig", an alloc+free) that the dump
 * named "bench @what @key PAGES" counted; -1 if there is none.
 */
static double instr(const char *prefix, const char *what, unsigned int key)
{
	char path[512], line[256], name[32];
	unsigned long long total;
	unsigned long pages;
	unsigned int i, k;
	double found = -1;

	for (i = 1; found < 0; i++) {
		bool match = false;
		FILE *f;

		snprintf(path, sizeof(path), "%s.%u", prefix, i);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "desc: Trigger: Client Request: bench %31s %u %lu",
				   name, &k, &pages) == 3)
				match = !strcmp(name, what) && k == key && pages;
			else if (match && sscanf(line, "totals: %llu", &total) == 1)
				found = (double)total / pages;
		}
		fclose(f);
	}
	if (found >= 0 && !strcmp(what, "contig"))
		found *= 1u << key;
	return found;
}

static void print_instr(double v)
{
	if (v < 0)
		printf(" %10s", "-");
	else
		printf(" %10.1f", v);
}

static double t_ours[ARRAY_SIZE(batches)][ROUNDS_MAX];
static double t_list[ARRAY_SIZE(batches)][ROUNDS_MAX];
static double pair[ROUNDS_MAX];

static int time_mode(const char *cg)
{
	double speedup[ARRAY_SIZE(batches)], lo, hi, t_contig[CONTIG_REPS];
	double i_ours, i_list, start;
	unsigned int i, r, o, rounds;
	int fails = 0;

	/* One repetition each to warm caches and the branch predictors. */
	for (i = 0; i < ARRAY_SIZE(batches); i++)
		fails += timed(&ours, batches[i].batch, batches[i].pages) < 0 ||
			 timed(&list, batches[i].batch, batches[i].pages) < 0;
	start = wall();
	for (r = 0; r < ROUNDS_MAX; r++) {
		if (r >= ROUNDS_MIN && wall() - start >= ROUND_SECONDS)
			break;
		for (i = 0; i < ARRAY_SIZE(batches); i++) {
			const struct design *first = r & 1 ? &list : &ours;
			const struct design *second = r & 1 ? &ours : &list;
			double a = timed(first, batches[i].batch,
					 batches[i].pages);
			double b = timed(second, batches[i].batch,
					 batches[i].pages);

			fails += a < 0 || b < 0;
			t_ours[i][r] = r & 1 ? b : a;
			t_list[i][r] = r & 1 ? a : b;
		}
	}
	rounds = r;
	if (fails) {
		printf("bench: %d repetition(s) failed\n", fails);
		return 1;
	}

	printf("\nper page, alloc+free in batches: %u slots held at random, both\n"
	       "designs on the same carved ranges\n"
	       "  ns: thread CPU time, median of %u interleaved repetitions (%.0f s)\n"
	       "  instr: callgrind, the measured loop only\n"
	       "  speedup: list ns / ours ns; pairs: list / ours in each\n"
	       "  repetition, 25th to 75th percentile; instr x: list / ours\n",
	       SLOTS, rounds, wall() - start);
	printf("%6s %9s %9s %8s %13s %10s %10s %7s\n", "batch", "ours ns",
	       "list ns", "speedup", "pairs 25-75%", "ours instr",
	       "list instr", "instr x");
	for (i = 0; i < ARRAY_SIZE(batches); i++) {
		double mo, ml;

		for (r = 0; r < rounds; r++)
			pair[r] = t_list[i][r] / t_ours[i][r];
		lo = quantile(pair, rounds, 0.25);
		hi = quantile(pair, rounds, 0.75);
		mo = quantile(t_ours[i], rounds, 0.5);
		ml = quantile(t_list[i], rounds, 0.5);
		speedup[i] = ml / mo;
		i_ours = instr(cg, "ours", batches[i].batch);
		i_list = instr(cg, "list", batches[i].batch);
		printf("%6u %9.2f %9.2f %8.2f %6.2f-%-6.2f", batches[i].batch,
		       mo, ml, speedup[i], lo, hi);
		print_instr(i_ours);
		print_instr(i_list);
		if (i_ours > 0 && i_list > 0)
			printf(" %7.2f\n", i_list / i_ours);
		else
			printf(" %7s\n", "-");
	}

	printf("\ncontiguous alloc+free of 2^order pages (ours; the list design has\n"
	       "none): %u slots held at random\n"
	       "  ns: thread CPU time, median of %u repetitions of %u pairs\n"
	       "  instr: callgrind, the measured loop only\n",
	       SLOTS, CONTIG_REPS, CONTIG_OPS);
	printf("%6s %6s %12s %12s\n", "order", "pages", "ns/pair", "instr/pair");
	for (o = 0; o < CONTIG_ORDERS; o++) {
		unsigned long pages = (unsigned long)CONTIG_OPS << o;

		if (check_contig(o))
			return 1;
		if (timed(&contig, 1u << o, pages) < 0)
			return 1;
		for (r = 0; r < CONTIG_REPS; r++) {
			t_contig[r] = timed(&contig, 1u << o, pages) * (1u << o);
			if (t_contig[r] < 0)
				return 1;
		}
		printf("%6u %6u %12.1f", o, 1u << o,
		       quantile(t_contig, CONTIG_REPS, 0.5));
		i_ours = instr(cg, "contig", o);
		if (i_ours < 0)
			printf(" %12s\n", "-");
		else
			printf(" %12.1f\n", i_ours);
	}

	printf("\ntarget: ours at least 2.00x the list at batch 4096 and 1.00x at batch 1: %s\n",
	       speedup[ARRAY_SIZE(batches) - 1] >= 2.0 && speedup[0] >= 1.0 ?
	       "met" : "NOT met");
	printf("(next line: ratios of this run's timed medians, list ns / ours ns)\n");
	printf("speedup vs list: batch 1 = %.2f, batch %u = %.2f\n", speedup[0],
	       batches[ARRAY_SIZE(batches) - 1].batch,
	       speedup[ARRAY_SIZE(batches) - 1]);
	return 0;
}

int main(int argc, char **argv)
{
	bool count = argc == 3 && !strcmp(argv[1], "--count");
	bool time = argc == 4 && !strcmp(argv[1], "--time");

	if (!count && !time) {
		fprintf(stderr, "usage: %s --count DTB_DIR   (under callgrind)\n"
			"       %s --time DTB_DIR CALLGRIND_OUT\n", argv[0],
			argv[0]);
		return 2;
	}
	dtb_dir = argv[2];
	h_begin("bench");
	if (setup())
		return 1;
	return count ? count_mode() : time_mode(argv[3]);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: what handing out and taking back scratch pages costs, for
 * this allocator ("ours") and for upstream Linux's own allocator
 * ("upstream"), in one program, on the same host models.
 *
 * Upstream's drivers/xen/unpopulated-alloc.c is not part of this
 * repository: make extracts it at build time from Debian's
 * linux-source-6.12 tarball into build/bench/ and compiles it unchanged
 * against tools/include, its global symbols renamed with -D flags
 * (upstream_xen_alloc_unpopulated_pages() and so on; its early initcall
 * becomes host_initcall_upstream_unpopulated_init()).  Its one call whose
 * host model returns something other than the kernel's, memremap_pages(),
 * is renamed to upstream_memremap_pages() below, which returns what the
 * kernel returns.
 *
 * Both boot as guests on the QEMU virt dom0 tree: ours with its arch hook
 * (the extended regions), upstream with the hook its file defines
 * (iomem_resource, which is what x86 guests use).  Before anything is
 * measured, each carves and backs its scratch ranges: a first 1-page
 * request ("first carve", measured on its own), then PREFILL pages
 * requested and given back.  Neither carves nor balloons while measured:
 * the program fails if the pages memremap_pages() backs, or the pages the
 * balloon lends, change across a measured loop.
 *
 * The workload, for a batch size B: eight slots, each empty or holding B
 * pages; a fixed pseudo-random sequence picks a slot, frees it if held,
 * fills it otherwise.  The same sequence runs for both.  Ours also runs
 * it with contiguous requests of 2^order pages (upstream has none).
 *
 * Two modes, both run by "make bench":
 *
 *   bench-alloc --count DTB_DIR
 *	under "valgrind --tool=callgrind --instr-atstart=no": the first
 *	carve of each is counted alone; each measured loop runs once to
 *	warm up, then once more with instrumentation on, its instruction
 *	count dumped with the loop's name as the trigger.  Boot, setup and
 *	warm-up are not counted.
 *
 *   bench-alloc --time DTB_DIR CALLGRIND_OUT
 *	the first carve timed in forked children of the booted program;
 *	then the timed rounds, ours and upstream interleaved (the order
 *	swapped every round, so drift hits both alike), in the thread's
 *	CPU time, medians per design; then the tables, with the instruction
 *	counts read from the dumps CALLGRIND_OUT.1, .2, ...  The last line
 *	is the worst instruction and time ratio (upstream / ours) over the
 *	batch sizes.
 */
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/memremap.h>
#include <linux/mmzone.h>
#include <asm/page.h>

#include "alloc_env.h"

#define SLOTS		8
#define MAX_BATCH	4096
/* Pages each design carves and backs before measuring. */
#define PREFILL		(2 * SLOTS * MAX_BATCH)
/*
 * Timed rounds, each one repetition of every batch size for both designs:
 * at least ROUNDS_MIN, then more until ROUND_SECONDS of wall time have
 * passed (at most ROUNDS_MAX).  On a shared machine the speed of the CPU
 * we get comes and goes in phases of a fraction of a second, and need not
 * change both designs alike (one may wait on memory where the other
 * computes): the medians are taken over many such phases.
 */
#define ROUNDS_MIN	101
#define ROUNDS_MAX	2001
#define ROUND_SECONDS	20
#define FIRST_REPS	15		/* forked first carves, each design */
#define CONTIG_REPS	31		/* timed repetitions per order */
#define CONTIG_ORDERS	10		/* orders 0..9 */
#define CONTIG_OPS	2048		/* alloc+free pairs a repetition */

/* Upstream's file, compiled with its symbols renamed (see the Makefile). */
int upstream_xen_alloc_unpopulated_pages(unsigned int nr_pages,
					 struct page **pages);
void upstream_xen_free_unpopulated_pages(unsigned int nr_pages,
					 struct page **pages);
int host_initcall_upstream_unpopulated_init(void);
void *upstream_memremap_pages(struct dev_pagemap *pgmap, int nid);

/*
 * memremap_pages() as upstream's file calls it.  The kernel returns the
 * linear-map address of the range's start, and upstream finds the range's
 * struct pages with virt_to_page() on it; the host model returns the first
 * struct page, which the repository's callers only test with IS_ERR().
 * The range is mapped by the model all the same.
 */
void *upstream_memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	void *ret = memremap_pages(pgmap, nid);

	return IS_ERR(ret) ? ret : __va(pgmap->range.start);
}

static struct page *pool[PREFILL];
static struct page *held[SLOTS][MAX_BATCH];

struct design {
	const char *name;
	int (*alloc)(unsigned int n, struct page **pages);
	void (*free)(unsigned int n, struct page **pages);
};

static const struct design ours = {
	"ours", xen_alloc_unpopulated_pages, xen_free_unpopulated_pages
};

static const struct design upstream = {
	"upstream", upstream_xen_alloc_unpopulated_pages,
	upstream_xen_free_unpopulated_pages
};

static const struct design contig = {
	"contig", xen_alloc_unpopulated_contiguous_pages,
	xen_free_unpopulated_pages
};

/* Batch sizes, and the pages a repetition hands out at each. */
static const struct {
	unsigned int batch;
	unsigned long pages;
} batches[] = {
	{ 1, 1UL << 16 }, { 2, 1UL << 16 }, { 4, 1UL << 17 },
	{ 8, 1UL << 17 }, { 16, 1UL << 18 }, { 32, 1UL << 18 },
	{ 64, 1UL << 18 }, { 256, 1UL << 19 }, { 1024, 1UL << 19 },
	{ 4096, 1UL << 20 },
};

#define NR_BATCHES	ARRAY_SIZE(batches)

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

/* Backed and ballooned pages once set up: a measured loop changes neither. */
static long base_backed, base_balloon;

static int check_quiet(const char *what, unsigned int key)
{
	long backed = host_memremap_live_pages();
	long balloon = host_balloon_live_pages();

	if (backed == base_backed && balloon == base_balloon)
		return 0;
	printf("bench: %s %u carved or ballooned while measured: %ld pages backed (%ld before), %ld ballooned (%ld)\n",
	       what, key, backed, base_backed, balloon, base_balloon);
	return -1;
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

/* Both allocators booted, nothing carved yet. */
static int boot(void)
{
	int ret;

	if (boot_allocator("qemu-virt-dom0.dtb", 12)) {
		printf("bench: our allocator did not boot\n");
		return -1;
	}
	ret = host_initcall_upstream_unpopulated_init();
	if (ret) {
		printf("bench: upstream's initcall failed: %d\n", ret);
		return -1;
	}
	return 0;
}

/*
 * The first request of a freshly booted allocator, for one page: it
 * carves a range and backs it.  Counted alone under callgrind when
 * @count, its thread CPU time put in @ns; the page is kept in @page.
 * Returns the pages it backed, -1 on error.
 */
static long first_carve(const struct design *d, bool count, struct page **page,
			double *ns)
{
	long before = host_memremap_live_pages();
	char label[64];
	double t0 = 0;
	int ret;

	if (count) {
		CALLGRIND_START_INSTRUMENTATION;
		CALLGRIND_ZERO_STATS;
	} else {
		t0 = now();
	}
	ret = d->alloc(1, page);
	if (count) {
		snprintf(label, sizeof(label), "bench first-%s 1 1", d->name);
		CALLGRIND_DUMP_STATS_AT(label);
		CALLGRIND_STOP_INSTRUMENTATION;
	} else {
		*ns = (now() - t0) * 1e9;
	}
	if (ret) {
		printf("bench: %s: the first request failed: %d\n", d->name,
		       ret);
		return -1;
	}
	return host_memremap_live_pages() - before;
}

/*
 * After the first carves: PREFILL pages for each design, carved and backed
 * now and given back, so that no measured loop (at most SLOTS * MAX_BATCH
 * pages held) needs more.
 */
static int prefill(void)
{
	struct xen_unpopulated_stats st;
	const struct design *d[] = { &ours, &upstream };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(d); i++) {
		if (d[i]->alloc(PREFILL, pool)) {
			printf("bench: %s cannot carve %u pages\n", d[i]->name,
			       PREFILL);
			return -1;
		}
		d[i]->free(PREFILL, pool);
	}
	xen_unpopulated_get_stats(&st);
	base_backed = host_memremap_live_pages();
	base_balloon = host_balloon_live_pages();
	if (!st.scratch || !st.nr_ranges || st.balloon_out || base_balloon ||
	    st.pages < PREFILL || base_backed - (long)st.pages < PREFILL) {
		printf("bench: unexpected state: ours %u ranges, %lu pages, %lu free, %lu ballooned; %ld pages backed in all, %ld ballooned\n",
		       st.nr_ranges, st.pages, st.free, st.balloon_out,
		       base_backed, base_balloon);
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
	xen_free_unpopulated_pages(n, held[0]);
	if (i < n || pfn & (n - 1)) {
		printf("bench: contiguous order %u: pfn %#lx not aligned, or page %u not next\n",
		       order, pfn, i);
		return -1;
	}
	return 0;
}

/* Runs one loop under callgrind, counted alone, named "@what @key". */
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
	if (!done) {
		printf("bench: %s %u: a request failed\n", what, key);
		return -1;
	}
	return check_quiet(what, key);
}

static int count_mode(void)
{
	unsigned int i, o;
	struct page *first[2];
	double ns;

	if (!RUNNING_ON_VALGRIND) {
		printf("bench: --count runs under valgrind --tool=callgrind\n");
		return 1;
	}
	if (boot() || first_carve(&ours, true, &first[0], &ns) < 0 ||
	    first_carve(&upstream, true, &first[1], &ns) < 0)
		return 1;
	ours.free(1, &first[0]);
	upstream.free(1, &first[1]);
	if (prefill())
		return 1;
	for (i = 0; i < NR_BATCHES; i++) {
		if (count_one(&ours, batches[i].batch, batches[i].pages,
			      ours.name, batches[i].batch) ||
		    count_one(&upstream, batches[i].batch, batches[i].pages,
			      upstream.name, batches[i].batch))
			return 1;
	}
	for (o = 0; o < CONTIG_ORDERS; o++)
		if (count_one(&contig, 1u << o, (unsigned long)CONTIG_OPS << o,
			      "contig", o))
			return 1;
	return 0;
}

/*
 * Instructions a page (or, for "contig", an alloc+free; for a first
 * carve, the request) that the dump named "bench @what @key PAGES"
 * counted; -1 if there is none.
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

/*
 * The first carve of each design, timed in FIRST_REPS children forked from
 * the booted program (each starts from the same state: nothing carved),
 * the order of the two swapped every other child.  Prints one line each.
 */
static int time_first_carves(const char *cg)
{
	const struct design *d[] = { &ours, &upstream };
	double t[ARRAY_SIZE(d)][FIRST_REPS];
	long backed[ARRAY_SIZE(d)] = { 0 };
	unsigned int r, j;

	for (r = 0; r < FIRST_REPS; r++) {
		struct { double ns; long backed; } res[ARRAY_SIZE(d)];
		int fd[2], status;
		pid_t pid;

		if (pipe(fd))
			return -1;
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			close(fd[0]);
			for (j = 0; j < ARRAY_SIZE(d); j++) {
				unsigned int n = r & 1 ? ARRAY_SIZE(d) - 1 - j : j;
				struct page *page;

				res[n].backed = first_carve(d[n], false, &page,
							    &res[n].ns);
				if (res[n].backed <= 0) {
					fflush(stdout);
					_exit(1);
				}
			}
			_exit(write(fd[1], res, sizeof(res)) != sizeof(res));
		}
		close(fd[1]);
		j = read(fd[0], res, sizeof(res)) == sizeof(res);
		close(fd[0]);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) || !j) {
			printf("bench: first carve, repetition %u failed\n", r);
			return -1;
		}
		for (j = 0; j < ARRAY_SIZE(d); j++) {
			t[j][r] = res[j].ns;
			backed[j] = res[j].backed;
		}
	}
	printf("\nfirst carve: a 1-page request just after boot, which carves and\n"
	       "backs a range\n"
	       "  ns: thread CPU time, median of %u forked repetitions\n"
	       "  instr: callgrind, that request only\n", FIRST_REPS);
	printf("%-9s %12s %12s %13s\n", "design", "ns", "instr",
	       "pages backed");
	for (j = 0; j < ARRAY_SIZE(d); j++)
		printf("%-9s %12.0f %12.0f %13ld\n", d[j]->name,
		       quantile(t[j], FIRST_REPS, 0.5),
		       instr(cg, j ? "first-upstream" : "first-ours", 1),
		       backed[j]);
	return 0;
}

static double t_ours[NR_BATCHES][ROUNDS_MAX];
static double t_up[NR_BATCHES][ROUNDS_MAX];

static int time_mode(const char *cg)
{
	double i_ours[NR_BATCHES], i_up[NR_BATCHES], t_contig[CONTIG_REPS];
	double start, ir, tr, worst_i = -1, worst_t = -1;
	unsigned int i, r, o, rounds, worst_ib = 0, worst_tb = 0;
	struct xen_unpopulated_stats st;
	struct page *first[2];
	int fails = 0;

	if (boot() || time_first_carves(cg))
		return 1;
	if (first_carve(&ours, false, &first[0], &start) < 0 ||
	    first_carve(&upstream, false, &first[1], &start) < 0)
		return 1;
	ours.free(1, &first[0]);
	upstream.free(1, &first[1]);
	if (prefill())
		return 1;

	/* One repetition each to warm caches and the branch predictors. */
	for (i = 0; i < NR_BATCHES; i++)
		fails += timed(&ours, batches[i].batch, batches[i].pages) < 0 ||
			 timed(&upstream, batches[i].batch,
			       batches[i].pages) < 0;
	start = wall();
	for (r = 0; r < ROUNDS_MAX && !fails; r++) {
		if (r >= ROUNDS_MIN && wall() - start >= ROUND_SECONDS)
			break;
		for (i = 0; i < NR_BATCHES; i++) {
			const struct design *first = r & 1 ? &upstream : &ours;
			const struct design *second = r & 1 ? &ours : &upstream;
			double a = timed(first, batches[i].batch,
					 batches[i].pages);
			double b = timed(second, batches[i].batch,
					 batches[i].pages);

			fails += a < 0 || b < 0;
			t_ours[i][r] = r & 1 ? b : a;
			t_up[i][r] = r & 1 ? a : b;
		}
		fails += check_quiet("round", r) < 0;
	}
	rounds = r;
	if (fails) {
		printf("bench: %d repetition(s) failed\n", fails);
		return 1;
	}

	xen_unpopulated_get_stats(&st);
	printf("\nper page, alloc+free in batches: %u slots held at random, each\n"
	       "design on its own ranges, carved and backed before measuring (ours\n"
	       "%lu pages in %u ranges, upstream %ld pages); neither carves nor\n"
	       "balloons while measured\n"
	       "  instr: callgrind, the measured loop only\n"
	       "  ns: thread CPU time, median of %u interleaved repetitions (%.0f s)\n"
	       "  ratios: upstream / ours (above 1: ours is cheaper)\n",
	       SLOTS, st.pages, st.nr_ranges, base_backed - (long)st.pages,
	       rounds, wall() - start);
	printf("%5s %16s %20s %12s %13s %17s %11s\n", "batch",
	       "ours instr/page", "upstream instr/page", "instr ratio",
	       "ours ns/page", "upstream ns/page", "time ratio");
	for (i = 0; i < NR_BATCHES; i++) {
		double mo = quantile(t_ours[i], rounds, 0.5);
		double mu = quantile(t_up[i], rounds, 0.5);

		i_ours[i] = instr(cg, ours.name, batches[i].batch);
		i_up[i] = instr(cg, upstream.name, batches[i].batch);
		if (i_ours[i] <= 0 || i_up[i] <= 0) {
			printf("bench: no instruction count for batch %u in %s.*\n",
			       batches[i].batch, cg);
			return 1;
		}
		ir = i_up[i] / i_ours[i];
		tr = mu / mo;
		printf("%5u %16.1f %20.1f %12.2f %13.2f %17.2f %11.2f\n",
		       batches[i].batch, i_ours[i], i_up[i], ir, mo, mu, tr);
		if (worst_i < 0 || ir < worst_i) {
			worst_i = ir;
			worst_ib = batches[i].batch;
		}
		if (worst_t < 0 || tr < worst_t) {
			worst_t = tr;
			worst_tb = batches[i].batch;
		}
	}

	printf("\ncontiguous alloc+free of 2^order pages (ours; upstream has none):\n"
	       "%u slots held at random\n"
	       "  ns: thread CPU time, median of %u repetitions of %u pairs\n"
	       "  instr: callgrind, the measured loop only\n",
	       SLOTS, CONTIG_REPS, CONTIG_OPS);
	printf("%6s %6s %12s %12s\n", "order", "pages", "ns/pair", "instr/pair");
	for (o = 0; o < CONTIG_ORDERS; o++) {
		unsigned long pages = (unsigned long)CONTIG_OPS << o;
		double ic;

		if (check_contig(o))
			return 1;
		if (timed(&contig, 1u << o, pages) < 0)
			return 1;
		for (r = 0; r < CONTIG_REPS; r++) {
			t_contig[r] = timed(&contig, 1u << o, pages) * (1u << o);
			if (t_contig[r] < 0)
				return 1;
		}
		if (check_quiet("contig", o))
			return 1;
		printf("%6u %6u %12.1f", o, 1u << o,
		       quantile(t_contig, CONTIG_REPS, 0.5));
		ic = instr(cg, "contig", o);
		if (ic < 0)
			printf(" %12s\n", "-");
		else
			printf(" %12.1f\n", ic);
	}

	printf("\n(next line: the smallest ratios upstream / ours over the batch sizes)\n");
	printf("worst vs upstream: instructions %.2f at batch %u, time %.2f at batch %u\n",
	       worst_i, worst_ib, worst_t, worst_tb);
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
	return count ? count_mode() : time_mode(argv[3]);
}

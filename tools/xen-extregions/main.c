// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-extregions: run the kernel's extended-region discovery and scratch
 * allocator on a device tree, as an arm64 guest kernel would at boot, and
 * show what the guest gets.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/of_fdt.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>
#include <host/model.h>

#include "tool.h"

struct opts {
	unsigned int va_bits, page_shift, pa_bits, section_bits, kasan_shift;
	bool have_phys_offset;
	u64 phys_offset;
	struct step *steps;
	unsigned int nr_steps;
	const char *granularity;
	const char *live;		/* root of the guest's files, or NULL */
	const char *xen_log;
	unsigned int domid;
	bool json;
	const char *file;
};

static const char usage_text[] =
	"usage: xen-extregions [--va-bits 39|42|47|48|52] [--page-size 4K|16K|64K]\n"
	"                      [--pa-bits N] [--phys-offset ADDR] [--section-bits N]\n"
	"                      [--kasan none|generic|sw-tags|hw-tags]\n"
	"                      [--granularity section|subsection]\n"
	"                      [--alloc PAGES | --free PAGES | --reclaim | --spare PAGES |\n"
	"                       --alloc-contig PAGES | --free-contig INDEX]...\n"
	"                      [--xen-log LOG [--domid N]] [--json]\n"
	"                      [FILE.dtb|FILE.dts]\n"
	"       xen-extregions --live [--live-root DIR] [--va-bits N] [--page-size P] ...\n";

static __attribute__((format(printf, 1, 2))) int usage(const char *fmt, ...)
{
	va_list args;

	fputs("xen-extregions: ", stderr);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static bool parse_u64(const char *s, u64 *val)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*val = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool parse_uint(const char *s, unsigned int lo, unsigned int hi,
		       unsigned int *val)
{
	u64 v;

	if (!parse_u64(s, &v) || v < lo || v > hi)
		return false;
	*val = v;
	return true;
}

/* VA sizes arm64 offers with each page size (52-bit: LPA2 or 64K). */
static bool va_fits_page(unsigned int va, unsigned int page_shift)
{
	switch (va) {
	case 39:
		return page_shift == 12;
	case 42:
		return page_shift == 16;
	case 47:
		return page_shift == 14;
	default:
		return true;
	}
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "va-bits", required_argument, NULL, 'v' },
		{ "page-size", required_argument, NULL, 'p' },
		{ "pa-bits", required_argument, NULL, 'P' },
		{ "phys-offset", required_argument, NULL, 'o' },
		{ "section-bits", required_argument, NULL, 's' },
		{ "kasan", required_argument, NULL, 'k' },
		{ "alloc", required_argument, NULL, 'a' },
		{ "free", required_argument, NULL, 'f' },
		{ "reclaim", no_argument, NULL, 'r' },
		{ "spare", required_argument, NULL, 'S' },
		{ "alloc-contig", required_argument, NULL, 'c' },
		{ "free-contig", required_argument, NULL, 'F' },
		{ "granularity", required_argument, NULL, 'g' },
		{ "live", no_argument, NULL, 'L' },
		{ "live-root", required_argument, NULL, 'R' },
		{ "xen-log", required_argument, NULL, 'l' },
		{ "domid", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct {
		enum step_op op;
		const char *name;
		unsigned int min;
		const char *what;
	} step_opts[] = {
		['a'] = { STEP_ALLOC, "alloc", 1, "pages" },
		['f'] = { STEP_FREE, "free", 1, "pages" },
		['r'] = { STEP_RECLAIM, "reclaim", 0, NULL },
		['S'] = { STEP_SPARE, "spare", 0, "pages" },
		['c'] = { STEP_ALLOC_CONTIG, "alloc-contig", 1, "pages" },
		['F'] = { STEP_FREE_CONTIG, "free-contig", 0, "(an index)" },
	};
	struct step *st;
	unsigned int n;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (!parse_uint(optarg, 0, 64, &o->va_bits) ||
			    (o->va_bits != 39 && o->va_bits != 42 &&
			     o->va_bits != 47 && o->va_bits != 48 &&
			     o->va_bits != 52))
				return usage("--va-bits takes 39, 42, 47, 48 or 52");
			break;
		case 'p':
			if (!strcmp(optarg, "4K"))
				o->page_shift = 12;
			else if (!strcmp(optarg, "16K"))
				o->page_shift = 14;
			else if (!strcmp(optarg, "64K"))
				o->page_shift = 16;
			else
				return usage("--page-size takes 4K, 16K or 64K");
			break;
		case 'P':
			if (!parse_uint(optarg, 32, 52, &o->pa_bits))
				return usage("--pa-bits takes 32 to 52");
			break;
		case 'o':
			if (!parse_u64(optarg, &o->phys_offset))
				return usage("--phys-offset takes an address");
			o->have_phys_offset = true;
			break;
		case 's':
			if (!parse_uint(optarg, 21, 40, &o->section_bits))
				return usage("--section-bits takes 21 to 40");
			break;
		case 'k':	/* hw-tags (MTE) has no shadow */
			if (!strcmp(optarg, "none") || !strcmp(optarg, "hw-tags"))
				o->kasan_shift = 0;
			else if (!strcmp(optarg, "generic"))
				o->kasan_shift = 3;
			else if (!strcmp(optarg, "sw-tags"))
				o->kasan_shift = 4;
			else
				return usage("--kasan takes none, generic, sw-tags or hw-tags");
			break;
		case 'a':
		case 'f':
		case 'r':
		case 'S':
		case 'c':
		case 'F':
			st = realloc(o->steps, (o->nr_steps + 1) * sizeof(*st));
			if (!st)
				return usage("out of memory");
			o->steps = st;
			st += o->nr_steps++;
			memset(st, 0, sizeof(*st));
			st->op = step_opts[c].op;
			if (c == 'r')
				break;
			if (!parse_uint(optarg, step_opts[c].min, 1u << 24, &n))
				return usage("--%s takes %u to 2^24 %s",
					     step_opts[c].name, step_opts[c].min,
					     step_opts[c].what);
			st->arg = n;
			break;
		case 'g':
			if (strcmp(optarg, "section") && strcmp(optarg, "subsection"))
				return usage("--granularity takes section or subsection");
			o->granularity = optarg;
			break;
		case 'l':
			o->xen_log = optarg;
			break;
		case 'L':
			if (!o->live)
				o->live = "";
			break;
		case 'R':
			o->live = optarg;
			break;
		case 'd':
			if (!parse_uint(optarg, 0, 32767, &o->domid))
				return usage("--domid takes a domain number");
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		default:
			return usage("unknown or incomplete option '%s'",
				     argv[optind - 1]);
		}
	}
	if (optind < argc - 1)
		return usage("one device tree at most");
	o->file = optind < argc ? argv[optind] : NULL;
	if (o->live && (o->file || o->xen_log || o->json || o->nr_steps))
		return usage("--live reads the running guest: no tree, log, JSON or steps");
	if (!va_fits_page(o->va_bits, o->page_shift))
		return usage("arm64 has no %u-bit VA with %uK pages",
			     o->va_bits, 1u << (o->page_shift - 10));
	if (o->section_bits && o->section_bits <= o->page_shift)
		return usage("sections must be larger than pages");
	return EXIT_OK;
}

static int load_log(const char *path, unsigned int domid, struct xen_log *log)
{
	struct blob text = { 0 };
	FILE *f = fopen(path, "rb");
	int ret;

	if (!f) {
		fprintf(stderr, "xen-extregions: %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	ret = blob_read_stream(f, &text);
	fclose(f);
	if (!ret)
		ret = xen_log_parse(text.fdt, text.size, domid, log);
	blob_free(&text);
	if (ret)
		fprintf(stderr, "xen-extregions: %s: %s\n", path, strerror(-ret));
	return ret;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The log and the node agree when they name the same set of regions. */
static bool same_regions(const struct range *a, const struct range *b,
			 unsigned int n)
{
	struct range *x = malloc(n * sizeof(*x) + 1);
	struct range *y = malloc(n * sizeof(*y) + 1);
	bool same = x && y;

	if (same) {
		memcpy(x, a, n * sizeof(*x));
		memcpy(y, b, n * sizeof(*y));
		qsort(x, n, sizeof(*x), cmp_range);
		qsort(y, n, sizeof(*y), cmp_range);
		same = !memcmp(x, y, n * sizeof(*x));
	}
	free(x);
	free(y);
	return same;
}

static void configure_arm64(const struct opts *o, const void *fdt,
			    struct report *r)
{
	u64 lowest;

	host_arm64_reset();
	host_arm64.va_bits = o->va_bits;
	host_arm64.page_shift = o->page_shift;
	host_arm64.pa_bits = o->pa_bits;
	host_arm64.kasan_shift = o->kasan_shift;
	host_arm64.section_bits = o->section_bits ? o->section_bits :
				  host_arm64_default_section_bits(o->page_shift);
	if (o->have_phys_offset) {
		host_arm64.phys_offset = o->phys_offset;
	} else if (!blob_lowest_memory(fdt, &lowest)) {
		host_arm64.phys_offset = ALIGN_DOWN(lowest,
						    host_arm64_memstart_align());
	} else {
		host_arm64.phys_offset = 0;
		r->phys_offset_default = true;
	}
}

/* Bytes of the target that whole, aligned granules of @sec bytes take. */
u64 usable_bytes(const struct resource *res, u64 sec)
{
	u64 total = 0, start, end;
	const struct resource *c = res->child;
	u64 gap = res->start;

	for (;;) {
		end = c ? c->start - 1 : res->end;
		if ((!c || c->start > gap)) {
			start = ALIGN(gap, sec);
			if (start >= gap && start <= end && end - start + 1 >= sec)
				total += ALIGN_DOWN(end - start + 1, sec);
		}
		if (!c || c->end >= res->end)
			break;
		gap = c->end + 1;
		c = c->sibling;
	}
	return total;
}

static int collect_holes(const struct resource *res, struct report *r)
{
	const struct resource *c;
	unsigned int n = 0;

	for (c = res->child; c; c = c->sibling)
		n++;
	r->holes = calloc(n + 1, sizeof(*r->holes));
	if (!r->holes)
		return -ENOMEM;
	for (c = res->child; c; c = c->sibling) {
		r->holes[r->nr_holes].start = c->start;
		r->holes[r->nr_holes++].end = c->end;
	}
	return 0;
}

/* The "Xen scratch" ranges reserved in iomem_resource, ascending. */
static unsigned int scratch_ranges(struct range *out, unsigned int max)
{
	const struct resource *c;
	unsigned int n = 0;

	for (c = iomem_resource.child; c; c = c->sibling) {
		if (strcmp(c->name, "Xen scratch"))
			continue;
		if (out && n < max) {
			out[n].start = c->start;
			out[n].end = c->end;
		}
		n++;
	}
	return n;
}

static bool in_ranges(const struct range *r, const struct range *set,
		      unsigned int n)
{
	while (n--)
		if (set[n].start == r->start && set[n].end == r->end)
			return true;
	return false;
}

/* The ranges in @a that are not in @b. */
static unsigned int ranges_minus(const struct range *a, unsigned int na,
				 const struct range *b, unsigned int nb,
				 struct range *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < na; i++)
		if (!in_ranges(&a[i], b, nb))
			out[n++] = a[i];
	return n;
}

/* The "Xen scratch" ranges now, malloc'd; NULL when out of memory. */
static struct range *snapshot(unsigned int *nr)
{
	struct range *r;

	*nr = scratch_ranges(NULL, 0);
	r = calloc(*nr + 1, sizeof(*r));
	if (r)
		scratch_ranges(r, *nr);
	return r;
}

/* Pages of --alloc steps still held: a stack, as --free takes the last. */
struct held {
	struct page **p;
	unsigned long n, cap;
};

/* One --alloc-contig still held. */
struct held_block {
	struct page **p;
	unsigned int n;
	struct range block;
};

/* Every --alloc-contig still held, oldest first, as --free-contig counts. */
struct held_blocks {
	struct held_block *b;
	unsigned int n;
};

/* Physical addresses of @n pages from pfn @pfn on, end inclusive. */
static struct range pfn_span(unsigned long pfn, unsigned long n)
{
	struct range rg = {
		.start = (u64)pfn << host_arm64.page_shift,
		.end = ((u64)(pfn + n) << host_arm64.page_shift) - 1,
	};

	return rg;
}

/*
 * Records in @st the pages @p[@n] as runs of consecutive page frames, in
 * the order handed out: what tells a caller which pages it holds.
 */
static int record_runs(struct step *st, struct page **p, unsigned long n)
{
	unsigned long i, start, len, nr = 0;

	st->runs = calloc(n + 1, sizeof(*st->runs));
	if (!st->runs)
		return -ENOMEM;
	for (i = 0; i < n; i += len) {
		start = page_to_pfn(p[i]);
		len = 1;
		while (i + len < n && page_to_pfn(p[i + len]) == start + len)
			len++;
		st->runs[nr++] = pfn_span(start, len);
	}
	st->nr_runs = nr;
	return 0;
}

static int run_alloc(struct step *st, struct held *h)
{
	struct xen_unpopulated_stats before, after;
	struct page **p;

	st->pages = st->arg;
	if (h->n + st->arg > h->cap) {
		p = realloc(h->p, (h->n + st->arg) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		h->p = p;
		h->cap = h->n + st->arg;
	}
	xen_unpopulated_get_stats(&before);
	st->err = xen_alloc_unpopulated_pages(st->arg, h->p + h->n);
	xen_unpopulated_get_stats(&after);
	if (!st->err) {
		if (record_runs(st, h->p + h->n, st->arg)) {
			xen_free_unpopulated_pages(st->arg, h->p + h->n);
			return -ENOMEM;
		}
		h->n += st->arg;
	}
	st->balloon_pages = after.balloon_served - before.balloon_served;
	st->result = st->err ? "error" : st->balloon_pages == st->arg ?
		     "balloon" : st->balloon_pages ? "mixed" : "scratch";
	return 0;
}

/*
 * xen_alloc_unpopulated_contiguous_pages(): scratch space only, so the
 * result is "scratch" or "error".  The block is reported from the first
 * page to the last as handed out, and its runs beside it: a block that is
 * not one run is a broken promise that the report shows as such.
 */
static int run_alloc_contig(struct step *st, struct held_blocks *hb)
{
	struct held_block *b;
	struct page **p;

	st->pages = st->arg;
	b = realloc(hb->b, (hb->n + 1) * sizeof(*b));
	p = calloc(st->arg, sizeof(*p));
	if (b)
		hb->b = b;
	if (!b || !p) {
		free(p);
		return -ENOMEM;
	}
	st->err = xen_alloc_unpopulated_contiguous_pages(st->arg, p);
	st->result = st->err ? "error" : "scratch";
	if (st->err) {
		free(p);
		return 0;
	}
	if (record_runs(st, p, st->arg)) {
		xen_free_unpopulated_pages(st->arg, p);
		free(p);
		return -ENOMEM;
	}
	st->block.start = pfn_span(page_to_pfn(p[0]), 1).start;
	st->block.end = pfn_span(page_to_pfn(p[st->arg - 1]), 1).end;
	st->has_block = true;
	b = &hb->b[hb->n++];
	b->p = p;
	b->n = st->arg;
	b->block = st->block;
	return 0;
}

/* --free-contig K: the K-th block still held; -EINVAL if there is none. */
static int run_free_contig(struct step *st, struct held_blocks *hb)
{
	struct held_block b;

	if (st->arg >= hb->n) {
		fprintf(stderr,
			"xen-extregions: --free-contig %lu: %u contiguous allocation(s) held, so no index %lu\n",
			st->arg, hb->n, st->arg);
		return -EINVAL;
	}
	b = hb->b[st->arg];
	memmove(&hb->b[st->arg], &hb->b[st->arg + 1],
		(hb->n - st->arg - 1) * sizeof(b));
	hb->n--;
	xen_free_unpopulated_pages(b.n, b.p);
	free(b.p);
	st->pages = b.n;
	st->block = b.block;
	st->has_block = true;
	return 0;
}

/* Reclaim as if the delay had passed: time moves on, the work runs. */
static void run_reclaim(void)
{
	char buf[32];
	long delay = 0;

	if (host_param_get("xen_unpopulated.reclaim_delay", buf, sizeof(buf)) > 0)
		delay = strtol(buf, NULL, 10);
	if (delay < 0)
		return;
	host_jiffies_advance(delay * HZ + 1);
	host_workqueue_run();
}

/*
 * Runs the steps in order, keeping pages handed out, then frees them all.
 * Returns 0, -ENOMEM, or -EINVAL for a --free-contig of no held block.
 */
static int run_steps(const struct opts *o, struct report *r)
{
	struct range *prev = NULL, *now = NULL;
	unsigned int i, nr_prev = 0, nr_now;
	struct held_blocks hb = { 0 };
	struct held h = { 0 };
	char num[32];
	int ret = -ENOMEM;

	r->steps = calloc(o->nr_steps + 1, sizeof(*r->steps));
	prev = snapshot(&nr_prev);
	if (!r->steps || !prev)
		goto out;
	for (i = 0; i < o->nr_steps; i++) {
		struct step *st = &r->steps[i];

		*st = o->steps[i];
		r->nr_steps = i + 1;
		switch (st->op) {
		case STEP_ALLOC:
			if (run_alloc(st, &h))
				goto out;
			break;
		case STEP_FREE:
			st->pages = min(st->arg, h.n);
			xen_free_unpopulated_pages(st->pages,
						   h.p + h.n - st->pages);
			h.n -= st->pages;
			break;
		case STEP_RECLAIM:
			run_reclaim();
			break;
		case STEP_SPARE:
			snprintf(num, sizeof(num), "%lu", st->arg);
			host_param_set("xen_unpopulated.spare_pages", num);
			break;
		case STEP_ALLOC_CONTIG:
			if (run_alloc_contig(st, &hb))
				goto out;
			break;
		case STEP_FREE_CONTIG:
			ret = run_free_contig(st, &hb);
			if (ret)
				goto out;
			ret = -ENOMEM;
			break;
		}
		now = snapshot(&nr_now);
		st->carved = calloc(nr_now + 1, sizeof(*st->carved));
		st->released = calloc(nr_prev + 1, sizeof(*st->released));
		if (!now || !st->carved || !st->released)
			goto out;
		st->nr_carved = ranges_minus(now, nr_now, prev, nr_prev,
					     st->carved);
		st->nr_released = ranges_minus(prev, nr_prev, now, nr_now,
					       st->released);
		if (st->op == STEP_RECLAIM) {
			unsigned int k;

			for (k = 0; k < st->nr_released; k++)
				st->pages += (st->released[k].end -
					      st->released[k].start + 1) >>
					     host_arm64.page_shift;
		}
		free(prev);
		prev = now;
		nr_prev = nr_now;
		now = NULL;
	}
	xen_unpopulated_get_stats(&r->stats);
	r->view = host_debugfs_read("xen/unpopulated");
	ret = 0;
out:
	if (h.n)
		xen_free_unpopulated_pages(h.n, h.p);
	free(h.p);
	while (hb.n--) {
		xen_free_unpopulated_pages(hb.b[hb.n].n,
					   hb.b[hb.n].p);
		free(hb.b[hb.n].p);
	}
	free(hb.b);
	free(prev);
	free(now);
	return ret;
}

/*
 * The granularity a running kernel carves in: its view says, or else its
 * parameter (a kernel without debugfs); "section" for other kernels.
 */
static const char *live_granularity(const char *view, const char *param)
{
	char line[128];
	const char *g = "section";
	FILE *f = fopen(view, "r");

	if (!f)
		f = fopen(param, "r");
	if (!f)
		return g;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "granularity: subsection", 23) ||
		    !strcmp(line, "subsection\n"))
			g = "subsection";
	fclose(f);
	return g;
}

/*
 * The hypervisor node and the target as the arch hook read and built them
 * at boot: the same kernel functions again, on the tool's own record and
 * resource, for the report.  Returns what the arch hook returned.
 */
static struct xen_ext_regions tool_er;
static struct resource tool_target = {
	.name	= "Xen unused space",
	.flags	= IORESOURCE_MEM,
};

static int read_regions(const void *fdt, struct report *r)
{
	int ret;

	ret = xen_ext_regions_read(fdt, &tool_er);
	if (!ret)
		ret = xen_ext_regions_build(&tool_er, r->pluggable,
					    &tool_target);
	r->er = &tool_er;
	return ret;
}

static void find_node_path(const void *fdt, struct report *r)
{
	const struct xen_ext_regions *er = r->er;

	if (!er || er->node < 0 ||
	    fdt_get_path(fdt, er->node, r->node_path, sizeof(r->node_path)))
		r->node_path[0] = '\0';
}

int main(int argc, char **argv)
{
	struct opts o = { .va_bits = 48, .page_shift = 12, .pa_bits = 48 };
	struct report r = { 0 };
	struct xen_log log;
	struct blob b = { 0 };
	struct resource *target = NULL;
	char err[512], live_fdt[512], live_iomem[512], live_view[512];
	char live_param[512];
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		goto out;

	if (o.xen_log) {
		ret = load_log(o.xen_log, o.domid, &log);
		if (ret) {
			ret = EXIT_BLOB;
			goto out;
		}
		r.log = &log;
	}

	if (o.live) {
		snprintf(live_fdt, sizeof(live_fdt), "%s/sys/firmware/fdt", o.live);
		snprintf(live_iomem, sizeof(live_iomem), "%s/proc/iomem", o.live);
		snprintf(live_view, sizeof(live_view),
			 "%s/sys/kernel/debug/xen/unpopulated", o.live);
		snprintf(live_param, sizeof(live_param),
			 "%s/sys/module/xen_unpopulated/parameters/granularity",
			 o.live);
		o.granularity = live_granularity(live_view, live_param);
		ret = blob_load(live_fdt, &b, err, sizeof(err));
		r.source = live_fdt;
	} else if (o.file) {
		ret = blob_load(o.file, &b, err, sizeof(err));
		r.source = o.file;
	} else if (r.log) {
		ret = blob_from_regions(log.regions, log.nr, &b);
		r.source = "(regions from the Xen log)";
		snprintf(err, sizeof(err), "cannot build a tree from the log");
	} else {
		size_t n = default_dtb_end - default_dtb_start;

		b.fdt = malloc(n);
		b.size = n;
		ret = b.fdt ? 0 : -ENOMEM;
		if (b.fdt)
			memcpy(b.fdt, default_dtb_start, n);
		r.source = "(built-in default: QEMU virt dom0)";
		snprintf(err, sizeof(err), "out of memory");
	}
	if (!ret && blob_check(b.fdt, b.size)) {
		snprintf(err, sizeof(err), "%s: not a valid device tree blob",
			 r.source);
		ret = -EINVAL;
	}
	if (ret) {
		fprintf(stderr, "xen-extregions: %s\n", err);
		ret = EXIT_BLOB;
		goto out;
	}

	configure_arm64(&o, b.fdt, &r);
	r.granularity = o.granularity ? o.granularity : "section";
	host_param_set("xen_unpopulated.granularity", r.granularity);
	r.granule = !strcmp(r.granularity, "subsection") ? 1ULL << 21 :
		    1ULL << host_arm64.section_bits;
	r.fdt = b.fdt;
	r.pluggable = mhp_get_pluggable_range(true);
	r.fallback = blob_boot(b.fdt, false) != 0;
	if (!read_regions(b.fdt, &r) == r.fallback) {
		fprintf(stderr, "xen-extregions: the arch hook and the tool disagree\n");
		ret = EXIT_BLOB;
		goto out;
	}
	find_node_path(b.fdt, &r);
	if (!r.fallback) {
		target = &tool_target;
		r.resource.start = target->start;
		r.resource.end = target->end;
		r.usable_bytes = usable_bytes(target, r.granule);
		if (collect_holes(target, &r)) {
			fprintf(stderr, "xen-extregions: out of memory\n");
			ret = EXIT_BLOB;
			goto out;
		}
	}
	ret = run_steps(&o, &r);
	if (ret) {
		if (ret != -EINVAL)
			fprintf(stderr, "xen-extregions: out of memory\n");
		ret = ret == -EINVAL ? EXIT_USAGE : EXIT_BLOB;
		goto out;
	}
	if (r.log) {
		r.log_match = !o.file ||
			      (r.log->nr == r.er->nr &&
			       same_regions(r.log->regions, r.er->regions,
					    r.log->nr));
	}

	if (o.live) {
		ret = live_report(&r, live_iomem, live_view);
		goto out;
	}
	if (o.json)
		report_json(&r);
	else
		report_human(&r);
	ret = (o.file && r.log && !r.log_match) ? EXIT_MISMATCH : EXIT_OK;
out:
	for (unsigned int i = 0; i < r.nr_steps; i++) {
		free(r.steps[i].carved);
		free(r.steps[i].released);
		free(r.steps[i].runs);
	}
	free(r.steps);
	free(r.view);
	free(r.holes);
	xen_ext_regions_release(&tool_target);
	xen_ext_regions_free(&tool_er);
	if (r.log)
		xen_log_free(&log);
	blob_free(&b);
	free(o.steps);
	return ret;
}

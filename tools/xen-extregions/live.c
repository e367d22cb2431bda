// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-extregions --live: inside a guest, what the node says (the tree in
 * /sys/firmware/fdt, read by the very code the kernel runs), what the
 * kernel made of it (debugfs xen/unpopulated: target and busy parts) and
 * what it holds now (its ranges, and "Xen scratch" in /proc/iomem), side
 * by side; each disagreement is flagged and makes the exit status 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "tool.h"

#define LIVE_MAX	256

struct live_view {
	bool present;
	char granularity[16];
	bool target_none;
	struct range target;
	struct range busy[LIVE_MAX], ranges[LIVE_MAX];
	char busy_name[LIVE_MAX][48];
	unsigned long in_use[LIVE_MAX];
	unsigned int nr_busy, nr_ranges;
};

static void read_view(const char *path, struct live_view *v)
{
	unsigned long long a, b;
	unsigned long pages, fr, used;
	char line[256], name[48];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	v->present = true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "granularity: %15[a-z],", v->granularity) == 1)
			continue;
		if (!strcmp(line, "target: none\n"))
			v->target_none = true;
		else if (sscanf(line, "target: %llx-%llx", &a, &b) == 2)
			v->target = (struct range){ a, b };
		else if (sscanf(line, "busy: %llx-%llx %47[^\n]", &a, &b, name) == 3 &&
			 v->nr_busy < LIVE_MAX) {
			strcpy(v->busy_name[v->nr_busy], name);
			v->busy[v->nr_busy++] = (struct range){ a, b };
		} else if (sscanf(line, "range: %llx-%llx pages %lu free %lu in-use %lu",
				  &a, &b, &pages, &fr, &used) == 5 &&
			   v->nr_ranges < LIVE_MAX) {
			v->in_use[v->nr_ranges] = used;
			v->ranges[v->nr_ranges++] = (struct range){ a, b };
		}
	}
	fclose(f);
}

/* The top-level "Xen scratch" entries of /proc/iomem. */
static unsigned int read_iomem(const char *path, struct range *out, bool *ok)
{
	unsigned long long a, b;
	char line[256];
	unsigned int n = 0;
	FILE *f = fopen(path, "r");

	*ok = f != NULL;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (line[0] != ' ' && n < LIVE_MAX &&
		    sscanf(line, "%llx-%llx : Xen scratch", &a, &b) == 2 &&
		    strstr(line, ": Xen scratch\n"))
			out[n++] = (struct range){ a, b };
	fclose(f);
	return n;
}

static bool has(const struct range *set, unsigned int n, const struct range *r)
{
	while (n--)
		if (set[n].start == r->start && set[n].end == r->end)
			return true;
	return false;
}

/*
 * @r is a range reclaim is giving back: off the allocator's lists, so the
 * view lists it as a busy "Xen scratch" child of the target, until it
 * leaves /proc/iomem too.
 */
static bool given_back(const struct live_view *v, const struct range *r)
{
	unsigned int i;

	for (i = 0; i < v->nr_busy; i++)
		if (v->busy[i].start == r->start && v->busy[i].end == r->end &&
		    !strcmp(v->busy_name[i], "Xen scratch"))
			return true;
	return false;
}

static int flag(const char *what)
{
	printf("  DISAGREE: %s\n", what);
	return 1;
}

/*
 * @r: the tool's analysis of the guest's tree, with the granularity the
 * kernel uses; the other files as read inside the guest.  Returns EXIT_OK
 * or EXIT_MISMATCH.
 */
int live_report(const struct report *r, const char *iomem, const char *view)
{
	static struct live_view v;
	static struct range io[LIVE_MAX];
	unsigned int i, j, nr_io, bad = 0;
	u64 granule = r->granule;
	char msg[256];
	bool io_ok;

	read_view(view, &v);
	nr_io = read_iomem(iomem, io, &io_ok);

	printf("node (%s):\n", r->source);
	for (i = 0; i < r->er->nr; i++)
		printf("  region %u  0x%llx-0x%llx\n", i, r->er->regions[i].start,
		       r->er->regions[i].end);
	if (r->fallback)
		printf("  -> no target: %s\n", r->er->reason);
	else
		printf("  -> target 0x%llx-0x%llx, %u busy hole(s)\n",
		       r->resource.start, r->resource.end, r->nr_holes);

	printf("kernel (%s):\n", view);
	if (!v.present) {
		printf("  no view (a kernel without this series or without debugfs); %s granules\n",
		       r->granularity);
	} else {
		printf("  granularity %s\n", v.granularity);
		if (v.target_none)
			printf("  target none\n");
		else
			printf("  target 0x%llx-0x%llx\n", v.target.start, v.target.end);
		for (i = 0; i < v.nr_busy; i++)
			printf("  busy   0x%llx-0x%llx %s\n", v.busy[i].start,
			       v.busy[i].end, v.busy_name[i]);
		for (i = 0; i < v.nr_ranges; i++)
			printf("  range  0x%llx-0x%llx %lu page(s) in use\n",
			       v.ranges[i].start, v.ranges[i].end, v.in_use[i]);
	}
	printf("held (%s):\n", iomem);
	for (i = 0; i < nr_io; i++)
		printf("  Xen scratch 0x%llx-0x%llx\n", io[i].start, io[i].end);
	if (!nr_io)
		printf("  %s\n", io_ok ? "no Xen scratch range" : "unreadable");

	printf("checks:\n");
	if (v.present) {
		if (v.target_none != r->fallback ||
		    (!r->fallback && (v.target.start != r->resource.start ||
				      v.target.end != r->resource.end))) {
			snprintf(msg, sizeof(msg), "kernel target %s, the node gives %s",
				 v.target_none ? "none" : "set",
				 r->fallback ? "none" : "a target");
			if (!v.target_none && !r->fallback)
				snprintf(msg, sizeof(msg),
					 "kernel target 0x%llx-0x%llx, the node gives 0x%llx-0x%llx",
					 v.target.start, v.target.end,
					 r->resource.start, r->resource.end);
			bad += flag(msg);
		}
		for (i = 0; i < r->nr_holes; i++)
			if (!has(v.busy, v.nr_busy, &r->holes[i])) {
				snprintf(msg, sizeof(msg),
					 "hole 0x%llx-0x%llx of the node not busy in the kernel",
					 r->holes[i].start, r->holes[i].end);
				bad += flag(msg);
			}
		for (i = 0; i < v.nr_ranges; i++)
			if (!has(io, nr_io, &v.ranges[i])) {
				snprintf(msg, sizeof(msg), "range 0x%llx-0x%llx not in %s",
					 v.ranges[i].start, v.ranges[i].end, iomem);
				bad += flag(msg);
			}
		for (i = 0; i < nr_io; i++)
			if (given_back(&v, &io[i]))
				printf("  0x%llx-0x%llx: being given back\n",
				       io[i].start, io[i].end);
			else if (!has(v.ranges, v.nr_ranges, &io[i])) {
				snprintf(msg, sizeof(msg), "%s range 0x%llx-0x%llx unknown to the kernel's view",
					 iomem, io[i].start, io[i].end);
				bad += flag(msg);
			}
	}
	for (i = 0; i < nr_io; i++) {
		for (j = 0; j < r->er->nr; j++)
			if (r->er->regions[j].start <= io[i].start &&
			    io[i].end <= r->er->regions[j].end)
				break;
		if (j == r->er->nr || io[i].start % granule ||
		    (io[i].end + 1) % granule) {
			snprintf(msg, sizeof(msg),
				 "scratch 0x%llx-0x%llx not %llu MiB aligned inside one region",
				 io[i].start, io[i].end, granule >> 20);
			bad += flag(msg);
		}
	}
	if (bad)
		printf("live: %u disagreement(s)\n", bad);
	else
		printf("live: the node, the kernel%s and %s agree\n",
		       v.present ? "'s view" : "", iomem);
	return bad ? EXIT_MISMATCH : EXIT_OK;
}

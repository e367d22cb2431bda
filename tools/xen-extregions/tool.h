/* SPDX-License-Identifier: GPL-2.0-only */
/* xen-extregions: shared declarations of the command-line tool. */
#ifndef TOOL_H
#define TOOL_H

#include <stdio.h>

#include <linux/types.h>
#include <linux/range.h>
#include <xen/extended-regions.h>
#include <xen/unpopulated.h>

#include "xenlog.h"

enum { EXIT_OK, EXIT_BLOB, EXIT_USAGE, EXIT_MISMATCH };

struct blob {
	void *fdt;
	size_t size;
};

enum step_op {
	STEP_ALLOC, STEP_FREE, STEP_RECLAIM, STEP_SPARE, STEP_ALLOC_CONTIG,
	STEP_FREE_CONTIG,
};

/*
 * One --alloc, --free, --reclaim, --spare, --alloc-contig or --free-contig,
 * in order, and what it did.  @result is "scratch", "balloon", "mixed" or
 * "error" for an alloc, "scratch" or "error" for an alloc-contig.  @block
 * is a contiguous block from its first page's start to its last page's
 * end.  @runs are the pages an alloc or alloc-contig handed out, as runs
 * of consecutive page frames in the order handed out.
 */
struct step {
	enum step_op op;
	unsigned long arg;		/* pages asked for, spare, or index */
	unsigned long pages;		/* alloc: asked; free, reclaim: done */
	const char *result;
	int err;
	unsigned long balloon_pages;	/* alloc: served by the balloon */
	struct range block;		/* alloc-contig, free-contig */
	bool has_block;
	struct range *runs;
	unsigned int nr_runs;
	struct range *carved;		/* alloc: ranges it carved */
	unsigned int nr_carved;
	struct range *released;		/* reclaim: ranges it gave back */
	unsigned int nr_released;
};

struct report {
	const char *source;		/* file name, or what stood in */
	const void *fdt;
	const struct xen_ext_regions *er;
	char node_path[128];
	bool phys_offset_default;	/* no /memory node: PHYS_OFFSET 0 */
	struct range pluggable;
	bool fallback;
	struct range resource;
	struct range *holes;
	unsigned int nr_holes;
	const char *granularity;	/* "section" or "subsection" */
	u64 granule;			/* bytes */
	u64 usable_bytes;		/* whole aligned granules */
	struct step *steps;
	unsigned int nr_steps;
	struct xen_unpopulated_stats stats;	/* after the last step */
	char *view;			/* debugfs xen/unpopulated then */
	const struct xen_log *log;	/* NULL without --xen-log */
	bool log_match;
};

/* blob.c */
int blob_read_stream(FILE *f, struct blob *b);
int blob_check(const void *fdt, size_t size);
int blob_load(const char *path, struct blob *b, char *err, size_t errlen);
int blob_from_regions(const struct range *r, unsigned int nr,
		      struct blob *b);
int blob_lowest_memory(const void *fdt, u64 *lowest);
int blob_add_memory_resources(const void *fdt);
int blob_boot(void *fdt, bool set_phys_offset);
void blob_free(struct blob *b);
extern const char default_dtb_start[], default_dtb_end[];

/* main.c */
struct resource;
u64 usable_bytes(const struct resource *res, u64 granule);

/* live.c */
int live_report(const struct report *r, const char *iomem, const char *view);

/* report.c */
void report_human(const struct report *r);
void report_json(const struct report *r);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* xen-extregions: shared declarations of the command-line tool. */
#ifndef TOOL_H
#define TOOL_H

#include <stdio.h>

#include <linux/types.h>
#include <linux/range.h>
#include <xen/extended-regions.h>

#include "xenlog.h"

enum { EXIT_OK, EXIT_BLOB, EXIT_USAGE, EXIT_MISMATCH };

struct blob {
	void *fdt;
	size_t size;
};

/* One --alloc call and what it did. */
struct alloc_call {
	unsigned int pages;
	const char *result;		/* "scratch", "balloon" or "error" */
	int err;
	struct range *carved;		/* ranges this call carved */
	unsigned int nr_carved;
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
	u64 usable_bytes;		/* whole aligned sections */
	struct alloc_call *allocs;
	unsigned int nr_allocs;
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

/* report.c */
void report_human(const struct report *r);
void report_json(const struct report *r);

#endif

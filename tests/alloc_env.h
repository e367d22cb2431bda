/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boots the allocator on a device tree the way a guest kernel would: arm64
 * layout, "System RAM" in iomem_resource from the memory nodes, then the
 * early initcall.  The allocator keeps its state in statics, so each test
 * case runs in a child process of its own.
 */
#ifndef ALLOC_ENV_H
#define ALLOC_ENV_H

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/log2.h>
#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/of_fdt.h>
#include <xen/unpopulated.h>
#include <xen/xen.h>
#include <host/model.h>

#include "../tools/xen-extregions/tool.h"
#include "harness.h"
#include "run_case.h"

static const char *dtb_dir;

/* Loads DTB_DIR/@name and runs the initcall; returns what it returned. */
static inline int boot_allocator(const char *name, unsigned int page_shift)
{
	char path[512], err[256];
	struct blob b;

	snprintf(path, sizeof(path), "%s/%s", dtb_dir, name);
	if (blob_load(path, &b, err, sizeof(err))) {
		printf("FAIL %s: %s\n", h_case, err);
		exit(1);
	}
	host_arm64_reset();
	host_arm64.page_shift = page_shift;
	host_arm64.section_bits = host_arm64_default_section_bits(page_shift);
	return blob_boot(b.fdt, true);	/* b.fdt kept for the child's life */
}

/* The n-th "Xen scratch" range in iomem_resource, or NULL. */
static inline const struct resource *iomem_scratch(unsigned int n)
{
	const struct resource *c;

	for (c = iomem_resource.child; c; c = c->sibling)
		if (!strcmp(c->name, "Xen scratch") && !n--)
			return c;
	return NULL;
}

static inline struct xen_unpopulated_stats stats(void)
{
	struct xen_unpopulated_stats st;

	xen_unpopulated_get_stats(&st);
	return st;
}

/* Whether @nr pages are consecutive and start aligned to their order. */
static inline bool contiguous(struct page **p, unsigned int nr)
{
	unsigned long pfn = page_to_pfn(p[0]);
	unsigned int i;

	if (pfn & ((1UL << order_base_2(nr)) - 1))
		return false;
	for (i = 1; i < nr; i++)
		if (page_to_pfn(p[i]) != pfn + i)
			return false;
	return true;
}

/* The free pages are within the ranges; once all is free, all of them. */
static inline void check_free(bool all_free)
{
	struct xen_unpopulated_stats st = stats();

	CHECK(st.free <= st.pages, "%lu of %lu pages free", st.free, st.pages);
	if (all_free)
		CHECK(st.free == st.pages, "%lu of %lu pages free", st.free,
		      st.pages);
}

/* Sets xen_unpopulated.@name as the command line would. */
static inline int set(const char *name, const char *val)
{
	char full[64];

	snprintf(full, sizeof(full), "xen_unpopulated.%s", name);
	return host_param_set(full, val);
}

/* Whether the kernel log has a line that contains @s. */
static inline bool logged(const char *s)
{
	unsigned int i;
	int level;

	for (i = 0; i < host_log_count(); i++)
		if (strstr(host_log_line(i, &level), s))
			return true;
	return false;
}

#endif

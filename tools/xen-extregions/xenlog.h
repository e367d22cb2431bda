/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading Xen's boot log lines about extended regions. */
#ifndef XENLOG_H
#define XENLOG_H

#include <linux/types.h>
#include <linux/range.h>

/* A log naming more regions than this is not Xen's. */
#define XEN_LOG_MAX_REGIONS	4096

struct xen_log {
	struct range *regions;	/* inclusive ends, in the order logged */
	unsigned int nr;
	bool disabled;		/* "extended regions support is disabled" */
	unsigned int lines;	/* lines about this domain's regions */
};

/*
 * Collects the regions Xen logged for domain @domid from @len bytes of
 * @text, in both the 4.16 form "(XEN) Extended region N: A->B" (dom0) and
 * the 4.17+ form "(XEN) d0: extended region N: A->B", with or without a
 * "[ timestamp ]" after "(XEN)".  Ends in the log are exclusive.  Region 0
 * logged again starts a new boot: only the last boot's list is kept.
 * Returns 0 or -ENOMEM.
 */
int xen_log_parse(const char *text, size_t len, unsigned int domid,
		  struct xen_log *log);
void xen_log_free(struct xen_log *log);

#endif

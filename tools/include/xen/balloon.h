/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <xen/balloon.h>, modelled in tools/shim/balloon.c. */
#ifndef _HOST_XEN_BALLOON_H
#define _HOST_XEN_BALLOON_H

struct page;

int xen_alloc_ballooned_pages(unsigned int nr_pages, struct page **pages);
void xen_free_ballooned_pages(unsigned int nr_pages, struct page **pages);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of the kernel's <xen/xen.h> (not Xen's public xen.h). */
#ifndef _HOST_XEN_XEN_H
#define _HOST_XEN_XEN_H

#include <linux/types.h>

enum xen_domain_type {
	XEN_NATIVE,
	XEN_PV_DOMAIN,
	XEN_HVM_DOMAIN,
};

extern enum xen_domain_type xen_domain_type;

#define xen_domain()	(xen_domain_type != XEN_NATIVE)
#define xen_pv_domain()	(xen_domain_type == XEN_PV_DOMAIN)

struct page;
struct resource;

int xen_alloc_unpopulated_pages(unsigned int nr_pages, struct page **pages);
void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages);
int xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
					   struct page **pages);
int arch_xen_unpopulated_init(struct resource **res);

#endif

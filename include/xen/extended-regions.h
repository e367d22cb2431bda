/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Extended regions: guest-physical address space that Xen advertises as
 * unused in the /hypervisor node of the device tree (reg entries 1..N).
 */
#ifndef _XEN_EXTENDED_REGIONS_H
#define _XEN_EXTENDED_REGIONS_H

#include <linux/range.h>
#include <linux/types.h>

struct resource;

/* Xen emits at most 256 regions; anything far beyond that is not Xen. */
#define XEN_EXT_REGIONS_MAX	1024

#define XEN_EXT_REASON_LEN	128

/**
 * struct xen_ext_regions - what the hypervisor node advertises
 * @node:	offset of the hypervisor node in the blob, or negative
 * @addr_cells:	the root's #address-cells
 * @size_cells:	the root's #size-cells
 * @has_gnttab:	@gnttab is valid (reg entry 0 has a non-zero size)
 * @gnttab:	reg entry 0, the grant-table window, inclusive end
 * @nr:		number of entries in @regions
 * @regions:	non-empty extended regions in device-tree order, inclusive
 *		ends; allocated by xen_ext_regions_read()
 * @reason:	why the regions cannot be used, empty when they can
 */
struct xen_ext_regions {
	int node;
	u32 addr_cells;
	u32 size_cells;
	bool has_gnttab;
	struct range gnttab;
	unsigned int nr;
	struct range *regions;
	char reason[XEN_EXT_REASON_LEN];
};

int xen_ext_regions_read(const void *fdt, struct xen_ext_regions *er);
int xen_ext_regions_build(struct xen_ext_regions *er, struct range limit,
			  struct resource *res);
void xen_ext_regions_release(struct resource *res);
void xen_ext_regions_free(struct xen_ext_regions *er);

#endif /* _XEN_EXTENDED_REGIONS_H */

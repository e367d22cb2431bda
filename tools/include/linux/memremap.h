/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/memremap.h>, modelled in tools/shim/memremap.c. */
#ifndef _HOST_LINUX_MEMREMAP_H
#define _HOST_LINUX_MEMREMAP_H

#include <linux/ioport.h>
#include <linux/mmzone.h>
#include <linux/range.h>

enum memory_type {
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX,
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};

struct dev_pagemap {
	enum memory_type type;
	unsigned int flags;
	const void *ops;
	void *owner;
	int nr_range;
	union {
		struct range range;
		struct range ranges[0];
	};
};

void *memremap_pages(struct dev_pagemap *pgmap, int nid);
void memunmap_pages(struct dev_pagemap *pgmap);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/xarray.h>: index -> pointer, with the kernel's
 * encoding of errors in the returned entry.  Modelled in
 * tools/shim/xarray.c; storing can be made to fail as an allocation.
 */
#ifndef _HOST_LINUX_XARRAY_H
#define _HOST_LINUX_XARRAY_H

#include <linux/gfp.h>
#include <linux/types.h>

struct xarray {
	void *host_map;		/* the model's storage: the root node */
	unsigned int host_height;	/* levels below it, as the kernel's
					 * tree, only as many as the largest
					 * index stored needs */
};

#define DEFINE_XARRAY(name)	struct xarray name = { NULL, 0 }

static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline bool xa_is_err(const void *entry)
{
	return ((unsigned long)entry & 3) == 2 &&
	       entry >= xa_mk_internal(-4095L);
}

static inline int xa_err(void *entry)
{
	return xa_is_err(entry) ? (long)entry >> 2 : 0;
}

void *xa_load(struct xarray *xa, unsigned long index);
/* The old entry, or an error entry; storing NULL erases. */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);

#endif

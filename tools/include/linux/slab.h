/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/slab.h> over malloc, with a count of live
 * objects and fault injection (tools/shim/slab.c).
 */
#ifndef _HOST_LINUX_SLAB_H
#define _HOST_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL	0x1u
#define __GFP_ZERO	0x100u

void *kmalloc(size_t size, gfp_t flags);
void kfree(const void *p);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/* The host has no vmalloc: kvmalloc and friends are kmalloc. */
static inline void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kcalloc(n, size, flags);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kzalloc(size, flags);
}

static inline void kvfree(const void *p)
{
	kfree(p);
}

#endif

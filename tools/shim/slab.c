// SPDX-License-Identifier: GPL-2.0-only
/* Host slab: malloc with a live-object count and fault injection. */
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include <host/model.h>

static long live;

void *kmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (host_fault_hit(HOST_FAULT_SLAB))
		return NULL;
	p = malloc(size ? size : 1);
	if (!p)
		return NULL;
	if (flags & __GFP_ZERO)
		memset(p, 0, size);
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

long host_slab_live(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

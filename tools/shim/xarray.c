// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host xarray: a radix tree of 64-slot nodes, six bits of the index a
 * level, as the kernel's; nodes are made on the way down by a store and
 * freed once empty.  A store that needs a node fails when a slab fault is
 * armed, as the kernel's node allocation would.  host_xa_live() counts
 * entries over all xarrays, so tests can see that nothing is left behind.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/xarray.h>
#include <host/model.h>

#define XA_BITS		6
#define XA_SLOTS	(1u << XA_BITS)
#define XA_LEVELS	((64 + XA_BITS - 1) / XA_BITS)

struct node {
	void *slot[XA_SLOTS];
	unsigned int count;
};

static pthread_mutex_t xa_lock = PTHREAD_MUTEX_INITIALIZER;
static long live;

static unsigned int offset(unsigned long index, unsigned int level)
{
	unsigned int shift = (XA_LEVELS - 1 - level) * XA_BITS;

	return shift >= 64 ? 0 : (index >> shift) & (XA_SLOTS - 1);
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct node *n;
	unsigned int l;
	void *entry;

	pthread_mutex_lock(&xa_lock);
	n = xa->host_map;
	for (l = 0; n && l < XA_LEVELS - 1; l++)
		n = n->slot[offset(index, l)];
	entry = n ? n->slot[offset(index, XA_LEVELS - 1)] : NULL;
	pthread_mutex_unlock(&xa_lock);
	return entry;
}

static void *erase(struct xarray *xa, unsigned long index)
{
	struct node *path[XA_LEVELS], *n = xa->host_map;
	unsigned int l;
	void *old;

	for (l = 0; n && l < XA_LEVELS; l++) {
		path[l] = n;
		if (l < XA_LEVELS - 1)
			n = n->slot[offset(index, l)];
	}
	if (l < XA_LEVELS)
		return NULL;
	old = path[XA_LEVELS - 1]->slot[offset(index, XA_LEVELS - 1)];
	if (!old)
		return NULL;
	live--;
	for (l = XA_LEVELS; l-- > 0;) {
		path[l]->slot[offset(index, l)] = NULL;
		if (--path[l]->count)
			break;
		free(path[l]);
		if (!l)
			xa->host_map = NULL;
	}
	return old;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct node **slot = (struct node **)&xa->host_map, *n;
	unsigned int l;
	void *old;

	pthread_mutex_lock(&xa_lock);
	if (!entry) {
		old = erase(xa, index);
		goto out;
	}
	/* Every node on the way must exist before anything changes. */
	n = xa->host_map;
	for (l = 0; n && l < XA_LEVELS - 1; l++)
		n = n->slot[offset(index, l)];
	old = xa_mk_internal(-ENOMEM);
	if (!n && host_fault_hit(HOST_FAULT_SLAB))
		goto out;
	for (l = 0; l < XA_LEVELS; l++) {
		if (!*slot) {
			*slot = calloc(1, sizeof(struct node));
			if (!*slot)
				goto out;	/* empty nodes stay: harmless */
			if (l)
				n->count++;
		}
		n = *slot;
		slot = (struct node **)&n->slot[offset(index, l)];
	}
	old = *slot;
	*slot = entry;
	if (!old) {
		n->count++;
		live++;
	}
out:
	pthread_mutex_unlock(&xa_lock);
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *old;

	pthread_mutex_lock(&xa_lock);
	old = erase(xa, index);
	pthread_mutex_unlock(&xa_lock);
	return old;
}

long host_xa_live(void)
{
	long n;

	pthread_mutex_lock(&xa_lock);
	n = live;
	pthread_mutex_unlock(&xa_lock);
	return n;
}

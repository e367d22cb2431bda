// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host xarray: a radix tree of 64-slot nodes, six bits of the index a
 * level, as the kernel's, only as tall as the largest index stored needs;
 * nodes are made on the way down by a store and freed once empty.  A store that needs a node fails when a slab fault is
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

/* The slot of @index in a node @level levels above the entries. */
static unsigned int offset(unsigned long index, unsigned int level)
{
	unsigned int shift = level * XA_BITS;

	return shift >= 64 ? 0 : (index >> shift) & (XA_SLOTS - 1);
}

/* Whether a tree of @height levels reaches @index. */
static bool reaches(unsigned int height, unsigned long index)
{
	unsigned int bits = height * XA_BITS;

	return bits >= 64 || index >> bits == 0;
}

/* The node holding @index's entry, if the tree has it; under xa_lock. */
static struct node *leaf(const struct xarray *xa, unsigned long index)
{
	struct node *n = xa->host_map;
	unsigned int l;

	if (!n || !reaches(xa->host_height, index))
		return NULL;
	for (l = xa->host_height; n && l > 1; l--)
		n = n->slot[offset(index, l - 1)];
	return n;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct node *n;
	void *entry;

	pthread_mutex_lock(&xa_lock);
	n = leaf(xa, index);
	entry = n ? n->slot[offset(index, 0)] : NULL;
	pthread_mutex_unlock(&xa_lock);
	return entry;
}

static void *erase(struct xarray *xa, unsigned long index)
{
	struct node *path[XA_LEVELS] = { NULL }, *n = xa->host_map;
	unsigned int l, h = xa->host_height;
	void *old;

	if (!n || !reaches(h, index))
		return NULL;
	/* path[l]: the node l levels above the entries (path[h - 1] root) */
	for (l = h; n && l > 0; l--) {
		path[l - 1] = n;
		if (l > 1)
			n = n->slot[offset(index, l - 1)];
	}
	if (l > 0 || !n)
		return NULL;
	old = path[0]->slot[offset(index, 0)];
	if (!old)
		return NULL;
	live--;
	for (l = 0; l < h; l++) {
		path[l]->slot[offset(index, l)] = NULL;
		if (--path[l]->count)
			break;
		free(path[l]);
		if (l == h - 1) {
			xa->host_map = NULL;
			xa->host_height = 0;
		}
	}
	return old;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct node **slot, *n = NULL, *root;
	unsigned int l, need = 1;
	void *old;

	pthread_mutex_lock(&xa_lock);
	if (!entry) {
		old = erase(xa, index);
		goto out;
	}
	while (!reaches(need, index))
		need++;
	/* A store that needs a node (a taller tree, a missing one) may fail. */
	old = xa_mk_internal(-ENOMEM);
	if (!leaf(xa, index) && host_fault_hit(HOST_FAULT_SLAB))
		goto out;
	if (!xa->host_map)
		xa->host_height = need;
	while (xa->host_height < need) {
		root = calloc(1, sizeof(*root));
		if (!root)
			goto out;
		root->slot[0] = xa->host_map;
		root->count = 1;
		xa->host_map = root;
		xa->host_height++;
	}
	slot = (struct node **)&xa->host_map;
	for (l = xa->host_height; l > 0; l--) {
		if (!*slot) {
			*slot = calloc(1, sizeof(struct node));
			if (!*slot)
				goto out;	/* empty nodes stay: harmless */
			if (n)
				n->count++;
		}
		n = *slot;
		slot = (struct node **)&n->slot[offset(index, l - 1)];
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

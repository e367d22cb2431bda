// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host xarray: a sorted array of (index, entry) pairs per xarray, searched
 * by bisection.  A store that needs room fails when a slab fault is armed,
 * as the kernel's node allocation would.  host_xa_live() counts entries
 * over all xarrays, so tests can see that nothing is left behind.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/xarray.h>
#include <host/model.h>

struct slot {
	unsigned long index;
	void *entry;
};

struct map {
	struct slot *s;
	unsigned long nr, cap;
};

static pthread_mutex_t xa_lock = PTHREAD_MUTEX_INITIALIZER;
static long live;

/* Position of @index in @m, or where it would go. */
static unsigned long find(const struct map *m, unsigned long index)
{
	unsigned long lo = 0, hi = m->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->s[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	struct map *m;
	void *entry = NULL;
	unsigned long i;

	pthread_mutex_lock(&xa_lock);
	m = xa->host_map;
	if (m) {
		i = find(m, index);
		if (i < m->nr && m->s[i].index == index)
			entry = m->s[i].entry;
	}
	pthread_mutex_unlock(&xa_lock);
	return entry;
}

static void *erase(struct map *m, unsigned long index)
{
	unsigned long i = m ? find(m, index) : 0;
	void *old;

	if (!m || i == m->nr || m->s[i].index != index)
		return NULL;
	old = m->s[i].entry;
	memmove(&m->s[i], &m->s[i + 1], (m->nr - i - 1) * sizeof(*m->s));
	m->nr--;
	live--;
	return old;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct map *m;
	struct slot *s;
	unsigned long i;
	void *old;

	pthread_mutex_lock(&xa_lock);
	m = xa->host_map;
	if (!entry) {
		old = erase(m, index);
		goto out;
	}
	i = m ? find(m, index) : 0;
	if (m && i < m->nr && m->s[i].index == index) {
		old = m->s[i].entry;
		m->s[i].entry = entry;
		goto out;
	}
	old = xa_mk_internal(-ENOMEM);
	if (host_fault_hit(HOST_FAULT_SLAB))
		goto out;
	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m)
			goto out;
		xa->host_map = m;
	}
	if (m->nr == m->cap) {
		s = realloc(m->s, (m->cap ? 2 * m->cap : 16) * sizeof(*s));
		if (!s)
			goto out;
		m->s = s;
		m->cap = m->cap ? 2 * m->cap : 16;
	}
	memmove(&m->s[i + 1], &m->s[i], (m->nr - i) * sizeof(*m->s));
	m->s[i] = (struct slot){ index, entry };
	m->nr++;
	live++;
	old = NULL;
out:
	pthread_mutex_unlock(&xa_lock);
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *old;

	pthread_mutex_lock(&xa_lock);
	old = erase(xa->host_map, index);
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

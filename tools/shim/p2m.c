// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host model of an x86 PV guest's p2m: pfn -> machine frame.  Entries not
 * set are identity inside the ranges a test declares (non-RAM holes) and
 * invalid elsewhere.  xen_alloc_p2m_entry() marks a pfn as having p2m
 * space of its own, as the kernel's allocates a leaf for it.  Both calls
 * can be made to fail.  Also holds the feature flags of <xen/features.h>.
 */
#include <pthread.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <xen/features.h>
#include <xen/page.h>
#include <host/model.h>
#include <host/p2m.h>

u8 xen_features[XENFEAT_NR];

struct entry {
	unsigned long pfn;	/* ~0UL: empty slot */
	unsigned long mfn;
	bool set, allocated;
};

static pthread_mutex_t p2m_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *tab;
static unsigned long cap, used, allocs;
static struct { unsigned long pfn, nr; } ident[8];
static unsigned int nr_ident;

static struct entry *slot(unsigned long pfn)
{
	unsigned long i = (pfn * 0x9e3779b97f4a7c15UL) & (cap - 1);

	while (tab[i].pfn != ~0UL && tab[i].pfn != pfn)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* The entry of @pfn, made if absent; NULL when out of memory. */
static struct entry *get(unsigned long pfn)
{
	struct entry *e, *old = tab;
	unsigned long i, n = cap;

	if (2 * (used + 1) > cap) {
		cap = cap ? 2 * cap : 1024;
		tab = malloc(cap * sizeof(*tab));
		if (!tab) {
			tab = old;
			cap = n;
			return NULL;
		}
		for (i = 0; i < cap; i++)
			tab[i].pfn = ~0UL;
		for (i = 0; i < n; i++)
			if (old[i].pfn != ~0UL)
				*slot(old[i].pfn) = old[i];
		free(old);
	}
	e = slot(pfn);
	if (e->pfn == ~0UL) {
		*e = (struct entry){ .pfn = pfn, .mfn = INVALID_P2M_ENTRY };
		used++;
	}
	return e;
}

static unsigned long initial(unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < nr_ident; i++)
		if (pfn - ident[i].pfn < ident[i].nr)
			return IDENTITY_FRAME(pfn);
	return INVALID_P2M_ENTRY;
}

unsigned long __pfn_to_mfn(unsigned long pfn)
{
	unsigned long mfn;
	struct entry *e;

	pthread_mutex_lock(&p2m_lock);
	e = cap ? slot(pfn) : NULL;
	mfn = e && e->pfn == pfn && e->set ? e->mfn : initial(pfn);
	pthread_mutex_unlock(&p2m_lock);
	return mfn;
}

bool set_phys_to_machine(unsigned long pfn, unsigned long mfn)
{
	struct entry *e;

	if (host_fault_hit(HOST_FAULT_P2M_SET))
		return false;
	pthread_mutex_lock(&p2m_lock);
	e = get(pfn);
	if (e) {
		e->mfn = mfn;
		e->set = true;
	}
	pthread_mutex_unlock(&p2m_lock);
	return e;
}

int xen_alloc_p2m_entry(unsigned long pfn)
{
	struct entry *e;

	if (host_fault_hit(HOST_FAULT_P2M_ALLOC))
		return -ENOMEM;
	pthread_mutex_lock(&p2m_lock);
	e = get(pfn);
	if (e) {
		e->allocated = true;
		allocs++;
	}
	pthread_mutex_unlock(&p2m_lock);
	return e ? 0 : -ENOMEM;
}

void host_p2m_add_identity(unsigned long pfn, unsigned long nr)
{
	if (!WARN_ON(nr_ident == ARRAY_SIZE(ident)))
		ident[nr_ident++] = (typeof(ident[0])){ pfn, nr };
}

bool host_p2m_allocated(unsigned long pfn)
{
	struct entry *e;
	bool ret;

	pthread_mutex_lock(&p2m_lock);
	e = cap ? slot(pfn) : NULL;
	ret = e && e->pfn == pfn && e->allocated;
	pthread_mutex_unlock(&p2m_lock);
	return ret;
}

unsigned long host_p2m_allocs(void)
{
	return allocs;
}

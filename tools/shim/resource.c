// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host resource tree with the semantics of the kernel's kernel/resource.c:
 * children are kept sorted and disjoint under their parent; request places
 * a resource among its future siblings, insert may also adopt the siblings
 * it covers, allocate finds the first aligned gap that fits.
 */
#include <pthread.h>

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <host/model.h>

struct resource iomem_resource = {
	.name	= "PCI mem",
	.start	= 0,
	.end	= ~(resource_size_t)0,
	.flags	= IORESOURCE_MEM,
};

static pthread_mutex_t resource_lock = PTHREAD_MUTEX_INITIALIZER;

/* Links @new under @root if it fits and overlaps no child; else the
 * obstacle: @root when @new is outside it, or the first child it overlaps.
 */
static struct resource *link_child(struct resource *root,
				   struct resource *new)
{
	struct resource **p;

	if (new->end < new->start || new->start < root->start ||
	    new->end > root->end)
		return root;
	for (p = &root->child; *p && (*p)->start <= new->end; p = &(*p)->sibling)
		if ((*p)->end >= new->start)
			return *p;
	new->sibling = *p;
	new->parent = root;
	*p = new;
	return NULL;
}

struct resource *request_resource_conflict(struct resource *root,
					   struct resource *new)
{
	struct resource *conflict;

	if (host_fault_hit(HOST_FAULT_RESOURCE_INSERT))
		return root;
	pthread_mutex_lock(&resource_lock);
	conflict = link_child(root, new);
	pthread_mutex_unlock(&resource_lock);
	return conflict;
}

int request_resource(struct resource *root, struct resource *new)
{
	return request_resource_conflict(root, new) ? -EBUSY : 0;
}

static unsigned long iomem_releases;

unsigned long host_iomem_releases(void)
{
	return iomem_releases;
}

int release_resource(struct resource *old)
{
	struct resource **p;
	int ret = -EINVAL;

	pthread_mutex_lock(&resource_lock);
	for (p = old->parent ? &old->parent->child : NULL; p && *p;
	     p = &(*p)->sibling) {
		if (*p == old) {
			if (old->parent == &iomem_resource)
				iomem_releases++;
			*p = old->sibling;
			old->parent = NULL;
			old->sibling = NULL;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&resource_lock);
	return ret;
}

/* Inserts @new as deep as it goes; it adopts the children it covers. */
static struct resource *insert_locked(struct resource *parent,
				      struct resource *new)
{
	struct resource **first, *last, *c;

	for (;;) {
		if (new->end < new->start || new->start < parent->start ||
		    new->end > parent->end)
			return parent;
		first = &parent->child;
		while (*first && (*first)->end < new->start)
			first = &(*first)->sibling;
		c = *first;
		if (!c || c->start > new->end)
			return link_child(parent, new);
		if (WARN_ON(c == new))
			return c;
		/* An equal range is adopted, as the kernel does. */
		if (c->start > new->start || c->end < new->end ||
		    (c->start == new->start && c->end == new->end))
			break;
		parent = c;	/* c holds all of new: go one level down */
	}

	/* Every child that overlaps @new must lie inside it. */
	for (last = c;; last = last->sibling) {
		if (last->start < new->start || last->end > new->end)
			return last;
		if (!last->sibling || last->sibling->start > new->end)
			break;
	}
	new->parent = parent;
	new->child = c;
	new->sibling = last->sibling;
	last->sibling = NULL;
	for (; c; c = c->sibling)
		c->parent = new;
	*first = new;
	return NULL;
}

struct resource *insert_resource_conflict(struct resource *parent,
					  struct resource *new)
{
	struct resource *conflict;

	if (host_fault_hit(HOST_FAULT_RESOURCE_INSERT))
		return parent;
	pthread_mutex_lock(&resource_lock);
	conflict = insert_locked(parent, new);
	pthread_mutex_unlock(&resource_lock);
	return conflict;
}

int insert_resource(struct resource *parent, struct resource *new)
{
	return insert_resource_conflict(parent, new) ? -EBUSY : 0;
}

static resource_size_t align_start(void *data, const struct resource *avail,
				   resource_size_t size, resource_size_t align)
{
	return avail->start;
}

/* Fits @size into the gap [@start, @end] within [@min, @max]. */
static bool fit_gap(struct resource *new, resource_size_t start,
		    resource_size_t end, resource_size_t size,
		    resource_size_t min, resource_size_t max,
		    resource_size_t align, resource_alignf alignf, void *data)
{
	struct resource avail = { .flags = new->flags };
	resource_size_t s, e;

	start = max(start, min);
	end = min(end, max);
	if (start > end)
		return false;
	avail.start = ALIGN(start, align);
	avail.end = end;
	if (avail.start < start)	/* wrapped past 2^64 */
		return false;
	s = alignf(data, &avail, size, align);
	e = s + size - 1;
	if (s > e || s < avail.start || e > avail.end)
		return false;
	new->start = s;
	new->end = e;
	return true;
}

int allocate_resource(struct resource *root, struct resource *new,
		      resource_size_t size, resource_size_t min,
		      resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data)
{
	resource_size_t gap = root->start;
	struct resource *c;
	int ret = -EBUSY;

	if (WARN_ON(new->parent) || !size || !align)
		return -EINVAL;
	if (host_fault_hit(HOST_FAULT_RESOURCE_ALLOC))
		return -EBUSY;
	if (!alignf)
		alignf = align_start;

	pthread_mutex_lock(&resource_lock);
	for (c = root->child;; c = c->sibling) {
		if ((!c || c->start > gap) &&
		    fit_gap(new, gap, c ? c->start - 1 : root->end, size, min,
			    max, align, alignf, alignf_data)) {
			ret = link_child(root, new) ? -EBUSY : 0;
			break;
		}
		if (!c || c->end >= root->end)
			break;
		gap = c->end + 1;
	}
	pthread_mutex_unlock(&resource_lock);
	return ret;
}

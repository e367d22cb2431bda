/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/ioport.h>: the resource tree, implemented in
 * tools/shim/resource.c with the semantics of kernel/resource.c.
 */
#ifndef _HOST_LINUX_IOPORT_H
#define _HOST_LINUX_IOPORT_H

#include <linux/types.h>

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_SYSRAM	0x01000000
#define IORESOURCE_BUSY		0x80000000

typedef resource_size_t (*resource_alignf)(void *data,
					   const struct resource *res,
					   resource_size_t size,
					   resource_size_t align);

extern struct resource iomem_resource;

struct resource *request_resource_conflict(struct resource *root,
					   struct resource *new);
int request_resource(struct resource *root, struct resource *new);
int release_resource(struct resource *old);
struct resource *insert_resource_conflict(struct resource *parent,
					  struct resource *new);
int insert_resource(struct resource *parent, struct resource *new);
int allocate_resource(struct resource *root, struct resource *new,
		      resource_size_t size, resource_size_t min,
		      resource_size_t max, resource_size_t align,
		      resource_alignf alignf, void *alignf_data);

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

#endif

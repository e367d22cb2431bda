// SPDX-License-Identifier: GPL-2.0-only
/*
 * The arch hook's file as the allocator tests build it: the file itself,
 * unchanged, and a way for the tests to reach its target resource, which
 * the kernel keeps static (a KUnit suite includes a file the same way).
 */
#include "../arch/arm/xen/extended-regions.c"

#include "ext_target.h"

struct resource *host_ext_target(void)
{
	return &xen_ext_resource;
}

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EXT_TARGET_H
#define EXT_TARGET_H

struct resource;

/*
 * The target resource of the arch hook in arch/arm/xen/extended-regions.c,
 * which the kernel keeps static; valid once the hook has succeeded.
 */
struct resource *host_ext_target(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <xen/page.h> with the x86 PV p2m interface of
 * <asm/xen/page.h>, modelled in tools/shim/p2m.c.
 */
#ifndef _HOST_XEN_PAGE_H
#define _HOST_XEN_PAGE_H

#include <linux/types.h>

#define INVALID_P2M_ENTRY	(~0UL)
#define IDENTITY_FRAME_BIT	(1UL << 62)
#define IDENTITY_FRAME(m)	((m) | IDENTITY_FRAME_BIT)

/* The p2m entry of @pfn, identity frames tagged with IDENTITY_FRAME_BIT. */
unsigned long __pfn_to_mfn(unsigned long pfn);
/* Sets an entry, allocating p2m space as needed; false on failure. */
bool set_phys_to_machine(unsigned long pfn, unsigned long mfn);
/* Makes sure @pfn has p2m space of its own; 0 or a negative errno. */
int xen_alloc_p2m_entry(unsigned long pfn);

#endif

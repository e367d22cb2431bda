/* SPDX-License-Identifier: GPL-2.0-only */
/* Control of the x86 PV p2m model (tools/shim/p2m.c); host programs only. */
#ifndef _HOST_P2M_H
#define _HOST_P2M_H

#include <linux/types.h>

/* Entries of [@pfn, @pfn + @nr) not set so far read as identity frames. */
void host_p2m_add_identity(unsigned long pfn, unsigned long nr);
/* Whether xen_alloc_p2m_entry() succeeded for @pfn. */
bool host_p2m_allocated(unsigned long pfn);
/* Successful xen_alloc_p2m_entry() calls so far. */
unsigned long host_p2m_allocs(void);

#endif

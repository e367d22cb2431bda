/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_MMZONE_H
#define _HOST_LINUX_MMZONE_H

#include <linux/init.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/numa.h>

#define SECTION_SIZE_BITS	(host_arm64.section_bits)
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)

/* As on arm64 and x86_64 (SPARSEMEM_VMEMMAP): 2 MiB, whatever the page. */
#define SUBSECTION_SHIFT	21
#define PFN_SUBSECTION_SHIFT	(SUBSECTION_SHIFT - PAGE_SHIFT)
#define PAGES_PER_SUBSECTION	(1UL << PFN_SUBSECTION_SHIFT)

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	return pfn >> PFN_SECTION_SHIFT;
}

#endif

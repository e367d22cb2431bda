/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of arm64's <asm/page.h>, with the linear-map part of the
 * <asm/memory.h> it includes: a physical address and its linear-map
 * address, as the kernel converts them.  The host has no linear map: such
 * an address is computed and turned back into a physical address or a
 * struct page, never dereferenced.
 */
#ifndef _HOST_ASM_PAGE_H
#define _HOST_ASM_PAGE_H

#include <linux/mm.h>
#include <host/model.h>

/* The linear map starts at the bottom of the kernel half of VA_BITS. */
#define PAGE_OFFSET	(-(1UL << host_arm64.va_bits))
#define PHYS_OFFSET	(host_arm64.phys_offset)

#define __va(x)		((void *)((((phys_addr_t)(x) - PHYS_OFFSET)) | PAGE_OFFSET))
#define __pa(x)		((phys_addr_t)(((unsigned long)(x) & ~PAGE_OFFSET) + \
				       PHYS_OFFSET))
#define virt_to_pfn(x)	PHYS_PFN(__pa(x))
#define virt_to_page(x)	pfn_to_page(virt_to_pfn(x))

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Control of the host models behind the look-alike kernel headers: the
 * arm64 memory layout, fault injection, and counters that tests check.
 * Host programs only; kernel sources never include this.
 */
#ifndef _HOST_MODEL_H
#define _HOST_MODEL_H

#include <linux/types.h>

/* The arm64 configuration a kernel would be built and booted with. */
struct host_arm64 {
	unsigned int page_shift;	/* 12, 14 or 16 */
	unsigned int va_bits;		/* CONFIG_ARM64_VA_BITS */
	unsigned int pa_bits;		/* MAX_PHYSMEM_BITS */
	unsigned int section_bits;	/* SECTION_SIZE_BITS */
	u64 phys_offset;		/* PHYS_OFFSET (memstart_addr) */
	unsigned int kasan_shift;	/* KASAN_SHADOW_SCALE_SHIFT: 3 generic,
					 * 4 software tags, 0 no shadow */
};

extern struct host_arm64 host_arm64;

/* Defaults: 4K pages, 48-bit VA and PA, Linux >= 5.12 sections. */
void host_arm64_reset(void);
unsigned int host_arm64_default_section_bits(unsigned int page_shift);
/* ARM64_MEMSTART_ALIGN for the configured page size. */
u64 host_arm64_memstart_align(void);

enum host_fault {
	HOST_FAULT_SLAB,		/* kmalloc and friends */
	HOST_FAULT_RESOURCE_ALLOC,	/* allocate_resource */
	HOST_FAULT_RESOURCE_INSERT,	/* insert/request_resource */
	HOST_FAULT_MEMREMAP,		/* memremap_pages */
	HOST_FAULT_BALLOON,		/* xen_alloc_ballooned_pages */
	HOST_FAULT_P2M_SET,		/* set_phys_to_machine */
	HOST_FAULT_P2M_ALLOC,		/* xen_alloc_p2m_entry */
	HOST_FAULT_NR
};

/* Make the call after the next @skip calls of @f fail, once. */
void host_fault_arm(enum host_fault f, unsigned long skip);
void host_fault_clear(void);
/* Calls made to @f so far, for walking every failure point. */
unsigned long host_fault_calls(enum host_fault f);
/* Used by the models: counts the call and says whether it must fail. */
bool host_fault_hit(enum host_fault f);
const char *host_fault_name(enum host_fault f);

/* Live objects: slab allocations, pages mapped by memremap_pages(),
 * pages lent by the balloon.
 */
long host_slab_live(void);
long host_memremap_live_pages(void);
long host_balloon_live_pages(void);

/* The CPU of the model this host thread runs on from now (percpu.h). */
void host_cpu_set(unsigned int cpu);

/* Bytes of per-CPU memory allocated now (alloc_percpu()). */
unsigned long host_percpu_bytes(void);

/*
 * Calls of memunmap_pages() made while the caller held a mutex, as
 * lockdep would see them; a hook that memremap_pages() calls first.
 */
unsigned long host_memunmap_under_mutex(void);
extern void (*host_memremap_hook)(void);

/* Direct children of iomem_resource released so far. */
unsigned long host_iomem_releases(void);

/* Entries stored in all xarrays (tools/shim/xarray.c). */
long host_xa_live(void);

/* Ordinary (RAM) struct pages, populated in the vmemmap for good, for a
 * pfn range; NULL if the range overlaps pages already there or lies
 * beyond the vmemmap.
 */
struct page *host_ram_pages(unsigned long pfn, unsigned long nr);

/* Kernel log captured by printk(); echoed to stderr when asked. */
extern bool host_log_echo;
unsigned int host_log_count(void);
const char *host_log_line(unsigned int i, int *level);
void host_log_clear(void);
unsigned long host_warn_count(void);

/* The allocator's initcalls, as host programs run them. */
int host_initcall_xen_unpopulated_init(void);
int host_initcall_xen_unpopulated_debugfs(void);

/*
 * Kernel parameters (tools/shim/param.c), by full name as on the command
 * line ("xen_unpopulated.granularity"): the parameter's ->set() and ->get()
 * results; -ENOENT for an unknown name.
 */
int host_param_set(const char *name, const char *val);
int host_param_get(const char *name, char *buf, size_t len);

/*
 * Time and delayed work (tools/shim/workqueue.c): jiffies only move when
 * advanced; host_workqueue_run() runs the pending items that are due and
 * returns how many ran; host_workqueue_due() is the jiffies until the
 * next pending item is due (0: due now), or -1 if none is pending.
 */
void host_jiffies_advance(unsigned long n);
unsigned int host_workqueue_run(void);
long host_workqueue_due(void);

/* What reading the debugfs file at @path prints (malloc'd), or NULL. */
char *host_debugfs_read(const char *path);
/* From now on, debugfs is as in a kernel built without it. */
void host_debugfs_disable(void);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few Linux ioctls of /dev/xen/gntalloc, /dev/xen/gntdev and
 * /dev/xen/privcmd that the guest test programs use, declared here so that the static arm64 build
 * needs nothing beyond the cross libc. Layouts follow the stable Linux
 * user ABI (the 'G' ioctl family, _IOC_NONE direction). The size field of
 * the two variable-length requests is that of the kernel's declaration,
 * which has a one-element array: 24 bytes on arm64 for both.
 */
#ifndef QEMU_GUEST_XENIOCTL_H
#define QEMU_GUEST_XENIOCTL_H

#include <stdint.h>
#include <sys/ioctl.h>

/* gntalloc: share our own pages with another domain */
struct gntalloc_alloc_gref {
	uint16_t domid;		/* domain allowed to map the pages */
	uint16_t flags;		/* GNTALLOC_FLAG_WRITABLE */
	uint32_t count;		/* number of pages */
	uint64_t index;		/* out: mmap offset */
	uint32_t gref_ids[];	/* out: one grant reference per page */
};
#define GNTALLOC_FLAG_WRITABLE	1
#define GNTALLOC_ALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 5, 24)

struct gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
};
#define GNTALLOC_DEALLOC_GREF \
	_IOC(_IOC_NONE, 'G', 6, sizeof(struct gntalloc_dealloc_gref))

/* gntdev: map grants of another (or the same) domain */
struct gntdev_grant_ref {
	uint32_t domid;
	uint32_t ref;
};

struct gntdev_map_grant_ref {
	uint32_t count;
	uint32_t pad;
	uint64_t index;		/* out: mmap offset */
	struct gntdev_grant_ref refs[];
};
#define GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, 24)

struct gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};
#define GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct gntdev_unmap_grant_ref))

/*
 * gntdev dma-buf: export grants as a dma-buf, import a dma-buf as grants.
 * The two variable-length requests are 20 bytes as declared (a
 * one-element array after four 32-bit fields).
 */
#define GNTDEV_DMA_FLAG_WC		(1 << 0)
#define GNTDEV_DMA_FLAG_COHERENT	(1 << 1)

struct gntdev_dmabuf_exp_from_refs {
	uint32_t flags;		/* GNTDEV_DMA_FLAG_* */
	uint32_t count;
	uint32_t fd;		/* out: the dma-buf */
	uint32_t domid;		/* domain that granted the refs */
	uint32_t refs[];
};
#define GNTDEV_DMABUF_EXP_FROM_REFS \
	_IOC(_IOC_NONE, 'G', 9, 20)

struct gntdev_dmabuf_exp_wait_released {
	uint32_t fd;
	uint32_t wait_to_ms;
};
#define GNTDEV_DMABUF_EXP_WAIT_RELEASED \
	_IOC(_IOC_NONE, 'G', 10, sizeof(struct gntdev_dmabuf_exp_wait_released))

struct gntdev_dmabuf_imp_to_refs {
	uint32_t fd;		/* the dma-buf */
	uint32_t count;
	uint32_t domid;		/* domain the pages are granted to */
	uint32_t reserved;
	uint32_t refs[];	/* out */
};
#define GNTDEV_DMABUF_IMP_TO_REFS \
	_IOC(_IOC_NONE, 'G', 11, 20)

struct gntdev_dmabuf_imp_release {
	uint32_t fd;
	uint32_t reserved;
};
#define GNTDEV_DMABUF_IMP_RELEASE \
	_IOC(_IOC_NONE, 'G', 12, sizeof(struct gntdev_dmabuf_imp_release))

/* privcmd: map pages of another domain by guest frame number */
struct privcmd_mmapbatch_v2 {
	uint32_t num;		/* number of pages */
	uint16_t dom;		/* domain to map from */
	uint64_t addr;		/* start of our mmap()ed privcmd window */
	const uint64_t *arr;	/* guest frame numbers (xen_pfn_t is 64-bit on Arm) */
	int *err;		/* out: per-page error */
};
#define PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

/* privcmd: raw hypercall (dom0 only) */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

/*
 * XEN_DOMCTL_getdomaininfo: the request is 144 bytes; cmd at 0,
 * interface_version at 4, domain at 8, and the getdomaininfo answer starts
 * at 16 (the domain's id) with its flags at 20. Xen refuses a request
 * whose interface version is not its own with EACCES: 0x15 is Xen 4.17's,
 * 0x16 4.18's, 0x17 that of 4.19 and 4.20; the layout used here is the
 * same in all of them.
 */
#define HYPERVISOR_DOMCTL		36
#define DOMCTL_INTERFACE_VERSIONS	{ 0x15, 0x16, 0x17 }
#define DOMCTL_INFO_DOMAIN_OFF		16
#define DOMCTL_GETDOMAININFO		5
#define DOMCTL_SIZE			144
#define DOMCTL_INFO_FLAGS_OFF		20
#define DOMINF_DYING			(1U << 0)
#define DOMINF_SHUTDOWN			(1U << 2)

#endif

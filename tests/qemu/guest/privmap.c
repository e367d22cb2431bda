// SPDX-License-Identifier: GPL-2.0
/*
 * privmap DOMID GFN N: map N pages of domain DOMID starting at guest frame
 * GFN through /dev/xen/privcmd (IOCTL_PRIVCMD_MMAPBATCH_V2) and look for
 * the Linux banner ("Linux version ...") in them: the dom0less domU's
 * kernel sits at the start of its RAM and its .rodata keeps the banner.
 * On Arm, privcmd takes the pages backing the mapping from the
 * unpopulated-memory allocator.
 *   privmap: PASS dom=D gfn=G pages=N banner at +OFF: Linux version ...
 *
 * privmap -w DOMID SECONDS: wait (at most SECONDS) until domain DOMID has
 * shut down or is gone, asking Xen with XEN_DOMCTL_getdomaininfo.
 *   privmap: PASS dom=D shut down after S s
 * Exit status 0 only on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xenioctl.h"

#define PG 4096UL
static const char banner[] = "Linux version ";

static int fail(const char *what, int err)
{
	printf("privmap: FAIL %s: %s\n", what, strerror(err));
	return 1;
}

/* 1: shut down or gone, 0: still running, -errno on other errors */
static int domain_done(int fd, unsigned int dom)
{
	static uint8_t req[DOMCTL_SIZE] __attribute__((aligned(4096)));
	static const uint32_t versions[] = DOMCTL_INTERFACE_VERSIONS;
	static unsigned int vi;	/* the version this Xen accepted */
	struct privcmd_hypercall hc;
	uint32_t v, flags;
	uint16_t d = dom, got;
	int ret;

	for (;;) {
		memset(req, 0, sizeof(req));
		v = DOMCTL_GETDOMAININFO;
		memcpy(req, &v, 4);
		memcpy(req + 4, &versions[vi], 4);
		memcpy(req + 8, &d, 2);
		memset(&hc, 0, sizeof(hc));
		hc.op = HYPERVISOR_DOMCTL;
		hc.arg[0] = (uintptr_t)req;
		ret = ioctl(fd, PRIVCMD_HYPERCALL, &hc);
		if (ret >= 0 || errno != EACCES ||
		    vi + 1 == sizeof(versions) / sizeof(versions[0]))
			break;
		vi++;	/* another interface version */
	}
	if (ret < 0)
		return errno == ESRCH ? 1 : -errno;
	/* older Xens answer with the next domain when DOMID is gone */
	memcpy(&got, req + DOMCTL_INFO_DOMAIN_OFF, 2);
	if (got != d)
		return 1;
	memcpy(&flags, req + DOMCTL_INFO_FLAGS_OFF, 4);
	return (flags & (DOMINF_SHUTDOWN | DOMINF_DYING)) ? 1 : 0;
}

static int wait_done(int fd, unsigned int dom, unsigned int secs)
{
	unsigned int t;
	int r;

	mlock(&t, sizeof(t));
	for (t = 0; t <= secs; t++) {
		r = domain_done(fd, dom);
		if (r < 0)
			return fail("XEN_DOMCTL_getdomaininfo", -r);
		if (r) {
			printf("privmap: PASS dom=%u shut down after %u s\n", dom, t);
			return 0;
		}
		sleep(1);
	}
	printf("privmap: FAIL dom=%u still running after %u s\n", dom, secs);
	return 1;
}

static int map_and_search(int fd, unsigned int dom, uint64_t gfn, unsigned int n)
{
	struct privcmd_mmapbatch_v2 req;
	uint64_t *gfns = calloc(n, sizeof(*gfns));
	int *errs = calloc(n, sizeof(*errs));
	unsigned long len = n * PG, off;
	unsigned int i;
	char *p;

	if (n == 0 || n > 65536)
		return fail("page count", EINVAL);
	if (!gfns || !errs)
		return fail("calloc", ENOMEM);
	for (i = 0; i < n; i++)
		gfns[i] = gfn + i;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap privcmd", errno);
	memset(&req, 0, sizeof(req));
	req.num = n;
	req.dom = dom;
	req.addr = (uintptr_t)p;
	req.arr = gfns;
	req.err = errs;
	if (ioctl(fd, PRIVCMD_MMAPBATCH_V2, &req))
		return fail("IOCTL_PRIVCMD_MMAPBATCH_V2", errno);
	for (i = 0; i < n; i++)
		if (errs[i]) {
			printf("privmap: FAIL dom=%u gfn=%#llx: page error %d\n", dom,
			       (unsigned long long)(gfn + i), errs[i]);
			return 1;
		}

	for (off = 0; off + sizeof(banner) < len; off++) {
		if (p[off] == 'L' && !memcmp(p + off, banner, sizeof(banner) - 1)) {
			unsigned long end = off;

			while (end < len && end - off < 60 && p[end] >= ' ')
				end++;
			printf("privmap: PASS dom=%u gfn=%#llx pages=%u banner at +%#lx: %.*s\n",
			       dom, (unsigned long long)gfn, n, off,
			       (int)(end - off), p + off);
			munmap(p, len);
			return 0;
		}
	}
	printf("privmap: FAIL dom=%u gfn=%#llx pages=%u: no Linux banner\n",
	       dom, (unsigned long long)gfn, n);
	return 1;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: privmap DOMID GFN N | privmap -w DOMID SECONDS\n");
		return 2;
	}
	fd = open("/dev/xen/privcmd", O_RDWR);
	if (fd < 0)
		return fail("open /dev/xen/privcmd", errno);
	if (!strcmp(argv[1], "-w"))
		return wait_done(fd, strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	return map_and_search(fd, strtoul(argv[1], NULL, 0), strtoull(argv[2], NULL, 0),
			      strtoul(argv[3], NULL, 0));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * gntself N [DOMID]: grant N of our own pages to ourselves with gntalloc,
 * map the grants back with gntdev, and check that data written through
 * either mapping is seen through the other. DOMID is our own domain id:
 * 0 (the default) in dom0, 1 in the first dom0less domU. The gntdev
 * mapping is what makes the kernel take pages from its unpopulated-memory
 * allocator, so MemFree is sampled (once it is steady) right before it,
 * after it and after the unmap.
 *
 * Output, one line:
 *   gntself: PASS pages=N memfree_before=A after_map=B after_unmap=C map_cost=D kB
 * or "gntself: FAIL <step>: <error>". Exit status 0 only on success.
 *
 * gntself -k K N [DOMID]: grant N pages once and map them K times, all
 * maps held at once (each map is one request to the allocator), checking
 * the first and last page of each; then unmap them all.  Output:
 *   gntself: PASS|FAIL multi maps=M/K pages=N memfree_before=A after_maps=B
 *            after_unmap=C [first_fail=I errno=E]
 * M counts the maps that worked; the first failure ends the loop.  With
 * -k the exit status is 0 when every map worked.
 *
 * gntself -r R N [DOMID]: R rounds of map, check, unmap of N pages, with
 * a short random pause between: for several processes at once, racing
 * the allocator's reclaim.  Output: "gntself: PASS|FAIL rounds=R ...".
 *
 * gntself -f [DOMID]: the error path of IOCTL_GNTDEV_MAP_GRANT_REF. The
 * ioctl's argument is in a read-only page, so the kernel reads it (and maps
 * the grant, taking a page from the allocator) but cannot write the index
 * back: the ioctl must fail with EFAULT and drop the map again. A second
 * map with a writable argument then gets index 0 (nothing was left behind)
 * and works. Output: "gntself: PASS efault ..." or a FAIL line.
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

static long memfree_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * MemFree once it has stopped moving: the frees a previous process left to
 * RCU and workqueues land within a few hundred ms, and would otherwise hide
 * the 2 MiB of struct pages a new scratch range costs. Up to 3 s.
 */
static long memfree_settled_kb(void)
{
	long a = memfree_kb(), b;
	int i;

	for (i = 0; i < 30; i++) {
		usleep(100 * 1000);
		b = memfree_kb();
		if (a == b)
			break;
		a = b;
	}
	return a;
}

static int fail(const char *step)
{
	printf("gntself: FAIL %s: %s\n", step, strerror(errno));
	return 1;
}

/* Fill every page of dst with a pattern derived from seed, check it via src. */
static unsigned long cross_check(volatile uint64_t *dst, volatile uint64_t *src,
				 unsigned long pages, uint64_t seed)
{
	unsigned long words = pages * (PG / 8), i, bad = 0;

	for (i = 0; i < words; i++)
		dst[i] = seed ^ (i * 0x9e3779b97f4a7c15ULL);
	for (i = 0; i < words; i++)
		if (src[i] != (seed ^ (i * 0x9e3779b97f4a7c15ULL)))
			bad++;
	return bad;
}

/*
 * Grant n of our own pages to domid with gntalloc and map them at *a.
 * Returns the request, with the grant references filled in, or NULL.
 */
static struct gntalloc_alloc_gref *grant_own(int fa, unsigned long n,
					     unsigned int domid, void **a)
{
	struct gntalloc_alloc_gref *ga;

	ga = calloc(1, sizeof(*ga) + n * sizeof(ga->gref_ids[0]));
	if (!ga) {
		fail("calloc");
		return NULL;
	}
	ga->domid = domid;
	ga->flags = GNTALLOC_FLAG_WRITABLE;
	ga->count = n;
	if (ioctl(fa, GNTALLOC_ALLOC_GREF, ga)) {
		fail("ALLOC_GREF");
		return NULL;
	}
	*a = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fa, ga->index);
	if (*a == MAP_FAILED) {
		fail("mmap gntalloc");
		return NULL;
	}
	return ga;
}

/* The gntdev map request for the n grants of ga. */
static struct gntdev_map_grant_ref *map_request(const struct gntalloc_alloc_gref *ga,
						unsigned long n, unsigned int domid)
{
	struct gntdev_map_grant_ref *gm;
	unsigned long i;

	gm = calloc(1, sizeof(*gm) + n * sizeof(gm->refs[0]));
	if (!gm) {
		fail("calloc");
		return NULL;
	}
	gm->count = n;
	for (i = 0; i < n; i++) {
		gm->refs[i].domid = domid;
		gm->refs[i].ref = ga->gref_ids[i];
	}
	return gm;
}

/* Undo a gntdev mapping at b of the map at index, then close fd. */
static int gntdev_unmap(int fd, void *b, uint64_t index, unsigned long n)
{
	struct gntdev_unmap_grant_ref gu = { .index = index, .count = n };

	if (munmap(b, n * PG))
		return fail("munmap gntdev");
	if (ioctl(fd, GNTDEV_UNMAP_GRANT_REF, &gu))
		return fail("UNMAP_GRANT_REF");
	close(fd);
	return 0;
}

/* Undo grant_own(), then close fa. */
static int ungrant(int fa, struct gntalloc_alloc_gref *ga, void *a, unsigned long n)
{
	struct gntalloc_dealloc_gref gd = { .index = ga->index, .count = n };

	if (munmap(a, n * PG))
		return fail("munmap gntalloc");
	if (ioctl(fa, GNTALLOC_DEALLOC_GREF, &gd))
		return fail("DEALLOC_GREF");
	close(fa);
	free(ga);
	return 0;
}

/* One granted page, mapped first through a read-only ioctl argument. */
static int efault_test(unsigned int domid)
{
	struct gntalloc_alloc_gref *ga;
	struct gntdev_map_grant_ref *gm, *ro;
	size_t len;
	unsigned long bad;
	void *a, *b;
	int fa, fd, rc;

	fa = open("/dev/xen/gntalloc", O_RDWR);
	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fa < 0 || fd < 0)
		return fail("open");
	ga = grant_own(fa, 1, domid, &a);
	gm = ga ? map_request(ga, 1, domid) : NULL;
	if (!gm)
		return 1;

	len = sizeof(*gm) + sizeof(gm->refs[0]);
	ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro == MAP_FAILED)
		return fail("mmap argument page");
	memcpy(ro, gm, len);
	if (mprotect(ro, PG, PROT_READ))
		return fail("mprotect");
	rc = ioctl(fd, GNTDEV_MAP_GRANT_REF, ro);
	if (rc == 0 || errno != EFAULT) {
		printf("gntself: FAIL read-only MAP_GRANT_REF argument: rc=%d (%s), want EFAULT\n",
		       rc, rc ? strerror(errno) : "success");
		return 1;
	}
	munmap(ro, PG);

	if (ioctl(fd, GNTDEV_MAP_GRANT_REF, gm))
		return fail("MAP_GRANT_REF after EFAULT");
	if (gm->index != 0) {
		printf("gntself: FAIL the failed map was left behind: next index %llu, want 0\n",
		       (unsigned long long)gm->index);
		return 1;
	}
	b = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, gm->index);
	if (b == MAP_FAILED)
		return fail("mmap gntdev");
	bad = cross_check(a, b, 1, 0x7e57ab1e0ddba11ULL);
	if (gntdev_unmap(fd, b, gm->index, 1) || ungrant(fa, ga, a, 1))
		return 1;
	printf("gntself: %s efault: read-only argument refused with EFAULT, next map got index 0%s\n",
	       bad ? "FAIL" : "PASS", bad ? ", data mismatch" : " and works");
	return bad ? 1 : 0;
}

/*
 * Opens gntalloc (*fa) and gntdev (*fd), grants n of our pages (*ga,
 * mapped at *a) and returns the gntdev request to map them, or NULL.
 */
static struct gntdev_map_grant_ref *open_and_grant(unsigned long n, unsigned int domid,
						   int *fa, int *fd,
						   struct gntalloc_alloc_gref **ga, void **a)
{
	*fa = open("/dev/xen/gntalloc", O_RDWR);
	*fd = open("/dev/xen/gntdev", O_RDWR);
	if (*fa < 0 || *fd < 0) {
		fail("open");
		return NULL;
	}
	*ga = grant_own(*fa, n, domid, a);
	return *ga ? map_request(*ga, n, domid) : NULL;
}

/* K maps of the same n grants, held together; see the top comment. */
static int multi_map(unsigned long k, unsigned long n, unsigned int domid)
{
	struct gntalloc_alloc_gref *ga;
	struct gntdev_map_grant_ref *gm;
	unsigned long i, ok = 0, bad = 0;
	uint64_t *index;
	void *a, **b;
	long before, after_maps, after_unmap;
	int fa, fd, err = 0;

	gm = open_and_grant(n, domid, &fa, &fd, &ga, &a);
	index = calloc(k, sizeof(*index));
	b = calloc(k, sizeof(*b));
	if (!gm || !index || !b)
		return 1;
	before = memfree_settled_kb();
	for (i = 0; i < k; i++) {
		gm->index = 0;
		if (ioctl(fd, GNTDEV_MAP_GRANT_REF, gm)) {
			err = errno;
			break;
		}
		index[i] = gm->index;
		b[i] = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    gm->index);
		if (b[i] == MAP_FAILED) {
			struct gntdev_unmap_grant_ref gu = { .index = gm->index,
							     .count = n };

			err = errno;
			ioctl(fd, GNTDEV_UNMAP_GRANT_REF, &gu);
			break;
		}
		bad += cross_check(a, b[i], 1, 0x1111 * (i + 1));
		bad += cross_check((void *)((char *)a + (n - 1) * PG),
				   (void *)((char *)b[i] + (n - 1) * PG), 1,
				   0x2222 * (i + 1));
		ok++;
	}
	after_maps = memfree_settled_kb();
	for (i = 0; i < ok; i++) {
		struct gntdev_unmap_grant_ref gu = { .index = index[i], .count = n };

		if (munmap(b[i], n * PG) || ioctl(fd, GNTDEV_UNMAP_GRANT_REF, &gu))
			return fail("unmap");
	}
	close(fd);
	if (ungrant(fa, ga, a, n))
		return 1;
	after_unmap = memfree_settled_kb();
	printf("gntself: %s multi maps=%lu/%lu pages=%lu memfree_before=%ld after_maps=%ld after_unmap=%ld",
	       ok == k && !bad ? "PASS" : "FAIL", ok, k, n, before, after_maps,
	       after_unmap);
	if (ok < k)
		printf(" first_fail=%lu errno=%d (%s)", ok, err, strerror(err));
	if (bad)
		printf(" mismatched_words=%lu", bad);
	printf("\n");
	return ok == k && !bad ? 0 : 1;
}

/* R rounds of map, check, unmap; see the top comment. */
static int rounds(unsigned long r, unsigned long n, unsigned int domid)
{
	struct gntalloc_alloc_gref *ga;
	struct gntdev_map_grant_ref *gm;
	unsigned long i, bad = 0;
	unsigned int seed = getpid();
	void *a, *b;
	int fa, fd;

	gm = open_and_grant(n, domid, &fa, &fd, &ga, &a);
	if (!gm)
		return 1;
	for (i = 0; i < r; i++) {
		struct gntdev_unmap_grant_ref gu = { .count = n };

		gm->index = 0;
		if (ioctl(fd, GNTDEV_MAP_GRANT_REF, gm))
			return fail("MAP_GRANT_REF");
		b = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 gm->index);
		if (b == MAP_FAILED)
			return fail("mmap gntdev");
		bad += cross_check(a, b, n, 0x3333 * (i + 1) + seed);
		gu.index = gm->index;
		if (munmap(b, n * PG) || ioctl(fd, GNTDEV_UNMAP_GRANT_REF, &gu))
			return fail("unmap");
		seed = seed * 1103515245 + 12345;
		usleep((seed >> 8) % 400000);
	}
	close(fd);
	if (ungrant(fa, ga, a, n))
		return 1;
	printf("gntself: %s rounds=%lu pages=%lu%s\n", bad ? "FAIL" : "PASS", r, n,
	       bad ? " data mismatch" : "");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct gntalloc_alloc_gref *ga;
	struct gntdev_map_grant_ref *gm;
	unsigned long n, bad;
	unsigned int domid;
	long before, after_map, after_unmap;
	void *a, *b;
	int fa, fd;

	if (argc > 1 && !strcmp(argv[1], "-f"))
		return efault_test(argc > 2 ? strtoul(argv[2], NULL, 0) : 0);
	if (argc > 3 && (!strcmp(argv[1], "-k") || !strcmp(argv[1], "-r"))) {
		unsigned long k = strtoul(argv[2], NULL, 0);

		n = strtoul(argv[3], NULL, 0);
		domid = argc > 4 ? strtoul(argv[4], NULL, 0) : 0;
		if (!k || k > 4096 || !n || n > (1UL << 24))
			return 2;
		return argv[1][1] == 'k' ? multi_map(k, n, domid) :
					   rounds(k, n, domid);
	}
	n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	if (n == 0 || n > (1UL << 24)) {
		fprintf(stderr, "usage: gntself N [DOMID] (1 <= N <= 16M) | gntself -f [DOMID] |\n"
			"       gntself -k MAPS N [DOMID] | gntself -r ROUNDS N [DOMID]\n");
		return 2;
	}
	domid = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	fa = open("/dev/xen/gntalloc", O_RDWR);
	if (fa < 0)
		return fail("open gntalloc");
	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0)
		return fail("open gntdev");
	ga = grant_own(fa, n, domid, &a);
	gm = ga ? map_request(ga, n, domid) : NULL;
	if (!gm)
		return 1;

	before = memfree_settled_kb();
	if (ioctl(fd, GNTDEV_MAP_GRANT_REF, gm))
		return fail("MAP_GRANT_REF");
	b = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, gm->index);
	if (b == MAP_FAILED)
		return fail("mmap gntdev");
	after_map = memfree_settled_kb();

	bad = cross_check(a, b, n, 0x5a5aa5a5c3c33c3cULL);
	bad += cross_check(b, a, n, 0x0123456789abcdefULL);

	if (gntdev_unmap(fd, b, gm->index, n) || ungrant(fa, ga, a, n))
		return 1;
	after_unmap = memfree_settled_kb();

	printf("gntself: %s pages=%lu memfree_before=%ld after_map=%ld after_unmap=%ld map_cost=%ld kB",
	       bad ? "FAIL" : "PASS", n, before, after_map, after_unmap,
	       before - after_map);
	if (bad)
		printf(" mismatched_words=%lu", bad);
	printf("\n");
	return bad ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * gntdmabuf [-b BUFFERS] [-n PAGES] [-B BIGPAGES] [DOMID]: gntdev dma-buf
 * exports of our own grants, and what they cost in RAM.
 *
 * Grants BUFFERS * PAGES of our own pages to ourselves with gntalloc (domid
 * DOMID, default 0) and fills them with a pattern; then, holding them all,
 * exports BUFFERS dma-bufs of PAGES grants each with
 * IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS (GNTDEV_DMA_FLAG_WC): gntdev backs each
 * with a buffer from gnttab_dma_alloc_pages(), contiguous in our
 * guest-physical space, and maps the grants into it.  MemFree is sampled
 * (once steady) before the exports, while they are held and after their
 * release.  The exporter has no mmap, so the data is read back by
 * importing each dma-buf into gntdev again (IOCTL_GNTDEV_DMABUF_IMP_TO_REFS:
 * the buffer's own frames, granted to DOMID) and mapping those grants
 * with gntdev: every page must hold what was written through gntalloc,
 * and a pattern written through that mapping must be seen through
 * gntalloc's.  Then each dma-buf is released (the import, close, and
 * IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, which says 0 or ENOENT once the
 * buffer is gone).
 *
 * Last, one buffer of BIGPAGES (default 4096, 16 MiB; 0: skip) from the
 * first grants, its data checked the same way: more than the page
 * allocator's largest block, so a kernel without CMA can only make it of
 * unpopulated space.  Its outcome is reported, not judged here.
 *
 * Output, one line:
 *   gntdmabuf: PASS|FAIL buffers=BxN memfree_before=A held=H after=C
 *     drop=D back=E ram=kept|lost data=ok|bad bigN=ok|ENOMEM|...|skipped
 *     [step: error]
 * drop = A - H (kB the exports took), back = C - A; ram=kept when drop is
 * under a quarter of the buffers' size.  Exit status 0 when the exports,
 * the data in both directions and the releases all worked (the RAM
 * figures are for the caller to judge).
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

static char why[160];	/* the first failure */

static void failed(const char *step, int err)
{
	if (!why[0])
		snprintf(why, sizeof(why), "%s: %s", step, strerror(err));
}

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

/* MemFree once two samples 100 ms apart agree (up to 3 s) */
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

static uint64_t word(uint64_t seed, unsigned long i)
{
	return seed ^ (i * 0x9e3779b97f4a7c15ULL);
}

static void fill(volatile uint64_t *p, unsigned long pages, uint64_t seed)
{
	unsigned long i, n = pages * (PG / 8);

	for (i = 0; i < n; i++)
		p[i] = word(seed, i);
}

/* the first page (from 0) that does not hold the pattern, or -1 */
static long differs(volatile uint64_t *p, unsigned long pages, uint64_t seed)
{
	unsigned long i, n = pages * (PG / 8);

	for (i = 0; i < n; i++)
		if (p[i] != word(seed, i))
			return (long)(i / (PG / 8));
	return -1;
}

/* an errno's name, for a key=value output without spaces */
static const char *errname(int err)
{
	static char buf[24];

	switch (err) {
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	}
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

/* one dma-buf of n grants starting at refs, exported through fd */
static int export(int fd, const uint32_t *refs, unsigned long n, unsigned int domid)
{
	struct gntdev_dmabuf_exp_from_refs *e;
	int out = -1;

	e = calloc(1, sizeof(*e) + n * sizeof(e->refs[0]));
	if (!e) {
		failed("calloc", errno);
		return -1;
	}
	e->flags = GNTDEV_DMA_FLAG_WC;
	e->count = n;
	e->domid = domid;
	memcpy(e->refs, refs, n * sizeof(refs[0]));
	if (ioctl(fd, GNTDEV_DMABUF_EXP_FROM_REFS, e))
		out = -errno;
	else
		out = (int)e->fd;
	free(e);
	return out;
}

/*
 * The data of dma-buf dbuf (n pages) against the gntalloc mapping a of the
 * grants it was made of: import it into gntdev fd as grants to domid, map
 * them, compare both ways, undo it all.  The gntalloc pages keep the
 * original pattern afterwards.  0 or -1 (why filled in).
 */
static int check_data(int fd, int dbuf, volatile uint64_t *a, unsigned long n,
		      unsigned int domid, uint64_t seed)
{
	struct gntdev_dmabuf_imp_to_refs *im;
	struct gntdev_dmabuf_imp_release rel = { 0 };
	struct gntdev_map_grant_ref *gm;
	struct gntdev_unmap_grant_ref gu = { 0 };
	volatile uint64_t *b = MAP_FAILED;
	unsigned long i;
	long bad;
	int rc = -1, mapped = 0;

	im = calloc(1, sizeof(*im) + n * sizeof(im->refs[0]));
	gm = calloc(1, sizeof(*gm) + n * sizeof(gm->refs[0]));
	if (!im || !gm) {
		failed("calloc", errno);
		goto out;
	}
	im->fd = dbuf;
	im->count = n;
	im->domid = domid;
	if (ioctl(fd, GNTDEV_DMABUF_IMP_TO_REFS, im)) {
		failed("IMP_TO_REFS", errno);
		goto out;
	}
	gm->count = n;
	for (i = 0; i < n; i++) {
		gm->refs[i].domid = domid;
		gm->refs[i].ref = im->refs[i];
	}
	if (ioctl(fd, GNTDEV_MAP_GRANT_REF, gm)) {
		failed("MAP_GRANT_REF of the imported buffer", errno);
		goto release;
	}
	mapped = 1;
	b = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, gm->index);
	if (b == MAP_FAILED) {
		failed("mmap of the imported buffer", errno);
		goto unmap;
	}
	bad = differs(b, n, seed);
	if (bad >= 0) {
		snprintf(why, sizeof(why), "data: page %ld of the buffer does not hold what was granted", bad);
		goto unmap;
	}
	fill(b, n, ~seed);
	bad = differs(a, n, ~seed);
	if (bad >= 0) {
		snprintf(why, sizeof(why), "data: a write to page %ld of the buffer did not reach the granted page", bad);
		goto unmap;
	}
	fill(a, n, seed);
	rc = 0;
unmap:
	if (b != MAP_FAILED && munmap((void *)b, n * PG)) {
		failed("munmap", errno);
		rc = -1;
	}
	if (mapped) {
		gu.index = gm->index;
		gu.count = n;
		if (ioctl(fd, GNTDEV_UNMAP_GRANT_REF, &gu)) {
			failed("UNMAP_GRANT_REF", errno);
			rc = -1;
		}
	}
release:
	rel.fd = dbuf;
	if (ioctl(fd, GNTDEV_DMABUF_IMP_RELEASE, &rel)) {
		failed("IMP_RELEASE", errno);
		rc = -1;
	}
out:
	free(im);
	free(gm);
	return rc;
}

/* close a dma-buf and wait until gntdev has let it go: 0 or -1 */
static int release(int fd, int dbuf)
{
	struct gntdev_dmabuf_exp_wait_released w = { .fd = dbuf, .wait_to_ms = 5000 };

	if (close(dbuf)) {
		failed("close of a dma-buf", errno);
		return -1;
	}
	if (ioctl(fd, GNTDEV_DMABUF_EXP_WAIT_RELEASED, &w) && errno != ENOENT) {
		failed("EXP_WAIT_RELEASED", errno);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long nbuf = 8, n = 1024, big = 4096, total, i;
	unsigned int domid = 0;
	struct gntalloc_alloc_gref *ga;
	struct gntalloc_dealloc_gref gd;
	long before, held, after, drop, back;
	char bigres[64] = "skipped";
	volatile uint64_t *a;
	int fa, fd, *bufs, opt, ok = 1, data_ok = 1;

	while ((opt = getopt(argc, argv, "b:n:B:")) != -1) {
		switch (opt) {
		case 'b': nbuf = strtoul(optarg, NULL, 0); break;
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'B': big = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: gntdmabuf [-b BUFFERS] [-n PAGES] [-B BIGPAGES] [DOMID]\n");
			return 2;
		}
	}
	if (optind < argc)
		domid = strtoul(argv[optind], NULL, 0);
	total = nbuf * n;
	if (!nbuf || !n || big > total) {
		fprintf(stderr, "gntdmabuf: need BUFFERS, PAGES > 0 and BIGPAGES <= BUFFERS * PAGES\n");
		return 2;
	}

	fa = open("/dev/xen/gntalloc", O_RDWR);
	fd = open("/dev/xen/gntdev", O_RDWR);
	bufs = calloc(nbuf, sizeof(*bufs));
	ga = calloc(1, sizeof(*ga) + total * sizeof(ga->gref_ids[0]));
	if (fa < 0 || fd < 0 || !bufs || !ga) {
		printf("gntdmabuf: FAIL open: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < nbuf; i++)
		bufs[i] = -1;
	ga->domid = domid;
	ga->flags = GNTALLOC_FLAG_WRITABLE;
	ga->count = total;
	if (ioctl(fa, GNTALLOC_ALLOC_GREF, ga)) {
		printf("gntdmabuf: FAIL ALLOC_GREF of %lu pages: %s\n", total, strerror(errno));
		return 1;
	}
	a = mmap(NULL, total * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fa, ga->index);
	if (a == MAP_FAILED) {
		printf("gntdmabuf: FAIL mmap gntalloc: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < nbuf; i++)
		fill(a + i * n * (PG / 8), n, 0x5eed0000ULL + i);

	before = memfree_settled_kb();
	for (i = 0; i < nbuf; i++) {
		bufs[i] = export(fd, ga->gref_ids + i * n, n, domid);
		if (bufs[i] < 0) {
			failed("EXP_FROM_REFS", -bufs[i]);
			ok = 0;
			break;
		}
	}
	held = memfree_settled_kb();
	for (i = 0; ok && i < nbuf; i++)
		if (check_data(fd, bufs[i], a + i * n * (PG / 8), n, domid, 0x5eed0000ULL + i))
			ok = data_ok = 0;
	for (i = 0; i < nbuf; i++)
		if (bufs[i] >= 0 && release(fd, bufs[i]))
			ok = 0;
	after = memfree_settled_kb();

	/* one buffer larger than the page allocator's largest block */
	if (ok && big) {
		int b;

		fill(a, big, 0xb16b0000ULL);
		b = export(fd, ga->gref_ids, big, domid);
		if (b < 0) {
			snprintf(bigres, sizeof(bigres), "%s", errname(-b));
		} else {
			if (check_data(fd, b, a, big, domid, 0xb16b0000ULL)) {
				ok = data_ok = 0;
				snprintf(bigres, sizeof(bigres), "data-failed");
			} else {
				snprintf(bigres, sizeof(bigres), "ok");
			}
			if (release(fd, b))
				ok = 0;
		}
	}

	drop = before - held;
	back = after - before;
	printf("gntdmabuf: %s buffers=%lux%lu memfree_before=%ld held=%ld after=%ld drop=%ld back=%ld ram=%s data=%s big%lu=%s%s%s\n",
	       ok ? "PASS" : "FAIL", nbuf, n, before, held, after, drop, back,
	       drop < (long)(total * PG / 1024 / 4) ? "kept" : "lost",
	       data_ok ? "ok" : "bad", big, bigres, why[0] ? " " : "", why);

	munmap((void *)a, total * PG);
	gd.index = ga->index;
	gd.count = total;
	if (ioctl(fa, GNTALLOC_DEALLOC_GREF, &gd)) {
		printf("gntdmabuf: FAIL DEALLOC_GREF: %s\n", strerror(errno));
		return 1;
	}
	close(fa);
	close(fd);
	return ok ? 0 : 1;
}

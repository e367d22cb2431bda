// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: device-tree bytes through the discovery the arch hook
 * runs at boot, xen_ext_regions_read() then xen_ext_regions_build(), on a
 * local resource (the hook's own resource is static: one boot per
 * process), followed by xen_ext_regions_release() and _free().
 *
 * Two input forms:
 * - raw: the input starts with the FDT magic and is taken as a blob; it
 *   is used when the tool's blob_check() (fdt_check_full() after
 *   refusing blobs older than version 16) passes.  Bytes after totalsize (if any) choose the arm64
 *   model and a fault to inject, so the dts fixtures are seeds as they are.
 * - built: any other first byte; the next bytes choose the model, the
 *   fault, the root cell sizes and the shape of the tree, and the rest is
 *   the hypervisor node's reg, written with libfdt's sequential-write API.
 *   This reaches deep into the region logic at once.
 *
 * Checked on every input, with abort() on failure:
 * - the return value and the regions against an independent reading of
 *   the node (reference_read()), the reason set exactly on failure;
 * - on success of build: the resource inside the pluggable range, its
 *   holes busy, sorted, disjoint and inside it, and regions plus holes
 *   tiling the resource exactly; on -ERANGE no region in the range; on
 *   -EINVAL two regions overlap;
 * - an injected allocation or insert failure makes the call fail cleanly;
 * - no WARN, no child left in the resource, host_slab_live() back where it
 *   was: nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/slab.h>
#include <xen/extended-regions.h>
#include <host/model.h>

#include "../../tools/xen-extregions/tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_init: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

#define REG_MAX		(256u << 10)	/* built form: reg bytes at most */

struct config {
	unsigned int page_shift, va_bits, pa_bits;
	int po_mode;			/* 0: from the memory node */
	u64 phys_offset;
	int fault;			/* HOST_FAULT_* or -1 */
	unsigned int fault_skip;
};

/*
 * Model byte @m: bits 0-1 page size (4K, 16K, 64K), 2-3 VA bits among
 * those arm64 offers with it, 4 PA bits 52 (else 48), 5-7 PHYS_OFFSET: 0
 * from the lowest memory node as the tool does, else a fixed value.
 * Fault byte @f: bits 0-1 none, slab or insert_resource; 2-7 how many
 * calls succeed before the one that fails.
 */
static void decode_model(u8 m, u8 f, struct config *c)
{
	static const unsigned int va[3][4] = {
		{ 39, 48, 52, 48 }, { 47, 48, 52, 48 }, { 42, 48, 52, 48 },
	};
	static const u64 po[8] = {
		0, 0, 0x40000000, 0x80000000, 1ULL << 40, 1ULL << 48,
		0x8000000000ULL, 0xffffffffc0000000ULL,
	};
	unsigned int ps = (m & 3) == 3 ? 0 : m & 3;

	c->page_shift = 12 + 2 * ps;
	c->va_bits = va[ps][(m >> 2) & 3];
	c->pa_bits = m & 0x10 ? 52 : 48;
	c->po_mode = m >> 5;
	c->phys_offset = po[c->po_mode];
	switch (f & 3) {
	case 1:
		c->fault = HOST_FAULT_SLAB;
		break;
	case 2:
		c->fault = HOST_FAULT_RESOURCE_INSERT;
		break;
	default:
		c->fault = -1;
	}
	c->fault_skip = f >> 2;
}

/* ------------------------------------------------------------------ */
/* The reference: what the node says, read without the kernel's code    */

struct reference {
	int ret;
	u32 ac, sc;
	bool has_gnttab;
	struct range gnttab;
	unsigned int nr;
	struct range regions[XEN_EXT_REGIONS_MAX];
};

static u64 be_cells(const u8 *p, unsigned int cells)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < 4 * cells; i++)
		v = v << 8 | p[i];
	return v;
}

/* A root cell-size property: @dflt when absent, -1 when malformed. */
static long ref_cells(const void *fdt, const char *name, long dflt)
{
	const u8 *p;
	int len;

	p = fdt_getprop(fdt, 0, name, &len);
	if (!p)
		return len == -FDT_ERR_NOTFOUND ? dflt : -1;
	if (len != 4)
		return -1;
	return (long)be_cells(p, 1);
}

/*
 * Does the string list hold "xen,xen"?  As libfdt reads it: the strings
 * are compared with their NUL, so an unterminated last string matches
 * when the byte after the value (the padding, inside the blob) is zero.
 */
static bool ref_is_xen(const void *fdt, int node)
{
	static const char want[] = "xen,xen";
	const char *p;
	int len, i, start = 0;

	p = fdt_getprop(fdt, node, "compatible", &len);
	if (!p || len <= 0)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && p[i])
			continue;
		if (i - start == 7 && !memcmp(p + start, want, 7) &&
		    (i < len || !p[len]))
			return true;
		start = i + 1;
	}
	return false;
}

/* Entry @i of a reg: false when it passes 2^64. */
static bool ref_entry(const u8 *reg, u32 ac, u32 sc, int i, struct range *r,
		      u64 *size)
{
	const u8 *p = reg + (size_t)i * 4 * (ac + sc);

	r->start = be_cells(p, ac);
	*size = be_cells(p + 4 * ac, sc);
	r->end = r->start + *size - 1;
	return !*size || r->start <= U64_MAX - (*size - 1);
}

static void reference_read(const void *fdt, struct reference *ref)
{
	int node = -1, off, len, n, i;
	long ac, sc;
	const u8 *reg;
	u64 size;
	struct range r;

	memset(ref, 0, offsetof(struct reference, regions));
	for (off = fdt_next_node(fdt, -1, NULL); off >= 0;
	     off = fdt_next_node(fdt, off, NULL)) {
		if (!ref_is_xen(fdt, off))
			continue;
		if (node >= 0) {
			ref->ret = -EINVAL;	/* two nodes */
			return;
		}
		node = off;
	}
	if (node < 0) {
		ref->ret = -ENODEV;
		return;
	}
	ac = ref_cells(fdt, "#address-cells", 2);
	sc = ref_cells(fdt, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		ref->ret = -EINVAL;
		return;
	}
	ref->ac = ac;
	ref->sc = sc;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg) {
		ref->ret = len == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
		return;
	}
	if (len <= 0 || len % (4 * (ac + sc))) {
		ref->ret = -EINVAL;
		return;
	}
	n = len / (4 * (ac + sc));
	if (!ref_entry(reg, ac, sc, 0, &ref->gnttab, &size)) {
		ref->ret = -EINVAL;
		return;
	}
	ref->has_gnttab = size;
	if (n == 1) {
		ref->ret = -ENOENT;
		return;
	}
	if (n - 1 > XEN_EXT_REGIONS_MAX) {
		ref->ret = -E2BIG;
		return;
	}
	for (i = 1; i < n; i++) {
		if (!ref_entry(reg, ac, sc, i, &r, &size)) {
			ref->ret = -EINVAL;
			ref->nr = 0;
			return;
		}
		if (size)
			ref->regions[ref->nr++] = r;
	}
	ref->ret = ref->nr ? 0 : -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Checks                                                               */

/* Whether the armed fault, due at call @due, fell after call @before. */
static bool fault_hit(const struct config *c, unsigned long due,
		      unsigned long before)
{
	return c->fault >= 0 && before < due && host_fault_calls(c->fault) >= due;
}

static void check_reason(const struct xen_ext_regions *er, int ret)
{
	size_t n = strnlen(er->reason, sizeof(er->reason));

	if (n == sizeof(er->reason))
		FAIL("reason not terminated");
	if (!ret != !n)
		FAIL("ret %d with reason '%s'", ret, er->reason);
}

static void check_read(const struct xen_ext_regions *er, int ret,
		       const struct reference *ref, bool faulted)
{
	unsigned int i;

	check_reason(er, ret);
	if (ret && (er->regions || er->nr))
		FAIL("read failed (%d) with %u regions allocated", ret, er->nr);
	if (faulted) {
		if (ret != -ENOMEM)
			FAIL("read: allocation failure gave %d", ret);
		return;
	}
	if (ret != ref->ret)
		FAIL("read returned %d, the reference %d (%s)", ret, ref->ret,
		     er->reason);
	if (ret)
		return;
	if (er->addr_cells != ref->ac || er->size_cells != ref->sc)
		FAIL("cells %u/%u, want %u/%u", er->addr_cells,
		     er->size_cells, ref->ac, ref->sc);
	if (er->has_gnttab != ref->has_gnttab ||
	    (ref->has_gnttab && (er->gnttab.start != ref->gnttab.start ||
				 er->gnttab.end != ref->gnttab.end)))
		FAIL("grant table differs");
	if (er->nr != ref->nr)
		FAIL("%u regions, want %u", er->nr, ref->nr);
	for (i = 0; i < er->nr; i++)
		if (er->regions[i].start != ref->regions[i].start ||
		    er->regions[i].end != ref->regions[i].end ||
		    er->regions[i].end < er->regions[i].start)
			FAIL("region %u differs", i);
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static bool intersects(const struct range *r, struct range lim)
{
	return r->start <= lim.end && r->end >= lim.start;
}

/*
 * The sorted regions @s, clipped to the resource, and its holes (sorted,
 * checked by the caller) must tile the resource exactly, without two holes
 * in a row.
 */
static void check_tiling(const struct range *s, unsigned int nr,
			 const struct resource *res)
{
	const struct resource *c = res->child;
	unsigned int i = 0, n = 0;
	bool last_hole = false;
	u64 next = res->start;
	struct range r;

	while (i < nr || c) {
		if (i < nr && (!c || s[i].start < c->start)) {
			r.start = max(s[i].start, (u64)res->start);
			r.end = min(s[i].end, (u64)res->end);
			i++;
			if (r.start > r.end)
				continue;	/* outside the resource */
			last_hole = false;
		} else {
			r.start = c->start;
			r.end = c->end;
			c = c->sibling;
			if (last_hole)
				FAIL("two holes in a row at %#llx", r.start);
			last_hole = true;
		}
		if (n++ && !next)
			FAIL("tiles past 2^64");
		if (r.start != next)
			FAIL("resource not tiled at %#llx (%#llx-%#llx)", next,
			     r.start, r.end);
		next = r.end + 1;
	}
	if (!n || next - 1 != res->end)
		FAIL("resource not tiled to its end");
}

static void check_build(struct xen_ext_regions *er, int ret,
			struct range lim, const struct resource *res,
			bool faulted, int fault)
{
	struct range *s;
	const struct resource *c, *prev = NULL;
	bool inside = false, overlap = false;
	unsigned int i;

	check_reason(er, ret);
	if (ret && res->child)
		FAIL("build failed (%d) and left holes", ret);
	if (faulted) {
		if (ret != (fault == HOST_FAULT_SLAB ? -ENOMEM : -EBUSY))
			FAIL("build: injected failure gave %d", ret);
		return;
	}
	s = malloc(er->nr * sizeof(*s));
	if (!s)
		abort();
	memcpy(s, er->regions, er->nr * sizeof(*s));
	qsort(s, er->nr, sizeof(*s), cmp_range);
	for (i = 0; i < er->nr; i++) {
		inside |= intersects(&s[i], lim);
		if (i && s[i].start <= s[i - 1].end)
			overlap = true;
	}
	if (overlap != (ret == -EINVAL))
		FAIL("build returned %d, overlap %d", ret, overlap);
	if (!overlap && !inside != (ret == -ERANGE))
		FAIL("build returned %d, inside %d", ret, inside);
	if (!overlap && inside && ret)
		FAIL("build failed: %d", ret);
	if (!ret) {
		if (res->start > res->end || res->start < lim.start ||
		    res->end > lim.end)
			FAIL("resource %#llx-%#llx outside %#llx-%#llx",
			     (u64)res->start, (u64)res->end, lim.start, lim.end);
		if (res->start != max(s[0].start, lim.start) ||
		    res->end != min(s[er->nr - 1].end, lim.end))
			FAIL("resource is not the clamped span");
		for (c = res->child; c; prev = c, c = c->sibling) {
			if (!(c->flags & IORESOURCE_BUSY) || c->parent != res)
				FAIL("hole not a busy child");
			if (c->start > c->end || c->start < res->start ||
			    c->end > res->end || c->child)
				FAIL("hole %#llx-%#llx outside",
				     (u64)c->start, (u64)c->end);
			if (prev && prev->end >= c->start)
				FAIL("holes unsorted or overlapping");
		}
		check_tiling(s, er->nr, res);
	}
	free(s);
}

/* Frees what blob_add_memory_resources() put in iomem_resource. */
static void free_tree(struct resource *r)
{
	struct resource *c;

	while ((c = r->child)) {
		r->child = c->sibling;
		free_tree(c);
		kfree(c);
	}
}

static void run_init(const void *fdt, const struct config *cfg)
{
	struct resource res = { .name = "fuzz target", .flags = IORESOURCE_MEM };
	static struct reference ref;
	struct xen_ext_regions er;
	unsigned long due = 0, before = 0, warns = host_warn_count();
	long slab = host_slab_live();
	struct range lim;
	u64 lowest;
	int ret;

	host_arm64_reset();
	host_arm64.page_shift = cfg->page_shift;
	host_arm64.va_bits = cfg->va_bits;
	host_arm64.pa_bits = cfg->pa_bits;
	host_arm64.section_bits = host_arm64_default_section_bits(cfg->page_shift);
	host_arm64.phys_offset = cfg->phys_offset;
	if (!cfg->po_mode && !blob_lowest_memory(fdt, &lowest))
		host_arm64.phys_offset = ALIGN_DOWN(lowest,
						    host_arm64_memstart_align());
	lim = mhp_get_pluggable_range(true);
	if (lim.start > lim.end)
		FAIL("pluggable range inverted");
	blob_add_memory_resources(fdt);

	reference_read(fdt, &ref);
	if (cfg->fault >= 0) {
		before = host_fault_calls(cfg->fault);
		due = before + cfg->fault_skip + 1;
		host_fault_arm(cfg->fault, cfg->fault_skip);
	}
	ret = xen_ext_regions_read(fdt, &er);
	check_read(&er, ret, &ref, fault_hit(cfg, due, before));
	if (!ret) {
		before = cfg->fault >= 0 ? host_fault_calls(cfg->fault) : 0;
		ret = xen_ext_regions_build(&er, lim, &res);
		check_build(&er, ret, lim, &res, fault_hit(cfg, due, before),
			    cfg->fault);
		xen_ext_regions_release(&res);
		if (res.child)
			FAIL("holes left after release");
		xen_ext_regions_free(&er);
	}
	host_fault_clear();
	free_tree(&iomem_resource);
	if (host_slab_live() != slab)
		FAIL("leak: %ld slab objects live, %ld before",
		     host_slab_live(), slab);
	if (host_warn_count() != warns)
		FAIL("WARN: %s", host_log_line(host_log_count() - 1, NULL));
	host_log_clear();
}

/* ------------------------------------------------------------------ */
/* Input forms                                                          */

static void run_raw(const uint8_t *data, size_t size)
{
	struct config cfg;
	size_t total;

	/* The tool's check: blob_check() refuses what crashes libfdt 1.6.1's
	 * fdt_check_full() (pre-v16 blobs, tests/fuzz/crashes/init/).
	 */
	if (blob_check(data, size))
		return;
	total = fdt_totalsize(data);
	decode_model(total < size ? data[total] : 0,
		     total + 1 < size ? data[total + 1] : 0, &cfg);
	run_init(data, &cfg);
}

static int put_u32(void *fdt, const char *name, u32 v)
{
	return fdt_property_u32(fdt, name, v);
}

/* One hypervisor node; @compat 1: "xen,xen" without its NUL. */
static int put_hyp(void *fdt, const char *name, int compat, const u8 *reg,
		   size_t len, bool no_reg)
{
	static const char list[] = "xen,xen-4.17\0xen,xen";
	int ret;

	ret = fdt_begin_node(fdt, name);
	ret = ret ?: (compat ? fdt_property(fdt, "compatible", "xen,xen", 7) :
		      fdt_property(fdt, "compatible", list, sizeof(list)));
	if (!no_reg)
		ret = ret ?: fdt_property(fdt, "reg", reg, len);
	return ret ?: fdt_end_node(fdt);
}

/*
 * Built form: [0] not 0xd0, [1] model, [2] fault, [3] root cells
 * (#address-cells in bits 0-2, #size-cells in 3-5; bit 6 or 7: leave
 * that one out), [4] shape, [5] repeat count, then the reg bytes.
 */
static void run_built(const uint8_t *data, size_t size)
{
	static const u8 memreg[16] = { 0, 0, 0, 0, 0x60, 0, 0, 0,
				       0, 0, 0, 0, 0x20, 0, 0, 0 };
	unsigned int reps, i, depth;
	struct config cfg;
	size_t len, cap;
	u8 cells, shape, *reg;
	void *fdt;
	int ret;

	if (size < 6)
		return;
	decode_model(data[1], data[2], &cfg);
	cells = data[3];
	shape = data[4];
	reps = (data[5] & 0x7f) + 1;
	if (data[5] & 0x80)
		reps *= 16;
	data += 6;
	size -= 6;
	if (size && reps > REG_MAX / size)
		reps = REG_MAX / size;
	len = size * reps;
	reg = malloc(len + 1);
	cap = 2 * len + 8192;	/* two nodes may carry the reg */
	fdt = malloc(cap);
	if (!reg || !fdt)
		abort();
	for (i = 0; i < reps; i++)
		memcpy(reg + i * size, data, size);

	depth = shape & 0x80 ? 3 : 0;
	ret = fdt_create(fdt, cap);
	ret = ret ?: fdt_finish_reservemap(fdt);
	ret = ret ?: fdt_begin_node(fdt, "");
	if (!(cells & 0x40))
		ret = ret ?: (shape & 0x20 ?
			      fdt_property(fdt, "#address-cells", memreg, 8) :
			      put_u32(fdt, "#address-cells", cells & 7));
	if (!(cells & 0x80))
		ret = ret ?: put_u32(fdt, "#size-cells", (cells >> 3) & 7);
	if (shape & 0x10) {
		ret = ret ?: fdt_begin_node(fdt, "memory@60000000");
		ret = ret ?: fdt_property_string(fdt, "device_type", "memory");
		ret = ret ?: fdt_property(fdt, "reg", memreg,
					  4 * ((cells & 7) + ((cells >> 3) & 7)) <= 16 ?
					  4 * ((cells & 7) + ((cells >> 3) & 7)) : 16);
		ret = ret ?: fdt_end_node(fdt);
	}
	for (i = 0; i < depth; i++)
		ret = ret ?: fdt_begin_node(fdt, "soc");
	/* 0, 1 or 2 hypervisor nodes */
	for (i = 0; i < ((shape & 3) == 3 ? 1 : (shape & 3)); i++)
		ret = ret ?: put_hyp(fdt, i ? "hypervisor2" : "hypervisor",
				     (shape >> 2) & 1, reg, len, shape & 8);
	if (shape & 0x40) {
		ret = ret ?: fdt_begin_node(fdt, "other");
		ret = ret ?: fdt_property_string(fdt, "compatible", "xen,xen-4.17");
		ret = ret ?: fdt_end_node(fdt);
	}
	for (i = 0; i < depth; i++)
		ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_finish(fdt);
	if (ret || fdt_check_full(fdt, fdt_totalsize(fdt)))
		FAIL("cannot write the tree: %s", fdt_strerror(ret));
	run_init(fdt, &cfg);
	free(reg);
	free(fdt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 0xd0)
		run_raw(data, size);
	else
		run_built(data, size);
	return 0;
}

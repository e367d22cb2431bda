// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile device trees for the extended-region discovery: blobs a firmware
 * or a hypervisor could hand a guest, most of which dtc cannot produce.
 * Trees are written with libfdt's sequential-write API; broken blobs are
 * made by mangling a good one byte-wise.  The expected outcome of each
 * case is in tests/hostile/expect.txt, checked by run_hostile.py.
 *
 * Usage: gen_hostile OUTDIR     writes OUTDIR/NAME.dtb for every case
 *        gen_hostile --list     prints the case names
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#define TREE_MAX	(4u << 20)	/* room for the largest written tree */

/* The layout of tests' QEMU virt dom0: PHYS_OFFSET 0x40000000. */
#define GNT_START	0x40200000ULL
#define GNT_SIZE	0x40000ULL
#define MEM_START	0x60000000ULL
#define MEM_SIZE	0x20000000ULL

struct region {
	uint64_t start, size;
};

static const struct region virt_regions[] = {
	{ 0x40400000, 0x1fc00000 },
	{ 0x80000000, 0x40000000 },
};

static const char compat_xen[] = "xen,xen-4.17\0xen,xen";

/* A blob being made: a buffer and its length. */
struct blob {
	unsigned char *p;
	size_t len;
};

static const char *out_dir;
static unsigned int nr_written;
static int list_only;

static void die(const char *what, int err)
{
	fprintf(stderr, "gen_hostile: %s: %s\n", what,
		err < 0 ? fdt_strerror(err) : strerror(err));
	exit(1);
}

/* Stops on any libfdt error: a case that cannot be written is a bug here. */
static void ck(int ret, const char *what)
{
	if (ret < 0)
		die(what, ret);
}

static void emit(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	nr_written++;
	if (list_only) {
		printf("%s\n", name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.dtb", out_dir, name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
		die(path, errno);
}

static void emit_blob(const char *name, const struct blob *b)
{
	emit(name, b->p, b->len);
}

/* ------------------------------------------------------------------ */
/* Sequential-write helpers                                             */

static void *tree_begin(void)
{
	void *fdt = malloc(TREE_MAX);

	if (!fdt)
		die("malloc", ENOMEM);
	ck(fdt_create(fdt, TREE_MAX), "fdt_create");
	ck(fdt_finish_reservemap(fdt), "fdt_finish_reservemap");
	ck(fdt_begin_node(fdt, ""), "root");
	return fdt;
}

/* Ends the root node and the tree; the blob is packed to its totalsize. */
static struct blob tree_end(void *fdt)
{
	struct blob b;

	ck(fdt_end_node(fdt), "end root");
	ck(fdt_finish(fdt), "fdt_finish");
	b.p = fdt;
	b.len = fdt_totalsize(fdt);
	return b;
}

static void put_u32(void *fdt, const char *name, uint32_t v)
{
	ck(fdt_property_u32(fdt, name, v), name);
}

static void root_cells(void *fdt, uint32_t ac, uint32_t sc)
{
	put_u32(fdt, "#address-cells", ac);
	put_u32(fdt, "#size-cells", sc);
}

/* Writes @v in @cells big-endian cells: zeros above 64 bits, only the
 * low 32 bits with one cell.
 */
static unsigned char *put_cells(unsigned char *p, uint64_t v, unsigned int cells)
{
	unsigned int i;

	for (i = cells; i-- > 0;) {
		uint32_t c = i >= 2 ? 0 : (uint32_t)(v >> (32 * i));

		p[0] = c >> 24;
		p[1] = c >> 16;
		p[2] = c >> 8;
		p[3] = c;
		p += 4;
	}
	return p;
}

/* A reg property of @n (start, size) entries in @ac/@sc cells. */
static void put_reg(void *fdt, const struct region *r, size_t n,
		    unsigned int ac, unsigned int sc)
{
	size_t len = n * (ac + sc) * 4;
	unsigned char *buf = malloc(len + 1), *p = buf;
	size_t i;

	if (!buf)
		die("malloc", ENOMEM);
	for (i = 0; i < n; i++) {
		p = put_cells(p, r[i].start, ac);
		p = put_cells(p, r[i].size, sc);
	}
	ck(fdt_property(fdt, "reg", buf, len), "reg");
	free(buf);
}

static void memory_node(void *fdt, unsigned int ac, unsigned int sc,
			uint64_t start, uint64_t size)
{
	struct region r = { start, size };
	char name[64];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)start);
	ck(fdt_begin_node(fdt, name), "memory");
	ck(fdt_property_string(fdt, "device_type", "memory"), "device_type");
	put_reg(fdt, &r, 1, ac, sc);
	ck(fdt_end_node(fdt), "end memory");
}

/* reg entry 0 (grant table) followed by @regions. */
static void hyp_reg(void *fdt, const struct region *regions, size_t n,
		    unsigned int ac, unsigned int sc)
{
	struct region *all = calloc(n + 1, sizeof(*all));

	if (!all)
		die("calloc", ENOMEM);
	all[0].start = GNT_START;
	all[0].size = GNT_SIZE;
	if (n)
		memcpy(all + 1, regions, n * sizeof(*regions));
	put_reg(fdt, all, n + 1, ac, sc);
	free(all);
}

static void hyp_begin(void *fdt, const char *name)
{
	ck(fdt_begin_node(fdt, name), "hypervisor");
	ck(fdt_property(fdt, "compatible", compat_xen, sizeof(compat_xen)),
	   "compatible");
}

/* A whole hypervisor node with the grant table and @regions. */
static void hyp_node(void *fdt, const struct region *regions, size_t n,
		     unsigned int ac, unsigned int sc)
{
	hyp_begin(fdt, "hypervisor");
	hyp_reg(fdt, regions, n, ac, sc);
	ck(fdt_end_node(fdt), "end hypervisor");
}

/* The usual dom0 tree, 2/2 cells, with @regions as extended regions. */
static struct blob virt_tree(const struct region *regions, size_t n)
{
	void *fdt = tree_begin();

	root_cells(fdt, 2, 2);
	ck(fdt_property_string(fdt, "compatible", "linux,dummy-virt"), "compat");
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	hyp_node(fdt, regions, n, 2, 2);
	return tree_end(fdt);
}

static struct blob good_tree(void)
{
	return virt_tree(virt_regions, 2);
}

static void emit_regions(const char *name, const struct region *r, size_t n)
{
	struct blob b = virt_tree(r, n);

	emit_blob(name, &b);
	free(b.p);
}

#define EMIT_REGIONS(name, ...) do {					\
	static const struct region r_[] = { __VA_ARGS__ };		\
	emit_regions(name, r_, sizeof(r_) / sizeof(r_[0]));		\
} while (0)

/* ------------------------------------------------------------------ */
/* Byte-wise mangling of the good blob                                  */

static uint32_t be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void be32_put(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Header fields, by byte offset. */
enum {
	H_MAGIC = 0, H_TOTALSIZE = 4, H_OFF_STRUCT = 8, H_OFF_STRINGS = 12,
	H_OFF_RSVMAP = 16, H_VERSION = 20, H_LAST_COMP = 24,
	H_SIZE_STRINGS = 32, H_SIZE_STRUCT = 36,
};

static struct blob copy_good(size_t extra)
{
	struct blob g = good_tree(), b;

	b.len = g.len;
	b.p = calloc(1, g.len + extra + 1);
	if (!b.p)
		die("calloc", ENOMEM);
	memcpy(b.p, g.p, g.len);
	free(g.p);
	return b;
}

static uint32_t field(const struct blob *b, unsigned int f)
{
	return be32_get(b->p + f);
}

/* Byte offset in the blob of the hypervisor node's property @prop. */
static size_t prop_offset(const struct blob *b, const char *prop)
{
	int node = fdt_path_offset(b->p, "/hypervisor"), len;
	const struct fdt_property *p;

	ck(node, "/hypervisor");
	p = fdt_get_property(b->p, node, prop, &len);
	if (!p)
		die(prop, len);
	return (size_t)((const unsigned char *)p - b->p);
}

/* Byte offset of the hypervisor node's FDT_BEGIN_NODE tag. */
static size_t hyp_offset(const struct blob *b)
{
	int node = fdt_path_offset(b->p, "/hypervisor");

	ck(node, "/hypervisor");
	return field(b, H_OFF_STRUCT) + (size_t)node;
}

/* Tag @back words before the end of the structure block. */
static unsigned char *tail_tag(const struct blob *b, unsigned int back)
{
	return b->p + field(b, H_OFF_STRUCT) + field(b, H_SIZE_STRUCT) -
	       4 * back;
}

/* A copy of the good blob with header @f set to @v. */
static void emit_header_field(const char *name, unsigned int f, uint32_t v)
{
	struct blob b = copy_good(0);

	be32_put(b.p + f, v);
	emit_blob(name, &b);
	free(b.p);
}

/* A copy of the good blob with the big-endian word at @off set to @v. */
static void emit_word(const char *name, size_t off, uint32_t v)
{
	struct blob b = copy_good(0);

	be32_put(b.p + off, v);
	emit_blob(name, &b);
	free(b.p);
}

static void gen_blob_level(void)
{
	struct blob g = good_tree(), b;
	uint32_t size = (uint32_t)g.len, x = 0x2545f491;
	unsigned char junk[512];
	size_t i, off;

	/* Shorter buffers than the header says. */
	emit("trunc-header", g.p, 20);
	emit("trunc-half", g.p, g.len / 2);
	emit("trunc-last-byte", g.p, g.len - 1);
	emit("empty", g.p, 0);

	/* Header fields. */
	emit_header_field("totalsize-larger", H_TOTALSIZE, size + 4096);
	emit_header_field("totalsize-huge", H_TOTALSIZE, 0xffffffff);
	emit_header_field("totalsize-small", H_TOTALSIZE, 40);
	emit_header_field("bad-magic", H_MAGIC, 0xd00dfeee);
	emit_header_field("bad-magic-swapped", H_MAGIC, 0xedfe0dd0);
	emit_header_field("bad-version-1", H_VERSION, 1);
	emit_header_field("bad-last-comp-version", H_LAST_COMP, 18);
	emit_header_field("strings-off-oob", H_OFF_STRINGS, size + 16);
	emit_header_field("strings-off-wrap", H_OFF_STRINGS, 0xfffffff0);
	emit_header_field("strings-size-oob", H_SIZE_STRINGS, size);
	emit_header_field("struct-off-oob", H_OFF_STRUCT, size);
	emit_header_field("struct-off-in-header", H_OFF_STRUCT, 0);
	emit_header_field("struct-size-oob", H_SIZE_STRUCT, 0x7fffffff);
	emit_header_field("struct-size-no-end", H_SIZE_STRUCT,
			  field(&g, H_SIZE_STRUCT) - 4);
	emit_header_field("rsvmap-off-oob", H_OFF_RSVMAP, size + 8);

	/* version 16 < last_comp_version 17: no reader may use it. */
	b = copy_good(0);
	be32_put(b.p + H_VERSION, 16);
	emit_blob("bad-version-order", &b);
	free(b.p);

	/* A version 15 blob (last_comp_version 2): libfdt 1.6.1's
	 * fdt_check_full() dereferences NULL on its root name.
	 */
	b = copy_good(0);
	be32_put(b.p + H_VERSION, 15);
	be32_put(b.p + H_LAST_COMP, 2);
	emit_blob("old-version-15", &b);
	free(b.p);

	/* The last string of the strings block loses its NUL. */
	emit_header_field("strings-unterminated", H_SIZE_STRINGS,
			  field(&g, H_SIZE_STRINGS) - 1);

	/* Structure block: property and node records. */
	off = prop_offset(&g, "reg");
	emit_word("prop-nameoff-oob", off + 8, 0x7ffffff0);
	emit_word("prop-len-oob", off + 4, 0x10000000);
	emit_word("prop-len-negative", off + 4, 0xfffffff0);
	emit_word("bad-tag", hyp_offset(&g), 0x0000000a);
	emit_word("missing-end-node", tail_tag(&g, 3) - g.p, FDT_NOP);
	emit_word("missing-end", tail_tag(&g, 1) - g.p, FDT_END_NODE);
	emit_word("end-early", hyp_offset(&g), FDT_END);

	/* "hypervisor\0\0": both NULs gone, the name runs into the next tag. */
	b = copy_good(0);
	memcpy(b.p + hyp_offset(&b) + 4 + 10, "XX", 2);
	emit_blob("name-no-nul", &b);
	free(b.p);

	/* Not a device tree at all. */
	for (i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	emit("garbage", junk, sizeof(junk));
	memset(junk, 0xff, sizeof(junk));
	emit("all-ones", junk, 256);

	/* A header whose every block is empty: no root node. */
	memset(junk, 0, 64);
	be32_put(junk + H_MAGIC, FDT_MAGIC);
	be32_put(junk + H_TOTALSIZE, 64);
	be32_put(junk + H_OFF_STRUCT, 56);
	be32_put(junk + H_OFF_STRINGS, 64);
	be32_put(junk + H_OFF_RSVMAP, 40);
	be32_put(junk + H_VERSION, 17);
	be32_put(junk + H_LAST_COMP, 16);
	be32_put(junk + H_SIZE_STRUCT, 8);
	be32_put(junk + H_SIZE_STRINGS, 0);
	be32_put(junk + 56, FDT_END);
	emit("no-root-node", junk, 64);
	free(g.p);
}

/* Mangled blobs that libfdt accepts: the kernel must cope. */
static void gen_mangled_valid(void)
{
	struct blob b;
	size_t off;

	/* Bytes after totalsize are not part of the tree. */
	b = copy_good(100);
	memset(b.p + b.len, 0xa5, 100);
	b.len += 100;
	emit_blob("trailing-garbage", &b);
	free(b.p);

	/* "reg" renamed "eg" by pointing its name one byte further. */
	b = copy_good(0);
	off = prop_offset(&b, "reg") + 8;
	be32_put(b.p + off, be32_get(b.p + off) + 1);
	emit_blob("reg-renamed", &b);
	free(b.p);
}

/* The usual tree with the whole reg given, entry 0 included. */
static void emit_reg_entries(const char *name, const struct region *all,
			     size_t n)
{
	void *fdt = tree_begin();
	struct blob b;

	root_cells(fdt, 2, 2);
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	hyp_begin(fdt, "hypervisor");
	put_reg(fdt, all, n, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	b = tree_end(fdt);
	emit_blob(name, &b);
	free(b.p);
}

#define EMIT_ENTRIES(name, ...) do {					\
	static const struct region r_[] = { __VA_ARGS__ };		\
	emit_reg_entries(name, r_, sizeof(r_) / sizeof(r_[0]));		\
} while (0)

/* The usual tree with a reg of @len raw bytes. */
static void emit_raw_reg(const char *name, const void *reg, size_t len)
{
	void *fdt = tree_begin();
	struct blob b;

	root_cells(fdt, 2, 2);
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	hyp_begin(fdt, "hypervisor");
	if (reg)
		ck(fdt_property(fdt, "reg", reg, len), "reg");
	ck(fdt_end_node(fdt), "end hypervisor");
	b = tree_end(fdt);
	emit_blob(name, &b);
	free(b.p);
}

/* @n regions of @size bytes every @stride bytes from @start. */
static void emit_many(const char *name, size_t n, uint64_t start,
		      uint64_t size, uint64_t stride)
{
	struct region *r = calloc(n, sizeof(*r));
	size_t i;

	if (!r)
		die("calloc", ENOMEM);
	for (i = 0; i < n; i++) {
		r[i].start = start + i * stride;
		r[i].size = size;
	}
	emit_regions(name, r, n);
	free(r);
}

static void gen_reg(void)
{
	unsigned char raw[64] = { 0 };
	unsigned int i;

	emit_raw_reg("reg-missing", NULL, 0);
	emit_raw_reg("reg-empty", raw, 0);
	/* Three 16-byte entries, the last one cell short. */
	for (i = 0; i < sizeof(raw); i += 16) {
		be32_put(raw + i + 4, 0x40000000 + (i << 24));
		be32_put(raw + i + 12, 0x01000000);
	}
	emit_raw_reg("reg-one-cell-short", raw, 44);
	emit_raw_reg("reg-not-multiple", raw, 40);
	emit_raw_reg("reg-odd-bytes", raw, 13);
	emit_raw_reg("reg-one-cell", raw, 4);

	EMIT_ENTRIES("only-entry-0", { GNT_START, GNT_SIZE });
	EMIT_ENTRIES("all-zero-size", { GNT_START, GNT_SIZE },
		     { 0x40400000, 0 }, { 0x80000000, 0 }, { 0, 0 });
	EMIT_ENTRIES("zero-size-mixed", { GNT_START, GNT_SIZE },
		     { 0x40400000, 0x1fc00000 }, { 0x70000000, 0 },
		     { 0x80000000, 0x40000000 });
	EMIT_ENTRIES("gnttab-zero", { 0, 0 }, { 0x40400000, 0x1fc00000 },
		     { 0x80000000, 0x40000000 });
	EMIT_ENTRIES("gnttab-overflow", { 0xffffffffffff0000ULL, 0x20000 },
		     { 0x40400000, 0x1fc00000 });

	/* The 64-bit end of the address space. */
	EMIT_REGIONS("overflow", { 0x40400000, 0x1fc00000 },
		     { 0xffffffff00000000ULL, 0x100000001ULL });
	EMIT_REGIONS("overflow-max-size", { 2, 0xffffffffffffffffULL });
	EMIT_REGIONS("end-at-max", { 0xffffffff00000000ULL, 0x100000000ULL });
	EMIT_REGIONS("end-at-max-with-good", { 0x40400000, 0x1fc00000 },
		     { 0xffffffff00000000ULL, 0x100000000ULL });
	EMIT_REGIONS("start1-size-max", { 1, 0xffffffffffffffffULL });
	EMIT_REGIONS("start0-size-max", { 0, 0xffffffffffffffffULL });

	/* Against the hotpluggable range 0x40000000-0x80003fffffff. */
	EMIT_REGIONS("below-range", { 0x10000000, 0x10000000 });
	EMIT_REGIONS("above-range", { 0x900000000000ULL, 0x40000000 });
	EMIT_REGIONS("below-and-above", { 0x10000000, 0x10000000 },
		     { 0x900000000000ULL, 0x40000000 });
	EMIT_REGIONS("partly-below", { 0x30000000, 0x20000000 });
	EMIT_REGIONS("partly-above", { 0x800000000000ULL, 0x100000000ULL });
	EMIT_REGIONS("ends-at-range-start", { 0x3fe00000, 0x200001 });

	/* Order and overlap. */
	EMIT_REGIONS("unsorted", { 0x80000000, 0x40000000 },
		     { 0x40400000, 0x1fc00000 });
	EMIT_REGIONS("unsorted-many", { 0x4e000000, 0x1000000 },
		     { 0x4c000000, 0x1000000 }, { 0x4a000000, 0x1000000 },
		     { 0x48000000, 0x1000000 }, { 0x46000000, 0x1000000 },
		     { 0x44000000, 0x1000000 }, { 0x42000000, 0x1000000 },
		     { 0x40000000, 0x1000000 });
	EMIT_REGIONS("overlap", { 0x40400000, 0x1fc00000 },
		     { 0x50000000, 0x20000000 });
	EMIT_REGIONS("overlap-one-byte", { 0x40000000, 0x10000001 },
		     { 0x50000000, 0x10000000 });
	EMIT_REGIONS("duplicate", { 0x80000000, 0x40000000 },
		     { 0x40400000, 0x1fc00000 }, { 0x80000000, 0x40000000 });
	EMIT_REGIONS("contained", { 0x40000000, 0x80000000 },
		     { 0x50000000, 0x1000 });
	EMIT_REGIONS("adjacent", { 0x40400000, 0x3fc00000 },
		     { 0x80000000, 0x40000000 });

	/* Counts: the code takes up to 1024 extended regions. */
	emit_many("regions-1024", 1024, 0x40000000, 0x100000, 0x200000);
	emit_many("regions-1025", 1025, 0x40000000, 0x100000, 0x200000);
	emit_many("regions-10000", 10000, 0x40000000, 0x100000, 0x200000);
	emit_many("regions-1025-empty", 1025, 0x40000000, 0, 0x200000);
}

/* Root cell sizes: @ac/@sc are the property bytes, NULL for none. */
static void emit_cells(const char *name, const void *ac, size_t ac_len,
		       const void *sc, size_t sc_len, unsigned int reg_ac,
		       unsigned int reg_sc)
{
	void *fdt = tree_begin();
	struct blob b;

	if (ac)
		ck(fdt_property(fdt, "#address-cells", ac, ac_len), "ac");
	if (sc)
		ck(fdt_property(fdt, "#size-cells", sc, sc_len), "sc");
	memory_node(fdt, reg_ac, reg_sc, MEM_START, MEM_SIZE);
	hyp_node(fdt, virt_regions, 2, reg_ac, reg_sc);
	b = tree_end(fdt);
	emit_blob(name, &b);
	free(b.p);
}

static void emit_cells_u32(const char *name, uint32_t ac, uint32_t sc)
{
	unsigned char a[4], s[4];

	be32_put(a, ac);
	be32_put(s, sc);
	/* reg written with as many cells as the root claims, up to 8 */
	emit_cells(name, a, 4, s, 4, ac > 8 ? 2 : ac, sc > 8 ? 2 : sc);
}

static void gen_cells(void)
{
	static const unsigned char two_cells[8] = { 0, 0, 0, 0, 0, 0, 0, 2 };
	static const unsigned char two[4] = { 0, 0, 0, 2 };

	emit_cells_u32("address-cells-0", 0, 2);
	emit_cells_u32("address-cells-3", 3, 2);
	emit_cells_u32("address-cells-5", 5, 2);
	emit_cells_u32("address-cells-huge", 0xffffffff, 2);
	emit_cells("address-cells-len-8", two_cells, 8, two, 4, 2, 2);
	emit_cells("address-cells-len-2", two + 2, 2, two, 4, 2, 2);
	emit_cells("address-cells-len-0", two, 0, two, 4, 2, 2);
	emit_cells_u32("size-cells-0", 2, 0);
	emit_cells_u32("size-cells-3", 2, 3);
	emit_cells("size-cells-len-8", two, 4, two_cells, 8, 2, 2);
	/* Absent: the specification's defaults, 2 and 1. */
	emit_cells("cells-absent", NULL, 0, NULL, 0, 2, 1);
	emit_cells_u32("cells-1-1", 1, 1);
	emit_cells_u32("cells-1-2", 1, 2);
	emit_cells_u32("cells-2-1", 2, 1);
}

/* ------------------------------------------------------------------ */
/* Nodes and compatible strings                                         */

/* Root 2/2 and the memory node; the caller adds the rest. */
static void *base_tree(void)
{
	void *fdt = tree_begin();

	root_cells(fdt, 2, 2);
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	return fdt;
}

static void emit_tree(const char *name, void *fdt)
{
	struct blob b = tree_end(fdt);

	emit_blob(name, &b);
	free(b.p);
}

/* A hypervisor node with @compat (@len bytes) and the usual regions. */
static void emit_compat(const char *name, const void *compat, size_t len)
{
	void *fdt = base_tree();

	ck(fdt_begin_node(fdt, "hypervisor"), "hypervisor");
	ck(fdt_property(fdt, "compatible", compat, len), "compatible");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	emit_tree(name, fdt);
}

static void gen_nodes(void)
{
	struct blob b;
	void *fdt;
	char *name;
	size_t off;
	int i;

	fdt = base_tree();
	emit_tree("no-hypervisor", fdt);

	emit_compat("compat-no-xen", "xen,xen-4.17", sizeof("xen,xen-4.17"));
	emit_compat("compat-prefix", "xen,xenial", sizeof("xen,xenial"));
	emit_compat("compat-case", "XEN,XEN", sizeof("XEN,XEN"));
	emit_compat("compat-empty", "", 0);
	/* Without the terminating NUL; the zero padding follows. */
	emit_compat("compat-no-nul", "xen,xen", 7);
	emit_compat("compat-list-no-nul", compat_xen, sizeof(compat_xen) - 1);

	/* Without the NUL and with a non-zero padding byte after it. */
	fdt = base_tree();
	ck(fdt_begin_node(fdt, "hypervisor"), "hypervisor");
	ck(fdt_property(fdt, "compatible", "xen,xen", 7), "compatible");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	b = tree_end(fdt);
	off = prop_offset(&b, "compatible");
	b.p[off + 12 + 7] = 'X';
	emit_blob("compat-no-nul-dirty-pad", &b);
	free(b.p);

	fdt = base_tree();
	hyp_node(fdt, virt_regions, 2, 2, 2);
	hyp_begin(fdt, "hypervisor2");
	hyp_reg(fdt, virt_regions + 1, 1, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor2");
	emit_tree("two-nodes", fdt);

	fdt = base_tree();
	hyp_begin(fdt, "hypervisor");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	hyp_node(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	emit_tree("two-nodes-nested", fdt);

	/* The root itself is the hypervisor node. */
	fdt = tree_begin();
	root_cells(fdt, 2, 2);
	ck(fdt_property(fdt, "compatible", compat_xen, sizeof(compat_xen)),
	   "compatible");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	emit_tree("hypervisor-is-root", fdt);

	/* Found wherever it is, here 400 levels down. */
	fdt = base_tree();
	for (i = 0; i < 400; i++)
		ck(fdt_begin_node(fdt, "bus"), "bus");
	hyp_node(fdt, virt_regions, 2, 2, 2);
	for (i = 0; i < 400; i++)
		ck(fdt_end_node(fdt), "end bus");
	emit_tree("hypervisor-deep", fdt);

	/* 20000 nodes to search first. */
	fdt = base_tree();
	for (i = 0; i < 20000; i++) {
		char n[32];

		snprintf(n, sizeof(n), "dev@%x", i);
		ck(fdt_begin_node(fdt, n), "dev");
		ck(fdt_property_string(fdt, "compatible", "xen,xen-4.17"), "c");
		ck(fdt_end_node(fdt), "end dev");
	}
	hyp_node(fdt, virt_regions, 2, 2, 2);
	emit_tree("many-nodes", fdt);

	/* A 4000-character node name. */
	name = malloc(4001);
	if (!name)
		die("malloc", ENOMEM);
	memset(name, 'h', 4000);
	name[4000] = '\0';
	fdt = base_tree();
	hyp_node(fdt, virt_regions, 2, 2, 2);
	ck(fdt_begin_node(fdt, name), "long");
	ck(fdt_end_node(fdt), "end long");
	emit_tree("long-node-name", fdt);
	free(name);

	/* The hypervisor node's own cell sizes do not apply to its reg. */
	fdt = base_tree();
	hyp_begin(fdt, "hypervisor");
	root_cells(fdt, 1, 1);
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	emit_tree("hypervisor-own-cells", fdt);

	/* A 10000-string compatible list ending with "xen,xen". */
	name = malloc(10000 * 8 + 8);
	if (!name)
		die("malloc", ENOMEM);
	for (i = 0; i < 10000; i++)
		memcpy(name + 8 * i, "vendor,", 8);
	memcpy(name + 80000, "xen,xen", 8);
	fdt = base_tree();
	ck(fdt_begin_node(fdt, "hypervisor"), "hypervisor");
	ck(fdt_property(fdt, "compatible", name, 80008), "compatible");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	emit_tree("compat-huge-list", fdt);
	free(name);

	/* reg twice in the node: the first one counts. */
	fdt = base_tree();
	hyp_begin(fdt, "hypervisor");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_property(fdt, "reg", "bad", 3), "reg2");
	ck(fdt_end_node(fdt), "end hypervisor");
	emit_tree("reg-twice", fdt);

	/* NOP tags in place of properties and nodes. */
	fdt = base_tree();
	ck(fdt_begin_node(fdt, "gone"), "gone");
	ck(fdt_property_string(fdt, "compatible", "xen,xen"), "compatible");
	ck(fdt_end_node(fdt), "end gone");
	hyp_begin(fdt, "hypervisor");
	ck(fdt_property_string(fdt, "model", "nop me"), "model");
	hyp_reg(fdt, virt_regions, 2, 2, 2);
	ck(fdt_end_node(fdt), "end hypervisor");
	b = tree_end(fdt);
	ck(fdt_nop_property(b.p, fdt_path_offset(b.p, "/hypervisor"), "model"),
	   "nop model");
	ck(fdt_nop_node(b.p, fdt_path_offset(b.p, "/gone")), "nop gone");
	emit_blob("nops", &b);
	ck(fdt_nop_property(b.p, fdt_path_offset(b.p, "/hypervisor"), "reg"),
	   "nop reg");
	emit_blob("reg-nop", &b);
	free(b.p);

	/* The root node with a name. */
	fdt = malloc(TREE_MAX);
	if (!fdt)
		die("malloc", ENOMEM);
	ck(fdt_create(fdt, TREE_MAX), "fdt_create");
	ck(fdt_finish_reservemap(fdt), "reservemap");
	ck(fdt_begin_node(fdt, "root"), "root");
	root_cells(fdt, 2, 2);
	memory_node(fdt, 2, 2, MEM_START, MEM_SIZE);
	hyp_node(fdt, virt_regions, 2, 2, 2);
	emit_tree("root-named", fdt);
}

/* ------------------------------------------------------------------ */
/* Memory nodes: they set PHYS_OFFSET, thus the hotpluggable range      */

static void gen_memory(void)
{
	static const struct region low = { 0x10000000, 0x10000000 };
	void *fdt;

	/* No memory node: PHYS_OFFSET 0. */
	fdt = tree_begin();
	root_cells(fdt, 2, 2);
	hyp_node(fdt, &low, 1, 2, 2);
	emit_tree("no-memory-node", fdt);

	/* A memory reg of three cells is ignored: PHYS_OFFSET 0. */
	fdt = tree_begin();
	root_cells(fdt, 2, 2);
	ck(fdt_begin_node(fdt, "memory@0"), "memory");
	ck(fdt_property_string(fdt, "device_type", "memory"), "device_type");
	ck(fdt_property(fdt, "reg", "\0\0\0\0\x10\0\0\0\0\0\0\0", 12), "reg");
	ck(fdt_end_node(fdt), "end memory");
	hyp_node(fdt, &low, 1, 2, 2);
	emit_tree("memory-bad-reg", fdt);

	/* RAM at 2^48: PHYS_OFFSET past the 48-bit PA range. */
	fdt = tree_begin();
	root_cells(fdt, 2, 2);
	memory_node(fdt, 2, 2, 1ULL << 48, MEM_SIZE);
	hyp_node(fdt, virt_regions, 2, 2, 2);
	emit_tree("memory-beyond-pa", fdt);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_hostile OUTDIR | --list\n");
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		list_only = 1;
	} else {
		out_dir = argv[1];
		if (mkdir(out_dir, 0777) && errno != EEXIST)
			die(out_dir, errno);
	}
	gen_blob_level();
	gen_mangled_valid();
	gen_reg();
	gen_cells();
	gen_nodes();
	gen_memory();
	if (!list_only)
		printf("gen_hostile: %u blobs in %s\n", nr_written, out_dir);
	return 0;
}

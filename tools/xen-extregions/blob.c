// SPDX-License-Identifier: GPL-2.0-only
/* xen-extregions: loading device trees and making them from Xen's log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/of_fdt.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <host/model.h>
#include <host/xen-public-arm.h>

#include "tool.h"

/* Far larger than any device tree a kernel accepts. */
#define BLOB_MAX	(64u << 20)

/* Reads all of @f (at most BLOB_MAX bytes) into @b. */
int blob_read_stream(FILE *f, struct blob *b)
{
	size_t cap = 0, n;
	char *p;

	b->fdt = NULL;
	b->size = 0;
	for (;;) {
		if (b->size == cap) {
			if (cap >= BLOB_MAX)
				return -EFBIG;
			cap = cap ? 2 * cap : 65536;
			p = realloc(b->fdt, cap);
			if (!p)
				return -ENOMEM;
			b->fdt = p;
		}
		n = fread((char *)b->fdt + b->size, 1, cap - b->size, f);
		if (!n)
			return ferror(f) ? -EIO : 0;
		b->size += n;
	}
}

static bool is_dts(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".dts");
}

/* Compiles a .dts with dtc; its output is read back through a pipe. */
static FILE *open_dts(const char *path)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("dtc", "dtc", "-q", "-I", "dts", "-O", "dtb", path,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	return fdopen(fds[0], "r");
}

int blob_load(const char *path, struct blob *b, char *err, size_t errlen)
{
	bool dts = is_dts(path);
	FILE *f = dts ? open_dts(path) : fopen(path, "rb");
	int ret, status = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -EIO;
	}
	ret = blob_read_stream(f, b);
	fclose(f);
	if (dts && (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)))
		ret = ret ? ret : -EINVAL;
	if (ret) {
		snprintf(err, errlen, "%s: %s", path,
			 dts ? "dtc could not compile it" : strerror(-ret));
		blob_free(b);
		return ret;
	}
	ret = blob_check(b->fdt, b->size);
	if (ret) {
		snprintf(err, errlen, "%s: not a valid device tree blob: %s",
			 path, fdt_strerror(ret));
		blob_free(b);
		return -EINVAL;
	}
	return 0;
}

/*
 * The checks a blob from anywhere must pass before kernel code reads it.
 * libfdt 1.6's fdt_check_full() dereferences a NULL node name on blobs
 * older than version 16 (names were full paths then), so those are refused
 * first: dtc and Xen write version 17.
 */
int blob_check(const void *fdt, size_t size)
{
	int ret;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	ret = fdt_check_header(fdt);
	if (ret)
		return ret;
	if (fdt_version(fdt) < 16)
		return -FDT_ERR_BADVERSION;
	return fdt_check_full(fdt, size);
}

static int put_cells(void *fdt, const struct range *r, unsigned int nr)
{
	fdt64_t *reg = calloc(2 * (nr + 1), sizeof(*reg));
	unsigned int i;
	int ret;

	if (!reg)
		return -FDT_ERR_NOSPACE;
	/* Entry 0, the grant table, is unknown from the log: left empty. */
	for (i = 0; i < nr; i++) {
		reg[2 * i + 2] = cpu_to_fdt64(r[i].start);
		reg[2 * i + 3] = cpu_to_fdt64(r[i].end - r[i].start + 1);
	}
	ret = fdt_property(fdt, "reg", reg, 2 * (nr + 1) * sizeof(*reg));
	free(reg);
	return ret;
}

/* A minimal tree whose hypervisor node advertises @r, with a domU's
 * root cell sizes.
 */
int blob_from_regions(const struct range *r, unsigned int nr,
		      struct blob *b)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	size_t size = 4096 + 16 * (size_t)(nr + 1);
	void *fdt = malloc(size);
	int ret;

	if (!fdt)
		return -ENOMEM;
	ret = fdt_create(fdt, size);
	ret = ret ?: fdt_finish_reservemap(fdt);
	ret = ret ?: fdt_begin_node(fdt, "");
	ret = ret ?: fdt_property_u32(fdt, "#address-cells",
				      GUEST_ROOT_ADDRESS_CELLS);
	ret = ret ?: fdt_property_u32(fdt, "#size-cells",
				      GUEST_ROOT_SIZE_CELLS);
	ret = ret ?: fdt_begin_node(fdt, "hypervisor");
	ret = ret ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	ret = ret ?: put_cells(fdt, r, nr);
	ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_finish(fdt);
	if (ret) {
		free(fdt);
		return -ENOMEM;
	}
	b->fdt = fdt;
	b->size = size;
	return 0;
}

typedef int (*bank_fn)(u64 start, u64 size, void *data);

/* Calls @fn for each bank of each memory node; bounded, like the kernel. */
static int for_each_bank(const void *fdt, bank_fn fn, void *data)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node = -1, len, i, j, ret;
	const fdt32_t *reg;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -EINVAL;
	for (;;) {
		node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", sizeof("memory"));
		if (node < 0)
			return node == -FDT_ERR_NOTFOUND ? 0 : -EINVAL;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < 0)
			continue;
		for (i = 0; i + (ac + sc) * 4 <= len; i += (ac + sc) * 4) {
			const fdt32_t *p = reg + i / 4;
			u64 start = 0, size = 0;

			for (j = 0; j < ac; j++)
				start = (start << 32) | fdt32_ld(p++);
			for (j = 0; j < sc; j++)
				size = (size << 32) | fdt32_ld(p++);
			if (size && size - 1 <= U64_MAX - start) {
				ret = fn(start, size, data);
				if (ret)
					return ret;
			}
		}
	}
}

static int lowest_bank(u64 start, u64 size, void *data)
{
	u64 *lowest = data;

	if (start < *lowest)
		*lowest = start;
	return 0;
}

/* Lowest RAM address of the memory nodes; -ENOENT without any. */
int blob_lowest_memory(const void *fdt, u64 *lowest)
{
	int ret;

	*lowest = U64_MAX;
	ret = for_each_bank(fdt, lowest_bank, lowest);
	if (!ret && *lowest == U64_MAX)
		ret = -ENOENT;
	return ret;
}

static int add_ram(u64 start, u64 size, void *data)
{
	struct resource *res = kzalloc(sizeof(*res), GFP_KERNEL);

	if (!res)
		return -ENOMEM;
	res->name = "System RAM";
	res->flags = IORESOURCE_MEM | IORESOURCE_SYSRAM | IORESOURCE_BUSY;
	res->start = start;
	res->end = start + size - 1;
	/* Overlapping banks in a bad tree: keep the first, as boot does. */
	if (insert_resource(&iomem_resource, res))
		kfree(res);
	return 0;
}

/* Seeds iomem_resource with the memory banks, as the kernel's boot does. */
int blob_add_memory_resources(const void *fdt)
{
	return for_each_bank(fdt, add_ram, NULL);
}

/*
 * Boots the kernel side on @fdt as an arm64 Xen guest would: PHYS_OFFSET
 * from the lowest memory bank (when @set_phys_offset and there is one),
 * the banks as System RAM in iomem_resource, then the allocator's early
 * initcall, whose result is returned, and its late one (debugfs).  @fdt must outlive the process's use
 * of the kernel code.
 */
int blob_boot(void *fdt, bool set_phys_offset)
{
	u64 lowest;
	int ret;

	if (set_phys_offset && !blob_lowest_memory(fdt, &lowest))
		host_arm64.phys_offset = ALIGN_DOWN(lowest,
						    host_arm64_memstart_align());
	blob_add_memory_resources(fdt);
	xen_domain_type = XEN_HVM_DOMAIN;
	initial_boot_params = fdt;
	ret = host_initcall_xen_unpopulated_init();
	/* The late initcall that makes the debugfs view. */
	host_initcall_xen_unpopulated_debugfs();
	return ret;
}

void blob_free(struct blob *b)
{
	free(b->fdt);
	b->fdt = NULL;
	b->size = 0;
}

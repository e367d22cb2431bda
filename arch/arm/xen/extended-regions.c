// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen extended regions on Arm: read the unused guest-physical address space
 * that Xen advertises in the hypervisor node of the device tree and turn it
 * into the target resource of the unpopulated-memory allocator.
 *
 * reg entry 0 of the hypervisor node is the grant-table window; entries
 * 1..N are extended regions.  The target resource spans the regions that
 * fall inside the hotpluggable range; the holes between regions become busy
 * children so that nothing is ever carved from them.
 */

#define pr_fmt(fmt) "xen-ext-regions: " fmt

#include <linux/acpi.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/libfdt.h>
#include <linux/memory_hotplug.h>
#include <linux/minmax.h>
#include <linux/of_fdt.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include <xen/extended-regions.h>
#include <xen/xen.h>

static struct resource xen_ext_resource = {
	.name	= "Xen unused space",
	.flags	= IORESOURCE_MEM,
};

static __printf(3, 4) int __init xen_ext_fail(struct xen_ext_regions *er,
					      int err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(er->reason, sizeof(er->reason), fmt, args);
	va_end(args);
	return err;
}

static u64 __init xen_ext_cells(const fdt32_t *p, u32 cells)
{
	u64 val = 0;

	while (cells--)
		val = (val << 32) | fdt32_ld(p++);
	return val;
}

/* Reads entry @idx of @reg; returns false when start + size passes 2^64. */
static bool __init xen_ext_entry(const struct xen_ext_regions *er,
				 const fdt32_t *reg, int idx,
				 struct range *r, u64 *size)
{
	const fdt32_t *p = reg + idx * (er->addr_cells + er->size_cells);

	r->start = xen_ext_cells(p, er->addr_cells);
	*size = xen_ext_cells(p + er->addr_cells, er->size_cells);
	r->end = r->start + *size - 1;
	return !*size || *size - 1 <= U64_MAX - r->start;
}

/**
 * xen_ext_regions_read() - read the hypervisor node of a flattened tree
 * @fdt: the blob; its header must have been checked
 * @er: filled with what the node says, and with the reason on failure
 *
 * Finds the one node compatible with "xen,xen", checks the root's cell
 * sizes and the length of its reg property, and records entry 0 as the
 * grant table and every non-empty entry 1..N as an extended region, in
 * device-tree order.  Empty entries are skipped with a warning.  Every
 * property length is bounded here: the blob may come from anywhere.
 *
 * Return: 0 with @er->regions allocated (free it with
 * xen_ext_regions_free()), -ENODEV without a hypervisor node, -ENOENT
 * without extended regions, -E2BIG for more than XEN_EXT_REGIONS_MAX,
 * -EINVAL for a malformed node, -ENOMEM.  On error nothing is allocated
 * and @er->reason says why.
 */
int __init xen_ext_regions_read(const void *fdt, struct xen_ext_regions *er)
{
	const fdt32_t *reg;
	int ac, sc, len, entry, n, i, off;
	struct range r;
	u64 size;

	memset(er, 0, sizeof(*er));
	er->node = fdt_node_offset_by_compatible(fdt, -1, "xen,xen");
	if (er->node == -FDT_ERR_NOTFOUND)
		return xen_ext_fail(er, -ENODEV, "no hypervisor node");
	if (er->node < 0)
		return xen_ext_fail(er, -EINVAL, "cannot search the device tree: %s",
				    fdt_strerror(er->node));
	off = fdt_node_offset_by_compatible(fdt, er->node, "xen,xen");
	if (off != -FDT_ERR_NOTFOUND)
		return xen_ext_fail(er, -EINVAL, off >= 0 ?
				    "more than one hypervisor node" :
				    "cannot search the device tree");

	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	if (ac < 0 || sc < 0)
		return xen_ext_fail(er, -EINVAL,
				    "root #address-cells/#size-cells malformed, not supported (1 or 2 each)");
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return xen_ext_fail(er, -EINVAL,
				    "root #address-cells/#size-cells %d/%d not supported (1 or 2 each)",
				    ac, sc);
	er->addr_cells = ac;
	er->size_cells = sc;

	reg = fdt_getprop(fdt, er->node, "reg", &len);
	if (!reg && len == -FDT_ERR_NOTFOUND)
		return xen_ext_fail(er, -ENOENT,
				    "hypervisor node has no reg property");
	entry = (ac + sc) * sizeof(fdt32_t);
	if (!reg || len <= 0 || len % entry)
		return xen_ext_fail(er, -EINVAL,
				    "hypervisor reg length %d is not a non-zero multiple of %d",
				    len, entry);
	n = len / entry;

	if (!xen_ext_entry(er, reg, 0, &er->gnttab, &size))
		return xen_ext_fail(er, -EINVAL, "grant-table entry passes 2^64");
	er->has_gnttab = size != 0;
	if (n == 1)
		return xen_ext_fail(er, -ENOENT, "no extended regions");
	if (n - 1 > XEN_EXT_REGIONS_MAX)
		return xen_ext_fail(er, -E2BIG,
				    "%d extended regions, more than %d",
				    n - 1, XEN_EXT_REGIONS_MAX);

	er->regions = kcalloc(n - 1, sizeof(*er->regions), GFP_KERNEL);
	if (!er->regions)
		return xen_ext_fail(er, -ENOMEM, "out of memory");

	for (i = 1; i < n; i++) {
		if (!xen_ext_entry(er, reg, i, &r, &size)) {
			xen_ext_regions_free(er);
			return xen_ext_fail(er, -EINVAL,
					    "extended region %d (%#llx + %#llx) passes 2^64",
					    i, r.start, size);
		}
		if (!size) {
			pr_warn("reg entry %d at %#llx is empty, skipped\n",
				i, r.start);
			continue;
		}
		er->regions[er->nr++] = r;
	}
	if (!er->nr) {
		xen_ext_regions_free(er);
		return xen_ext_fail(er, -ENOENT, "all extended regions are empty");
	}
	return 0;
}

static int __init xen_ext_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->start == y->start)
		return 0;
	return x->start < y->start ? -1 : 1;
}

static int __init xen_ext_add_hole(struct resource *res, u64 start, u64 end)
{
	struct resource *hole;
	int ret;

	hole = kzalloc(sizeof(*hole), GFP_KERNEL);
	if (!hole)
		return -ENOMEM;
	hole->name = "Unavailable space";
	hole->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	hole->start = start;
	hole->end = end;
	ret = insert_resource(res, hole);
	if (ret)
		kfree(hole);
	return ret;
}

/**
 * xen_ext_regions_build() - turn extended regions into a target resource
 * @er: regions read by xen_ext_regions_read(); @er->reason is set on error
 * @limit: the address range the kernel can hotplug, inclusive
 * @res: the resource to fill; it must have no children
 *
 * Sorts the regions, refuses overlapping ones, clamps the span of all
 * regions to @limit and inserts every hole between two regions that is
 * left inside the span as a busy child of @res.  Adjacent regions leave no
 * hole; holes outside the span are clipped or skipped.
 *
 * Return: 0, -EINVAL for overlapping regions, -ERANGE when no region
 * reaches into @limit, -ENOMEM or the error of insert_resource().  On error
 * @res has no children.
 */
int __init xen_ext_regions_build(struct xen_ext_regions *er, struct range limit,
				 struct resource *res)
{
	struct range *s;
	bool inside = false;
	unsigned int i;
	u64 start, end;
	int ret = 0;

	s = kmalloc_array(er->nr, sizeof(*s), GFP_KERNEL);
	if (!s)
		return xen_ext_fail(er, -ENOMEM, "out of memory");
	memcpy(s, er->regions, er->nr * sizeof(*s));
	sort(s, er->nr, sizeof(*s), xen_ext_cmp, NULL);

	for (i = 0; i < er->nr; i++) {
		if (i && s[i].start <= s[i - 1].end) {
			ret = xen_ext_fail(er, -EINVAL,
					   "extended regions %#llx-%#llx and %#llx-%#llx overlap",
					   s[i - 1].start, s[i - 1].end,
					   s[i].start, s[i].end);
			goto out;
		}
		if (s[i].start <= limit.end && s[i].end >= limit.start)
			inside = true;
	}
	if (!inside) {
		ret = xen_ext_fail(er, -ERANGE,
				   "no extended region inside the hotpluggable range %#llx-%#llx",
				   limit.start, limit.end);
		goto out;
	}

	res->start = max(s[0].start, limit.start);
	res->end = min(s[er->nr - 1].end, limit.end);

	for (i = 1; i < er->nr; i++) {
		/* Sorted and disjoint: s[i - 1].end < s[i].start, no overflow. */
		start = max(s[i - 1].end + 1, res->start);
		end = min(s[i].start - 1, res->end);
		if (start > end)
			continue;
		ret = xen_ext_add_hole(res, start, end);
		if (ret) {
			xen_ext_regions_release(res);
			if (ret == -ENOMEM)
				xen_ext_fail(er, ret, "out of memory");
			else
				xen_ext_fail(er, ret, "cannot mark hole %#llx-%#llx busy",
					     start, end);
			goto out;
		}
	}
out:
	kfree(s);
	return ret;
}

/**
 * xen_ext_regions_release() - drop the holes xen_ext_regions_build() added
 * @res: the target resource; every child must be a hole it inserted
 */
void __init xen_ext_regions_release(struct resource *res)
{
	struct resource *hole;

	while ((hole = res->child)) {
		release_resource(hole);
		kfree(hole);
	}
}

/**
 * xen_ext_regions_free() - free the regions read by xen_ext_regions_read()
 * @er: the record; its other fields stay as they are
 */
void __init xen_ext_regions_free(struct xen_ext_regions *er)
{
	kfree(er->regions);
	er->regions = NULL;
	er->nr = 0;
}

/**
 * arch_xen_unpopulated_init() - find the address space for Xen scratch pages
 * @res: set to the target resource on success
 *
 * Return: 0, or a negative errno after logging why the allocator has to
 * fall back to ballooned pages.
 */
int __init arch_xen_unpopulated_init(struct resource **res)
{
	struct xen_ext_regions er = { .node = -1 };
	unsigned int i;
	int ret;

	if (!xen_domain())
		ret = xen_ext_fail(&er, -ENODEV, "not running on Xen");
	else if (!acpi_disabled)
		ret = xen_ext_fail(&er, -ENODEV, "ACPI boot, Xen gives no extended regions");
	else if (!initial_boot_params)
		ret = xen_ext_fail(&er, -ENODEV, "no flattened device tree");
	else
		ret = xen_ext_regions_read(initial_boot_params, &er);
	if (!ret)
		ret = xen_ext_regions_build(&er, mhp_get_pluggable_range(true),
					    &xen_ext_resource);
	if (ret) {
		pr_warn("%s, using ballooned pages\n", er.reason);
		xen_ext_regions_free(&er);
		return ret;
	}

	for (i = 0; i < er.nr; i++)
		pr_info("extended region %u: %#llx-%#llx\n", i,
			er.regions[i].start, er.regions[i].end);
	pr_info("target %#llx-%#llx\n", (u64)xen_ext_resource.start,
		(u64)xen_ext_resource.end);
	xen_ext_regions_free(&er);
	*res = &xen_ext_resource;
	return 0;
}

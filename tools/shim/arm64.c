// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host model of the arm64 kernel's memory layout and boot state: the
 * hotpluggable range comes from the configured page size, VA and PA bits
 * and PHYS_OFFSET, as arch_get_mappable_range() computes it.
 */
#include <linux/kernel.h>
#include <linux/acpi.h>
#include <linux/memory_hotplug.h>
#include <linux/of_fdt.h>
#include <xen/xen.h>
#include <host/model.h>

struct host_arm64 host_arm64 = {
	.page_shift = 12, .va_bits = 48, .pa_bits = 48, .section_bits = 27,
};

enum xen_domain_type xen_domain_type = XEN_NATIVE;
int acpi_disabled = 1;
void *initial_boot_params;

unsigned int host_arm64_default_section_bits(unsigned int page_shift)
{
	return page_shift == 16 ? 29 : 27;
}

void host_arm64_reset(void)
{
	host_arm64.page_shift = 12;
	host_arm64.va_bits = 48;
	host_arm64.pa_bits = 48;
	host_arm64.section_bits = host_arm64_default_section_bits(12);
	host_arm64.phys_offset = 0;
	host_arm64.kasan_shift = 0;
}

u64 host_arm64_memstart_align(void)
{
	return host_arm64.page_shift == 16 ? 1ULL << 29 : 1ULL << 30;
}

/*
 * The linear map covers [PAGE_OFFSET, PAGE_END), which is 2^va_bits minus
 * 2^(VA_BITS_MIN - 1) bytes starting at PHYS_OFFSET; MAX_PHYSMEM_BITS caps
 * the end. With generic or software-tag KASAN, PAGE_END is the start of the
 * shadow, which ends where the linear map would otherwise end (the
 * default KASAN_SHADOW_OFFSET) and is 2^(va_bits - scale shift) long: a
 * 39-bit kernel with generic KASAN maps 192 GiB instead of 256 GiB.
 */
struct range mhp_get_pluggable_range(bool need_mapping)
{
	unsigned int va = host_arm64.va_bits;
	unsigned int va_min = va > 48 ? 48 : va;
	u64 max_phys = (host_arm64.pa_bits >= 64) ? U64_MAX :
		       (1ULL << host_arm64.pa_bits) - 1;
	struct range r = { .start = 0, .end = max_phys };

	if (!need_mapping)
		return r;
	r.start = host_arm64.phys_offset;
	r.end = r.start + (1ULL << va) - (1ULL << (va_min - 1)) - 1;
	if (host_arm64.kasan_shift)
		r.end -= 1ULL << (va - host_arm64.kasan_shift);
	if (r.start > max_phys)
		r.start = r.end = 0;
	r.end = min(r.end, max_phys);
	return r;
}

// SPDX-License-Identifier: GPL-2.0-only
/* Host fault injection: any model can be told to fail one future call. */
#include <host/model.h>

static unsigned long calls[HOST_FAULT_NR];
static unsigned long fail_at[HOST_FAULT_NR];	/* call number + 1, 0: off */

static const char *const names[HOST_FAULT_NR] = {
	[HOST_FAULT_SLAB]		= "slab",
	[HOST_FAULT_RESOURCE_ALLOC]	= "allocate_resource",
	[HOST_FAULT_RESOURCE_INSERT]	= "insert_resource",
	[HOST_FAULT_MEMREMAP]		= "memremap_pages",
	[HOST_FAULT_BALLOON]		= "balloon",
	[HOST_FAULT_P2M_SET]		= "set_phys_to_machine",
	[HOST_FAULT_P2M_ALLOC]		= "xen_alloc_p2m_entry",
};

void host_fault_arm(enum host_fault f, unsigned long skip)
{
	__atomic_store_n(&fail_at[f],
			 __atomic_load_n(&calls[f], __ATOMIC_RELAXED) + skip + 1,
			 __ATOMIC_RELAXED);
}

void host_fault_clear(void)
{
	for (int f = 0; f < HOST_FAULT_NR; f++)
		__atomic_store_n(&fail_at[f], 0, __ATOMIC_RELAXED);
}

unsigned long host_fault_calls(enum host_fault f)
{
	return __atomic_load_n(&calls[f], __ATOMIC_RELAXED);
}

bool host_fault_hit(enum host_fault f)
{
	unsigned long n = __atomic_add_fetch(&calls[f], 1, __ATOMIC_RELAXED);
	unsigned long at = __atomic_load_n(&fail_at[f], __ATOMIC_RELAXED);

	if (at && n == at) {
		__atomic_store_n(&fail_at[f], 0, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

const char *host_fault_name(enum host_fault f)
{
	return f < HOST_FAULT_NR ? names[f] : "?";
}

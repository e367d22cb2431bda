// SPDX-License-Identifier: GPL-2.0-only
/* Host CPUs: which of the model's NR_CPUS CPUs each host thread runs on. */
#include <stdlib.h>

#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <host/model.h>

__thread int host_cpu = -1;
__thread int host_preempt_count;
__thread int host_mutex_depth;
static long percpu_live;
static unsigned int next_cpu;

int host_cpu_assign(void)
{
	host_cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % NR_CPUS;
	return host_cpu;
}

void host_cpu_set(unsigned int cpu)
{
	if (cpu >= NR_CPUS)
		abort();
	host_cpu = cpu;
}

/* Each allocation starts with its size, for the count of live bytes. */
void *host_alloc_percpu(size_t size)
{
	size_t *p;

	if (host_fault_hit(HOST_FAULT_SLAB))
		return NULL;
	p = calloc(1, sizeof(*p) + NR_CPUS * size + 64);
	if (!p)
		return NULL;
	*p = NR_CPUS * size;
	__atomic_add_fetch(&percpu_live, *p, __ATOMIC_RELAXED);
	/* Aligned as a kernel allocation: the copies hold spinlocks. */
	return (char *)p + 64;
}

void host_free_percpu(void *ptr)
{
	size_t *p;

	if (!ptr)
		return;
	p = (size_t *)((char *)ptr - 64);
	__atomic_sub_fetch(&percpu_live, *p, __ATOMIC_RELAXED);
	free(p);
}

unsigned long host_percpu_bytes(void)
{
	return __atomic_load_n(&percpu_live, __ATOMIC_RELAXED);
}

// SPDX-License-Identifier: GPL-2.0-only
/* Host CPUs: which of the model's NR_CPUS CPUs each host thread runs on. */
#include <stdlib.h>

#include <linux/cpumask.h>
#include <host/model.h>

__thread int host_cpu = -1;
__thread int host_preempt_count;
__thread int host_mutex_depth;
/* The linker's bounds of the per-CPU section; absent without variables. */
extern char __start_host_percpu[] __attribute__((weak));
extern char __stop_host_percpu[] __attribute__((weak));
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

unsigned long host_percpu_bytes(void)
{
	return __stop_host_percpu - __start_host_percpu;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/cpumask.h>: NR_CPUS possible CPUs, all of them
 * online; the CPU a host thread runs on is its own (tools/shim/percpu.c).
 * Three, so that the four workers of test-stress share one, as tasks do.
 */
#ifndef _HOST_LINUX_CPUMASK_H
#define _HOST_LINUX_CPUMASK_H

#define NR_CPUS		3

extern __thread int host_cpu;
int host_cpu_assign(void);

static inline unsigned int raw_smp_processor_id(void)
{
	return host_cpu >= 0 ? host_cpu : host_cpu_assign();
}

#define for_each_possible_cpu(cpu)					\
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)

#endif

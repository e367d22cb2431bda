/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/percpu.h>: a per-CPU allocation holds one
 * copy per possible CPU, side by side, and each host thread runs on one
 * CPU of the model, given to it the first time it asks (round robin, so
 * threads may share one, as tasks do) or set with host_cpu_set().  Only
 * dynamic per-CPU memory exists here (alloc_percpu(), zeroed, NULL when
 * out of memory), with the pointer forms kernel code uses on it:
 * per_cpu_ptr(ptr, cpu) and raw_cpu_ptr(ptr).
 */
#ifndef _HOST_LINUX_PERCPU_H
#define _HOST_LINUX_PERCPU_H

#include <stddef.h>
#include <linux/cpumask.h>

#define __percpu

void *host_alloc_percpu(size_t size);
void host_free_percpu(void *p);

#define alloc_percpu(type)	((type *)host_alloc_percpu(sizeof(type)))
#define free_percpu(p)		host_free_percpu(p)
#define per_cpu_ptr(ptr, cpu)	((ptr) + (cpu))
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, raw_smp_processor_id())

#endif

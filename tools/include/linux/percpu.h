/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/percpu.h>: a per-CPU variable is an array with
 * one copy per possible CPU, and each host thread runs on one CPU of the
 * model, given to it the first time it asks (round robin, so threads may
 * share one, as tasks do) or set with host_cpu_set().  Only the pointer
 * forms kernel code uses here exist: per_cpu_ptr(&var, cpu) and
 * raw_cpu_ptr(&var).
 */
#ifndef _HOST_LINUX_PERCPU_H
#define _HOST_LINUX_PERCPU_H

#include <linux/cpumask.h>

/* In a section of their own, as the kernel's, so that they can be counted. */
#define DEFINE_PER_CPU(type, name)	\
	__typeof__(type) name[NR_CPUS] __attribute__((section("host_percpu")))

#define per_cpu_ptr(ptr, cpu)	(&(*(ptr))[(cpu)])
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, raw_smp_processor_id())

#endif

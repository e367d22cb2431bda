/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/kernel.h>: the basics kernel code expects. */
#ifndef _HOST_LINUX_KERNEL_H
#define _HOST_LINUX_KERNEL_H

#include <stdio.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/bug.h>
/* The kernel's has <linux/export.h> through <linux/linkage.h>. */
#include <linux/export.h>
#include <linux/preempt.h>

#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define ALIGN(x, a)	(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)	((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define upper_32_bits(n)	((u32)((u64)(n) >> 32))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/*
 * As with CONFIG_DEBUG_ATOMIC_SLEEP, which the tests' builds model along
 * with lockdep: a call that may sleep warns where its task cannot.
 */
#ifdef CONFIG_LOCKDEP
#define might_sleep()	WARN_ONCE(!preemptible(),			\
				  "BUG: sleeping function called from invalid context\n")
#else
#define might_sleep()	do { } while (0)
#endif
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif

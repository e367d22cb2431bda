/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/log2.h>. */
#ifndef _HOST_LINUX_LOG2_H
#define _HOST_LINUX_LOG2_H

#include <linux/types.h>

/* log2 of @n rounded down; @n must not be 0.  An int, as the kernel's. */
static inline int ilog2(unsigned long n)
{
	return 63 - __builtin_clzl(n);
}

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* log2 of @n rounded up; 0 for 0 and 1. */
static inline int order_base_2(unsigned long n)
{
	return n > 1 ? ilog2(n - 1) + 1 : 0;
}

#endif

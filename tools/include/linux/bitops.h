/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/bitops.h>: the bit operations are in bitmap.h. */
#ifndef _HOST_LINUX_BITOPS_H
#define _HOST_LINUX_BITOPS_H

#include <linux/bitmap.h>

/* The index of the lowest set bit of @word, which must not be 0. */
static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* The number of bits set in @w. */
static inline unsigned int hweight_long(unsigned long w)
{
	return __builtin_popcountl(w);
}

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_BITS_H
#define _HOST_LINUX_BITS_H

#define BITS_PER_LONG	64
#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))
/* Bits @l to @h of a long, both included. */
#define GENMASK(h, l)	((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_RANGE_H
#define _HOST_LINUX_RANGE_H

#include <linux/types.h>

/* An address range with an inclusive end, as in the kernel. */
struct range {
	u64 start;
	u64 end;
};

static inline u64 range_len(const struct range *range)
{
	return range->end - range->start + 1;
}

#endif

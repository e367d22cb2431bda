/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_MINMAX_H
#define _HOST_LINUX_MINMAX_H

/* Same-type min/max as in the kernel: mixing types fails to compile. */
#define __host_cmp(x, y, op) ({				\
	__typeof__(x) _x = (x);				\
	__typeof__(y) _y = (y);				\
	(void)(&_x == &_y);				\
	_x op _y ? _x : _y; })
#define min(x, y)	__host_cmp(x, y, <)
#define max(x, y)	__host_cmp(x, y, >)
#define min_t(t, x, y)	min((t)(x), (t)(y))
#define max_t(t, x, y)	max((t)(x), (t)(y))
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)

#endif

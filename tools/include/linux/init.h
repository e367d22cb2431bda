/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/init.h>.  An initcall becomes a callable
 * function host_initcall_<fn>() so that host programs can run it.
 */
#ifndef _HOST_LINUX_INIT_H
#define _HOST_LINUX_INIT_H

#include <linux/compiler.h>

#define early_initcall(fn)				\
	int host_initcall_##fn(void);			\
	int host_initcall_##fn(void) { return fn(); }
#define subsys_initcall(fn)	early_initcall(fn)
#define late_initcall(fn)	early_initcall(fn)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/jiffies.h>.  Time stands still unless a host
 * program moves it with host_jiffies_advance() (tools/shim/workqueue.c).
 */
#ifndef _HOST_LINUX_JIFFIES_H
#define _HOST_LINUX_JIFFIES_H

#define HZ	250

/* The kernel's timer tick writes it while others read: atomic here. */
extern unsigned long host_jiffies;
#define jiffies		__atomic_load_n(&host_jiffies, __ATOMIC_RELAXED)

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/preempt.h>: each host thread counts the
 * sections in which its task could not sleep (spinlocks held,
 * preempt_disable()), for might_sleep() to check.
 */
#ifndef _HOST_LINUX_PREEMPT_H
#define _HOST_LINUX_PREEMPT_H

extern __thread int host_preempt_count;

#define preempt_disable()	do { host_preempt_count++; } while (0)
#define preempt_enable()	do { host_preempt_count--; } while (0)
#define preemptible()		(!host_preempt_count)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/workqueue.h>: delayed work items that run
 * when a host program calls host_workqueue_run() and their time has come
 * (tools/shim/workqueue.c).  As in the kernel, scheduling a pending item
 * does nothing, and an item runs at most once at a time.
 */
#ifndef _HOST_LINUX_WORKQUEUE_H
#define _HOST_LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/jiffies.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
	unsigned long host_expires;
	bool host_pending;
	bool host_running;
	struct delayed_work *host_next;
};

#define DECLARE_DELAYED_WORK(n, f)					\
	struct delayed_work n = { .work = { .func = (f) } }

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);

/* Queued and not yet started: a lockless peek, as the kernel's test_bit. */
#define delayed_work_pending(dw)					\
	__atomic_load_n(&(dw)->host_pending, __ATOMIC_RELAXED)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/spinlock.h>: a test-and-set lock, as cheap as
 * the kernel's uncontended one (one atomic exchange to take it, a release
 * store to drop it); waiters yield, as the host may run more threads than
 * it has CPUs.
 */
#ifndef _HOST_LINUX_SPINLOCK_H
#define _HOST_LINUX_SPINLOCK_H

#include <sched.h>
#include <linux/bug.h>
#include <linux/preempt.h>

typedef struct {
	int locked;
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0 }

static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			sched_yield();
}

/* Checks that the lock is held only with CONFIG_LOCKDEP, as the kernel. */
static inline void spin_unlock(spinlock_t *l)
{
#ifdef CONFIG_LOCKDEP
	WARN_ON(!__atomic_load_n(&l->locked, __ATOMIC_RELAXED));
#endif
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	preempt_enable();
}

#endif

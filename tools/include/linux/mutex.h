/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/mutex.h> over pthreads, with owner checks. */
#ifndef _HOST_LINUX_MUTEX_H
#define _HOST_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/kernel.h>

/* Mutexes this host thread holds, as lockdep counts a task's locks. */
extern __thread int host_mutex_depth;

struct mutex {
	pthread_mutex_t lock;
	pthread_t owner;
	bool held;
};

#define DEFINE_MUTEX(name) \
	struct mutex name = { .lock = PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_lock(struct mutex *m)
{
	might_sleep();
	pthread_mutex_lock(&m->lock);
	host_mutex_depth++;
	m->owner = pthread_self();
	__atomic_store_n(&m->held, true, __ATOMIC_RELAXED);
}

static inline void mutex_unlock(struct mutex *m)
{
	WARN_ON(!pthread_equal(m->owner, pthread_self()));
	__atomic_store_n(&m->held, false, __ATOMIC_RELAXED);
	host_mutex_depth--;
	pthread_mutex_unlock(&m->lock);
}

/*
 * Held by this thread: only the owner writes owner while held.  As in the
 * kernel, only checked with CONFIG_LOCKDEP (the tests' builds); a build
 * without it (make bench) pays nothing, as a production kernel.
 */
#ifdef CONFIG_LOCKDEP
#define lockdep_assert_held(m)						\
	WARN_ON(!__atomic_load_n(&(m)->held, __ATOMIC_RELAXED) ||	\
		!pthread_equal((m)->owner, pthread_self()))
#else
#define lockdep_assert_held(m)	do { (void)(m); } while (0)
#endif

#endif

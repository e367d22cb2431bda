// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host jiffies and delayed work.  Time moves only when a host program
 * advances it; pending items run from host_workqueue_run(), called by
 * whichever thread plays the kernel's worker, one item at a time.
 */
#include <pthread.h>

#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include <host/model.h>

/* Starts just before wrapping, as the kernel's INITIAL_JIFFIES does. */
unsigned long host_jiffies = -300UL * HZ;

static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static struct delayed_work *items;

void host_jiffies_advance(unsigned long n)
{
	__atomic_add_fetch(&host_jiffies, n, __ATOMIC_RELAXED);
}

bool schedule_delayed_work(struct delayed_work *dw, unsigned long delay)
{
	struct delayed_work *i;
	bool queued = false;

	pthread_mutex_lock(&wq_lock);
	for (i = items; i && i != dw; i = i->host_next)
		;
	if (!i) {
		dw->host_next = items;
		items = dw;
	}
	if (!dw->host_pending) {
		__atomic_store_n(&dw->host_pending, true, __ATOMIC_RELAXED);
		dw->host_expires = jiffies + delay;
		queued = true;
	}
	pthread_mutex_unlock(&wq_lock);
	return queued;
}

/* A pending item that is due and not running, marked running; or NULL. */
static struct delayed_work *next_due(void)
{
	struct delayed_work *i;

	for (i = items; i; i = i->host_next)
		if (i->host_pending && !i->host_running &&
		    time_after_eq(jiffies, i->host_expires)) {
			__atomic_store_n(&i->host_pending, false,
					 __ATOMIC_RELAXED);
			i->host_running = true;
			return i;
		}
	return NULL;
}

unsigned int host_workqueue_run(void)
{
	struct delayed_work *dw;
	unsigned int ran = 0;

	pthread_mutex_lock(&wq_lock);
	while ((dw = next_due())) {
		pthread_mutex_unlock(&wq_lock);
		dw->work.func(&dw->work);
		ran++;
		pthread_mutex_lock(&wq_lock);
		dw->host_running = false;
	}
	pthread_mutex_unlock(&wq_lock);
	return ran;
}

long host_workqueue_due(void)
{
	struct delayed_work *i;
	long due = -1, left;

	pthread_mutex_lock(&wq_lock);
	for (i = items; i; i = i->host_next) {
		if (!i->host_pending)
			continue;
		left = (long)(i->host_expires - jiffies);
		if (left < 0)
			left = 0;
		if (due < 0 || left < due)
			due = left;
	}
	pthread_mutex_unlock(&wq_lock);
	return due;
}

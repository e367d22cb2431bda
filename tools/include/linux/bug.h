/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/bug.h>: a WARN is logged and counted. */
#ifndef _HOST_LINUX_BUG_H
#define _HOST_LINUX_BUG_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

void host_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define WARN(cond, fmt, ...) ({						\
	int __c = !!(cond);						\
	if (__c)							\
		host_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
	__c; })
#define WARN_ON(cond)		WARN(cond, "%s", #cond)
#define WARN_ONCE(cond, fmt, ...) ({					\
	static bool __warned;						\
	int __c = !!(cond);						\
	if (__c && !__warned) {						\
		__warned = true;					\
		host_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
	}								\
	__c; })
#define WARN_ON_ONCE(cond)	WARN_ONCE(cond, "%s", #cond)

/* The kernel stops (oopses); the host program aborts. */
#define BUG() do {							\
	fprintf(stderr, "kernel BUG at %s:%d!\n", __FILE__, __LINE__);	\
	abort();							\
} while (0)
#define BUG_ON(cond)	do { if (__builtin_expect(!!(cond), 0)) BUG(); } while (0)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of the compiler attributes kernel code uses. */
#ifndef _HOST_LINUX_COMPILER_H
#define _HOST_LINUX_COMPILER_H

#include <linux/kconfig.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __init
#define __weak		__attribute__((weak))
#define __initdata
#define __initconst
#define __refdata
#define __read_mostly
#define __noreturn	__attribute__((__noreturn__))
#define __must_check	__attribute__((warn_unused_result))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
/*
 * Marked accesses, whole as the kernel's: relaxed atomics, the same
 * instructions as plain ones, which ThreadSanitizer takes as intended.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
/* An access known to race, left alone by KCSAN (the host has none). */
#define data_race(expr)	(expr)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_STRING_H
#define _HOST_LINUX_STRING_H
#include <string.h>
#include <linux/types.h>

/* Equal, but for one trailing newline on either side (tools/shim/param.c). */
bool sysfs_streq(const char *s1, const char *s2);

/*
 * The first of @n bytes from @start that is not @c, or NULL; aligned words
 * at a time, each read whole (as READ_ONCE() does, so that bytes other
 * threads write meanwhile are no race to ThreadSanitizer).
 */
static inline void *memchr_inv(const void *start, int c, size_t n)
{
	const unsigned char *p = start, *end = p + n;
	unsigned long rep = 0x0101010101010101UL * (unsigned char)c;

	for (; p < end && ((unsigned long)p & 7); p++)
		if (__atomic_load_n(p, __ATOMIC_RELAXED) != (unsigned char)c)
			return (void *)p;
	for (; p + 8 <= end; p += 8)
		if (__atomic_load_n((const unsigned long *)p,
				    __ATOMIC_RELAXED) != rep)
			break;
	for (; p < end; p++)
		if (__atomic_load_n(p, __ATOMIC_RELAXED) != (unsigned char)c)
			return (void *)p;
	return NULL;
}
#endif

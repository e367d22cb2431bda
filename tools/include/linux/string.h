/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_STRING_H
#define _HOST_LINUX_STRING_H
#include <string.h>
#include <linux/types.h>

/* Equal, but for one trailing newline on either side (tools/shim/param.c). */
bool sysfs_streq(const char *s1, const char *s2);
#endif

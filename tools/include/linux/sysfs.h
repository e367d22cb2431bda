/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/sysfs.h>: sysfs_emit() into a page buffer. */
#ifndef _HOST_LINUX_SYSFS_H
#define _HOST_LINUX_SYSFS_H

#include <linux/compiler.h>

__printf(2, 3) int sysfs_emit(char *buf, const char *fmt, ...);

#endif

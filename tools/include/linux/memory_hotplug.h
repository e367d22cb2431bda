/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_MEMORY_HOTPLUG_H
#define _HOST_LINUX_MEMORY_HOTPLUG_H

#include <linux/range.h>
/* The kernel's has <linux/mutex.h> through <linux/notifier.h>. */
#include <linux/mutex.h>

/* Computed from the configured arm64 setup (tools/shim/arm64.c). */
struct range mhp_get_pluggable_range(bool need_mapping);

#endif

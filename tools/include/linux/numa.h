/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_NUMA_H
#define _HOST_LINUX_NUMA_H
#define NUMA_NO_NODE	(-1)
#endif

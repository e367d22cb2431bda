/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_GFP_H
#define _HOST_LINUX_GFP_H
#include <linux/slab.h>
#endif

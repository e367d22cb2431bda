/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <xen/features.h>: the feature flags Xen reports. */
#ifndef _HOST_XEN_FEATURES_H
#define _HOST_XEN_FEATURES_H

#include <linux/types.h>

#define XENFEAT_auto_translated_physmap	2
#define XENFEAT_NR			32

/* Set by the host program: all zero (x86 PV) until it says otherwise. */
extern u8 xen_features[XENFEAT_NR];

static inline int xen_feature(int flag)
{
	return xen_features[flag];
}

#endif

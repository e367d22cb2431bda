/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/module.h>: module information is dropped. */
#ifndef _HOST_LINUX_MODULE_H
#define _HOST_LINUX_MODULE_H

#define MODULE_DESCRIPTION(desc)
#define MODULE_LICENSE(license)

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/kconfig.h>, which kbuild puts in front of
 * every file: IS_ENABLED(CONFIG_FOO) is 1 when CONFIG_FOO is defined as 1
 * (-DCONFIG_FOO on the host), else 0.
 */
#ifndef _HOST_LINUX_KCONFIG_H
#define _HOST_LINUX_KCONFIG_H

#define __host_one_if_set_1		0,
#define __host_second(a, b, ...)	b
#define __host_pick(junk_or_zero_comma)	__host_second(junk_or_zero_comma 1, 0, 0)
#define __host_set(val)			__host_pick(__host_one_if_set_##val)
#define IS_ENABLED(option)		__host_set(option)

#endif

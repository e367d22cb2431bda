/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_EXPORT_H
#define _HOST_LINUX_EXPORT_H
#define EXPORT_SYMBOL(sym)	extern int host_export_##sym
#define EXPORT_SYMBOL_GPL(sym)	EXPORT_SYMBOL(sym)
#endif

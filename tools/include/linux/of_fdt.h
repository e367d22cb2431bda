/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_OF_FDT_H
#define _HOST_LINUX_OF_FDT_H

/* The blob the kernel booted with; host programs point it at theirs. */
extern void *initial_boot_params;

#endif

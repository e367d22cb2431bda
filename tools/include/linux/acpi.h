/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_ACPI_H
#define _HOST_LINUX_ACPI_H

/* Non-zero unless the kernel booted with ACPI tables. */
extern int acpi_disabled;

#endif

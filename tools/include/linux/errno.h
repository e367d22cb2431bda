/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_ERRNO_H
#define _HOST_LINUX_ERRNO_H
/* The kernel's errno values, from the UAPI headers (libc's errno.h also
 * comes here, through <bits/errno.h>).
 */
#include <asm-generic/errno.h>
#endif

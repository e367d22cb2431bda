/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _HOST_LINUX_LIBFDT_H
#define _HOST_LINUX_LIBFDT_H
#include <libfdt.h>	/* the host's libfdt, from libfdt-dev */
#endif

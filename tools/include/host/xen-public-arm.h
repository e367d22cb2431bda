/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen's public Arm guest layout (GUEST_*) and device-tree constants, from
 * Debian's libxen-dev.  Its own xen.h is x86's on an x86 host, so the one
 * helper macro arch-arm.h needs from there is provided here.
 */
#ifndef _HOST_XEN_PUBLIC_ARM_H
#define _HOST_XEN_PUBLIC_ARM_H

#include <stdint.h>

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif
#define xen_mk_ullong(x) x##ULL

#include <xen/arch-arm.h>
#include <xen/device_tree_defs.h>

#endif

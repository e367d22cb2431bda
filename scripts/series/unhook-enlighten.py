#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take arch_xen_unpopulated_init() out of arch/arm/xen/enlighten.c.

    unhook-enlighten.py ENLIGHTEN [MOVED]

Removes the '#ifdef CONFIG_XEN_UNPOPULATED_ALLOC' block that holds the
hook (and the blank line after it) and the EXT_REGION_INDEX define that
only the hook used.  Fails unless exactly that is found.  With MOVED,
writes that block's code and the define to the new file MOVED, with
the headers it needs: the code motion of patch 2, whose one edit is
uint64_t written u64.
"""
import re
import sys

MOVED_HEAD = """// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen extended regions on Arm: the unused guest-physical address space
 * that the hypervisor node advertises becomes the target resource of the
 * unpopulated-memory allocator.
 */
#include <linux/acpi.h>
#include <linux/ioport.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/slab.h>

#include <xen/xen.h>

"""

path = sys.argv[1]
text = open(path).read()
block = re.compile(r'#ifdef CONFIG_XEN_UNPOPULATED_ALLOC\n'
                   r'(?:(?!#endif\n).*\n)*?'
                   r'int __init arch_xen_unpopulated_init\(struct resource \*\*res\)\n'
                   r'(?:(?!#endif\n).*\n)*?'
                   r'#endif\n\n')
found = block.findall(text)
if len(found) != 1:
    sys.exit(f'{path}: {len(found)} arch_xen_unpopulated_init blocks, want 1')
text = block.sub('', text)
define = re.compile(r'^#define EXT_REGION_INDEX\s+1\n', re.M)
defines = define.findall(text)
if len(defines) != 1 or 'EXT_REGION_INDEX' in define.sub('', text):
    sys.exit(f'{path}: EXT_REGION_INDEX is not defined once and used only by the hook')
open(path, 'w').write(define.sub('', text))
if len(sys.argv) > 2:
    code = found[0][len('#ifdef CONFIG_XEN_UNPOPULATED_ALLOC\n'):-len('#endif\n\n')]
    # the one edit: checkpatch --strict asks new lines for u64
    code = re.sub(r'\buint64_t\b', 'u64', code)
    open(sys.argv[2], 'w').write(MOVED_HEAD + defines[0] + '\n' + code)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take arch_xen_unpopulated_init() out of arch/arm/xen/enlighten.c.

Removes the '#ifdef CONFIG_XEN_UNPOPULATED_ALLOC' block that holds the
hook (and the blank line after it) and the EXT_REGION_INDEX define that
only the hook used.  Fails unless exactly that is found.
"""
import re
import sys

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
if len(define.findall(text)) != 1 or 'EXT_REGION_INDEX' in define.sub('', text):
    sys.exit(f'{path}: EXT_REGION_INDEX is not defined once and used only by the hook')
open(path, 'w').write(define.sub('', text))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Add a file to a MAINTAINERS section, keeping its F: lines sorted.

    maintainers.py MAINTAINERS "SECTION NAME" PATH
"""
import sys

path, section, new = sys.argv[1:4]
lines = open(path).read().split('\n')
try:
    i = lines.index(section)
except ValueError:
    sys.exit(f'{path}: no {section} section')
j = i + 1
while lines[j] and not lines[j].startswith('F:'):
    j += 1
start = j
while lines[j].startswith('F:'):
    j += 1
if start == j:
    sys.exit(f'{path}: {section} has no F: lines')
lines[start:j] = sorted(lines[start:j] + ['F:\t' + new])
open(path, 'w').write('\n'.join(lines))

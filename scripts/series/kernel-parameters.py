#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Adds boot parameters of the series to kernel-parameters.txt.

    kernel-parameters.py FILE NAME...

Each NAME (a key of ENTRIES) goes in after the last "xen_" entry that
sorts before it, where the file keeps the xen_* parameters (before the
xen.* ones).  Fails if the file has no xen_ entry.
"""
import re
import sys

ENTRIES = {
    "granularity": """\
	xen_unpopulated.granularity=	[XEN]
			Format: section | subsection
			How a Xen guest carves unused address space for
			grant and foreign mappings: in whole memory sections,
			or in 2 MiB sub-sections, which cost less memory for
			struct pages.  Default: subsection if
			CONFIG_XEN_UNPOPULATED_SUBSECTION=y, else section.
""",
    "reclaim_delay": """\
	xen_unpopulated.reclaim_delay=	[XEN]
			Seconds a carved range of unused address space stays
			idle before it is given back, but for the spare (see
			xen_unpopulated.spare_pages); negative: never.  Not
			in an x86 PV domain, which keeps its ranges.  Also in
			/sys/module/xen_unpopulated/parameters/.
			Default: 300.
""",
    "spare_pages": """\
	xen_unpopulated.spare_pages=	[XEN]
			Free pages of carved ranges that reclaim keeps backed
			for the next grant or foreign mapping.  Also in
			/sys/module/xen_unpopulated/parameters/.
			Default: 512.
""",
}


def main():
    path, names = sys.argv[1], sys.argv[2:]
    lines = open(path).read().split("\n")
    for name in names:
        key = "xen_unpopulated." + name
        entry = re.compile(r"^\t(xen_[A-Za-z0-9_.]*)")
        last = None
        for i, line in enumerate(lines):
            m = entry.match(line)
            if m and m.group(1) < key:
                last = i
        if last is None:
            sys.exit(f"{path}: no xen_ entry to follow")
        # the end of that entry: the next line that starts an entry
        end = last + 1
        while end < len(lines) and not re.match(r"^\t[^\t]", lines[end]):
            end += 1
        block = ENTRIES[name].rstrip("\n").split("\n") + [""]
        lines[end:end] = block
    open(path, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()

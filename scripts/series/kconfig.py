#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Adds options of the series to drivers/xen/Kconfig (edited in place).

    kconfig.py FILE NAME...

Each NAME (a key of OPTIONS) goes in after the XEN_UNPOPULATED_ALLOC
entry and those of OPTIONS that follow it and come before NAME there.  Fails if the
file has no XEN_UNPOPULATED_ALLOC entry.
"""
import sys

OPTIONS = {
    "XEN_UNPOPULATED_SUBSECTION": """
config XEN_UNPOPULATED_SUBSECTION
	bool "Carve unpopulated memory in 2 MiB sub-sections"
	depends on XEN_UNPOPULATED_ALLOC
	help
	  Take the address space for grant and foreign mappings from the
	  unpopulated ranges 2 MiB at a time instead of a whole memory
	  section (128 MiB with 4K pages on arm64 and x86) at a time.  The
	  first mapping then costs tens of KiB of struct pages instead of a
	  section's worth, and extended regions that do not fill an aligned
	  section become usable.  The boot parameter
	  xen_unpopulated.granularity=section|subsection overrides this.

	  If unsure, say N.
""",
    "XEN_EXTENDED_REGIONS_KUNIT_TEST": """
config XEN_EXTENDED_REGIONS_KUNIT_TEST
	bool "KUnit tests of Xen extended-region parsing" if !KUNIT_ALL_TESTS
	depends on (ARM || ARM64) && XEN_UNPOPULATED_ALLOC && KUNIT=y
	default KUNIT_ALL_TESTS
	help
	  Build KUnit tests, run at boot, that write hypervisor nodes
	  into flattened device trees and check what the extended-region
	  parser makes of them: sorted and unsorted regions, 1 and 2
	  cells, overlaps, regions below the hotpluggable range, no
	  regions and malformed nodes.  They do not need Xen.

	  If unsure, say N.
""",
    "XEN_UNPOPULATED_ALLOC_KUNIT_TEST": """
config XEN_UNPOPULATED_ALLOC_KUNIT_TEST
	bool "KUnit tests of contiguous unpopulated allocations" if !KUNIT_ALL_TESTS
	depends on XEN_UNPOPULATED_ALLOC && KUNIT=y
	default KUNIT_ALL_TESTS
	help
	  Build KUnit tests, run at boot in a Xen initial domain, that
	  take contiguous runs of unpopulated pages, map grants of the
	  domain's own pages into them and check that the freed runs
	  merge again; without extended regions, that a contiguous run
	  is refused.  Elsewhere they are skipped.

	  If unsure, say N.
""",}


def main(path, names):
    with open(path) as f:
        lines = f.read().split("\n")
    try:
        start = lines.index("config XEN_UNPOPULATED_ALLOC")
    except ValueError:
        sys.exit("%s: no XEN_UNPOPULATED_ALLOC" % path)
    order = list(OPTIONS)
    for name in names:
        # after XEN_UNPOPULATED_ALLOC and the options of ours that
        # follow it and come before this one in OPTIONS
        at = end = start + 1
        while end < len(lines):
            if lines[end].startswith("config "):
                other = lines[end][len("config "):]
                if other not in OPTIONS:
                    break
                if order.index(other) > order.index(name):
                    break
            end += 1
            if end == len(lines) or lines[end].startswith("config "):
                at = end
        # Insert before the blank line that ends the entry.
        while at > start and lines[at - 1] == "":
            at -= 1
        lines[at:at] = OPTIONS[name].rstrip("\n").split("\n")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: kconfig.py FILE NAME...")
    main(sys.argv[1], sys.argv[2:])

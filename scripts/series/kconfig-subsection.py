#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Add XEN_UNPOPULATED_SUBSECTION after XEN_UNPOPULATED_ALLOC in
drivers/xen/Kconfig (edited in place); fails if the tree's layout is not
the one expected."""
import sys

OPTION = """
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
"""


def main(path):
    with open(path) as f:
        lines = f.read().split("\n")
    try:
        start = lines.index("config XEN_UNPOPULATED_ALLOC")
    except ValueError:
        sys.exit("%s: no XEN_UNPOPULATED_ALLOC" % path)
    end = start + 1
    while end < len(lines) and not lines[end].startswith("config "):
        end += 1
    # Insert before the blank line that ends the entry.
    while end > start and lines[end - 1] == "":
        end -= 1
    lines[end:end] = OPTION.rstrip("\n").split("\n")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])

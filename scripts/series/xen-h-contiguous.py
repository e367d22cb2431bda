#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Declare the contiguous-allocation API next to xen_alloc_unpopulated_pages()
in include/xen/xen.h (edited in place), with stubs for kernels built
without XEN_UNPOPULATED_ALLOC; fails if the tree's layout is not the one
expected."""
import sys

DECL = "void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages);"
DECLS = """int xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
\t\t\t\t\t   struct page **pages);"""
STUB_AFTER = "\txen_free_ballooned_pages(nr_pages, pages);"
STUBS = """
#include <linux/errno.h>

static inline int
xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
				       struct page **pages)
{
	return -EOPNOTSUPP;
}"""


def main(path):
    with open(path) as f:
        lines = f.read().split("\n")
    if lines.count(DECL) != 1 or lines.count(STUB_AFTER) != 1:
        sys.exit("%s: unknown layout around xen_free_unpopulated_pages" % path)
    at = lines.index(STUB_AFTER)
    if lines[at + 1] != "}" or lines[at + 2] != "#endif":
        sys.exit("%s: unknown layout of the stubs" % path)
    lines[at + 2:at + 2] = STUBS.split("\n")
    at = lines.index(DECL)
    lines[at + 1:at + 1] = DECLS.split("\n")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: xen-h-contiguous.py include/xen/xen.h")
    main(sys.argv[1])

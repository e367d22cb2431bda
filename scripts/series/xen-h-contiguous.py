#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Declare the contiguous-allocation API next to xen_alloc_unpopulated_pages()
in include/xen/xen.h (edited in place), with stubs for kernels built
without XEN_UNPOPULATED_ALLOC; fails if the tree's layout is not the one
expected.

    xen-h-contiguous.py FILE          the allocation, and the buddy
                                      allocator's contiguous free and
                                      is_xen_unpopulated_page() (patch 5)
    xen-h-contiguous.py --drop FILE   those two again (patch 8 removes
                                      the functions)
"""
import sys

DECL = "void xen_free_unpopulated_pages(unsigned int nr_pages, struct page **pages);"
DECLS = """int xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
\t\t\t\t\t   struct page **pages);"""
# exported by the buddy allocator of patch 5 only, without stubs (their
# callers are the allocator's users, which need XEN_UNPOPULATED_ALLOC)
EXTRAS = """void xen_free_unpopulated_contiguous_pages(unsigned int nr_pages,
\t\t\t\t\t   struct page **pages);
bool is_xen_unpopulated_page(struct page *page);"""
STUB_AFTER = "\txen_free_ballooned_pages(nr_pages, pages);"
STUBS = """
#include <linux/errno.h>

static inline int
xen_alloc_unpopulated_contiguous_pages(unsigned int nr_pages,
				       struct page **pages)
{
	return -EOPNOTSUPP;
}"""


def drop(path):
    with open(path) as f:
        text = f.read()
    if text.count("\n" + EXTRAS + "\n") != 1:
        sys.exit("%s: the buddy allocator's declarations are not there" % path)
    with open(path, "w") as f:
        f.write(text.replace("\n" + EXTRAS + "\n", "\n"))


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
    lines[at + 1:at + 1] = (DECLS + "\n" + EXTRAS).split("\n")
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--drop":
        drop(sys.argv[2])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit("usage: xen-h-contiguous.py [--drop] include/xen/xen.h")

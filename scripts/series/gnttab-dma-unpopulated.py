#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Make gnttab_dma_alloc_pages() in drivers/xen/grant-table.c (edited in
place) take unpopulated address space when the unpopulated-memory
allocator has a contiguous run, and gnttab_dma_free_pages() give such a
buffer back to it.  Every edit is anchored on text that 6.1, 6.12 and 7.3
share; the script fails if any anchor is missing or not unique."""
import sys

EDITS = [
    # phys_to_dma(), for the buffer's address as the device sees it
    ("#include <linux/dma-mapping.h>\n",
     "#include <linux/dma-mapping.h>\n"
     "#include <linux/dma-direct.h>\n"),

    # the helper, right before the allocation it serves
    ("#ifdef CONFIG_XEN_GRANT_DMA_ALLOC\n"
     "/**\n"
     " * gnttab_dma_alloc_pages - alloc DMAable pages suitable for grant mapping into\n"
     " * @args: arguments to the function\n"
     " */\n",
     "#ifdef CONFIG_XEN_GRANT_DMA_ALLOC\n"
     "/*\n"
     " * Contiguous unpopulated address space: guest frames with no RAM behind\n"
     " * them, so there is nothing to hand back to Xen before foreign frames\n"
     " * are mapped there, and nothing to take back afterwards.\n"
     " */\n"
     "static int gnttab_dma_alloc_unpopulated(struct gnttab_dma_alloc_args *args)\n"
     "{\n"
     "\tint i, ret;\n"
     "\n"
     "\tret = xen_alloc_unpopulated_contiguous_pages(args->nr_pages,\n"
     "\t\t\t\t\t\t     args->pages);\n"
     "\tif (ret)\n"
     "\t\treturn ret;\n"
     "\n"
     "\tret = gnttab_pages_set_private(args->nr_pages, args->pages);\n"
     "\tif (ret < 0) {\n"
     "\t\tgnttab_pages_clear_private(args->nr_pages, args->pages);\n"
     "\t\txen_free_unpopulated_pages(args->nr_pages, args->pages);\n"
     "\t\treturn ret;\n"
     "\t}\n"
     "\n"
     "\tfor (i = 0; i < args->nr_pages; i++)\n"
     "\t\targs->frames[i] = xen_page_to_gfn(args->pages[i]);\n"
     "\n"
     "\t/*\n"
     "\t * The pages' linear mapping: callers tell a DMA buffer by its\n"
     "\t * non-NULL vaddr.\n"
     "\t */\n"
     "\targs->vaddr = page_address(args->pages[0]);\n"
     "\targs->dev_bus_addr = phys_to_dma(args->dev,\n"
     "\t\t\t\t\t page_to_phys(args->pages[0]));\n"
     "\treturn 0;\n"
     "}\n"
     "\n"
     "/**\n"
     " * gnttab_dma_alloc_pages - alloc DMAable pages suitable for grant mapping into\n"
     " * @args: arguments to the function\n"
     " *\n"
     " * The buffer is contiguous unpopulated address space when the\n"
     " * unpopulated-memory allocator has a run that large, which costs no RAM;\n"
     " * otherwise DMA memory whose frames are given back to Xen until the\n"
     " * buffer is freed.\n"
     " */\n"),

    # try the unpopulated space first, the DMA allocation as before after
    ("\tif (args->nr_pages < 0 || args->nr_pages > (INT_MAX >> PAGE_SHIFT))\n"
     "\t\treturn -ENOMEM;\n"
     "\n"
     "\tsize = args->nr_pages << PAGE_SHIFT;\n",
     "\tif (args->nr_pages < 0 || args->nr_pages > (INT_MAX >> PAGE_SHIFT))\n"
     "\t\treturn -ENOMEM;\n"
     "\n"
     "\tif (args->nr_pages && !gnttab_dma_alloc_unpopulated(args))\n"
     "\t\treturn 0;\n"
     "\n"
     "\tsize = args->nr_pages << PAGE_SHIFT;\n"),

    # the free: such a buffer goes back to the allocator, no reservation
    ("\tgnttab_pages_clear_private(args->nr_pages, args->pages);\n"
     "\n"
     "\tfor (i = 0; i < args->nr_pages; i++)\n"
     "\t\targs->frames[i] = page_to_xen_pfn(args->pages[i]);\n",
     "\tgnttab_pages_clear_private(args->nr_pages, args->pages);\n"
     "\n"
     "\tif (args->nr_pages && is_zone_device_page(args->pages[0])) {\n"
     "\t\txen_free_unpopulated_pages(args->nr_pages, args->pages);\n"
     "\t\treturn 0;\n"
     "\t}\n"
     "\n"
     "\tfor (i = 0; i < args->nr_pages; i++)\n"
     "\t\targs->frames[i] = page_to_xen_pfn(args->pages[i]);\n"),
]


def main(path):
    with open(path) as f:
        text = f.read()
    for old, new in EDITS:
        n = text.count(old)
        if n != 1:
            sys.exit("%s: unknown layout: %d occurrence(s) of %r"
                     % (path, n, old.split("\n")[0]))
        text = text.replace(old, new)
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""xen-extregions from the outside: exit codes, the JSON report, the Xen
log comparison, fallbacks on bad trees and refusals of bad blobs.

Usage: test_tool.py TOOL DTB_DIR (TOOL is the sanitizer build)."""
import json
import os
import re
import subprocess
import sys
import tempfile

TOOL, DTB_DIR = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
DTS = os.path.join(HERE, "..", "dts")
LOGS = os.path.join(DTS, "logs")
HEX = re.compile(r"^0x(0|[1-9a-f][0-9a-f]*)$")
passed = failed = 0


def run(*args):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def case(name, fn):
    global passed, failed
    try:
        problems = fn()
    except Exception as e:  # a crash of the check is a failure too
        problems = [f"exception {e!r}"]
    if problems:
        failed += 1
        for p in problems:
            print(f"FAIL {name}: {p}")
    else:
        passed += 1


def report(*args, want_rc=0):
    rc, out, err = run("--json", *args)
    if rc != want_rc:
        raise AssertionError(f"exit {rc}, want {want_rc}: {err.strip()}")
    return json.loads(out), err


def ranges_ok(obj):
    """Every address in the report is lowercase hex without leading 0s."""
    bad = []

    def walk(v):
        if isinstance(v, list) and len(v) == 2 and all(
                isinstance(x, str) and x.startswith("0") for x in v):
            bad.extend(x for x in v if not HEX.match(x))
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
    walk(obj)
    return [f"bad hex {b}" for b in bad]


def counts(r):
    """The page counts of the stats, without the buddy's."""
    keys = ("ranges", "pages", "free", "balloon_pages")
    return {"stats": {k: r["stats"].get(k) for k in keys}}


def expect(r, key, want):
    return [] if r.get(key) == want else [f"{key}: {r.get(key)!r} != {want!r}"]


def t_default_human():
    rc, out, err = run()
    p = [] if rc == 0 else [f"exit {rc}"]
    for line in ("resource:     0x40400000-0xbfffffff",
                 "busy holes:   0x60000000-0x7fffffff",
                 "usable:       1408 MiB in whole aligned sections"):
        if line not in out:
            p.append(f"missing {line!r}")
    return p + ([f"stderr {err!r}"] if err else [])


def t_default_json():
    r, _ = report()
    keys = {"grant_table", "regions", "pluggable", "resource", "holes",
            "fallback", "reason", "allocs"}
    p = [f"missing key {k}" for k in keys - r.keys()]
    p += expect(r, "grant_table", ["0x40200000", "0x4023ffff"])
    p += expect(r, "regions", [["0x40400000", "0x5fffffff"],
                               ["0x80000000", "0xbfffffff"]])
    p += expect(r, "pluggable", ["0x40000000", "0x80003fffffff"])
    p += expect(r, "resource", ["0x40400000", "0xbfffffff"])
    p += expect(r, "holes", [["0x60000000", "0x7fffffff"]])
    p += expect(r, "fallback", False) + expect(r, "reason", None)
    p += expect(r, "allocs", [])
    return p + ranges_ok(r)


def t_seeds_39bit():
    r, _ = report("--va-bits", "39", os.path.join(DTS,
                                                  "seeds004-ten-regions.dts"))
    return expect(r, "resource", ["0x40000000", "0x403fffffff"]) + \
        expect(r, "pluggable", ["0x40000000", "0x403fffffff"]) + \
        ([] if len(r["holes"]) == 7 else ["7 holes expected"])


def t_kasan_shadow():
    # a KASAN shadow shortens the linear map: 39-bit VA maps 256 GiB, with
    # generic KASAN 192 GiB (what the 6.1 debug kernel logged under Xen),
    # with software tags 224 GiB; hardware tags have no shadow
    seeds = os.path.join(DTS, "seeds004-ten-regions.dts")
    p = []
    for kasan, end in (("generic", "0x303fffffff"), ("sw-tags", "0x383fffffff"),
                       ("hw-tags", "0x403fffffff"), ("none", "0x403fffffff")):
        r, _ = report("--va-bits", "39", "--kasan", kasan, seeds)
        p += [f"{kasan}: {e}" for e in
              expect(r, "pluggable", ["0x40000000", end]) +
              expect(r, "resource", ["0x40000000", end])]
    return p


def t_64k_pages():
    r, _ = report("--page-size", "64K", "--va-bits", "42",
                  os.path.join(DTS, "qemu-virt-dom0.dts"))
    # 64K pages: 512 MiB sections, PHYS_OFFSET aligned to 512 MiB.
    p = expect(r, "pluggable", ["0x60000000", hex(0x60000000 + (1 << 41) - 1)])
    p += expect(r, "resource", ["0x60000000", "0xbfffffff"])
    return p + ([] if r["usable_bytes"] == 1 << 30 else
                [f"usable {r['usable_bytes']}"])


def t_cells32_domu():
    r, _ = report(os.path.join(DTB_DIR, "cells32-dom0.dtb"))
    p = expect(r, "holes", [["0x80000000", "0x8fffffff"]])
    d, _ = report(os.path.join(DTB_DIR, "domu-xl.dtb"))
    p += expect(d, "resource", ["0x60000000", "0xffffffffff"])
    return p + expect(d, "grant_table", ["0x38000000", "0x38ffffff"])


def t_log_match():
    p = []
    for log, tree in (("qemu-virt-4.17.log", "qemu-virt-dom0.dts"),
                      ("seeds004-4.16.log", "seeds004-ten-regions.dts")):
        r, _ = report("--xen-log", os.path.join(LOGS, log),
                      os.path.join(DTS, tree))
        p += expect(r["xen_log"], "match", True)
        if r["xen_log"]["regions"] != sorted(
                r["regions"], key=lambda x: int(x[0], 16)):
            p.append(f"{log}: log regions {r['xen_log']['regions']}")
    return p


def t_log_mismatch():
    r, err = report("--xen-log", os.path.join(LOGS, "qemu-virt-tampered.log"),
                    os.path.join(DTS, "qemu-virt-dom0.dts"), want_rc=3)
    return expect(r["xen_log"], "match", False)


def t_log_only():
    r, _ = report("--phys-offset", "0x40000000", "--xen-log",
                  os.path.join(LOGS, "qemu-virt-4.17.log"))
    p = expect(r, "resource", ["0x40400000", "0xbfffffff"])
    p += expect(r, "grant_table", None)
    d, _ = report("--xen-log", os.path.join(LOGS, "ext-regions-disabled.log"))
    p += expect(d, "fallback", True) + expect(d, "reason",
                                              "no extended regions")
    return p + expect(d["xen_log"], "disabled", True)


# Xen 4.20's logs of the QEMU tier's scenarios (dts/logs/qemu-*-4.20.log),
# each against the tree the guest booted with (its /sys/firmware/fdt,
# dts/qemu-guest/). Xen 4.18-4.20 give dom0 every extended region 2 MiB
# shorter than the hole it comes from (fixed in 4.21); the dom0less domU's
# regions (its unused guest RAM banks) are not shortened.
XEN420 = (
    ("virt-2g", 0, [["0x40400000", "0x5fdfffff"],
                    ["0x80000000", "0xbfdfffff"]]),
    ("virt-4g-carveouts", 0, [["0x40400000", "0x5fdfffff"],
                              ["0x80000000", "0x8fdfffff"],
                              ["0x94000000", "0xc7dfffff"],
                              ["0xc9000000", "0x13fdfffff"]]),
    ("virt-2g-dom0less", 0, [["0x40400000", "0x5fdfffff"],
                             ["0x80000000", "0xbfdfffff"]]),
    ("virt-2g-dom0less", 1, [["0x50000000", "0xffffffff"],
                             ["0x200000000", "0xffffffffff"]]))


def log_match(xen, table):
    """Each scenario's Xen log against the guest's own tree, and the
    ext_regions=0 boot: Xen says so, and the guest's node has no region."""
    p = []
    for scen, dom, want in table:
        log = os.path.join(LOGS, f"qemu-{scen}-{xen}.log")
        who = f"d{dom}" if dom else "dom0"
        tree = os.path.join(DTS, "qemu-guest", f"{scen}-{who}-{xen}.dts")
        r, _ = report("--va-bits", "39", "--xen-log", log, "--domid",
                      str(dom), tree)
        p += [f"{xen} {scen} d{dom}: {e}" for e in
              expect(r["xen_log"], "match", True) +
              expect(r["xen_log"], "regions", want) +
              expect(r, "regions", want) +
              expect(r["xen_log"], "disabled", False)]
    log = os.path.join(LOGS, f"qemu-virt-2g-noext-{xen}.log")
    tree = os.path.join(DTS, "qemu-guest", f"virt-2g-noext-dom0-{xen}.dts")
    d, _ = report("--xen-log", log)
    t, _ = report(tree)
    return p + expect(d["xen_log"], "disabled", True) + \
        expect(d["xen_log"], "regions", []) + expect(t, "regions", []) + \
        expect(t, "fallback", True)


def t_log_match_xen420():
    return log_match("4.20", XEN420)


# Xen 4.21's logs of the same scenarios: the add_ext_regions fix gives dom0
# its regions whole again (as 4.17 did); the domU's are unchanged.
XEN421 = tuple((scen, dom, [[a, hex(int(b, 16) + (0 if dom else 2 << 20))]
                            for a, b in want])
               for scen, dom, want in XEN420)


def t_log_match_xen421():
    return log_match("4.21", XEN421)


def log_regions(name):
    r, _ = report("--phys-offset", "0x40000000", "--xen-log",
                  os.path.join(LOGS, name))
    return r["xen_log"]["regions"]


def t_log_xen421_vs_417():
    # virt-2g: 4.21 gives dom0 exactly the regions 4.17 gave
    o = log_regions("qemu-virt-4.17.log")
    n = log_regions("qemu-virt-2g-4.21.log")
    return [] if o == n and len(n) == 2 else [f"regions 4.17 {o}, 4.21 {n}"]


def t_log_xen420_vs_417():
    # same layout (virt-2g): 4.20's dom0 regions start where 4.17's do and
    # end 2 MiB earlier, so a 4.17 tree does not match a 4.20 log
    o = log_regions("qemu-virt-4.17.log")
    n = log_regions("qemu-virt-2g-4.20.log")
    p = [] if len(o) == len(n) == 2 else [f"regions 4.17 {o}, 4.20 {n}"]
    for a, b in zip(o, n):
        if a[0] != b[0] or int(a[1], 16) - int(b[1], 16) != 2 << 20:
            p.append(f"4.17 {a} vs 4.20 {b}: not 2 MiB shorter")
    r, _ = report("--xen-log", os.path.join(LOGS, "qemu-virt-2g-4.20.log"),
                  os.path.join(DTS, "qemu-virt-dom0.dts"), want_rc=3)
    return p + expect(r["xen_log"], "match", False)


def t_allocs():
    r, _ = report("--alloc", "1", "--alloc", "40000")
    p = expect(r, "allocs", [
        {"pages": 1, "result": "scratch", "balloon_pages": 0,
         "carved": [["0x48000000", "0x4fffffff"]]},
        {"pages": 40000, "result": "scratch", "balloon_pages": 0,
         "carved": [["0x50000000", "0x57ffffff"]]}])
    # 10 sections take both regions but one section; of 2 more, one comes
    # from the balloon.
    r, _ = report("--alloc", str(10 * 32768), "--alloc", str(2 * 32768))
    a = r["allocs"]
    # no stretch of 10 sections: 5, 2, 2 and 1 (listed in address order)
    p += [] if a[0]["carved"] == [["0x48000000", "0x57ffffff"],
                                  ["0x58000000", "0x5fffffff"],
                                  ["0x80000000", "0xa7ffffff"],
                                  ["0xa8000000", "0xb7ffffff"]] else \
        [f"spanning: {a[0]}"]
    p += [] if (a[1]["result"], a[1]["balloon_pages"]) == ("mixed", 32768) \
        else [f"exhausted: {a[1]}"]
    p += expect(counts(r), "stats", {"ranges": 5, "pages": 11 * 32768,
                                     "free": 0, "balloon_pages": 32768})
    b, _ = report("--alloc", "7", os.path.join(DTB_DIR, "no-ext-regions.dtb"))
    p += expect(b, "allocs", [{"pages": 7, "result": "balloon",
                               "balloon_pages": 7, "carved": []}])
    rc, out, _ = run("--alloc", "1")
    if "carved 0x48000000-0x4fffffff, page metadata 2 MiB of RAM" not in out:
        p.append("human trace missing")
    return p


def t_steps():
    # sub-sections: 32 KiB of metadata, then free, reclaim and the spare
    r, _ = report("--granularity", "subsection", "--alloc", "1",
                  "--alloc", "40000", "--free", "40000", "--reclaim",
                  "--spare", "0", "--free", "1", "--reclaim")
    p = expect(r, "granularity", "subsection")
    p += expect(r, "usable_bytes", (508 + 1024) << 20)
    ops = [(s["op"], s["pages"]) for s in r["steps"]]
    p += [] if ops == [("alloc", 1), ("alloc", 40000), ("free", 40000),
                       ("reclaim", 39936), ("free", 1), ("reclaim", 1024)] \
        else [f"steps {ops}"]
    s = r["steps"]
    p += [] if s[0]["carved"] == [["0x40400000", "0x405fffff"]] else \
        [f"first carve {s[0]['carved']}"]
    # the burst's range goes; the spare of 512 pages lacks one (511 free
    # where a page is held), so a sub-section is carved anew for it
    p += [] if s[3]["released"] == [["0x40600000", "0x4a1fffff"]] and \
        s[5]["released"] == [["0x40400000", "0x405fffff"],
                             ["0x40600000", "0x407fffff"]] else \
        [f"released {s[3]['released']} {s[5]['released']}"]
    p += expect(counts(r), "stats", {"ranges": 0, "pages": 0, "free": 0,
                                     "balloon_pages": 0})
    # the human view shows the debugfs file
    rc, out, _ = run("--granularity", "subsection", "--alloc", "1")
    if "range: 0x40400000-0x405fffff pages 512 free 511 in-use 1" not in out \
            or "page metadata 32 KiB of RAM" not in out:
        p.append("human view missing")
    rc, _, err = run("--granularity", "page")
    if rc != 2:
        p.append(f"--granularity page: exit {rc}")
    return p


def order_of(n):
    """order_base_2(n): the smallest order whose block holds n pages."""
    return (n - 1).bit_length()


def replay(r, args):
    """Replays the steps of report r as a caller holding the pages would,
    and returns the problems: an --alloc-contig that worked must be N
    consecutive pages (one run, exactly N pages long), aligned to
    order_base_2(N) pages, inside a scratch range carved and not given
    back, and disjoint from every page still held by any allocation;
    --free and --free-contig must give back what the model says."""
    ps = r["arm64"]["page_size"]
    p = []
    stack = []      # runs of --alloc pages still held, [first pfn, count]
    blocks = []     # --alloc-contig blocks still held, (first, last) bytes
    ranges = []     # scratch ranges carved and not given back

    def span(rg):
        return int(rg[0], 16), int(rg[1], 16)

    def held():
        out = [(f * ps, (f + n) * ps - 1) for f, n in stack if n]
        return out + list(blocks)

    def overlaps(a, b):
        return a[0] <= b[1] and b[0] <= a[1]

    for i, st in enumerate(r["steps"]):
        who = f"{' '.join(args)}: step {i} {st['op']} {st['pages']}"
        ranges += [span(c) for c in st.get("carved", [])]
        for rel in st.get("released", []):
            rel = span(rel)
            ranges = [c for c in ranges if c != rel]
            if any(overlaps(rel, h) for h in held()):
                p.append(f"{who}: released {rel} holds pages still held")
        if st["op"] == "alloc" and st["result"] != "error":
            runs = [span(x) for x in st["runs"]]
            if sum((e - b + 1) // ps for b, e in runs) != st["pages"]:
                p.append(f"{who}: runs {st['runs']} are not its pages")
            for b, e in runs:
                if any(overlaps((b, e), h) for h in held()):
                    p.append(f"{who}: run {hex(b)} handed out twice")
                stack.append([b // ps, (e - b + 1) // ps])
        elif st["op"] == "free":
            n = st["pages"]
            while n:
                take = min(n, stack[-1][1])
                stack[-1][1] -= take
                n -= take
                if not stack[-1][1]:
                    stack.pop()
        elif st["op"] == "alloc-contig":
            n = st["pages"]
            if st["result"] == "error":
                if st["range"] is not None or st["runs"]:
                    p.append(f"{who}: failed, yet range {st['range']}")
                continue
            if st["result"] != "scratch":
                p.append(f"{who}: result {st['result']}")
            b, e = span(st["range"])
            if e - b + 1 != n * ps:
                p.append(f"{who}: range {st['range']} is not {n} pages")
            if st["runs"] != [st["range"]]:
                p.append(f"{who}: pages not consecutive: {st['runs']}")
            if b % ((1 << order_of(n)) * ps):
                p.append(f"{who}: {hex(b)} not aligned to order "
                         f"{order_of(n)}")
            if not any(c[0] <= b and e <= c[1] for c in ranges):
                p.append(f"{who}: {st['range']} outside every scratch "
                         f"range {ranges}")
            if any(overlaps((b, e), h) for h in held()):
                p.append(f"{who}: {st['range']} overlaps a live "
                         "allocation")
            blocks.append((b, e))
        elif st["op"] == "free-contig":
            k = st["index"]
            if k >= len(blocks) or span(st["range"]) != blocks[k] or \
                    st["pages"] != (blocks[k][1] - blocks[k][0] + 1) // ps:
                p.append(f"{who}: freed {st['range']}, held {blocks}")
            else:
                del blocks[k]
    # after the last step: it counted each contiguous allocation
    st = r["stats"]
    ok = sum(1 for x in r["steps"]
             if x["op"] == "alloc-contig" and x["result"] == "scratch")
    if st["contiguous"] != ok:
        p.append(f"{' '.join(args)}: {st['contiguous']} contiguous "
                 f"allocation(s) counted, {ok} made")
    return p


def contig_results(r):
    return [s["result"] for s in r["steps"] if s["op"] == "alloc-contig"]


def t_contig_mixed():
    # mixed with --alloc and --free on the default tree: orders 0, 1, 3, 9
    # and 12, non-powers of two, a block freed from the middle of those
    # held, then one that fits where it was
    args = ["--alloc", "1", "--alloc-contig", "1", "--alloc-contig", "2",
            "--alloc-contig", "5", "--alloc", "40000", "--alloc-contig",
            "512", "--free", "100", "--alloc-contig", "3", "--free-contig",
            "1", "--alloc-contig", "4096", "--alloc", "3", "--alloc-contig",
            "7", "--free-contig", "0", "--alloc-contig", "2", "--free",
            "39000", "--alloc-contig", "300"]
    r, _ = report(*args)
    p = replay(r, args)
    res = contig_results(r)
    p += [] if res == ["scratch"] * len(res) and len(res) == 9 else \
        [f"results {res}"]
    frees = [s for s in r["steps"] if s["op"] == "free-contig"]
    c = [s for s in r["steps"] if s["op"] == "alloc-contig"]
    # --free-contig 1 freed the second block held (2 pages), then
    # --free-contig 0 the first (1 page)
    p += [] if [f["range"] for f in frees] == [c[1]["range"], c[0]["range"]] \
        else [f"freed {frees}"]
    # the first block shares the first carved section with --alloc 1
    p += [] if r["steps"][0]["carved"] == [["0x48000000", "0x4fffffff"]] and \
        c[0]["carved"] == [] else [f"carves {r['steps'][0]['carved']}"]
    return p


def t_contig_orders():
    # orders 0 to 15 and sizes between them, on the default tree, held all
    # at once: 2^15 pages (128 MiB) is a whole section, carved for it
    sizes = [1 << k for k in range(16)] + [3, 6, 7, 100, 1000, 1025, 5000,
                                           32767]
    args = [a for n in sizes for a in ("--alloc-contig", str(n))]
    r, _ = report(*args)
    p = replay(r, args)
    res = contig_results(r)
    return p + ([] if res == ["scratch"] * len(sizes) else [f"results {res}"])


def t_contig_trees():
    # other trees and configurations: ten regions at 39-bit VA, 64K pages,
    # sub-section granules, 32-bit cells, a domU; with --alloc and --free
    mix = ["--alloc", "3", "--alloc-contig", "4", "--alloc-contig", "1",
           "--free", "2", "--alloc-contig", "9", "--alloc", "1000",
           "--alloc-contig", "513", "--free-contig", "1", "--alloc-contig",
           "256", "--alloc-contig", "1024"]
    p = []
    for conf in (["--va-bits", "39",
                  os.path.join(DTS, "seeds004-ten-regions.dts")],
                 ["--page-size", "64K", "--va-bits", "42",
                  os.path.join(DTS, "qemu-virt-dom0.dts")],
                 ["--granularity", "subsection"],
                 [os.path.join(DTB_DIR, "cells32-dom0.dtb")],
                 [os.path.join(DTB_DIR, "domu-xl.dtb")]):
        args = conf + mix
        r, _ = report(*args)
        p += replay(r, args)
        res = contig_results(r)
        if res != ["scratch"] * 6:
            p.append(f"{conf}: results {res}")
    return p


def t_contig_no_room():
    # 2 GiB aligned to 2 GiB: no such block in 0x40400000-0xbfffffff; the
    # largest request the tool takes fails too; neither harms what
    # follows, and nothing is held after them
    args = ["--alloc-contig", str(1 << 19), "--alloc", "10",
            "--alloc-contig", str(1 << 24), "--alloc-contig", "16",
            "--alloc-contig", str(1 << 18)]
    r, _ = report(*args)
    p = replay(r, args)
    res = contig_results(r)
    p += [] if res == ["error", "error", "scratch", "scratch"] else \
        [f"results {res}"]
    # 1 GiB, aligned: the second region is exactly that
    big = [s for s in r["steps"] if s["op"] == "alloc-contig"][3]
    p += [] if big["range"] == ["0x80000000", "0xbfffffff"] else \
        [f"1 GiB block {big['range']}"]
    # the human report says why: no room for 16 sections, more than 16
    # sections not a size the allocator takes
    rc, out, _ = run("--alloc-contig", str(1 << 19), "--alloc-contig",
                     str(1 << 24))
    for n, why in ((1 << 19, "Cannot allocate memory"),
                   (1 << 24, "Invalid argument")):
        if f"alloc-contig {n} page(s): error ({why})" not in out:
            p.append(f"human: no error line for {n} ({why})")
    # no regions: ballooned pages only, which are never contiguous
    f, _ = report("--alloc-contig", "1", "--alloc", "7",
                  os.path.join(DTB_DIR, "no-ext-regions.dtb"))
    p += [] if [(s["op"], s["result"]) for s in f["steps"]] == \
        [("alloc-contig", "error"), ("alloc", "balloon")] else \
        [f"fallback steps {f['steps']}"]
    return p


def t_contig_free_index():
    p = []
    # the index counts the blocks still held, oldest first
    args = ["--alloc-contig", "1", "--alloc-contig", "2", "--alloc-contig",
            "4", "--free-contig", "1", "--free-contig", "1",
            "--free-contig", "0"]
    r, _ = report(*args)
    p += replay(r, args)
    freed = [int(s["pages"]) for s in r["steps"] if s["op"] == "free-contig"]
    p += [] if freed == [2, 4, 1] else [f"freed {freed}"]
    rc, out, _ = run("--alloc-contig", "8", "--free-contig", "0")
    if "free-contig #0: 8 page(s), 0x48000000-0x48007fff" not in out:
        p.append(f"human free-contig line missing: {out[-300:]}")
    # no such block: none held, one freed already, one that failed
    for bad in (["--free-contig", "0"],
                ["--alloc-contig", "1", "--free-contig", "0",
                 "--free-contig", "0"],
                ["--alloc-contig", "2", "--free-contig", "1"],
                ["--alloc-contig", str(1 << 24), "--free-contig", "0"],
                ["--alloc", "5", "--free-contig", "0"]):
        for json_flag in ([], ["--json"]):
            rc, out, err = run(*json_flag, *bad)
            k = bad[-1]
            if rc != 2 or out or f"--free-contig {k}:" not in err or \
                    "held" not in err:
                p.append(f"{bad}: exit {rc}, stdout {out[:80]!r}, "
                         f"stderr {err!r}")
    # not an index at all
    for bad in (["--free-contig", "-1"], ["--free-contig", "x"],
                ["--free-contig"], ["--alloc-contig", "0"],
                ["--alloc-contig", str((1 << 24) + 1)]):
        rc, _, err = run(*bad)
        if rc != 2 or "usage:" not in err:
            p.append(f"{bad}: exit {rc}")
    rc, out, _ = run("--help")
    if rc != 0 or "--alloc-contig PAGES" not in out or \
            "--free-contig INDEX" not in out:
        p.append("--help does not show the contiguous steps")
    return p


def t_live():
    # a guest's files, as --live reads them under --live-root
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "sys/firmware"))
        os.makedirs(os.path.join(root, "proc"))
        os.makedirs(os.path.join(root, "sys/kernel/debug/xen"))
        with open(os.path.join(DTB_DIR, "qemu-virt-dom0.dtb"), "rb") as f, \
                open(os.path.join(root, "sys/firmware/fdt"), "wb") as g:
            g.write(f.read())
        view = os.path.join(root, "sys/kernel/debug/xen/unpopulated")
        iomem = os.path.join(root, "proc/iomem")
        with open(view, "w") as f:
            f.write("granularity: subsection, 2048 KiB\n"
                    "reclaim: delay 300 s, spare 512 page(s)\n"
                    "target: 0x40400000-0xbfffffff\n"
                    "range: 0x40400000-0x405fffff pages 512 free 511 in-use 1\n"
                    "busy: 0x60000000-0x7fffffff Unavailable space\n")
        agreeing = ("40400000-405fffff : Xen scratch\n"
                    "80000000-bfffffff : System RAM\n"
                    "  80000000-8000ffff : Kernel code\n")
        with open(iomem, "w") as f:
            f.write(agreeing)
        p = []
        rc, out, err = run("--live", "--live-root", root)
        if rc != 0 or "agree" not in out or "range  0x40400000-0x405fffff" not in out:
            p.append(f"agreeing files: exit {rc}: {out[-300:]} {err}")
        # a range reclaim is giving back: off the allocator's list (busy
        # "Xen scratch" in the view), not yet released from /proc/iomem
        with open(view, "a") as f:
            f.write("busy: 0x40600000-0x407fffff Xen scratch\n")
        with open(iomem, "a") as f:
            f.write("40600000-407fffff : Xen scratch\n")
        rc, out, err = run("--live", "--live-root", root)
        if rc != 0 or "given back" not in out:
            p.append(f"range being given back: exit {rc}: {out[-300:]} {err}")
        with open(iomem, "w") as f:
            f.write(agreeing)
        # a range the kernel's view does not know, and a moved target
        with open(iomem, "a") as f:
            f.write("48000000-4fffffff : Xen scratch\n")
        rc, out, _ = run("--live", "--live-root", root)
        if rc != 3 or "unknown to the kernel's view" not in out:
            p.append(f"extra iomem range: exit {rc}")
        with open(view, "w") as f:
            f.write("granularity: section, 131072 KiB\n"
                    "target: 0x40400000-0x5fffffff\n")
        rc, out, _ = run("--live", "--live-root", root)
        if rc != 3 or out.count("DISAGREE") < 3:
            p.append(f"wrong target, holes, ranges: exit {rc}: {out[-400:]}")
        # no view: an upstream kernel; /proc/iomem checked against the node
        os.unlink(view)
        with open(iomem, "w") as f:
            f.write("48000000-4fffffff : Xen scratch\n")
        rc, out, _ = run("--live", "--live-root", root)
        if rc != 0 or "no view" not in out:
            p.append(f"no view: exit {rc}")
        # no debugfs, but ours: the parameter gives the granule
        with open(iomem, "w") as f:
            f.write("40400000-405fffff : Xen scratch\n")
        rc, out, _ = run("--live", "--live-root", root)
        if rc != 3:
            p.append(f"2 MiB range, section granules: exit {rc}")
        os.makedirs(os.path.join(root, "sys/module/xen_unpopulated/parameters"))
        with open(os.path.join(root, "sys/module/xen_unpopulated/parameters/granularity"), "w") as f:
            f.write("subsection\n")
        rc, out, _ = run("--live", "--live-root", root)
        if rc != 0 or "subsection granules" not in out:
            p.append(f"granularity from the parameter: exit {rc}: {out[-300:]}")
        rc, _, _ = run("--live", "--alloc", "1")
        if rc != 2:
            p.append(f"--live with steps: exit {rc}")
    return p


FALLBACKS = {
    "no-ext-regions": "no extended regions",
    "acpi-no-reg": "hypervisor node has no reg property",
    "no-hypervisor": "no hypervisor node",
    "two-nodes": "more than one hypervisor node",
    "bad-overlap": "overlap",
    "bad-duplicate": "overlap",
    "bad-overflow": "passes 2^64",
    "bad-reg-length": "not a non-zero multiple",
    "bad-address-cells": "not supported",
    "below-range": "no extended region inside the hotpluggable range",
}


def t_fallbacks():
    p = []
    for name, why in FALLBACKS.items():
        r, _ = report(os.path.join(DTB_DIR, name + ".dtb"))
        if not r["fallback"] or r["resource"] is not None or \
                why not in (r["reason"] or ""):
            p.append(f"{name}: fallback {r['fallback']} {r['reason']!r}")
        if not any("using ballooned pages" in l["text"] for l in r["log"]):
            p.append(f"{name}: no fallback line logged")
    return p


def t_bad_blobs():
    p = []
    good = open(os.path.join(DTB_DIR, "qemu-virt-dom0.dtb"), "rb").read()
    blobs = {"empty": b"", "text": b"hello, world\n" * 10,
             "truncated": good[:len(good) // 2],
             "bad magic": b"\0\0\0\0" + good[4:],
             "version 11": good[:20] + (11).to_bytes(4, "big") + good[24:],
             "totalsize past the end": good[:4] +
             (len(good) + 64).to_bytes(4, "big") + good[8:]}
    # Blobs that once crashed something (found by fuzzing): see README.
    regress = os.path.join(HERE, "regress")
    for name in sorted(os.listdir(regress)):
        blobs[name] = open(os.path.join(regress, name), "rb").read()
    with tempfile.TemporaryDirectory() as d:
        for name, data in blobs.items():
            path = os.path.join(d, "blob.dtb")
            open(path, "wb").write(data)
            rc, out, err = run(path)
            if rc != 1 or out or len(err.strip().splitlines()) != 1:
                p.append(f"{name}: exit {rc}, stderr {err!r}")
        bad_dts = os.path.join(d, "bad.dts")
        open(bad_dts, "w").write("/dts-v1/; / { oops")
        for path in (bad_dts, os.path.join(d, "missing.dtb")):
            rc, out, err = run(path)
            last = err.strip().splitlines()[-1] if err.strip() else ""
            if rc != 1 or not last.startswith("xen-extregions: "):
                p.append(f"{path}: exit {rc}, stderr {err!r}")
        rc, _, err = run("--xen-log", os.path.join(d, "missing.log"))
        if rc != 1:
            p.append(f"missing log: exit {rc}")
    return p


def t_usage():
    p = []
    for args in (["--va-bits", "40"], ["--page-size", "8K"], ["--bogus"],
                 ["--va-bits", "39", "--page-size", "64K"], ["a", "b"],
                 ["--alloc", "0"], ["--phys-offset", "-1"],
                 ["--section-bits", "12"], ["--alloc"], ["--kasan", "on"]):
        rc, out, err = run(*args)
        if rc != 2 or "usage:" not in err:
            p.append(f"{args}: exit {rc}")
    return p


def t_valgrind():
    plain = os.path.join(os.path.dirname(os.path.dirname(TOOL)),
                         "xen-extregions")
    p = []
    contig = ["--alloc-contig", "5", "--alloc", "3", "--alloc-contig", "64",
              "--free-contig", "0", "--alloc-contig", "9"]
    for args, want in (([], 0),
                       (["--json", os.path.join(DTB_DIR, "bad-overlap.dtb")], 0),
                       (["--xen-log", os.path.join(LOGS, "seeds004-4.16.log"),
                         os.path.join(DTS, "seeds004-ten-regions.dts")], 0),
                       # blocks still held at the end, and a bad index
                       (["--json"] + contig, 0),
                       (contig + ["--free-contig", "2"], 2)):
        v = subprocess.run(["valgrind", "-q", "--error-exitcode=99",
                            "--leak-check=full",
                            "--errors-for-leak-kinds=definite,indirect",
                            plain, *args], capture_output=True, text=True)
        if v.returncode != want:
            p.append(f"{args}: valgrind exit {v.returncode}: {v.stderr[-400:]}")
    return p


for name, fn in list(globals().items()):
    if name.startswith("t_"):
        case(name[2:], fn)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

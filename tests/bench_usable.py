#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench, part two: for each Xen boot log in the board corpus
(dts/logs/*.log) and each domain it lists extended regions for, the share
of in-range extended-region bytes (the regions clamped to the kernel's
hotpluggable range) that whole aligned scratch ranges can use, with
section and with sub-section granularity.  The allocator's own code
decides, run by xen-extregions on the logged regions.

Usage: bench_usable.py XEN_EXTREGIONS LOG_DIR
Exits 1 if sub-sections use less than 99.9% on any domain."""
import glob
import json
import os
import re
import subprocess
import sys

DOMAIN = re.compile(r"\(XEN\) (?:\[[ 0-9.]+\] )?(?:d(\d+): )?[Ee]xtended region \d+:")


def analyse(tool, log, domid, granularity):
    out = subprocess.run([tool, "--xen-log", log, "--domid", str(domid),
                          "--granularity", granularity, "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def in_range(report):
    lo, hi = (int(x, 16) for x in report["pluggable"])
    total = 0
    for start, end in report["regions"]:
        s, e = max(int(start, 16), lo), min(int(end, 16), hi)
        if s <= e:
            total += e - s + 1
    return total


def main(tool, logdir):
    print("%-34s %-4s %14s %9s %11s" % ("log", "dom", "in-range MiB",
                                         "section", "subsection"))
    worst, rows = 100.0, 0
    for log in sorted(glob.glob(os.path.join(logdir, "*.log"))):
        with open(log, errors="replace") as f:
            doms = sorted({int(m.group(1) or 0) for m in map(DOMAIN.match, f) if m})
        if not doms:
            print("%-34s      no extended regions logged" % os.path.basename(log))
            continue
        for d in doms:
            sec = analyse(tool, log, d, "section")
            sub = analyse(tool, log, d, "subsection")
            total = in_range(sec)
            if not total:
                print("%-34s d%-3d no region in range" % (os.path.basename(log), d))
                continue
            ps = 100.0 * sec["usable_bytes"] / total
            pb = 100.0 * sub["usable_bytes"] / total
            worst = min(worst, pb)
            rows += 1
            print("%-34s d%-3d %14.1f %8.2f%% %10.2f%%" %
                  (os.path.basename(log), d, total / 2**20, ps, pb))
    print("subsection: worst %.2f%% of in-range bytes usable over %d domain(s)"
          % (worst, rows))
    if not rows or worst < 99.9:
        print("FAIL: sub-section granularity must use >= 99.9% everywhere")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))

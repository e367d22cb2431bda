#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks and the table of the toolstack tier (tests/qemu/xl/).

  table.py check LOG --variant ours|upstream --cycles N
      "CHECK name PASS|FAIL detail" lines for one boot's serial log (the
      XL0/XLD lines of dom0-init and domu-init); exit 1 if any failed.
  table.py table LOG...
      upstream next to ours for every kernel version, from logs named
      xl-VERSION-FLAVOUR-xenX.Y.log.
"""
import argparse
import os
import re
import sys

# the regions libxl gives a domU of 128 MiB: the rest of GUEST_RAM0 and
# GUEST_RAM1 (xen/include/public/arch-arm.h)
DOMU_REGIONS = ["0x48000000-0xffffffff", "0x200000000-0xffffffffff"]
BAD = re.compile(r"WARNING:|BUG:|Oops")
MIB = 1 << 20


def parse(path):
    """The facts of one serial log."""
    r = {"cycles": {}, "base": None, "end": False, "bad": [], "start": None}
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        if BAD.search(line):
            r["bad"].append(line.strip())
        m = re.search(r"XL0 (\S+)(?: (.*))?$", line)
        if m:
            key, rest = m.group(1), (m.group(2) or "").split()
            if key == "start":
                r["start"] = rest
            elif key == "base":
                r["base"] = rest
            elif key == "end":
                r["end"] = True
            elif key == "cycle" and len(rest) >= 2:
                c = r["cycles"].setdefault(int(rest[0]), {"domu": []})
                c[rest[1]] = rest[2:]
            elif key == "view" and rest:
                c = r["cycles"].setdefault(int(rest[0]), {"domu": []})
                c.setdefault("view", []).append(" ".join(rest[1:]))
            continue
        m = re.search(r"XLD (\d+) (.*)$", line)
        if m:
            c = r["cycles"].setdefault(int(m.group(1)), {"domu": []})
            c["domu"].append(m.group(2))
    return r


def domu(c, key):
    """The words after "XLU KEY" in a cycle's domU log, or None."""
    for line in c["domu"]:
        w = line.split()
        if len(w) >= 2 and w[0] == "XLU" and w[1] == key:
            return w[2:]
    return None


def regions(c):
    """The node's regions as xen-extregions --live printed them."""
    out = []
    for line in c["domu"]:
        m = re.match(r"XLU live\s+region \d+:?\s+(0x[0-9a-f]+-0x[0-9a-f]+)", line)
        if m:
            out.append(m.group(1))
    return out


def check(args):
    r = parse(args.log)
    fails = 0

    def res(name, ok, detail):
        nonlocal fails
        print("CHECK %s %s %s" % (name, "PASS" if ok else "FAIL", detail))
        fails += not ok

    n = args.cycles + 1
    res("dom0-end", r["end"], "dom0 ran to 'XL0 end'" if r["end"]
        else "no 'XL0 end' (dom0 did not finish)")
    res("cycles", sorted(r["cycles"]) == list(range(1, n + 1)),
        "%d of %d cycles (%d with power-off, 1 with xl destroy)"
        % (len(r["cycles"]), n, args.cycles))
    afters = []
    for i in range(1, n + 1):
        c = r["cycles"].get(i, {"domu": []})
        p = "cycle-%d" % i
        cr = c.get("create")
        res(p + "/create", bool(cr) and cr[0] == "0",
            "xl create exit %s in %s ms" % tuple(cr[:2]) if cr else "no xl create")
        boot = domu(c, "boot")
        res(p + "/domu-boot", boot is not None,
            "domU /init ran (%s)" % boot[0] if boot else "no 'XLU boot' on the domU console")
        d = domu(c, "disk")
        ok = bool(d) and d[0] == "PASS"
        res(p + "/disk", ok, "64 MiB written in %s ms, read back in %s ms, md5 %s" % (d[3], d[4], d[1])
            if ok else "domU: %s" % (" ".join(d) if d else "no disk line"))
        net = domu(c, "net")
        rx = c.get("net-rx") or [""]
        ok = bool(net) and net[0] == "PASS" and rx[0] == net[1]
        res(p + "/net", ok, "16 MiB to dom0 and back, md5 %s (dom0 got %s), %s ms"
            % (net[1], rx[0] or "nothing", net[3]) if net and len(net) >= 4
            else "domU: %s" % (" ".join(net) if net else "no net line"))
        rc = domu(c, "live-rc")
        got = regions(c)
        ok = rc == ["0"] and got == DOMU_REGIONS
        res(p + "/domu-regions", ok, "xen-extregions --live exit %s, node regions %s%s"
            % (rc[0] if rc else "missing", " ".join(got) or "none",
               "" if got == DOMU_REGIONS else " (want %s)" % " ".join(DOMU_REGIONS)))
        g = c.get("gone")
        res(p + "/gone", bool(g) and g[0] == "1", "domain gone after %s s (%s)"
            % (g[1], "xl destroy" if i == n else "power-off") if g and g[0] == "1"
            else "the domain is still there")
        run, aft = c.get("running"), c.get("after")
        if aft:
            # MemFree and the free pages on the per-CPU lists (dom0-init's
            # fourth field, absent from older logs): those lists alone
            # move MemFree by megabytes between samples
            afters.append(int(aft[0]) + (int(aft[3]) if len(aft) > 3 else 0))
        if args.variant == "ours":
            ok = bool(run) and run[1].isdigit() and int(run[1]) > 0
            res(p + "/inuse-running", ok, "dom0's scratch pages in use while the domU runs: %s"
                % (run[1] if run else "no sample"))
            ok = bool(aft) and aft[1] == "0"
            res(p + "/inuse-after", ok, "dom0's scratch pages in use after the cycle: %s"
                % (aft[1] if aft else "no sample"))
        else:
            first = r["cycles"].get(1, {}).get("after")
            ok = bool(aft) and bool(first) and aft[2] == first[2] and aft[2] != "0/0MiB"
            res(p + "/scratch-kept", ok, "dom0's Xen scratch ranges after the cycle: %s "
                "(after cycle 1: %s)" % (aft[2] if aft else "?", first[2] if first else "?"))
    if len(afters) == n:
        spread = max(afters) - min(afters)
        res("memfree-stable", spread <= args.memfree_slack,
            "dom0 MemFree (+ per-CPU lists) after each cycle %d-%d kB, spread %d kB (at most %d)"
            % (min(afters), max(afters), spread, args.memfree_slack))
    else:
        res("memfree-stable", False, "MemFree after %d of %d cycles" % (len(afters), n))
    res("klog-clean", not r["bad"], "%d WARNING:/BUG:/Oops line(s)%s"
        % (len(r["bad"]), ": " + r["bad"][0] if r["bad"] else ""))
    return 1 if fails else 0


def rng(vals, fmt="%d"):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    lo, hi = min(vals), max(vals)
    return fmt % lo if lo == hi else (fmt + "-" + fmt) % (lo, hi)


def mbs(nbytes, ms):
    return nbytes / MIB / (ms / 1000.0) if ms and ms > 0 else None


def column(r):
    cs = [r["cycles"][k] for k in sorted(r["cycles"])]

    def num(c, key, i):
        v = c.get(key)
        return int(v[i]) if v and len(v) > i and v[i].lstrip("-").isdigit() else None

    def dnum(c, key, i):
        v = domu(c, key)
        return int(v[i]) if v and len(v) > i and v[i].isdigit() else None

    ok = sum(1 for c in cs if (c.get("create") or ["1"])[0] == "0"
             and (domu(c, "disk") or ["FAIL"])[0] == "PASS"
             and (domu(c, "net") or ["FAIL"])[0] == "PASS"
             and (c.get("gone") or ["0"])[0] == "1")
    view = [v for c in cs[-1:] for v in c.get("view", []) if v.startswith(("range:", "scratch:", "ballooned:"))]
    return [
        ("cycles passed", "%d/%d" % (ok, len(cs))),
        ("xl create, ms", rng([num(c, "create", 1) for c in cs])),
        ("disk write, MB/s", rng([mbs(64 * MIB, dnum(c, "disk", 3)) for c in cs], "%.0f")),
        ("disk read, MB/s", rng([mbs(64 * MIB, dnum(c, "disk", 4)) for c in cs], "%.0f")),
        ("net 16 MiB there and back, MB/s", rng([mbs(32 * MIB, dnum(c, "net", 3)) for c in cs], "%.0f")),
        ("dom0 MemFree before, MB", "%d" % (int(r["base"][0]) // 1024) if r["base"] else "-"),
        ("dom0 MemFree after each cycle, MB", rng([num(c, "after", 0) // 1024 if num(c, "after", 0) else None for c in cs])),
        ("dom0 in use, domain builder peak", rng([num(c, "built", 4) for c in cs])),
        ("dom0 in use, domU built, paused", rng([num(c, "built", 1) for c in cs])),
        ("dom0 scratch in use, domU running", rng([num(c, "running", 1) for c in cs])),
        ("  of which the backends took", rng([num(c, "running", 1) - num(c, "built", 1)
                                             if num(c, "running", 1) is not None and num(c, "built", 1) is not None
                                             else None for c in cs])),
        ("dom0 scratch in use, after", rng([num(c, "after", 1) for c in cs])),
        ("dom0 Xen scratch after", " ".join(sorted({(c.get("after") or ["", "", "-"])[2] for c in cs}))),
        ("dom0 view after the last cycle", "; ".join(view) or "- (no view)"),
        ("domU regions (libxl)", " ".join(regions(cs[0])) if cs else "-"),
        ("WARNING/BUG/Oops lines", "%d" % len(r["bad"])),
    ]


def table(args):
    logs = {}
    for path in args.logs:
        m = re.match(r"xl-(.+)-(upstream|ours)-xen(.+)\.log$", os.path.basename(path))
        if m and os.path.exists(path):
            logs[(m.group(3), m.group(1), m.group(2))] = parse(path)
    for xen, ver in sorted({(k[0], k[1]) for k in logs}, key=lambda k: (k[0], [int(x) for x in k[1].split(".")])):
        cols = {f: column(logs[(xen, ver, f)]) for f in ("upstream", "ours") if (xen, ver, f) in logs}
        print()
        print("Linux %s under Xen %s, xl create/destroy cycles (upstream | ours):" % (ver, xen))
        rows = next(iter(cols.values()))
        for i, (label, _) in enumerate(rows):
            vals = [cols[f][i][1] if f in cols else "-" for f in ("upstream", "ours")]
            print("  %-36s %-24s | %s" % (label, vals[0], vals[1]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("log")
    c.add_argument("--variant", choices=["ours", "upstream"], required=True)
    c.add_argument("--cycles", type=int, default=5)
    c.add_argument("--memfree-slack", type=int, default=4096, help="kB")
    t = sub.add_parser("table")
    t.add_argument("logs", nargs="+")
    args = ap.parse_args()
    sys.exit(check(args) if args.cmd == "check" else table(args))


if __name__ == "__main__":
    main()

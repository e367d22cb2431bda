#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host-side checks of one QEMU-tier boot, and the side-by-side tables.

  hostcheck.py check --log LOG --name NAME --tag TAG --config DOTCONFIG
                     --variant ours|upstream [--xen 4.17|4.20|4.21]
                     [--domain D]... [--expect-clamp D]...
                     [--tool build/xen-extregions] [--outdir DIR]
                     [--debug] [--frugal] [--dmabuf]
                     [--kunit SUITE[:SKIPPED,...]]...
  hostcheck.py kunit --log LOG --name NAME --kunit SUITE[:SKIPPED,...]...
  hostcheck.py table [--versions "6.1 6.12 7.3"] [--xen-versions "4.17 4.20 4.21"]
                     SUMMARY.json...

`check` reads the serial log of a run (tests/qemu/run-scenario.sh) in which
the guests' /init (tests/qemu/guest/init) printed their device tree in
base64, their /proc/iomem after every workload and their kernel's Xen log
lines. For every domain (0 = dom0, its lines unprefixed; D > 0 = a dom0less
domU, its lines prefixed "(XEN) DOMD: ") it

  - decodes the device tree to DIR/NAME-TAG[-dD].fdt (size and md5 checked);
  - runs `xen-extregions --json --va-bits V --page-size P --kasan K
    --alloc 1 --xen-log LOG --domid D FDT` (V, P, K from the kernel's
    .config): exit 0
    and "match": true, i.e. the regions the component reads from the tree
    equal Xen's own "dD: extended region" lines;
  - checks every "Xen scratch" range of every /proc/iomem dump: inside one
    extended region, inside the pluggable range the tool computed for this
    tree and kernel configuration, section aligned, a top-level entry that
    overlaps no other one;
  - compares the scratch ranges present after the first one-page map with
    what `--alloc 1` carves on the same tree (both tiers agree);
  - ours only: the kernel's "xen-ext-regions: extended region i: A-B"
    lines equal Xen's lines (ends made inclusive), and all its
    "xen-ext-regions:" lines equal the tool's predicted log;
  - when a region passes the end of the pluggable range (or --expect-clamp
    asks for it): the target resource ends exactly there, for the tool and
    (ours) for the kernel's "xen-ext-regions: target" line.

With --kunit (ours, whose kernels run the series' KUnit tests at boot),
dom0's console must hold the KTAP of every suite named, with as many case
results as its plan says: one check `kunit/SUITE/CASE` per case, which
passes when the case is "ok", or skipped when the suite's list names it
(":" then cases separated by ","), and fails otherwise, a skip not listed
or a listed case that ran included.  `kunit` does the same on a plain
boot's console log (no Xen, one domain).  With
--dmabuf (dom0 ran guest/gntdmabuf.c), ours must keep the RAM while its
dma-bufs are held (`dmabuf-ram`), and upstream must be seen to lose it
(`dmabuf-ram-control`: the measurement can tell).

With --debug (debug kernel), `debug-reports` reads the kernel's KASAN,
lockdep, BUG, WARNING and kmemleak reports from dom0's console and fails on
any, naming our functions when a report's call trace has them.

It prints "CHECK NAME[/dD]/what PASS|FAIL detail" lines, exits 1 if any
failed, and writes DIR/NAME-TAG.summary.json for `table`.

`table` prints, per scenario, domain and Xen version, one table with a
column for upstream and one for ours, rows per kernel version.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

XEN_REGION = re.compile(
    r'\(XEN\)\s*(?:\[[^\]]*\]\s*)?d(\d+): extended region (\d+): '
    r'0x([0-9a-fA-F]+)->0x([0-9a-fA-F]+)')
XEN_DISABLED = re.compile(
    r'\(XEN\)\s*(?:\[[^\]]*\]\s*)?d(\d+): extended regions support is disabled')
KLOG = re.compile(r'^\s*klog: (?:\[[^\]]*\]\s*)?(.*)$')
KLOG_REGION = re.compile(r'^xen-ext-regions: extended region (\d+): 0x([0-9a-f]+)-0x([0-9a-f]+)$')
KLOG_TARGET = re.compile(r'^xen-ext-regions: target 0x([0-9a-f]+)-0x([0-9a-f]+)$')
IOMEM = re.compile(r'^(\s*)([0-9a-f]+)-([0-9a-f]+) : (.*)$')
GNTSELF = re.compile(r'pages=(\d+) memfree_before=(-?\d+) after_map=(-?\d+) '
                     r'after_unmap=(-?\d+) map_cost=(-?\d+) kB')
B64 = re.compile(r'^[A-Za-z0-9+/=]+$')
REPORT_START = re.compile(r'(BUG: KASAN|WARNING: |BUG: |INFO: possible|INFO: inconsistent|'
                          r'INFO: trying to register|UBSAN:|kmemleak: \d+ new suspected|'
                          r'Kernel panic|Oops)')
FRAME = re.compile(r'^\s+([A-Za-z_][A-Za-z0-9_]*)(?:\.[a-z]+(?:\.\d+)?)*\+0x')
OUR_SOURCES = ['arch/arm/xen/extended-regions.c', 'drivers/xen/unpopulated-alloc.c',
               'arch/arm/xen/extended-regions-test.c',
               'drivers/xen/unpopulated-alloc-test.c']
# KTAP as KUnit prints it: "# Subtest: SUITE", "1..N", then "ok|not ok I
# [- ]NAME [# SKIP reason]" per case (indented) and per suite (not)
KTAP_SUBTEST = re.compile(r'^(\s*)# Subtest: (\S+)')
KTAP_PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
KTAP_RESULT = re.compile(r'^(\s*)(ok|not ok) (\d+) (?:- )?(\S+)(?:\s+#\s*SKIP\b\s*(.*))?')
KTAP_TIME = re.compile(r'^\[\s*\d+\.\d+\] ?')
KTAP_DIAG = re.compile(r'^\s+# (.*)$')
KV = re.compile(r'(\w+)=(\S+)')


def our_functions(root):
    """Names of the functions defined in our two kernel files."""
    names = set()
    for src in OUR_SOURCES:
        try:
            with open(os.path.join(root, src)) as f:
                text = f.read()
        except OSError:
            continue
        for m in re.finditer(r'^[A-Za-z_][^;{}()=]*?\b([A-Za-z_]\w*)\s*\([^;]*?\)\s*\{',
                             text, re.M | re.S):
            names.add(m.group(1))
    return names


def kernel_reports(lines):
    """Report blocks: from a report's first line to the end of its first
    call trace (or 200 lines)."""
    blocks = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith('  klog:') or not REPORT_START.search(ln):
            i += 1
            continue
        block = [ln]
        in_trace = False
        i += 1
        while i < len(lines) and len(block) < 200:
            l2 = lines[i]
            if l2.startswith('QTEST ') or l2.startswith('CHECK '):
                break
            if in_trace and not l2.startswith(' '):
                break
            if l2.startswith('Call trace:'):
                in_trace = True
            block.append(l2)
            i += 1
        blocks.append(block)
    return blocks


def fmt_range(r):
    return '%08x-%08x' % (r[0], r[1])


def fmt_ranges(rs):
    return ' '.join(fmt_range(r) for r in rs) if rs else 'none'


def hexpair(p):
    return (int(p[0], 16), int(p[1], 16))


def domain_lines(lines, dom):
    """The console lines of one domain, prefixes removed."""
    out = []
    if dom == 0:
        for ln in lines:
            if not ln.startswith('(XEN)'):
                out.append(ln)
        return out
    # Xen prints a domU's console lines whole, but dom0's console output
    # is not line buffered: a domU line can start in the middle of one of
    # dom0's ("Freeing initrd m(XEN) DOM1: ..."), hence search, not match.
    pfx = re.compile(r'\(XEN\)\s*(?:\[[^\]]*\]\s*)?DOM%d: ?(.*)$' % dom)
    for ln in lines:
        m = pfx.search(ln)
        if m:
            out.append(m.group(1))
    return out


def parse_domain(lines):
    """fdt base64 + trailer, iomem dumps, guest checks, klog lines."""
    d = {'fdt_b64': None, 'fdt_size': None, 'fdt_md5': None, 'iomem': [],
         'checks': [], 'klog': [], 'frugal': {}, 'dmabuf': None}
    i = 0
    klog_section = False
    while i < len(lines):
        ln = lines[i]
        s = ln.strip()
        if s == 'QTEST fdt begin':
            buf = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith('QTEST fdt end'):
                t = lines[i].strip()
                if B64.match(t):
                    buf.append(t)
                i += 1
            if i < len(lines):
                m = re.search(r'size=(\d+) md5=([0-9a-f]+)', lines[i])
                if m:
                    d['fdt_size'], d['fdt_md5'] = int(m.group(1)), m.group(2)
            d['fdt_b64'] = ''.join(buf)
        elif s.startswith('QTEST iomem ') and s.endswith(' begin'):
            label = s[len('QTEST iomem '):-len(' begin')]
            entries = []
            i += 1
            while i < len(lines) and lines[i].strip() != 'QTEST iomem %s end' % label:
                m = IOMEM.match(lines[i].rstrip())
                if m:
                    entries.append({'start': int(m.group(2), 16), 'end': int(m.group(3), 16),
                                    'name': m.group(4).strip(),
                                    'top': len(m.group(1)) == 0})
                i += 1
            d['iomem'].append((label, entries))
        elif s.startswith('QTEST dmabuf '):
            d['dmabuf'] = s[len('QTEST dmabuf '):]
        elif s.startswith('QTEST frugal '):
            parts = s.split(' ', 3)
            if len(parts) == 4:
                d['frugal'][parts[2]] = parts[3]
        elif s.startswith('QTEST kernel log'):
            klog_section = True
        elif s.startswith('CHECK '):
            klog_section = False
            parts = s.split(' ', 3)
            if len(parts) >= 3:
                d['checks'].append((parts[1], parts[2], parts[3] if len(parts) > 3 else ''))
        elif klog_section:
            m = KLOG.match(ln)
            if m:
                d['klog'].append(m.group(1).strip())
        i += 1
    return d


class Checks:
    def __init__(self):
        self.fail = 0

    def out(self, name, ok, detail):
        print('CHECK %s %s %s' % (name, 'PASS' if ok else 'FAIL', detail))
        sys.stdout.flush()
        if not ok:
            self.fail += 1


def kconfig(path):
    """VA bits, page size and the tool's --kasan value of a kernel .config
    (a KASAN shadow shortens the linear map, hence the pluggable range)."""
    va, page, kasan = 48, '4K', 'none'
    try:
        with open(path) as f:
            for ln in f:
                m = re.match(r'^CONFIG_ARM64_VA_BITS=(\d+)$', ln.strip())
                if m:
                    va = int(m.group(1))
                m = re.match(r'^CONFIG_ARM64_(4K|16K|64K)_PAGES=y$', ln.strip())
                if m:
                    page = m.group(1)
                if ln.strip() == 'CONFIG_KASAN_GENERIC=y':
                    kasan = 'generic'
                elif ln.strip() == 'CONFIG_KASAN_SW_TAGS=y':
                    kasan = 'sw-tags'
    except OSError:
        pass
    return va, page, kasan


def check_domain(args, ck, all_lines, dom, va, page, kasan):
    pre = args.name + ('/d%d' % dom if dom else '')
    tag = args.name + '-' + args.tag + ('-d%d' % dom if dom else '')
    summary = {'scenario': args.name, 'tag': args.tag, 'variant': args.variant,
               'domain': dom, 'xen': args.xen}
    d = parse_domain(domain_lines(all_lines, dom))

    # Xen's own lines for this domain (ends exclusive in the log)
    xen = []
    disabled = False
    for ln in all_lines:
        m = XEN_REGION.search(ln)
        if m and int(m.group(1)) == dom:
            xen.append((int(m.group(2)), int(m.group(3), 16), int(m.group(4), 16) - 1))
        m = XEN_DISABLED.search(ln)
        if m and int(m.group(1)) == dom:
            disabled = True
    summary['xen_regions'] = 'disabled' if disabled else len(xen)
    summary['xen_ranges'] = [(a, b) for _, a, b in xen]

    # 1. the device tree the guest booted with
    fdt_path = os.path.join(args.outdir, tag + '.fdt')
    blob = None
    if d['fdt_b64'] is None:
        ck.out(pre + '/fdt-dump', False, 'no "QTEST fdt begin" block in the log')
    else:
        try:
            blob = base64.b64decode(d['fdt_b64'], validate=True)
        except ValueError as e:
            ck.out(pre + '/fdt-dump', False, 'base64: %s' % e)
        if blob is not None:
            md5 = hashlib.md5(blob).hexdigest()
            if len(blob) != d['fdt_size'] or md5 != d['fdt_md5']:
                ck.out(pre + '/fdt-dump', False, 'decoded %d bytes md5 %s, guest said %s bytes md5 %s'
                       % (len(blob), md5, d['fdt_size'], d['fdt_md5']))
                blob = None
            else:
                with open(fdt_path, 'wb') as f:
                    f.write(blob)
                ck.out(pre + '/fdt-dump', True, '%d bytes, md5 ok -> %s'
                       % (len(blob), os.path.relpath(fdt_path)))

    # 2. the tool on that tree, against Xen's log
    tool = None
    if blob is not None:
        cmd = [args.tool, '--json', '--va-bits', str(va), '--page-size', page, '--kasan', kasan,
               '--granularity', args.granularity,
               '--alloc', '1', '--xen-log', args.log, '--domid', str(dom), fdt_path]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            tool = json.loads(p.stdout)
        except ValueError:
            tool = None
        if tool is None:
            ck.out(pre + '/tool-vs-xen', False, 'xen-extregions exit %d, no JSON: %s'
                   % (p.returncode, p.stderr.strip()[:200]))
        else:
            xl = tool.get('xen_log') or {}
            regions = [hexpair(r) for r in tool.get('regions', [])]
            ok = p.returncode == 0 and xl.get('match') is True
            if ok:
                what = ('%d region(s) %s' % (len(regions), fmt_ranges(regions))
                        if regions else 'no regions (Xen: %s)' % ('disabled' if xl.get('disabled') else 'none'))
                ck.out(pre + '/tool-vs-xen', True, 'tree read by our code = Xen\'s d%d lines: %s'
                       % (dom, what))
            else:
                ck.out(pre + '/tool-vs-xen', False, 'exit %d match %s: tree %s, Xen log %s'
                       % (p.returncode, xl.get('match'), fmt_ranges(regions),
                          fmt_ranges([hexpair(r) for r in xl.get('regions', [])])))
            with open(os.path.join(args.outdir, tag + '.tool.json'), 'w') as f:
                f.write(p.stdout)

    regions = [hexpair(r) for r in tool.get('regions', [])] if tool else []
    plug = hexpair(tool['pluggable']) if tool and tool.get('pluggable') else None
    res = hexpair(tool['resource']) if tool and tool.get('resource') else None
    sect = int(tool['arm64']['section_size'], 16) if tool else 128 << 20
    if args.granularity == 'subsection':
        sect = 2 << 20

    # 3. every scratch range of every iomem dump
    seen = []
    problems = []
    for label, entries in d['iomem']:
        tops = [e for e in entries if e['top']]
        for e in entries:
            if e['name'] != 'Xen scratch':
                continue
            r = (e['start'], e['end'])
            if r not in seen:
                seen.append(r)
            where = '%s (after %s)' % (fmt_range(r), label)
            if not e['top']:
                problems.append(where + ' nested in another entry')
            if not any(a <= r[0] and r[1] <= b for a, b in regions):
                problems.append(where + ' not inside one extended region')
            if plug is None or not (plug[0] <= r[0] and r[1] <= plug[1]):
                problems.append(where + ' outside the pluggable range %s'
                                % (fmt_range(plug) if plug else '?'))
            if r[0] % sect or (r[1] + 1) % sect:
                problems.append(where + ' not %d MiB aligned' % (sect >> 20))
            for o in tops:
                if o is e or o['end'] < r[0] or o['start'] > r[1]:
                    continue
                problems.append(where + ' overlaps %s : %s'
                                % (fmt_range((o['start'], o['end'])), o['name']))
    if not d['iomem']:
        ck.out(pre + '/scratch-placement', False, 'no /proc/iomem dump in the log')
    elif problems:
        ck.out(pre + '/scratch-placement', False, '; '.join(problems[:6]))
    else:
        ck.out(pre + '/scratch-placement', True,
               '%s in %d iomem dumps: inside a region and %s, %d MiB aligned, disjoint'
               % (fmt_ranges(seen), len(d['iomem']),
                  'pluggable ' + fmt_range(plug) if plug else 'no pluggable range',
                  sect >> 20))
    summary['scratch_all'] = seen
    summary['scratch_end'] = ([(e['start'], e['end']) for e in d['iomem'][-1][1]
                               if e['name'] == 'Xen scratch'] if d['iomem'] else None)

    # 4. the first one-page map: guest vs tool --alloc 1
    first = None
    for label, entries in d['iomem']:
        if label == 'gntself-1':
            first = [(e['start'], e['end']) for e in entries if e['name'] == 'Xen scratch']
    summary['first_carve'] = first
    if tool and tool.get('allocs'):
        a = tool['allocs'][0]
        carved = [hexpair(r) for r in a.get('carved', [])]
        summary['tool_first'] = carved
        if first is None:
            ck.out(pre + '/first-carve-vs-tool', False, 'no iomem dump after the one-page map')
        elif first == carved:
            ck.out(pre + '/first-carve-vs-tool', True, 'guest %s = tool --alloc 1 %s (%s)'
                   % (fmt_ranges(first), fmt_ranges(carved), a.get('result')))
        else:
            ck.out(pre + '/first-carve-vs-tool', False, 'guest %s, tool --alloc 1 %s (%s)'
                   % (fmt_ranges(first), fmt_ranges(carved), a.get('result')))

    # 5. our kernel's log lines: against Xen and against the tool
    kl = [l for l in outside_kunit(d['klog']) if l.startswith('xen-ext-regions:')]
    target = None
    for l in kl:
        m = KLOG_TARGET.match(l)
        if m:
            target = (int(m.group(1), 16), int(m.group(2), 16))
    if args.variant == 'ours':
        kr = []
        for l in kl:
            m = KLOG_REGION.match(l)
            if m:
                kr.append((int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)))
        if kr == xen:
            ck.out(pre + '/klog-vs-xen', True, '%d kernel region line(s) = Xen\'s%s'
                   % (len(kr), ' (Xen: disabled)' if disabled else ''))
        else:
            ck.out(pre + '/klog-vs-xen', False, 'kernel %s, Xen %s'
                   % (' '.join('%d:%x-%x' % r for r in kr) or 'none',
                      ' '.join('%d:%x-%x' % r for r in xen) or 'none'))
        if tool:
            tl = [e['text'] for e in tool.get('log', []) if e['text'].startswith('xen-ext-regions:')]
            if tl == kl:
                ck.out(pre + '/klog-vs-tool', True, '%d xen-ext-regions line(s) as the tool predicts'
                       % len(kl))
            else:
                ck.out(pre + '/klog-vs-tool', False, 'kernel %s | tool %s'
                       % (' / '.join(kl) or 'none', ' / '.join(tl) or 'none'))

    # 6. clamping to the pluggable range
    beyond = [r for r in regions if plug and r[1] > plug[1]]
    if dom in args.expect_clamp or beyond:
        if tool is None:
            ck.out(pre + '/clamp', False, 'no tool result for this domain\'s device tree')
        elif not beyond:
            ck.out(pre + '/clamp', False, 'no region passes the pluggable end %s (VA %d bits)'
                   % ('%#x' % plug[1] if plug else '?', va))
        else:
            ok = res is not None and res[1] == plug[1]
            detail = ('region %s passes the pluggable end %#x (%d-bit VA): tool resource %s'
                      % (fmt_range(beyond[0]), plug[1], va, fmt_range(res) if res else 'none'))
            if args.variant == 'ours':
                ok = ok and target is not None and target == res
                detail += ', kernel target %s' % (fmt_range(target) if target else 'not logged')
            else:
                detail += ' (upstream logs no target; its scratch is checked against it above)'
            ck.out(pre + '/clamp', ok, detail)
    summary['target'] = target
    summary['resource'] = res

    # debug kernel: KASAN, lockdep, kmemleak, BUG and WARNING reports
    if args.debug:
        ours = our_functions(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
        bad = []
        for block in kernel_reports(domain_lines(all_lines, dom)):
            frames = set(m.group(1) for m in (FRAME.match(l) for l in block) if m)
            mine = sorted(frames & ours)
            bad.append('%s%s' % (block[0].strip()[:100],
                                 ' [our functions: %s]' % ','.join(mine) if mine else ''))
        if bad:
            ck.out(pre + '/debug-reports', False, '%d report(s): %s' % (len(bad), ' | '.join(bad[:4])))
        else:
            ck.out(pre + '/debug-reports', True, 'no KASAN, lockdep, kmemleak, BUG or WARNING report '
                   '(%d function(s) of ours known to the check)' % len(ours))

    # workloads and RAM figures from the guest's own checks
    g = [c for c in d['checks']
         if re.match(r'(gntself|iomem-after|privmap|domu)-|dmabuf$', c[0])]
    summary['guest_pass'] = sum(1 for c in g if c[1] == 'PASS')
    summary['guest_total'] = len(g)
    summary['guest_failed'] = [c[0] for c in g if c[1] != 'PASS']
    for c in g:
        if c[0] == 'gntself-1':
            m = GNTSELF.search(c[2])
            if m:
                before, after_map, after_unmap, cost = (int(m.group(2)), int(m.group(3)),
                                                        int(m.group(4)), int(m.group(5)))
                summary['first_cost_kb'] = cost
                summary['first_back_kb'] = after_unmap - after_map
    if args.frugal and dom == 0:
        frugal_checks(args, ck, pre, d['frugal'], summary)
    if args.kunit and dom == 0:
        kunit_checks(ck, pre, domain_lines(all_lines, dom), args.kunit, summary)
    if args.dmabuf and dom == 0:
        dmabuf_checks(args, ck, pre, d['dmabuf'], summary)
    return summary


def outside_kunit(lines):
    """@lines without those printed while a KUnit suite ran: the parsing
    suite's own trees make the parser warn about them."""
    out = []
    suite = None
    for ln in lines:
        m = KTAP_SUBTEST.match(ln)
        if m:
            suite = m.group(2)
        elif suite is None:
            out.append(ln)
        else:
            m = KTAP_RESULT.match(ln)
            if m and not m.group(1) and m.group(4) == suite:
                suite = None
    return out


def ktap_suites(lines):
    """{suite: {'plan': N or None, 'cases': [(case, status, reason, diag)]}}
    from KUnit's KTAP on a console (status ok, not ok or skip)."""
    suites = {}
    cur = None
    diag = []
    for ln in lines:
        ln = KTAP_TIME.sub('', ln)
        m = KTAP_SUBTEST.match(ln)
        if m and m.group(1):
            cur = suites.setdefault(m.group(2), {'plan': None, 'cases': []})
            diag = []
            continue
        if cur is None:
            continue
        m = KTAP_PLAN.match(ln)
        if m and m.group(1) and cur['plan'] is None:
            cur['plan'] = int(m.group(2))
            continue
        m = KTAP_RESULT.match(ln)
        if m:
            if not m.group(1):      # the suite's own line ends it
                cur = None
                continue
            if len(m.group(1)) > 4:  # a parameterised case's sub-results
                continue
            status = 'skip' if m.group(5) is not None else m.group(2)
            cur['cases'].append((m.group(4), status, (m.group(5) or '').strip(),
                                 ' | '.join(diag[-3:])))
            diag = []
            continue
        m = KTAP_DIAG.match(ln)
        if m:
            diag.append(m.group(1).strip())
    return suites


def kunit_checks(ck, pre, lines, wanted, summary):
    """One check per case of every suite in @wanted ("SUITE[:SKIP,...]")."""
    suites = ktap_suites(lines)
    counts = {'ok': 0, 'skip': 0, 'fail': 0}
    for want in wanted:
        name, _, skips = want.partition(':')
        skips = set(x for x in skips.split(',') if x)
        st = suites.get(name)
        if not st or not st['cases']:
            ck.out(pre + '/kunit/' + name, False, 'no KTAP results for suite %s' % name)
            counts['fail'] += 1
            continue
        if st['plan'] != len(st['cases']):
            ck.out(pre + '/kunit/' + name, False, 'plan 1..%s, %d case result(s)' %
                   (st['plan'], len(st['cases'])))
            counts['fail'] += 1
        for case, status, reason, diag in st['cases']:
            cname = '%s/kunit/%s/%s' % (pre, name, case)
            if case in skips:
                good = status == 'skip'
                detail = ('skipped as expected: %s' % reason if good else
                          'expected a skip, got "%s"%s' % (status, ': ' + diag if diag else ''))
            elif status == 'ok':
                good, detail = True, 'ok'
            elif status == 'skip':
                good, detail = False, 'skipped: %s' % reason
            else:
                good, detail = False, 'not ok: %s' % (diag or 'no diagnostic')
            counts['ok' if good and status == 'ok' else 'skip' if good else 'fail'] += 1
            ck.out(cname, good, detail)
        missing = skips - set(c[0] for c in st['cases'])
        for case in sorted(missing):
            ck.out('%s/kunit/%s/%s' % (pre, name, case), False, 'expected a skip, no result')
            counts['fail'] += 1
    summary['kunit'] = '%d ok, %d skipped, %d failed' % (counts['ok'], counts['skip'],
                                                         counts['fail'])


# ours: the buffers must not cost a quarter of their size while held, and
# MemFree must come back to this close after their release
DMABUF_BACK_SLACK_KB = 4096


def dmabuf_checks(args, ck, pre, line, summary):
    """gntdmabuf's figures (guest/gntdmabuf.c; its data and mechanics are
    the guest's own dmabuf check).  Ours: the RAM is kept while the
    buffers are held and MemFree is back after the release, and the
    buffer larger than the page allocator's blocks works.  Upstream, the
    control: the buffers do take about their size of RAM."""
    if line is None:
        ck.out(pre + '/dmabuf-ram', False, 'no "QTEST dmabuf" line from the guest')
        return
    kv = dict(KV.findall(line))
    summary['dmabuf'] = kv
    try:
        nbuf, npages = (int(x) for x in kv['buffers'].split('x'))
        drop, back = int(kv['drop']), int(kv['back'])
    except (KeyError, ValueError):
        ck.out(pre + '/dmabuf-ram', False, 'unreadable: ' + line)
        return
    size_kb = nbuf * npages * 4
    big = [(k, v) for k, v in kv.items() if k.startswith('big')]
    big = big[0] if big else ('big', '?')
    detail = ('%dx%d pages (%d kB) held: MemFree %+d kB, after the release %+d kB; '
              '%s pages: %s' % (nbuf, npages, size_kb, -drop, back, big[0][3:], big[1]))
    if args.variant == 'ours':
        ok = (kv.get('ram') == 'kept' and drop < size_kb // 4 and
              back >= -DMABUF_BACK_SLACK_KB and big[1] == 'ok')
        ck.out(pre + '/dmabuf-ram', ok, detail + ' (want: under a quarter of the size, '
               'back within %d kB, the large buffer ok)' % DMABUF_BACK_SLACK_KB)
    else:
        ok = drop >= size_kb * 3 // 4
        ck.out(pre + '/dmabuf-ram-control', ok, detail + ' (upstream: the buffers take '
               'their RAM, at least three quarters of the size)')


FRUGAL_KV = re.compile(r'(\w+)=(\S+)')
# the spare is 0: after the delay MemFree must be back to this close
FRUGAL_SLACK_KB = 1024
FIRST_COST_KB = 256


def frugal_checks(args, ck, pre, fr, summary):
    """The frugal phase's measurements; judged on our kernels only."""
    kv = {k: dict(FRUGAL_KV.findall(v)) for k, v in fr.items()}
    summary['frugal'] = kv
    beyond = kv.get('beyond', {})
    summary['beyond'] = (fr.get('beyond', '').split(' ', 1)[0] + ' maps=' +
                         beyond.get('maps', '?')) if fr.get('beyond') else None
    if args.variant != 'ours':
        return
    cost = summary.get('first_cost_kb')
    # a debug kernel pays KASAN shadow and debug data on top: not judged
    # MemFree moves in per-CPU list batches (up to 63 pages, 252 kB on
    # these dom0s): the 32 kB of a sub-section's struct pages read as 0
    # or as a batch, a section's as 2048 kB
    if not args.debug:
        ck.out(pre + '/frugal-first-cost', cost is not None and cost <= FIRST_COST_KB,
               'first 1-page map cost %s kB of RAM (at most %d with sub-sections, '
               'a section costs 2048)' % (cost, FIRST_COST_KB))
    st, dl, bu = kv.get('start', {}), kv.get('delay', {}), kv.get('burst', {})
    try:
        back = int(dl['memfree']) - int(st['memfree'])
    except (KeyError, ValueError):
        back = None
    held = dl.get('scratch') == '0/0MiB'
    if 'memmap' in st and 'memmap' in dl:
        # 6.11+: the struct pages themselves, exactly; the spare is 0
        mm = int(dl['memmap']) - int(st['memmap'])
        ok = held and mm <= 0
        how = 'struct pages %+d kB (%+d kB at the burst\'s unmap), MemFree %+d kB' % (
            mm, int(bu.get('memmap', st['memmap'])) - int(st['memmap']), back or 0)
    else:
        ok = held and back is not None and back >= -FRUGAL_SLACK_KB
        how = 'MemFree %+d kB (within %d kB)' % (back or 0, FRUGAL_SLACK_KB)
    ck.out(pre + '/frugal-reclaim', ok,
           'after the burst (%s held at its unmap) and %s: %s held, %s from before the burst'
           % (bu.get('scratch', '?'), dl.get('waited', '?'), dl.get('scratch', '?'), how))
    if 'beyond' in fr or not args.debug:
        m = re.match(r'(\d+)/(\d+)', beyond.get('maps', ''))
        ok = fr.get('beyond', '').startswith('PASS') and m and m.group(1) == m.group(2)
        ck.out(pre + '/frugal-beyond', bool(ok), 'more than the extended regions: %s'
               % fr.get('beyond', 'not run'))


def cmd_check(args):
    with open(args.log, errors='replace') as f:
        lines = [l.rstrip('\n').rstrip('\r') for l in f]
    os.makedirs(args.outdir, exist_ok=True)
    va, page, kasan = kconfig(args.config)
    ck = Checks()
    if not os.access(args.tool, os.X_OK):
        ck.out(args.name + '/tool', False, '%s missing (make %s)' % (args.tool, args.tool))
        return 1
    sums = []
    for dom in args.domain or [0]:
        sums.append(check_domain(args, ck, lines, dom, va, page, kasan))
    with open(os.path.join(args.outdir, '%s-%s.summary.json' % (args.name, args.tag)), 'w') as f:
        json.dump({'va_bits': va, 'page_size': page, 'domains': sums}, f, indent=1)
    return 1 if ck.fail else 0


def cmd_kunit(args):
    with open(args.log, errors='replace') as f:
        lines = [l.rstrip('\n').rstrip('\r') for l in f]
    ck = Checks()
    summary = {}
    kunit_checks(ck, args.name, lines, args.kunit, summary)
    print('%s: KUnit %s' % (args.name, summary['kunit']))
    return 1 if ck.fail else 0


def cell(s, key):
    if s is None:
        return 'not run'
    v = s.get(key)
    if key in ('first_carve', 'scratch_all', 'xen_ranges'):
        return fmt_ranges(v) if v is not None else '-'
    if key == 'first_cost_kb':
        return '%d kB' % v if v is not None else '-'
    if key == 'first_back_kb':
        return '%d kB' % v if v is not None else '-'
    if key == 'scratch_end':
        if v is None:
            return '-'
        mib = sum((b - a + 1) for a, b in v) >> 20
        return '%d range(s), %d MiB' % (len(v), mib) if v else 'none'
    if key == 'workloads':
        if s.get('guest_total') is None:
            return '-'
        r = '%d/%d PASS' % (s['guest_pass'], s['guest_total'])
        if s['guest_failed']:
            r += ' (FAIL: %s)' % ','.join(s['guest_failed'])
        return r
    if key == 'xen_regions':
        return str(v)
    if key in ('burst_held', 'delay_held', 'delay_memfree'):
        fr = s.get('frugal')
        if not fr:
            return '-'
        if key == 'burst_held':
            return fr.get('burst', {}).get('scratch', '-')
        if key == 'delay_held':
            return fr.get('delay', {}).get('scratch', '-')
        try:
            r = '%+d kB' % (int(fr['delay']['memfree']) - int(fr['start']['memfree']))
        except (KeyError, ValueError):
            return '-'
        if 'memmap' in fr.get('delay', {}) and 'memmap' in fr.get('start', {}):
            r += ', struct pages %+d kB' % (int(fr['delay']['memmap']) - int(fr['start']['memmap']))
        return r

    if key == 'beyond':
        return v or '-'
    if key == 'kunit':
        return v or '-'
    if key.startswith('dmabuf_'):
        db = s.get('dmabuf')
        if not db:
            return '-'
        try:
            if key == 'dmabuf_held':
                return '%+d kB' % -int(db['drop'])
            if key == 'dmabuf_back':
                return '%+d kB' % int(db['back'])
            if key == 'dmabuf_data':
                return db['data']
            if key == 'dmabuf_big':
                return ' '.join(v for k, v in sorted(db.items()) if k.startswith('big')) or '-'
        except (KeyError, ValueError):
            return '?'
    if key == 'target':
        return fmt_range(v) if v else '(not logged)'
    return str(v)


ROWS = [('xen_regions', 'Xen extended regions'),
        ('xen_ranges', "Xen's regions (inclusive)"),
        ('scratch_all', 'scratch ranges chosen'),
        ('first_carve', 'first 1-page map carved'),
        ('first_cost_kb', 'RAM cost of first map'),
        ('first_back_kb', 'RAM back after its unmap'),
        ('scratch_end', 'scratch held after unmap'),
        ('target', 'kernel target line'),
        ('workloads', 'workload result'),
        ('kunit', 'KUnit cases (ours)')]
# virt-2g adds these: gntdmabuf's 8 dma-bufs of 1024 pages (32 MiB) held
# at once, then one of 4096 pages (16 MiB)
DMABUF_ROWS = [('dmabuf_held', 'dma-buf 8x4 MiB held: MemFree'),
               ('dmabuf_back', 'dma-buf released: MemFree vs before'),
               ('dmabuf_data', 'dma-buf data (imported, both ways)'),
               ('dmabuf_big', 'dma-buf of 16 MiB')]
# virt-2g-frugal adds these (ours: sub-sections, reclaim after 10 s, no
# spare); held ranges are "N/MMiB"
FRUGAL_ROWS = [('burst_held', 'burst of 2x40000: held at unmap'),
               ('delay_held', 'held after the reclaim delay'),
               ('delay_memfree', 'RAM after delay vs before burst'),
               ('beyond', '25x16384 (beyond the regions)')]


def cmd_table(args):
    data = {}
    order = []
    xens = args.xen_versions.split()
    for path in args.summaries:
        try:
            with open(path) as f:
                js = json.load(f)
        except (OSError, ValueError):
            continue
        for s in js['domains']:
            xen = s.get('xen', '4.17')
            if xen not in xens:
                xens.append(xen)
            key = (s['scenario'], s['domain'])
            if key not in order:
                order.append(key)
            ver = s['tag'].split('-', 1)[0]     # tag: VER-VARIANT-xenX.Y
            data[(key, xen, ver, s['variant'])] = s
    versions = args.versions.split()
    for key, xen in [(k, x) for k in order for x in xens]:
        scen, dom = key
        title = '%s (%s) under Xen %s' % (scen, 'dom0' if dom == 0 else 'dom0less domU d%d' % dom,
                                          xen)
        rows = []
        for ver in versions:
            up = data.get((key, xen, ver, 'upstream'))
            ours = data.get((key, xen, ver, 'ours'))
            if up is None and ours is None:
                continue
            extra = {'virt-2g-frugal': FRUGAL_ROWS, 'virt-2g': DMABUF_ROWS}.get(scen, [])
            for k, label in ROWS + (extra if dom == 0 else []):
                rows.append(('%-5s %s' % (ver, label), cell(up, k), cell(ours, k)))
        if not rows:
            continue
        w0 = max(len(r[0]) for r in rows)
        w1 = max([len(r[1]) for r in rows] + [8])
        print()
        print('== %s ==' % title)
        print('%-*s | %-*s | %s' % (w0, '', w1, 'upstream', 'ours'))
        print('%s-+-%s-+-%s' % ('-' * w0, '-' * w1, '-' * max(len(r[2]) for r in rows)))
        for r in rows:
            print('%-*s | %-*s | %s' % (w0, r[0], w1, r[1], r[2]))
    print_region_changes(data, order, xens)
    return 0


def print_region_changes(data, order, xens):
    """Whether each Xen version gave a domain other regions than the one
    before it (any kernel's boot: Xen's lines do not depend on it)."""
    lines = []
    for key in order:
        seen = []
        for xen in xens:
            got = [cell(s, 'xen_ranges') for (k, x, _, _), s in data.items()
                   if k == key and x == xen]
            if got:
                seen.append((xen, got[0]))
        for (x0, r0), (x1, r1) in zip(seen, seen[1:]):
            what = 'same regions' if r0 == r1 else 'other regions: %s -> %s' % (r0, r1)
            lines.append('%s (%s), Xen %s -> %s: %s' % (
                key[0], 'dom0' if key[1] == 0 else 'd%d' % key[1], x0, x1, what))
    if lines:
        print()
        print("== Xen's regions from one version to the next ==")
        for line in lines:
            print(line)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check')
    c.add_argument('--log', required=True)
    c.add_argument('--name', required=True)
    c.add_argument('--tag', required=True)
    c.add_argument('--config', required=True)
    c.add_argument('--variant', choices=['ours', 'upstream'], required=True)
    c.add_argument('--xen', default='4.17')
    c.add_argument('--domain', type=int, action='append')
    c.add_argument('--expect-clamp', type=int, action='append', default=[])
    c.add_argument('--tool', default='build/xen-extregions')
    c.add_argument('--outdir', default='build/qemu/logs')
    c.add_argument('--debug', action='store_true')
    c.add_argument('--frugal', action='store_true')
    c.add_argument('--dmabuf', action='store_true')
    c.add_argument('--kunit', action='append', default=[], metavar='SUITE[:SKIPPED,...]')
    c.add_argument('--granularity', choices=['section', 'subsection'], default='section')
    k = sub.add_parser('kunit')
    k.add_argument('--log', required=True)
    k.add_argument('--name', required=True)
    k.add_argument('--kunit', action='append', required=True, metavar='SUITE[:SKIPPED,...]')
    t = sub.add_parser('table')
    t.add_argument('--versions', default='6.1 6.12 7.3')
    t.add_argument('--xen-versions', default='4.17 4.20 4.21')
    t.add_argument('summaries', nargs='*')
    args = ap.parse_args()
    return {'check': cmd_check, 'kunit': cmd_kunit, 'table': cmd_table}[args.cmd](args)


if __name__ == '__main__':
    sys.exit(main())

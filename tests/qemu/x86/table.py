#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host checks and tables of the x86 QEMU tier.

    table.py TYPE:VERSION:FLAVOUR:LOG ...

TYPE pvh or pv, FLAVOUR upstream or ours, LOG the serial log of that boot
(tests/qemu/x86/run.sh). Prints one "PASS|FAIL name detail" line per check:

- ours only, x86-TYPE-VER-ours/klog-warnings: no "WARNING:", "BUG:" or
  "Oops" line in the serial log, except a "WARNING:" line that upstream's
  log of the same dom0 type and version holds identically (printk
  timestamps and the "  klog: " prefix of /init's dmesg copies stripped):
  those are listed as tolerated, each with the reason "upstream prints it
  too". A BUG or Oops line always fails.
- ours only, x86-TYPE-VER-ours/seed-logged: the kernel logged
  "xen-unpopulated: N page(s) handed in by the arch hook" with N > 0,
  whenever upstream's first 1-page map used seeded pages (no scratch range
  after it), i.e. whenever the arch hook had pages to hand in.

then one table per dom0 type and version, upstream next to ours.
"""
import glob
import os
import re
import sys
from statistics import median

BAD = re.compile(r'WARNING:|BUG:|Oops')
STAMP = re.compile(r'^\s*\[\s*\d+\.\d+\]\s*')
SEED = re.compile(r'xen-unpopulated: (\d+) page\(s\) handed in by the arch hook')


def norm(line):
    """A kernel line without /init's prefix and printk's timestamp."""
    if line.startswith('  klog: '):
        line = line[len('  klog: '):]
    return STAMP.sub('', line).rstrip()


def parse(path):
    r = {'path': path, 'exists': os.path.exists(path), 'iomem': {},
         'checks': {}, 'bad': [], 'seed': None, 'xen': '?', 'secs': None,
         'uptime': {}}
    if not r['exists']:
        return r
    with open(path, errors='replace') as f:
        lines = f.read().split('\n')
    dump = None
    for ln in lines:
        # before the dump state: a dump cut short by a crash swallows the rest
        if BAD.search(ln):
            r['bad'].append(norm(ln))
        m = re.match(r'^QTEST iomem (\S+) (begin|end)$', ln)
        if m:
            dump = m.group(1) if m.group(2) == 'begin' else None
            if dump:
                r['iomem'][dump] = []
            continue
        if dump:
            r['iomem'][dump].append(ln)
            continue
        m = re.match(r'^QTEST uptime (\S+) ([0-9.]+)$', ln)
        if m:
            r['uptime'][m.group(1)] = float(m.group(2))
            continue
        m = re.match(r'^CHECK (\S+) (PASS|FAIL) ?(.*)$', ln)
        if m:
            r['checks'][m.group(1)] = (m.group(2), m.group(3))
        m = re.match(r'^QTEST balloon boot .*current_kb=(\d+)', ln)
        if m:
            r['current_kb'] = int(m.group(1))
        m = SEED.search(ln)
        if m:
            r['seed'] = int(m.group(1))
        if 'Building a PVH Dom0' in ln:
            r['xen'] = 'PVH'
        elif r['xen'] == '?' and ('Building a PV Dom0' in ln or 'Dom0 has maximum' in ln):
            r['xen'] = 'PV'
    out = os.path.splitext(path)[0] + '.out'
    if os.path.exists(out):
        with open(out, errors='replace') as f:
            m = re.search(r'^run: qemu .* after (\d+)s$', f.read(), re.M)
            if m:
                r['secs'] = int(m.group(1))
    return r


def scratch(r, label):
    if label not in r['iomem']:
        return None
    got = []
    for ln in r['iomem'][label]:
        m = re.match(r'^(\s*)([0-9a-f]+)-([0-9a-f]+) : Xen scratch$', ln)
        if m:
            got.append(m.group(2) + '-' + m.group(3) + (' (nested)' if m.group(1) else ''))
    return got


def boot_times(r):
    """The dom0's uptime at /init in this run and its boot-only runs
    (the same log name with -bootN), sorted."""
    times = [r['uptime']['init']] if 'init' in r['uptime'] else []
    stem = r['path'][:-len('.log')]
    for path in sorted(glob.glob(stem + '-boot*.log')):
        with open(path, errors='replace') as f:
            m = re.search(r'^QTEST uptime init ([0-9.]+)$', f.read(), re.M)
        if m:
            times.append(float(m.group(1)))
    return sorted(times)


def derived_seed(r):
    """Pages of System RAM at boot that dom0 does not own: the extra memory
    the arch hook hands in (an estimate, for kernels that do not log it)."""
    if 'boot' not in r['iomem'] or 'current_kb' not in r:
        return None
    ram = 0
    for ln in r['iomem']['boot']:
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) : System RAM$', ln)
        if m:
            ram += (int(m.group(2), 16) + 1 - int(m.group(1), 16)) // 4096
    return ram - r['current_kb'] // 4


def field(detail, name):
    m = re.search(r'\b' + name + r'=(-?\d+)', detail or '')
    return int(m.group(1)) if m else None


def rows(r, other_upstream):
    if not r or not r['exists']:
        return {}
    out = {}
    gt = r['checks'].get('dom0-type', ('', ''))[1].replace('/sys/hypervisor/guest_type ', '')
    out['Xen dom0 type (Xen / guest_type)'] = f"{r['xen']} / {gt or '?'}"
    first = scratch(r, 'gntself-1')
    out['scratch after first 1-page map'] = 'n/a' if first is None else (', '.join(first) or 'none')
    g1 = r['checks'].get('gntself-1')
    cost = field(g1[1], 'map_cost') if g1 else None
    out['RAM cost of first map'] = 'n/a' if cost is None else f'{cost} kB'
    if g1:
        a, u = field(g1[1], 'after_map'), field(g1[1], 'after_unmap')
        out['RAM back after its unmap'] = 'n/a' if a is None or u is None else f'{u - a} kB'
    labels = [k for k in r['iomem'] if k.startswith('gntself-')]
    last = scratch(r, labels[-1]) if labels else None
    out['scratch after all maps'] = 'n/a' if last is None else (', '.join(last) or 'none')
    if r['seed'] is not None:
        out['pages from the arch hook seed'] = f"{r['seed']} (logged)"
    elif first is None:
        out['pages from the arch hook seed'] = 'n/a'
    elif 'ours' in r['path']:
        out['pages from the arch hook seed'] = 'none logged'
    else:
        out['pages from the arch hook seed'] = 'not logged; first map ' + \
            ('used them' if not first else 'carved scratch')
    d = derived_seed(r)
    if d is not None:
        out['System RAM - dom0 pages at boot'] = str(d)
    work = [(k, v) for k, v in r['checks'].items()
            if k.startswith(('gntself-', 'iomem-after-'))]
    ok = sum(1 for _, v in work if v[0] == 'PASS')
    out['workload result'] = f'{ok}/{len(work)} passed'
    out['WARNING/BUG/Oops lines'] = str(len(set(r['bad'])))
    up = r['uptime']
    b = boot_times(r)
    out['dom0 boot to /init (its uptime)'] = \
        f'{median(b):.2f} s, median of {len(b)} ({b[0]:.2f}-{b[-1]:.2f})' \
        if b else 'n/a'
    out['boot + common workloads (its uptime)'] = \
        f"{up['common']:.1f} s" if 'common' in up else 'n/a'
    out['QEMU run, all workloads (wall)'] = \
        'n/a' if r['secs'] is None else f"{r['secs']} s"
    return out


def main(argv):
    runs = {}
    for a in argv:
        t, v, fl, path = a.split(':', 3)
        runs[(t, v, fl)] = parse(path)
    order_t = []
    order_v = []
    for (t, v, _fl) in runs:
        if t not in order_t:
            order_t.append(t)
        if v not in order_v:
            order_v.append(v)

    # checks
    for (t, v, fl), r in runs.items():
        if fl != 'ours' or not r['exists']:
            continue
        name = f'x86-{t}-{v}-ours'
        up = runs.get((t, v, 'upstream'))
        upbad = set(up['bad']) if up and up['exists'] else set()
        bad = sorted(set(r['bad']))
        # only a warning may be tolerated; a BUG or an Oops never is
        tolerated = [b for b in bad if b in upbad and 'WARNING:' in b]
        new = [b for b in bad if b not in tolerated]
        for b in tolerated:
            print(f'  tolerated in {name}: "{b}" (upstream prints it too)')
        if new:
            print(f'FAIL {name}/klog-warnings {len(new)} line(s) not tolerated: '
                  + ' | '.join(new[:3]))
        else:
            print(f'PASS {name}/klog-warnings no WARNING/BUG/Oops line'
                  + (f' ({len(tolerated)} tolerated, upstream prints them too)' if tolerated else ''))
        up_first = scratch(up, 'gntself-1') if up and up['exists'] else None
        if r['seed']:
            print(f"PASS {name}/seed-logged {r['seed']} page(s) handed in by the arch hook")
        elif scratch(r, 'gntself-1') is None or up_first is None:
            print(f'FAIL {name}/seed-logged no seed line, and no first map to compare '
                  '(a boot did not reach the workloads)')
        elif up_first == []:
            print(f'FAIL {name}/seed-logged no seed line, although upstream\'s first map used seeded pages')
        else:
            print(f'PASS {name}/seed-logged no seed line; upstream had no seeded pages either')

    # tables
    for t in order_t:
        for v in order_v:
            up, ours = runs.get((t, v, 'upstream')), runs.get((t, v, 'ours'))
            if not up and not ours:
                continue
            ru, ro = rows(up, None), rows(ours, None)
            keys = list(ru) or list(ro)
            for k in ro:
                if k not in keys:
                    keys.append(k)
            print()
            print(f'x86 {t.upper()} dom0, Linux {v} (Xen 4.17, -m 2048, dom0_mem=512M)')
            w0 = max(len(k) for k in keys) if keys else 10
            w1 = max([len('upstream')] + [len(ru.get(k, '-')) for k in keys])
            print(f"  {'':{w0}}  {'upstream':{w1}}  ours")
            for k in keys:
                print(f"  {k:{w0}}  {ru.get(k, '-'):{w1}}  {ro.get(k, '-')}")
            # the QEMU wall time counts ours' reclaim workload, which
            # upstream does not run: the dom0's uptime compares like with like
            cu = up['uptime'].get('common') if up else None
            co = ours['uptime'].get('common') if ours else None
            if cu and co:
                print(f'  boot + common workloads, ours / upstream: {co / cu:.2f}')
            bu = boot_times(up) if up and up['exists'] else []
            bo = boot_times(ours) if ours and ours['exists'] else []
            if bu and bo:
                print(f'  boot to /init, median ours / upstream: {median(bo) / median(bu):.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The QEMU tier's reading of KUnit's KTAP (tests/qemu/hostcheck.py):
every case counted once, skips only where a suite's list expects them, a
missing case or suite caught.  Prints PASS/FAIL lines and "N passed, M
failed"."""
import contextlib
import importlib.util
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "hostcheck", os.path.join(HERE, "qemu", "hostcheck.py"))
hc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hc)
passed = failed = 0

# as Linux 6.1-7.3 print it on the console, interleaved with other lines
LOG = """\
Booting Linux on physical CPU 0x0000000000
KTAP version 1
1..2
    KTAP version 1
    # Subtest: xen_extended_regions
    1..3
    ok 1 xt_sorted
    # xt_unsorted: EXPECTATION FAILED at arch/arm/xen/extended-regions-test.c:137
    Expected ret == x->err, but
        ret == -22 (0xffffffffffffffea)
    not ok 2 xt_unsorted
xen-ext-regions: not running on Xen, using ballooned pages
    ok 3 xt_one_cell
# xen_extended_regions: pass:2 fail:1 skip:0 total:3
not ok 1 xen_extended_regions
    KTAP version 1
    # Subtest: xen_unpopulated_alloc
    1..3
    ok 1 xut_runs # SKIP not running on Xen
    ok 2 xut_grant_maps # SKIP not running on Xen
    ok 3 xut_refused_without_scratch
ok 2 xen_unpopulated_alloc
"""


def checks(log, *wanted):
    """The CHECK lines kunit_checks() prints, as {name: (ok, detail)}."""
    out = io.StringIO()
    ck = hc.Checks()
    summary = {}
    with contextlib.redirect_stdout(out):
        hc.kunit_checks(ck, "k", log.split("\n"), list(wanted), summary)
    res = {}
    for ln in out.getvalue().splitlines():
        _, name, verdict, detail = (ln.split(" ", 3) + [""])[:4]
        res[name] = (verdict == "PASS", detail)
    return res, summary.get("kunit"), ck.fail


def case(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("PASS %s" % name)
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


suites = hc.ktap_suites(LOG.split("\n"))
case("suites-found", sorted(suites) == ["xen_extended_regions", "xen_unpopulated_alloc"],
     sorted(suites))
case("plan", suites["xen_extended_regions"]["plan"] == 3)
case("cases-in-order", [c[0] for c in suites["xen_extended_regions"]["cases"]] ==
     ["xt_sorted", "xt_unsorted", "xt_one_cell"])
case("skip-reason", suites["xen_unpopulated_alloc"]["cases"][0][1:3] ==
     ("skip", "not running on Xen"))

res, summ, nfail = checks(LOG, "xen_extended_regions",
                          "xen_unpopulated_alloc:xut_runs,xut_grant_maps")
case("ok-passes", res["k/kunit/xen_extended_regions/xt_sorted"][0])
case("not-ok-fails-with-diagnostic",
     not res["k/kunit/xen_extended_regions/xt_unsorted"][0] and
     "EXPECTATION FAILED" in res["k/kunit/xen_extended_regions/xt_unsorted"][1])
case("expected-skip-passes", res["k/kunit/xen_unpopulated_alloc/xut_runs"][0])
case("summary", summ == "3 ok, 2 skipped, 1 failed" and nfail == 1, (summ, nfail))

res, summ, nfail = checks(LOG, "xen_unpopulated_alloc:xut_runs")
case("unexpected-skip-fails", not res["k/kunit/xen_unpopulated_alloc/xut_grant_maps"][0])
res, summ, nfail = checks(LOG, "xen_unpopulated_alloc:xut_runs,xut_grant_maps,"
                          "xut_refused_without_scratch")
case("expected-skip-that-ran-fails",
     not res["k/kunit/xen_unpopulated_alloc/xut_refused_without_scratch"][0])
res, summ, nfail = checks(LOG, "xen_unpopulated_alloc:xut_runs,xut_grant_maps,xut_gone")
case("expected-skip-without-result-fails",
     not res["k/kunit/xen_unpopulated_alloc/xut_gone"][0])

cut = LOG[:LOG.index("    ok 3 xt_one_cell")]
res, summ, nfail = checks(cut, "xen_extended_regions")
case("plan-not-met-fails", not res["k/kunit/xen_extended_regions"][0] and nfail >= 2,
     res.get("k/kunit/xen_extended_regions"))
res, summ, nfail = checks("no tests here\n", "xen_extended_regions")
case("no-suite-fails", not res["k/kunit/xen_extended_regions"][0])

# /init's copy of the kernel log, stripped: the parser's warnings about
# the suite's own trees are no boot lines
KLOG = ["xen-ext-regions: target 0x40400000-0x13fffffff",
        "# Subtest: xen_extended_regions",
        "xen-ext-regions: reg entry 1 at 0x48000000 is empty, skipped",
        "# xen_extended_regions: pass:13 fail:0 skip:0 total:13",
        "ok 1 xen_extended_regions",
        "xen: after the tests"]
case("outside-kunit", hc.outside_kunit(KLOG) == [KLOG[0], KLOG[5]], hc.outside_kunit(KLOG))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

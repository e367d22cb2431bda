#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hostile device trees through xen-extregions: each blob that gen_hostile
wrote must give the outcome tests/hostile/expect.txt names, without a crash
or a sanitizer report, under several arm64 configurations and with
allocations.  With --plain, a sample also runs under valgrind memcheck.

Usage: run_hostile.py SAN_TOOL BLOB_DIR [--gen GEN] [--plain TOOL]
                      [--manifest FILE]
--gen: first (re)write BLOB_DIR with the generator GEN (gen_hostile).
Prints FAIL lines and ends with "N passed, M failed"; exits 1 on failure."""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer",
                   "UndefinedBehaviorSanitizer", "runtime error:",
                   "SUMMARY: ", "ThreadSanitizer")
# Extra runs of every blob the tool accepts: only "no crash, clean exit".
EXTRA_ARGS = (
    ["--alloc", "1", "--alloc", "100000"],
    ["--page-size", "64K", "--va-bits", "52", "--alloc", "9000"],
    ["--page-size", "16K", "--va-bits", "47", "--pa-bits", "40",
     "--alloc", "70000"],
    ["--va-bits", "39", "--phys-offset", "0", "--alloc", "5"],
)
VALGRIND_SAMPLE = 12
ALLOC_RESULTS = ("scratch", "balloon", "mixed", "error")


def parse_manifest(path):
    cases, problems = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or parts[1] not in ("exit1", "fallback", "ok"):
                problems.append(f"{path}:{n}: bad line {line!r}")
                continue
            cases.append((parts[0], parts[1], parts[2]))
    names = [c[0] for c in cases]
    for name in sorted({x for x in names if names.count(x) > 1}):
        problems.append(f"{path}: {name} listed twice")
    return cases, problems


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout, p.stderr


def crash_problems(rc, err):
    if rc is None:
        return ["timed out (hang?)"]
    p = []
    if rc < 0:
        p.append(f"killed by signal {-rc}")
    if rc not in (0, 1):
        p.append(f"exit {rc}")
    marks = [m for m in SANITIZER_MARKS if m in err]
    if marks:
        p.append(f"sanitizer report ({', '.join(marks)}): "
                 + err.strip().splitlines()[0][:200])
    return p


def parse_range(text):
    a, b = text.split("-")
    return [hex(int(a, 16)), hex(int(b, 16))]


def check_ok(r, detail):
    words = detail.split()
    p = []
    if r["fallback"]:
        return [f"fallback ({r['reason']!r}), want resource {words[0]}"]
    want = parse_range(words[0])
    if r["resource"] != want:
        p.append(f"resource {r['resource']}, want {want}")
    holes = [[int(a, 16), int(b, 16)] for a, b in r["holes"]]
    res = [int(x, 16) for x in r["resource"]]
    for i, (s, e) in enumerate(holes):
        if s > e or s < res[0] or e > res[1]:
            p.append(f"hole {i} {hex(s)}-{hex(e)} outside the resource")
        if i and s <= holes[i - 1][1]:
            p.append(f"hole {i} not after hole {i - 1}")
    for w in words[1:]:
        key, _, val = w.partition("=")
        if key == "holes":
            if val.isdigit():
                if len(holes) != int(val):
                    p.append(f"{len(holes)} holes, want {val}")
            else:
                want_h = [] if val == "none" else [
                    parse_range(x) for x in val.split(",")]
                if r["holes"] != want_h:
                    p.append(f"holes {r['holes']}, want {want_h}")
        elif key == "regions":
            if len(r["regions"]) != int(val):
                p.append(f"{len(r['regions'])} regions, want {val}")
        else:
            p.append(f"manifest: unknown detail {w!r}")
    return p


def check_case(tool, blob, expect, detail):
    rc, out, err = run([tool, "--json", blob])
    p = crash_problems(rc, err)
    if p:
        return p
    if expect == "exit1":
        lines = err.splitlines()
        if rc != 1:
            p.append(f"exit {rc}, want 1 (refused blob)")
        if len(lines) != 1 or not lines[0].startswith("xen-extregions: "):
            p.append(f"stderr should be one line, is {err!r}")
        if out:
            p.append(f"stdout not empty: {out[:80]!r}")
        return p
    if rc != 0:
        return [f"exit {rc}, want 0: {err.strip()}"]
    if err:
        p.append(f"stderr not empty: {err[:200]!r}")
    try:
        r = json.loads(out)
    except ValueError as e:
        return p + [f"bad JSON: {e}"]
    if expect == "fallback":
        if not r["fallback"]:
            p.append(f"no fallback (resource {r['resource']}), "
                     f"want reason {detail!r}")
        elif detail not in (r["reason"] or ""):
            p.append(f"reason {r['reason']!r} lacks {detail!r}")
        elif r["resource"] is not None or r["holes"]:
            p.append("fallback with a resource or holes")
    else:
        p += check_ok(r, detail)
    for args in EXTRA_ARGS:
        p += extra_run(tool, blob, args)
    return p


def extra_run(tool, blob, args):
    rc, out, err = run([tool, "--json", *args, blob])
    where = " ".join(args)
    p = [f"[{where}] {x}" for x in crash_problems(rc, err)]
    if p:
        return p
    if rc != 0 or err:
        return [f"[{where}] exit {rc}: {err.strip()[:200]}"]
    try:
        r = json.loads(out)
    except ValueError as e:
        return [f"[{where}] bad JSON: {e}"]
    for a in r["allocs"]:
        if a["result"] not in ALLOC_RESULTS or (
                r["fallback"] and a["result"] == "scratch"):
            p.append(f"[{where}] alloc result {a['result']!r}")
    return p


def valgrind_case(plain, blob, expect):
    rc, out, err = run(["valgrind", "-q", "--error-exitcode=99",
                        "--leak-check=full", "--errors-for-leak-kinds=definite",
                        plain, "--json", "--alloc", "3", blob], timeout=300)
    if rc is None:
        return ["valgrind timed out"]
    want = 1 if expect == "exit1" else 0
    if rc == 99 or "==" in err and "ERROR SUMMARY" in err:
        return ["valgrind errors: " + " | ".join(err.strip().splitlines()[:6])]
    if rc != want:
        return [f"under valgrind: exit {rc}, want {want}: {err.strip()[:200]}"]
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("blob_dir")
    ap.add_argument("--gen", help="gen_hostile: (re)write BLOB_DIR first")
    ap.add_argument("--plain", help="the tool built without sanitizers")
    ap.add_argument("--manifest", default=os.path.join(HERE, "expect.txt"))
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()

    if a.gen:
        shutil.rmtree(a.blob_dir, ignore_errors=True)
        rc, out, err = run([a.gen, a.blob_dir])
        if rc != 0:
            print(f"FAIL generator: exit {rc}: {err.strip()}")
            print("0 passed, 1 failed")
            return 1
    cases, problems = parse_manifest(a.manifest)
    failed = len(problems)
    for p in problems:
        print(f"FAIL manifest: {p}")
    blobs = {f[:-4] for f in os.listdir(a.blob_dir) if f.endswith(".dtb")}
    listed = {c[0] for c in cases}
    for name in sorted(blobs - listed):
        print(f"FAIL {name}: blob not in the manifest")
        failed += 1
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max(1, a.j)) as ex:
        for name, expect, detail in cases:
            blob = os.path.join(a.blob_dir, name + ".dtb")
            if name not in blobs:
                jobs[name] = ex.submit(lambda: ["no blob generated"])
                continue
            jobs[name] = ex.submit(check_case, a.tool, blob, expect, detail)
        if a.plain and shutil.which("valgrind"):
            step = max(1, len(cases) // VALGRIND_SAMPLE)
            for name, expect, _ in cases[::step]:
                if name in blobs:
                    blob = os.path.join(a.blob_dir, name + ".dtb")
                    jobs["valgrind " + name] = ex.submit(
                        valgrind_case, a.plain, blob, expect)
        elif a.plain:
            print("run_hostile: valgrind not installed, memcheck skipped")
    passed = 0
    for name, job in jobs.items():
        try:
            p = job.result()
        except Exception as e:  # a crash of the check is a failure too
            p = [f"exception {e!r}"]
        if p:
            failed += 1
            for x in p:
                print(f"FAIL {name}: {x}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

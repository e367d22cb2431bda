#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Fills git format-patch's cover letter in place.

    cover-letter.py PATCH TEXT [PREFACE]

TEXT's first line replaces the subject placeholder, the rest (after a
blank line) the blurb, after PREFACE (a paragraph, for backports,
wrapped here) if given.  Fails if either placeholder is missing.
"""
import sys
import textwrap

patch, text = sys.argv[1], sys.argv[2]
subject, _, body = open(text).read().partition("\n\n")
if len(sys.argv) > 3:
    preface = textwrap.fill(sys.argv[3], 72, break_on_hyphens=False,
                            fix_sentence_endings=True)
    body = preface + "\n\n" + body
s = open(patch).read()
for mark in ("*** SUBJECT HERE ***", "*** BLURB HERE ***"):
    if mark not in s:
        sys.exit(f"{patch}: no '{mark}'")
s = s.replace("*** SUBJECT HERE ***", subject.strip(), 1)
s = s.replace("*** BLURB HERE ***", body.rstrip("\n"), 1)
open(patch, "w").write(s)

#!/usr/bin/env python3
"""What extraction costs, and what would be left if pattern matching were free.

Run from the repository root with the interpreter policycheck is installed in:

    python bench/extract_floor.py                  # bench/corpus/1mb, 7 rounds
    python bench/extract_floor.py path/to/contracts --rounds 5

Prints CPU seconds per MB (median of the rounds, after one warm-up round) for: extraction as
it stands; extraction with every pattern regex answering "no match" (so neither the regexes
nor the work after a match run); the trigger scan; the party roles; and the counts that drive
the cost: candidate sentences, candidate (sentence, rule) and (sentence, pattern) pairs, regex runs, runs that match,
facts. Compare the "patterns free" line with the budget: no change to the regex engine can make
extraction cheaper than that line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Run as a script, this folder is on the import path: the timing loop is extract_parts.py's.
from extract_parts import median_cpu_seconds

MB = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default="bench/corpus/1mb")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)

    from policycheck.document import load_document
    from policycheck.facts import engine
    from policycheck.facts.parties import read_party_roles

    paths = sorted(str(p) for p in Path(args.corpus).rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    if not paths:
        print(f"no contracts (.txt, .md) under {args.corpus}", file=sys.stderr)
        return 2
    megabytes = sum(os.path.getsize(p) for p in paths) / MB
    documents = [load_document(p) for p in paths]
    extractor = engine.extractor(())

    runs = matched = 0
    original = engine._PatternPlan.matches

    def counting(plan, *args):
        nonlocal runs, matched
        found = list(original(plan, *args))
        runs += 1
        matched += bool(found)
        return found

    engine._PatternPlan.matches = counting
    try:
        facts = sum(len(extractor.extract(d).facts) for d in documents)
    finally:
        engine._PatternPlan.matches = original
    candidates = [extractor.candidates(d) for d in documents]
    sentences = sum(len(c[2]) for c in candidates)
    pairs = sum(len({engine.rule_of(key) for key in keys}) for c in candidates for keys in c[2].values())
    pattern_pairs = sum(len(keys) for c in candidates for keys in c[2].values())
    segments = sum(len(d.segments) for d in documents)

    def free(plan, *args):
        if plan.regex is None:
            original(plan, *args)           # sets up the plan as a real run would
        return ()

    rows = [("extraction as is", median_cpu_seconds(lambda: [extractor.extract(d) for d in documents], args.rounds))]
    engine._PatternPlan.matches = free
    try:
        rows.append(("extraction, pattern matching free", median_cpu_seconds(lambda: [extractor.extract(d) for d in documents], args.rounds)))
    finally:
        engine._PatternPlan.matches = original
    rows.append(("  trigger scan (candidates)", median_cpu_seconds(lambda: [extractor.candidates(d) for d in documents], args.rounds)))
    rows.append(("  party roles", median_cpu_seconds(lambda: [read_party_roles(d.text) for d in documents], args.rounds)))

    print(f"{args.corpus}: {megabytes:.3f} MB in {len(paths)} files; CPU s per MB, median of {args.rounds} rounds")
    for label, seconds in rows:
        print(f"  {label:36s} {seconds / megabytes:7.3f} s/MB  {megabytes / seconds:6.1f} MB/s")
    print(f"  sentences {segments}, candidate sentences {sentences}, candidate (sentence, rule) pairs {pairs}, "
          f"(sentence, pattern) pairs {pattern_pairs}")
    print(f"  pattern regex runs {runs}, runs with a match {matched}, facts {facts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

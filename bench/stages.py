#!/usr/bin/env python3
"""Per-stage cost of ``policycheck run`` in one process: load, extract, evaluate, JSON.

Run from the repository root with the interpreter policycheck is installed in:

    python bench/stages.py                         # a 1 MB corpus (built once), 5 rounds
    python bench/stages.py --size-mb 10 --rounds 3
    python bench/stages.py path/to/contracts       # any folder of contracts
    python bench/stages.py --profile evaluate      # cProfile of one stage, top 25 entries
    python bench/stages.py --format text           # the text report instead of JSON

The corpus is built as ``bench/benchmark.py`` builds it (bench/corpus/1mb for 1 MB). Each
stage is timed per document with the process's CPU clock, which other processes on a shared
machine disturb less than the wall clock; every figure is the median over the rounds. The
stages are those of a run with ``--format json`` (or another format that streams):

  load      read + decode + segment (``load_document``)
  extract   facts and unread clauses from the segments (``pipeline.read_document``)
  evaluate  rules + built-in checks (``Checker.check_facts``)
  report    one document's part of the report (``render`` and ``write`` of the format's stream)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = ("load", "extract", "evaluate", "report")
MB = 1_000_000


def _contracts(root: Path) -> list[str]:
    return sorted(str(path) for path in root.rglob("*") if path.is_file() and path.suffix in (".txt", ".md"))


def _round(paths: list[str], checker, report_format: str, profiles: dict[str, cProfile.Profile]) -> dict[str, float]:
    from policycheck.document import load_document
    from policycheck.pipeline import read_document
    from policycheck.report.base import RenderOptions, reporter

    stream = reporter(report_format).stream(lambda text: None, RenderOptions(), "error")
    seconds = dict.fromkeys(STAGES, 0.0)
    steps = {
        "load": load_document,
        "extract": lambda document: read_document(document, checker.extractor),
        "evaluate": checker.check_facts,
        "report": lambda result: stream.write(stream.render(result)),
    }
    for path in paths:
        value = path
        for stage in STAGES:
            profile = profiles.get(stage)
            if profile is not None:
                profile.enable()
            start = time.process_time()
            value = steps[stage](value)
            seconds[stage] += time.process_time() - start
            if profile is not None:
                profile.disable()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", help="a folder of contracts (default: the benchmark corpus)")
    parser.add_argument("--size-mb", type=float, default=1.0, help="size of the benchmark corpus (default 1)")
    parser.add_argument("--policies", default="policies")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", default="json", help="report format, one that streams (json, text)")
    parser.add_argument("--profile", choices=STAGES, help="print a cProfile of this stage (one round)")
    args = parser.parse_args(argv)

    os.chdir(REPO)
    sys.path[:0] = [str(REPO), str(REPO / "bench")]
    from policycheck.pipeline import Checker
    from policycheck.policy.loader import load_policies
    from policycheck.report.base import RenderOptions, reporter

    if args.corpus is None:
        from benchmark import build_corpus

        corpus = build_corpus(args.size_mb, f"{args.size_mb:g}mb")[0].relative_to(REPO)
    else:
        corpus = Path(args.corpus)
    paths = _contracts(corpus)
    if not paths:
        print(f"no contracts (.txt, .md) under {corpus}", file=sys.stderr)
        return 2
    megabytes = sum(os.path.getsize(path) for path in paths) / MB
    policy_set, errors = load_policies([args.policies])
    if errors:
        print(f"policy errors in {args.policies}: {len(errors)}", file=sys.stderr)
        return 2
    checker = Checker.create(policy_set)
    if reporter(args.format).stream(lambda text: None, RenderOptions(), "error") is None:
        print(f"format {args.format} does not stream: it renders the whole run at the end", file=sys.stderr)
        return 2

    if args.profile:
        profile = cProfile.Profile()
        _round(paths, checker, args.format, {args.profile: profile})
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        return 0

    _round(paths, checker, args.format, {})          # warm-up: lazy compilation, caches, page cache
    rounds = [_round(paths, checker, args.format, {}) for _ in range(args.rounds)]
    print(f"{corpus}: {megabytes:.2f} MB in {len(paths)} files, {args.format} report; "
          f"CPU seconds, median of {args.rounds} rounds")
    total = 0.0
    for stage in STAGES:
        seconds = statistics.median(r[stage] for r in rounds)
        total += seconds
        print(f"  {stage:9s} {seconds:7.3f} s  {megabytes / seconds:7.1f} MB/s")
    print(f"  {'total':9s} {total:7.3f} s  {megabytes / total:7.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

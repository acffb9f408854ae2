#!/usr/bin/env python3
"""What compiling the whole shipped rule book costs in a process with an empty cache.

Run from the repository root with the interpreter policycheck is installed in:

    python bench/compile_rules.py              # 5 fresh processes, the median of each figure
    python bench/compile_rules.py --runs 9

Each run is a new Python process whose cache directory (XDG_CACHE_HOME) is a new empty folder,
so nothing compiled before is found. It times, in CPU seconds:

  rule book   the rule YAML files read and every rule built: phrases parsed, trigger and
              required words derived, cue regexes written (``rules.build_rulebook``)
  patterns    every pattern's regex compiled (a run compiles only those a contract needs)
  cues        every negation, exclude and context regex compiled
  scanners    the trigger scanners of the extraction engine (one trie regex per language)

A run of policycheck pays the first line and a part of the others; the total is what a run that
meets every rule would pay once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

_MEASURE = r"""
import json, re, time
clock = time.process_time
start = clock()
from policycheck.facts.rules import build_rulebook
book = build_rulebook()
built = clock()
for rule in book.rules:
    for pattern in rule.patterns:
        pattern.check()
patterns = clock()
for rule in book.rules:
    for cue in (rule.negation, rule.exclude, rule.context):
        if cue is not None:
            cue.compiled()
cues = clock()
from policycheck.facts.engine import Extractor
Extractor(book)
scanners = clock()
print(json.dumps({"rule book": built - start, "patterns": patterns - built, "cues": cues - patterns,
                  "scanners": scanners - cues,
                  "count": [len(book.rules), sum(len(rule.patterns) for rule in book.rules)]}))
"""


def one_run() -> dict:
    with tempfile.TemporaryDirectory(prefix="policycheck-bench-") as cache:
        environment = dict(os.environ, XDG_CACHE_HOME=cache)
        done = subprocess.run([sys.executable, "-c", _MEASURE], env=environment, capture_output=True, text=True,
                              check=True)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs = [one_run() for _ in range(args.runs)]
    rules, patterns = runs[0]["count"]
    print(f"shipped rule book: {rules} rules, {patterns} patterns; CPU seconds from an empty cache, "
          f"median of {args.runs} fresh processes (load average {os.getloadavg()[0]:.2f})")
    parts = ("rule book", "patterns", "cues", "scanners")
    for part in parts:
        print(f"  {part:10s} {statistics.median(run[part] for run in runs):.3f} s")
    print(f"  {'total':10s} {statistics.median(sum(run[part] for part in parts) for run in runs):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

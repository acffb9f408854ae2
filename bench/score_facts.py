"""Precision and recall per fact over the example contracts and their expected-facts files.

    python bench/score_facts.py [ROOT] [--language en|zh] [--json]

ROOT defaults to examples/contracts. A true positive matches name + value + evidence line
(see policycheck/facts/expectations.py); entries marked ``pending`` count as misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from policycheck.document import load_document
from policycheck.facts.engine import extractor
from policycheck.facts.expectations import compare, example_contracts, expected_path, load_expected

ROOT = Path(__file__).resolve().parent.parent / "examples" / "contracts"


def score(root: Path, language: str | None) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    engine = extractor()
    for contract in example_contracts(root):
        if language and contract.parent.name != language:
            continue
        expected = load_expected(expected_path(contract))
        result = compare(expected, engine.extract(load_document(str(contract))).facts)
        for name, _, _ in result.matched:
            counts[name]["tp"] += 1
        for name, _, _ in result.unexpected + result.pending_found:
            counts[name]["fp"] += 1
        for name, _, _ in result.missing + result.pending_missing:
            counts[name]["fn"] += 1
    return dict(counts)


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--language", choices=["en", "zh"])
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    counts = score(args.root, args.language)
    if args.json:
        print(json.dumps(counts, indent=2, sort_keys=True))
        return 0
    total = {"tp": 0, "fp": 0, "fn": 0}
    width = max([len(n) for n in counts] + [5])
    print(f"{'fact':<{width}}  {'tp':>4} {'fp':>4} {'fn':>4}  precision  recall")
    for name in sorted(counts):
        c = counts[name]
        for key in total:
            total[key] += c[key]
        print(f"{name:<{width}}  {c['tp']:>4} {c['fp']:>4} {c['fn']:>4}  "
              f"{_ratio(c['tp'], c['tp'] + c['fp']):>9}  {_ratio(c['tp'], c['tp'] + c['fn']):>6}")
    print(f"{'TOTAL':<{width}}  {total['tp']:>4} {total['fp']:>4} {total['fn']:>4}  "
          f"{_ratio(total['tp'], total['tp'] + total['fp']):>9}  {_ratio(total['tp'], total['tp'] + total['fn']):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

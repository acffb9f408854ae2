"""Extraction time on hostile input, at growing sizes, to show it grows linearly.

    python bench/hostile_input.py [--max-mb 1] [--case NAME ...]

Each case builds text of 1/8, 1/4, 1/2 and 1 x the maximum size, then times segmentation plus
extraction (every shipped rule, English and Chinese) on it. Linear time shows as a flat
seconds-per-MB column; a super-linear pattern would show it growing with the size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from policycheck.document import document_from_text
from policycheck.facts.engine import extractor


def _EXAMPLES() -> str:
    root = Path(__file__).resolve().parent.parent / "examples" / "contracts" / "en"
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt")))


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


CASES = {
    # 1 MB of one repeated token (trigger words, numbers, CJK).
    "token-days": lambda n: _repeat("days ", n),
    "token-delete": lambda n: _repeat("delete ", n),
    "token-arbitration": lambda n: _repeat("arbitration ", n),
    "token-30": lambda n: _repeat("30 ", n),
    "token-de": lambda n: _repeat("的", n),
    # one line of 1 MB: a clause without any sentence end, repeated.
    "one-line-clause": lambda n: _repeat("Provider may terminate this Agreement for convenience upon thirty (30) "
                                         "days notice and delete data within 90 days after termination and ", n),
    "one-line-letters": lambda n: "a" * n,
    # whitespace between a number and its unit, and between pattern words.
    "spaces-in-duration": lambda n: "within 30" + " " * (n - 20) + "days.",
    "spaces-in-clause": lambda n: "governed by the" + " " * (n - 40) + "laws of New York.",
    # deep brackets.
    "deep-brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "doubled-numbers": lambda n: _repeat("thirty (30) ", n),
    # for comparison: ordinary contract text (the English example contracts, repeated).
    "example-contracts": lambda n: _repeat(_EXAMPLES(), n),
}


def measure(build, size: int) -> float:
    text = build(size)
    engine = extractor()
    start = time.perf_counter()
    document = document_from_text(text)
    engine.extract(document)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=1.0)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args(argv)
    extractor()  # compile the rule book before timing
    top = int(args.max_mb * 1024 * 1024)
    sizes = [top // 8, top // 4, top // 2, top]
    print(f"{'case':<20}" + "".join(f"{s / 1048576:>9.3f}MB" for s in sizes) + "   s/MB at max   ratio max/min s/MB")
    for name in args.case or list(CASES):
        times = [measure(CASES[name], size) for size in sizes]
        per_mb = [t / (s / 1048576) for t, s in zip(times, sizes)]
        print(f"{name:<20}" + "".join(f"{t:>10.3f}s" for t in times)
              + f"   {per_mb[-1]:>10.3f}   {per_mb[-1] / per_mb[0]:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time extraction on adversarial text, and every extraction pattern on its worst cases.

    python bench/hostile.py [--size MB]

Prints, for each hostile input, the seconds to segment and extract facts at the given size and
at a quarter of it, and their ratio (about 4 means linear). Then the slowest compiled pattern of
the rule book on the generated worst cases (tests/hostile_text.py builds both).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from hostile_text import HOSTILE_TEXTS, pattern_worst_cases  # noqa: E402
from policycheck.document import document_from_text  # noqa: E402
from policycheck.facts.engine import extractor  # noqa: E402


def _time_extract(text: str) -> tuple[float, int]:
    engine = extractor()
    start = time.perf_counter()
    facts = engine.extract(document_from_text(text, "hostile.txt"))
    return time.perf_counter() - start, len(facts.facts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0, help="size of each hostile text in MB (default 1)")
    args = parser.parse_args()
    size = int(args.size * 1024 * 1024)
    extractor()   # build the rule book outside the timings
    print(f"{'input':<28}{'MB':>6}{'seconds':>10}{'facts':>7}{'s at 1/4':>10}{'ratio':>7}")
    for name, build in HOSTILE_TEXTS.items():
        full, quarter = build(size), build(size // 4)
        _time_extract(build(size // 64))    # warm up: patterns compile on first use
        seconds, count = _time_extract(full)
        quarter_seconds, _ = _time_extract(quarter)
        ratio = seconds / quarter_seconds if quarter_seconds else float("nan")
        megabytes = len(full.encode("utf-8")) / (1024 * 1024)
        print(f"{name:<28}{megabytes:>6.2f}{seconds:>10.3f}{count:>7}{quarter_seconds:>10.3f}{ratio:>7.1f}")
    print()
    worst = []
    for rule in extractor().book.rules:
        for pattern in rule.patterns:
            for label, text in pattern_worst_cases(pattern.source, rule.language):
                start = time.perf_counter()
                for _ in pattern.regex.finditer(text):
                    pass
                worst.append((time.perf_counter() - start, rule.id, pattern.source, label))
    worst.sort(reverse=True)
    print(f"{len(worst)} pattern x worst-case runs; slowest five:")
    for seconds, rule_id, source, label in worst[:5]:
        print(f"  {seconds * 1000:8.2f} ms  {rule_id}  [{label}]  {source[:70]}")


if __name__ == "__main__":
    main()

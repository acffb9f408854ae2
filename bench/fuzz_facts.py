"""A long, time-bounded fuzz session over `facts`: random contract-like text through the
document and extraction stages, checking what must hold for any input.

    nice python bench/fuzz_facts.py --minutes 10 [--seed N] [--out DIR]

Every failing input (an exception or a broken invariant) is written to DIR (default
fuzz-findings/) with its traceback; the slowest input per kilobyte is reported at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from fuzz_text import check_facts_of, random_contract_text  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", default="fuzz-findings")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    rng = random.Random(seed)
    check_facts_of("warm up: governed by the laws of England.")
    deadline = time.monotonic() + args.minutes * 60
    runs = facts_found = failures = 0
    characters = 0
    slowest = (0.0, "")
    while time.monotonic() < deadline:
        text = random_contract_text(rng, rng.choice([5, 20, 80, 400, 2000]))
        start = time.perf_counter()
        try:
            facts_found += len(check_facts_of(text))
        except Exception:  # noqa: BLE001 - every failure is a finding to keep
            failures += 1
            os.makedirs(args.out, exist_ok=True)
            stem = os.path.join(args.out, f"failure-{seed}-{runs}")
            with open(stem + ".txt", "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            with open(stem + ".traceback", "w", encoding="utf-8") as handle:
                handle.write(traceback.format_exc())
        seconds = time.perf_counter() - start
        per_kb = seconds / max(1, len(text.encode("utf-8")) / 1024)
        if per_kb > slowest[0]:
            slowest = (per_kb, text[:200])
        runs += 1
        characters += len(text)
    print(f"seed {seed}: {runs} inputs, {characters / 1e6:.1f} M characters, {facts_found} facts, "
          f"{failures} failures")
    print(f"slowest: {slowest[0] * 1000:.1f} ms per KB on {slowest[1]!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

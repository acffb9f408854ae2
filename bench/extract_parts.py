#!/usr/bin/env python3
"""CPU time of the Python parts of fact extraction, each replayed on its own.

    python bench/extract_parts.py                      # bench/corpus/1mb, 21 rounds
    python bench/extract_parts.py --tree /tmp/main     # the same parts of another version

One extraction pass over the corpus records the calls each part receives; each part's calls are
then replayed alone and timed with the process's CPU clock (median of the rounds). A part's
figure moves only with that part's code, so a change worth a few milliseconds shows, where the
whole extract stage (``bench/stages.py``, about 0.45 s per MB) moves by more than that with the
load of other processes on a shared machine. ``--tree`` imports policycheck from another source
tree (for example ``git archive main | tar -x -C /tmp/main``) to time its parts on the same
corpus; the corpus is built by ``bench/stages.py`` (or give a folder of contracts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def median_cpu_seconds(replay, rounds: int) -> float:
    """CPU seconds of ``replay()``, median of ``rounds`` runs after one warm-up run."""
    replay()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        replay()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _recorded(owner, name: str, run) -> tuple:
    """The original ``owner.name`` and the argument tuples it received while ``run()`` ran."""
    original, calls = getattr(owner, name), []

    def record(*args):
        calls.append(args)
        return original(*args)

    setattr(owner, name, record)
    try:
        run()
    finally:
        setattr(owner, name, original)
    return original, calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO / "bench" / "corpus" / "1mb"))
    parser.add_argument("--tree", type=Path, default=REPO, help="source tree to import policycheck from")
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    import policycheck.facts.engine as engine
    import policycheck.facts.slots as slots
    from policycheck.document import load_document
    from policycheck.document.model import Document
    from policycheck.facts.parties import read_party_roles

    paths = sorted(p for p in Path(args.corpus).rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    if not paths:
        print(f"no contracts (.txt, .md) under {args.corpus}; bench/stages.py builds the default corpus",
              file=sys.stderr)
        return 2
    documents = [load_document(str(path)) for path in paths]
    extractor = engine.extractor()

    def extract_all() -> None:
        for document in documents:
            extractor.extract(document)

    extract_all()    # compile what the corpus needs before recording
    possible, possible_calls = _recorded(engine, "holds_required", extract_all)
    negated, negated_calls = _recorded(engine, "_negated", extract_all)
    span, span_calls = _recorded(Document, "span", extract_all)
    parse_duration, duration_calls = _recorded(slots, "parse_duration", extract_all)
    _, apply_calls = _recorded(engine.Extractor, "_apply", extract_all)

    from policycheck.facts.view import DocumentView, fold

    def gates() -> None:
        for _, plan, _, document, segment, *_ in apply_calls:
            if plan.exclude is None and plan.context is None:
                continue
            written = fold(document.text[segment.start:segment.end])
            if plan.exclude is not None and plan.exclude(written):
                continue
            if plan.context is not None:
                plan.context(written) or plan.context(fold(segment.heading))

    parts = {
        "matching view": (len(documents), lambda: [DocumentView(d.text) for d in documents]),
        "party roles": (len(documents), lambda: [read_party_roles(d.text) for d in documents]),
        "trigger candidates": (len(documents), lambda: [extractor.candidates(d) for d in documents]),
        "required literals": (len(possible_calls), lambda: [possible(*a) for a in possible_calls]),
        "exclude/context": (len(apply_calls), gates),
        "negation cues": (len(negated_calls), lambda: [negated(*a) for a in negated_calls]),
        "duration reading": (len(duration_calls), lambda: [parse_duration(*a) for a in duration_calls]),
        "evidence spans": (len(span_calls), lambda: [span(*a) for a in span_calls]),
    }
    print(f"{args.tree}: {len(documents)} contracts of {args.corpus}; CPU ms, median of {args.rounds} rounds")
    for name, (calls, replay) in parts.items():
        print(f"  {name:20s} {calls:7d} calls {median_cpu_seconds(replay, args.rounds) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

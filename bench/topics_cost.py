"""What the topic reading (unread clauses) and the search for text in a language policycheck does
not read (unread text) cost next to extraction, on a folder of contracts.

    python bench/topics_cost.py [CORPUS] [--rounds N]

CORPUS defaults to the 1 MB benchmark corpus (built as bench/benchmark.py builds it). Both
stages run in this process on documents loaded beforehand, timed with the CPU clock; each
figure is the median over the rounds. Both should stay a small share of the extraction they
follow (the topic reading is one regex pass plus a few tests per candidate sentence; the language
check a set intersection per sentence, and a script scan for text beyond ASCII).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    os.chdir(REPO)
    sys.path[:0] = [str(REPO), str(REPO / "bench")]
    from policycheck.document import load_document
    from policycheck.document.unread_language import unread_text
    from policycheck.facts.engine import extractor
    from policycheck.facts.topics import topic_reader

    if args.corpus is None:
        from benchmark import build_corpus

        corpus = build_corpus(1.0, "1mb")[0]
    else:
        corpus = Path(args.corpus)
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    if not paths:
        print(f"no contracts (.txt, .md) under {corpus}", file=sys.stderr)
        return 2
    documents = [load_document(str(path)) for path in paths]
    megabytes = sum(len(document.text.encode("utf-8")) for document in documents) / MB
    engine = extractor()
    reader = topic_reader(engine.book)
    facts = [engine.extract(document) for document in documents]     # warm-up: compiled patterns
    for document, found in zip(documents, facts):
        reader.unread(document, found)
    extract_times, topic_times, language_times, unread, foreign = [], [], [], 0, 0
    for _ in range(args.rounds):
        start = time.process_time()
        facts = [engine.extract(document) for document in documents]
        middle = time.process_time()
        unread = sum(len(reader.unread(document, found)) for document, found in zip(documents, facts))
        end = time.process_time()
        foreign = sum(len(unread_text(document)[0]) for document in documents)
        last = time.process_time()
        extract_times.append(middle - start)
        topic_times.append(end - middle)
        language_times.append(last - end)
    extraction, topics = statistics.median(extract_times), statistics.median(topic_times)
    languages = statistics.median(language_times)
    print(f"{corpus}: {megabytes:.2f} MB in {len(documents)} files; CPU seconds, median of {args.rounds} rounds")
    print(f"  extract  {extraction:7.3f} s  {megabytes / extraction:7.1f} MB/s")
    print(f"  topics   {topics:7.3f} s  {megabytes / topics:7.1f} MB/s  ({topics / extraction:.0%} of extraction; "
          f"{unread} unread clauses)")
    print(f"  language {languages:7.3f} s  {megabytes / languages:7.1f} MB/s  ({languages / extraction:.0%} of "
          f"extraction; {foreign} runs of unread text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Split a labelled corpus into the part rules are worked on and the part kept aside.

    python bench/corpus_split.py CORPUS_DIR OUT_DIR [--part work|heldout]

Rules for extraction are developed by reading the misses of a corpus; a figure measured on the
same text says little about text nobody has read. Every fifth entry of ``gold.jsonl`` by file
name (sorted; the 5th, 10th, ...) is kept aside: it is only ever scored, never read for misses.
The other four fifths are the part to work on.

OUT_DIR gets a ``gold.jsonl`` with that part's lines and a ``txt`` link to the corpus's files,
so the corpus's own scorer runs on it unchanged:

    python bench/corpus_split.py ../shared/corpora/cuad-dev /tmp/cuad-work
    python bench/corpus_split.py ../shared/corpora/cuad-dev /tmp/cuad-heldout --part heldout
    python ../shared/tools/score_corpus.py /tmp/cuad-work --errors
    python ../shared/tools/score_corpus.py /tmp/cuad-heldout          # the figure, no --errors
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

KEPT_ASIDE_EVERY = 5


def is_kept_aside(position: int) -> bool:
    """``position`` counts from 0 in the file-name order of the corpus."""
    return position % KEPT_ASIDE_EVERY == KEPT_ASIDE_EVERY - 1


def split(corpus: Path, part: str) -> list[str]:
    lines = [line for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    ordered = sorted(lines, key=lambda line: json.loads(line)["file"])
    want_aside = part == "heldout"
    return [line for position, line in enumerate(ordered) if is_kept_aside(position) == want_aside]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--part", choices=("work", "heldout"), default="work")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold.jsonl").is_file():
        print(f"error: {args.corpus} has no gold.jsonl", file=sys.stderr)
        return 2
    lines = split(args.corpus, args.part)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for entry in os.listdir(args.corpus):
        target = args.out / entry
        if entry != "gold.jsonl" and not target.exists():
            target.symlink_to((args.corpus / entry).resolve())
    print(f"{args.out}: {len(lines)} entries ({args.part})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write policycheck/facts/word_frequency.txt: how common each word of the shipped rules is.

Run at development time, when the rules or the corpora change:

    python tools/word_frequency.py CORPUS_DIR [CORPUS_DIR ...]

For every word the shipped extraction rules require of a sentence (phrase.py's required words),
the file gives the share of the corpora's sentences of its language that hold it, tested as the
engine tests it (a case-folded English sentence, a Chinese sentence as the view writes it). The
engine selects a pattern's sentences by the required set of words that the fewest sentences hold,
so that a run meets fewer candidates; the facts do not depend on the choice, since a sentence a
pattern matches holds a word of every required set. A word missing from the file (a user's rules)
is judged by its length.

Only figures are shipped, never text. Use corpora of real contracts (every .txt and .md file
under the directories given); the development splits made by bench/corpus_split.py keep the
held-out part out of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "policycheck" / "facts" / "word_frequency.txt"
HEADER = ("# Share of contract sentences that hold each word the shipped rules require (tools/word_frequency.py).\n"
          "# language<TAB>word<TAB>share\n")


def _sentences(directories: list[Path]) -> dict[str, list[str]]:
    from policycheck.document import load_document
    from policycheck.errors import PolicycheckError
    from policycheck.facts.view import fold

    sentences: dict[str, list[str]] = {"en": [], "zh": []}
    for directory in directories:
        for path in sorted(p for p in directory.rglob("*") if p.suffix in (".txt", ".md") and p.is_file()):
            try:
                document = load_document(str(path))
            except PolicycheckError:
                continue
            for segment in document.segments:
                text = fold(document.text[segment.start:segment.end])
                sentences[segment.language].append(text.casefold() if segment.language == "en" else text)
    return sentences


def build(directories: list[Path]) -> str:
    from policycheck.facts.rules import rulebook

    words: dict[str, set[str]] = {"en": set(), "zh": set()}
    for rule in rulebook().rules:
        for pattern in rule.patterns:
            for required in pattern.required:
                words[rule.language].update(required)
    sentences = _sentences(directories)
    lines = [HEADER]
    for language in ("en", "zh"):
        found = sentences[language]
        if not found:
            continue
        for word in sorted(words[language]):
            share = sum(1 for sentence in found if word in sentence) / len(found)
            lines.append(f"{language}\t{word}\t{share:.4g}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="directories of real contracts")
    args = parser.parse_args(argv)
    TARGET.write_text(build(args.corpora), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

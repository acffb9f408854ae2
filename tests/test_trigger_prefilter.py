"""The trigger pre-filter finds exactly the rules a plain search for each trigger would find.

The engine scans for all triggers of a language at once; this checks its candidates, sentence
by sentence, against the obvious way: every occurrence of every trigger, one trigger at a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policycheck.document import document_from_text
from policycheck.facts.engine import extractor

REPO = Path(__file__).resolve().parent.parent

_TRICKY = [
    # A phrase wrapped over a line break, and a tab inside another one.
    "Provider is not liable for any loss of\ndata or loss of\tprofits.",
    # Overlapping triggers: "for convenience" holds "convenience"; 为准据法 holds 为准.
    "Either party may terminate for convenience. 本协议以中华人民共和国法律为准据法。",
    # Upper case, and a trigger running past the end of its sentence into the next one.
    "THIS AGREEMENT IS GOVERNED BY THE LAWS OF ENGLAND. Loss of\n\ndata is excluded.",
    # A trigger inside a word, a Chinese trigger in an English sentence and the reverse.
    "Unterminated clauses; the 仲裁 word alone. 本条款不受 governing law 约束。",
    # Lowering İ adds a character: positions no longer line up with the lowered text.
    "İstanbul courts. This Agreement is governed by the laws of Turkey and may be terminated.",
]


def _documents():
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").rglob("*.txt"))]
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    return [document_from_text(text) for text in texts + _TRICKY]


def _one_trigger_at_a_time(engine, document) -> dict[int, set[int]]:
    starts = [segment.start for segment in document.segments]
    lowered = document.text.lower()
    aligned = len(lowered) == len(document.text)
    found: dict[int, set[int]] = {}
    for index, rule in enumerate(engine.book.rules):
        for trigger in rule.triggers:
            words = re.escape(trigger).replace(r"\ ", r"[\t\n\r ]")
            scan = re.compile(f"(?=({words}))") if aligned else re.compile(f"(?=({words}))", re.IGNORECASE)
            for hit in scan.finditer(lowered if aligned else document.text):
                segment_index = max(i for i, start in enumerate(starts) if start <= hit.start()) \
                    if starts and starts[0] <= hit.start() else None
                if segment_index is None:
                    continue
                segment = document.segments[segment_index]
                if hit.start() < segment.end and segment.language == rule.language:
                    found.setdefault(segment_index, set()).add(index)
    return found


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.text[:30])
def test_candidates_are_every_trigger_occurrence(document):
    engine = extractor()
    assert engine._candidates(document) == _one_trigger_at_a_time(engine, document)


def _triggers_met(text: str) -> set[str]:
    engine = extractor()
    return {trigger for found in engine._candidates(document_from_text(text)).values()
            for index in found for trigger in engine.book.rules[index].triggers}


def test_tricky_texts_reach_their_cases():
    """The hand-made texts do meet the cases they are written for (the equality is not vacuous)."""
    wrapped, overlapping, upper, inside, dotted = map(_triggers_met, _TRICKY)
    assert {"loss of data", "loss of profits"} <= wrapped
    assert {"for convenience", "convenience", "为准", "准据法"} <= overlapping
    assert "govern" in upper
    assert "仲裁" not in inside          # a Chinese trigger does not make an English sentence a candidate
    assert "govern" in dotted

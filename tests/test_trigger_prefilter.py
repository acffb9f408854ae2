"""The trigger pre-filter finds exactly the rules a plain search for each trigger would find.

The engine scans for all triggers of a language at once; this checks its candidates, sentence
by sentence, against the obvious way: every occurrence of every trigger, one trigger at a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policycheck.document import document_from_text
from policycheck.facts.engine import extractor, pattern_key, rule_of

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
    """segment index -> candidate patterns, found by looking for each pattern's triggers alone."""
    view, bounds, _ = engine.candidates(document)
    starts = [start for start, _ in bounds]
    lowered = view.text.lower()
    aligned = len(lowered) == len(view.text)
    found: dict[int, set[int]] = {}
    for index, rule in enumerate(engine.book.rules):
        for number, triggers in enumerate(rule.pattern_triggers):
            for trigger in triggers:
                words = re.escape(trigger).replace(r"\ ", r"[\t\n\r ]")
                scan = re.compile(f"(?=({words}))") if aligned else re.compile(f"(?=({words}))", re.IGNORECASE)
                for hit in scan.finditer(lowered if aligned else view.text):
                    segment_index = max(i for i, start in enumerate(starts) if start <= hit.start()) \
                        if starts and starts[0] <= hit.start() else None
                    if segment_index is None:
                        continue
                    segment = document.segments[segment_index]
                    if hit.start() < bounds[segment_index][1] and segment.language == rule.language:
                        found.setdefault(segment_index, set()).add(pattern_key(index, number))
    return found


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.text[:30])
def test_candidates_are_every_trigger_occurrence(document):
    engine = extractor()
    assert engine.candidates(document)[2] == _one_trigger_at_a_time(engine, document)


def _facts_met(text: str) -> set[tuple[str, str]]:
    """(language, fact) of every rule a sentence of the text is a candidate for."""
    engine = extractor()
    return {(engine.book.rules[rule_of(key)].language, engine.book.rules[rule_of(key)].fact)
            for found in engine.candidates(document_from_text(text))[2].values() for key in found}


def test_tricky_texts_reach_their_cases():
    """The hand-made texts do meet the rules they are written for (the equality is not vacuous)."""
    wrapped, overlapping, upper, inside, dotted = map(_facts_met, _TRICKY)
    assert ("en", "data_loss_liability_excluded") in wrapped
    assert {("en", "termination_for_convenience"), ("zh", "governing_law")} <= overlapping
    assert ("en", "governing_law") in upper
    # 仲裁 in an English sentence does not make it a candidate for Chinese rules.
    engine = extractor()
    document = document_from_text(_TRICKY[3])
    english = [i for i, segment in enumerate(document.segments) if "仲裁" in document.text[segment.start:segment.end]]
    assert english and document.segments[english[0]].language == "en"
    found = engine.candidates(document)[2].get(english[0], set())
    assert all(engine.book.rules[rule_of(key)].language == "en" for key in found)
    assert ("zh", "governing_law") in inside or ("en", "governing_law") in inside
    assert ("en", "governing_law") in dotted


def test_every_shipped_rule_has_trigger_words_from_its_patterns():
    """No rule of the shipped book depends on a hand-kept keyword list: its trigger words are
    exactly those of its patterns (and, for a pattern that is one slot, its context words)."""
    for rule in extractor().book.rules:
        derived = set()
        for pattern in rule.patterns:
            assert pattern.triggers or rule.context is not None, (rule.id, pattern.source)
            derived |= pattern.triggers
        if all(pattern.triggers for pattern in rule.patterns):
            assert set(rule.triggers) == derived, rule.id
        else:                              # the context words find the slot-only pattern
            assert derived < set(rule.triggers), rule.id
        # Each pattern is selected by its own words, not by those of the rule's other patterns.
        assert len(rule.pattern_triggers) == len(rule.patterns), rule.id
        for pattern, selecting in zip(rule.patterns, rule.pattern_triggers):
            if pattern.triggers:
                assert set(selecting) == pattern.triggers, (rule.id, pattern.source)

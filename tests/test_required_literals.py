"""The required-words pre-check may skip a pattern's regex only when the regex cannot match."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.document import document_from_text
from policycheck.errors import ConfigError
from policycheck.facts.engine import extractor
from policycheck.facts.phrase import (first_characters, holds_required, parse, required_slots, required_words,
                                      trigger_words)
from policycheck.facts import phrase as phrase_module
from policycheck.facts.clause import ClauseValues
from policycheck.facts.rules import build_rulebook

REPO = Path(__file__).resolve().parent.parent
SLOTS = ("duration", "jurisdiction", "institution", "number", "customer")
LEXICON = {"renew": ["renew*", "extend*"], "terms": ["(these|this) (terms|agreement)"]}


def _words(source: str, language: str):
    return required_words(parse(source, language, SLOTS, LEXICON))


@pytest.mark.parametrize("source, language, expected", [
    ("{jurisdiction} (shall|will) be the seat of arbitration", "en",
     [{"arbitration"}, {"shall", "will"}, {"seat"}, {"the"}, {"be"}, {"of"}]),
    ("non-?payment (of|for) fees?", "en", [{"payment"}, {"non"}, {"fee"}, {"of", "for"}]),
    ("{institution}", "en", []),
    ("(xx (b|c)|d) y", "en", [{"y"}, {"xx", "d"}]),          # each alternative's most telling set
    ("(the (deposit|escrow)|d) y", "en", [{"y"}, {"deposit", "escrow", "d"}]),   # "the" tells nothing
    ("Governing LAW", "en", [{"governing"}, {"law"}]),          # case-folded
    ("终止后{duration}内删除", "zh", [{"终止后"}, {"内删除"}]),
    ("終止後{duration}內刪除", "zh", [{"终止后"}, {"内删除"}]),    # traditional folded
    ("x? y (z)?", "en", [{"y"}]),
    ("auto* @renew", "en", [{"auto"}, {"renew", "extend"}]),       # stems and concepts
    ("@terms ~3 end", "en", [{"end"}, {"these", "this"}, {"terms", "agreement"}]),
])
def test_required_words(source, language, expected):
    assert sorted(map(set, _words(source, language)), key=sorted) == sorted(expected, key=sorted)


@pytest.mark.parametrize("source, language, expected", [
    ("(may|can) not", "en", {"m", "c"}),
    ("(the )?laws? of", "en", {"t", "l"}),                 # an optional start: what follows too
    ("auto* @renew", "en", {"a"}),
    ("@renew", "en", {"r", "e"}),
    ("{customer} may", "en", None),                        # a slot may start with anything
    ("(x)? {duration}", "en", None),
    ("~ notice", "en", None),
    ("(x)?", "en", None),                                  # may match nothing
    ("不得~删除", "zh", {"不"}),
])
def test_first_characters_read_off_the_phrase(source, language, expected):
    found = first_characters(parse(source, language, SLOTS, LEXICON))
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize("source, expected", [
    ("within {duration} after", {"duration"}),
    ("(within {duration}|promptly)", set()),               # not in every alternative
    ("(in|at) {jurisdiction} (or {jurisdiction})?", {"jurisdiction"}),
    ("({institution})? arbitration", set()),              # optional
])
def test_required_slots(source, expected):
    assert required_slots(parse(source, "en", SLOTS, LEXICON)) == expected


def test_trigger_words_are_the_set_the_fewest_sentences_hold():
    # Measured on real contracts (word_frequency.txt): "seat" is in about 0.04% of sentences,
    # "arbitration" in 0.7%, "shall" or "will" in over a third.
    assert trigger_words(parse("{jurisdiction} (shall|will) be the seat of arbitration", "en", SLOTS)) == {"seat"}
    assert trigger_words(parse("{institution}", "en", SLOTS)) == frozenset()


def test_words_not_measured_are_judged_by_length():
    # None of these is in the table: a long word is taken for a rare one, a set of two such
    # words selects more sentences than one of them, and a short word the most.
    assert trigger_words(parse("qu (wibbles|wobbles) zorblaxes", "en", SLOTS)) == {"zorblaxes"}
    assert trigger_words(parse("qu (wibbles|wobbles)", "en", SLOTS)) == {"wibbles", "wobbles"}


def test_the_shipped_word_table_is_well_formed():
    shares = phrase_module._measured_shares()
    assert shares and all(0 <= share <= 1 for share in shares.values())


@pytest.mark.parametrize("source, message", [
    ("(unbalanced", "unbalanced '('"),
    ("a) b", "unbalanced ')'"),
    ("a | b", "'|' outside a group"),
    ("{nothing}", "unknown slot {nothing}"),
    ("@renw", "did you mean @renew"),
    ("*x", "'*' must end a word"),
])
def test_malformed_phrases_name_the_column(source, message):
    with pytest.raises(ConfigError) as error:
        parse(source, "en", SLOTS, LEXICON, "rules.yaml")
    assert message in str(error.value) and "column" in str(error.value) and "^" in str(error.value)


def test_a_concept_may_not_refer_to_itself():
    with pytest.raises(ConfigError, match="refers to itself"):
        parse("@loop", "en", SLOTS, {"loop": ["x @loop"]})


def _documents():
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").rglob("*.txt"))]
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    return [document_from_text(text) for text in texts]


def test_precheck_never_skips_a_match():
    """Every shipped pattern on every sentence of the examples (and seeds), as the engine runs it
    (the sentence's view, its values as sentinels): a match implies the check passes."""
    engine = extractor()
    rules = build_rulebook().rules
    matched = 0
    for document in _documents():
        view, bounds, _ = engine.candidates(document)
        for segment, (start, end) in zip(document.segments, bounds):
            values = ClauseValues(view.text[start:end], segment.language)
            haystack = values.text.casefold() if segment.language == "en" else values.text
            for rule in rules:
                if rule.language != segment.language:
                    continue
                for pattern in rule.patterns:
                    slotted = values.slotted(pattern.value_slots)
                    # The clause as the engine reads it: lower-cased for most English patterns.
                    text = slotted.lowered if pattern.lowered and slotted.lowered is not None else slotted.text
                    if pattern.regex.search(text):
                        matched += 1
                        assert holds_required(pattern.required, haystack), (rule.id, pattern.source)
    assert matched > 200

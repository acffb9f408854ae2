"""Cue regexes (negation, exclude, context): written once per set of words, lower-cased for
English, and the phrases behind them parsed once per lexicon."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from policycheck.errors import ConfigError
from policycheck.facts.phrase import parse
from policycheck.facts.rules import _phrases_regex, build_rulebook
from policycheck.lazyregex import LazyRegex


def test_an_english_cue_reads_any_case():
    cue = _phrases_regex(["without cause", "for convenience"], "en", "test", {})
    assert cue.lowered and not cue.flags
    assert cue.search("Either party may end it FOR CONVENIENCE.").span() == (24, 39)
    assert cue.search("It ends Without Cause.") is not None
    assert cue.search("It ends for cause.") is None


def test_a_dotted_capital_i_keeps_positions_of_the_text_as_written():
    # "İ" lowers to two characters: the cue reads the text as written, ignoring case, so the
    # position it gives is still the text's own.
    cue = _phrases_regex(["without cause"], "en", "test", {})
    text = "İstanbul office: WITHOUT CAUSE"
    assert len(text.lower()) != len(text)
    assert cue.search(text).span() == (17, 30)


def test_a_regex_lowered_later_falls_back_to_ignoring_case_where_re_refuses_the_lowered_form():
    # Compiled at its first use, a lowered regex that re refuses ("[Z-a]" lowers to the bad
    # range "[z-a]") reads the text as written, ignoring case, as one compiled at once does.
    now, later = LazyRegex.ignoring_case("[Z-a]x"), LazyRegex.ignoring_case("[Z-a]x", now=False)
    assert later.lowered
    assert later.search("a _X b").span() == now.search("a _X b").span() == (2, 4)
    assert not later.lowered and later.flags == now.flags
    fine = LazyRegex.ignoring_case("Without Cause", now=False)
    assert fine.search("ends WITHOUT CAUSE").span() == (5, 18) and fine.lowered


def test_a_cue_naming_a_party_keeps_its_case():
    # A defined name is told by its capitals, so such a cue is not lowered.
    cue = _phrases_regex(["{customer} may not"], "en", "test", {})
    assert not cue.lowered


def test_chinese_cues_are_not_lowered():
    cue = _phrases_regex(["不得"], "zh", "test", {})
    assert not cue.lowered and cue.search("甲方不得转让") is not None


def test_the_same_words_make_the_same_regex_in_any_order():
    first = _phrases_regex(["breach", "insolvency", "default"], "en", "test", {})
    second = _phrases_regex(["default", "breach", "insolvency", "breach"], "en", "test", {})
    assert first.pattern == second.pattern


def test_the_regex_text_does_not_depend_on_the_hash_seed():
    # Phrases of one length are ordered by their text, not by a set's order: the same rule
    # book gives the same regex in every process (and so the same compiled-regex store key).
    program = ("from policycheck.facts.rules import _phrases_regex; "
               "print(_phrases_regex(['abcd', 'wxyz', 'mnop', 'efgh'], 'en', 't', {}).pattern)")
    outputs = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1


def test_rules_with_the_same_cue_words_share_one_regex():
    book = build_rulebook()
    by_words: dict[tuple, set[int]] = {}
    for rule in book.rules:
        for cue in (rule.negation, rule.exclude, rule.context):
            if cue is not None:
                by_words.setdefault((cue.pattern, cue.flags), set()).add(id(cue))
    assert by_words and all(len(objects) == 1 for objects in by_words.values())
    assert sum(1 for rule in book.rules if rule.exclude is not None) > len(
        {rule.exclude.pattern for rule in book.rules if rule.exclude is not None})


def test_a_lowered_regex_does_not_substitute():
    with pytest.raises(TypeError):
        LazyRegex("x", 0, lowered=True).sub("y", "X")


def test_a_phrase_is_parsed_once_per_lexicon():
    lexicon = {"ending": ["terminat*", "cancel*"]}
    first = parse("may @ending", "en", (), lexicon)
    assert parse("may @ending", "en", (), lexicon) is first
    # Another lexicon that defines the concept otherwise gives its own reading.
    other = parse("may @ending", "en", (), {"ending": ["end"]})
    assert other is not first and other.nodes != first.nodes


def test_a_phrase_that_does_not_parse_fails_each_time_with_its_place():
    for where in ("a.yaml", "b.yaml"):
        with pytest.raises(ConfigError) as raised:
            parse("may (end", "en", (), {}, where)
        assert raised.value.path == where


# --- value finders: English clauses are searched in lower case too ----------------------------

from policycheck.facts.clause import ClauseValues  # noqa: E402
from policycheck.lazyregex import lower_case_regex  # noqa: E402


@pytest.mark.parametrize("pattern, expected", [
    (r"Days?\s+Notice", r"days?\s+notice"),
    (r"(?<![A-Za-z])Net\s+\d+", r"(?<![a-za-z])net\s+\d+"),
    (r"\$\s*US", r"\$\s*us"),
    (r"(?-i:[A-Z][a-z]+)\s+State", None),     # capitals mean something here
    (r"\S+ Days", r"\S+ days"),                 # an escape stays as written
    (r"\x41CME", None),                          # a letter written by its number
    (r"\u0041", None),
])
def test_lower_case_regex(pattern, expected):
    assert lower_case_regex(pattern) == expected


@pytest.mark.parametrize("text", [
    "Payment is due within Thirty (30) Days of invoice.",
    "PAYMENT IS DUE WITHIN THIRTY (30) DAYS OF INVOICE.",
    "İ. Payment is due within Thirty (30) Days of invoice.",    # lowering moves positions
])
def test_a_value_is_found_at_its_place_in_any_case(text):
    values = ClauseValues(text, "en")
    (start, _, _, end), = values.spans("duration")
    assert text[start:end].lower().endswith("thirty (30) days")
    assert values.read("duration", values.spans("duration")[0]).value.days == 30

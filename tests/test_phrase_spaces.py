"""Spaces around optional parts and gaps in the phrase language: an absent optional word leaves
one space, not two; a phrase may open with an optional part; a gap at the end of an optional
part ("liable( to ~6)? for") leaves the words after it readable."""

from __future__ import annotations

import re

import pytest

from policycheck.facts.phrase import parse, to_regex


def _matches(source: str, text: str, language: str = "en") -> bool:
    regex = to_regex(parse(source, language, ()), lambda *args: "", lower=True)
    return re.search(regex, text.lower()) is not None


@pytest.mark.parametrize("source, text, expected", [
    # an optional word between two words, with its part written without the space
    ("may (also)? terminate", "Either party may terminate it.", True),
    ("may (also)? terminate", "Either party may also terminate it.", True),
    ("may (also )?terminate", "Either party may terminate it.", True),
    ("a (b)? (c)? d", "a d", True),
    ("a (b)? (c)? d", "a b c d", True),
    ("a (b)? (c)? d", "a c d", True),
    # a phrase that opens with an optional part, at the start of a clause
    ("(we )?may terminate", "May terminate at will.", True),
    ("(we)? may terminate", "May terminate at will.", True),
    ("(we)? may terminate", "We may terminate at will.", True),
    # a gap at the end of an optional part
    ("liable( to ~6)? for", "We are not liable to you or anyone for delays.", True),
    ("liable( to ~6)? for", "We are not liable for delays.", True),
    ("liable (to ~3)? for", "liable to you and others for delays", True),
    ("liable (to ~3)? for", "liable, in any case, for delays", True),
    # an optional letter that ends a word keeps the word's space outside it
    ("courts? in {jurisdiction}", "the court in", True),
    ("courts? in", "the courts in", True),
    ("courts? in", "the courtin", False),
    # near misses
    ("may (also)? terminate", "may not terminate", False),
    ("liable( to ~2)? for", "liable to you and all others for delays", False),
])
def test_spaces_around_optional_parts(source, text, expected):
    source = source.replace(" {jurisdiction}", "")
    assert _matches(source, text) is expected


def test_the_space_after_an_optional_part_moves_into_it():
    # What "may (also)? terminate" parses to is what "may (also )?terminate" parses to.
    assert parse("may (also)? terminate", "en", ()).nodes == parse("may (also )?terminate", "en", ()).nodes

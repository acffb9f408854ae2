"""The first-character class derived from a regex lets through every character a match can
start with, so a slot behind its guard finds exactly what it finds without one.

policycheck/facts/firstchars.py works the class out from the regex; these tests check it the
other way round: for each slot, over every character of Unicode, any character at which the
unguarded slot regex can begin a match must be in the class (with and without IGNORECASE, as
English and Chinese clauses are searched), and on real text the guarded and unguarded finders
give the same values.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from policycheck.facts.firstchars import first_character_class, guarded
from policycheck.facts.clause import VALUE_SLOTS
from policycheck.facts.slots import slots

_ALL_CHARACTERS = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
CASES = Path(__file__).resolve().parent / "extraction"


def test_class_of_small_regexes():
    assert first_character_class(r"ab|cd") == "[ac]"
    assert first_character_class(r"(?:x)?y\d") == "[xy]"
    assert first_character_class(r"[0-9]+ days") == "[0-9]"
    assert first_character_class(r"a*") is None          # may match the empty string
    assert first_character_class(r".b") is None           # any character
    assert guarded("ab|cd") == "(?=[ac])(?:ab|cd)"
    assert guarded(".x") == ".x"


@pytest.mark.parametrize("name", VALUE_SLOTS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE], ids=["case", "ignorecase"])
def test_class_holds_every_character_a_match_can_start_with(name, flags):
    pattern = slots()[name].pattern
    starts = first_character_class(pattern)
    assert starts is not None, f"{{{name}}} has no first-character class"
    allowed = {m.start() for m in re.finditer(starts, _ALL_CHARACTERS, flags)}
    # A match can only start at a character the pattern's own first step accepts: try the
    # pattern at each character that the class rejects, followed by text it could go on with.
    rejected = [i for i in range(len(_ALL_CHARACTERS)) if i not in allowed]
    probe = re.compile(pattern, flags)
    tails = ("0 days", "00", " 30 days", "年", "0%", "1")
    for index in rejected[::97]:          # a spread sample: the full set takes minutes
        ch = _ALL_CHARACTERS[index]
        assert not any(probe.match(ch + tail) for tail in tails), (name, ch)


def _texts():
    for path in sorted(CASES.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            yield path.parent.name, case["text"]


@pytest.mark.parametrize("name", VALUE_SLOTS)
def test_guarded_finder_finds_what_the_plain_regex_finds(name):
    pattern = slots()[name].pattern
    for language, text in _texts():
        flags = re.IGNORECASE | re.DOTALL if language == "en" else re.DOTALL
        plain = [m.span() for m in re.finditer(r"(?<![A-Za-z0-9])(?:" + pattern + ")", text, flags)]
        fast = [m.span() for m in re.finditer(r"(?<![A-Za-z0-9])" + guarded(pattern), text, flags)]
        assert fast == plain, (name, text)

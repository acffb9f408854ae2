"""Each slot's first-character guard lets through every character a match of the slot can start with;
so does the guard of each English rule's phrase list (exclude, context, negation cues).

A slot pattern starts with a lookahead on a character class (policycheck/facts/slots.py): where
the class fails, the slot's long alternation is not tried. That is only safe when the class
holds every character the rest of the slot can begin a match with; this works that set out
from the slot's regex and checks it against the class, character by character over all of
Unicode, with and without IGNORECASE (English patterns ignore case, Chinese ones do not).
"""

from __future__ import annotations

import re
import sys

import pytest

try:
    from re import _constants as sre, _parser
except ImportError:     # Python 3.10
    import sre_constants as sre
    import sre_parse as _parser

from policycheck.facts.rules import rulebook
from policycheck.facts.slots import first_character_guard, slots

_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT) + ((sre.POSSESSIVE_REPEAT,) if hasattr(sre, "POSSESSIVE_REPEAT") else ())
_ALL_CHARACTERS = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)


class _Unbounded(Exception):
    """A match could start with any character (or with none): no guard is possible."""


def _first(items, found: set[str]) -> bool:
    """Add to ``found`` the class items a match of ``items`` can start with; True when the
    sequence can match the empty string."""
    for op, av in items:
        if op is sre.LITERAL:
            found.add(re.escape(chr(av)))
            return False
        if op is sre.IN:
            for item, value in av:
                if item is sre.LITERAL:
                    found.add(re.escape(chr(value)))
                elif item is sre.RANGE:
                    found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif item is sre.CATEGORY and value in _CATEGORIES:
                    found.add(_CATEGORIES[value])
                else:
                    raise _Unbounded
            return False
        if op is sre.BRANCH:
            if not any([_first(alternative.data, found) for alternative in av[1]]):
                return False
        elif op is sre.SUBPATTERN:
            _, added, removed, body = av
            if (added | removed) & re.IGNORECASE:
                raise _Unbounded          # a case rule of its own: the class would not follow it
            if not _first(body.data, found):
                return False
        elif op in _REPEATS:
            low, _, body = av
            if not _first(body.data, found) and low > 0:
                return False
        elif getattr(sre, "ATOMIC_GROUP", None) is op:
            if not _first(av.data, found):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue                      # zero width: it only narrows where a match starts
        else:
            raise _Unbounded
    return True


def _starts(fragment: str) -> str:
    found: set[str] = set()
    if _first(_parser.parse(fragment).data, found):
        raise _Unbounded
    return "[" + "".join(sorted(found)) + "]"


@pytest.mark.parametrize("name", sorted(slots()))
@pytest.mark.parametrize("flags", [0, re.IGNORECASE], ids=["case", "ignorecase"])
def test_guard_lets_every_possible_first_character_through(name, flags):
    pattern = slots()[name].pattern
    guard = re.match(r"\(\?=(\[.*?\])\)", pattern)
    if guard is None:
        return                            # an unguarded slot is always safe
    starts = _starts(pattern[guard.end():])
    possible = {m.start() for m in re.finditer(starts, _ALL_CHARACTERS, flags)}
    allowed = {m.start() for m in re.finditer(guard.group(1), _ALL_CHARACTERS, flags)}
    missing = "".join(_ALL_CHARACTERS[i] for i in sorted(possible - allowed))
    assert not missing, (f"the guard of {{{name}}} rejects {missing[:40]!r}, where a match can start; "
                         f"its first characters are {starts}")


def test_guard_is_a_lookahead_on_a_class():
    assert first_character_guard("[ab]", "x|y") == "(?=[ab])(?:x|y)"
    assert re.fullmatch(first_character_guard("[0-9]", r"\d+ days"), "30 days")


def test_value_slots_are_guarded():
    """The slots whose alternations are long carry a guard (a guard left out costs speed only)."""
    for name in ("duration", "percent", "money", "jurisdiction", "institution", "number"):
        assert slots()[name].pattern.startswith("(?=["), name


def _phrase_regexes() -> list:
    return [pytest.param(regex.pattern, regex.flags, id=f"{rule.id}-{kind}")
            for rule in rulebook().rules if rule.language == "en"
            for kind in ("exclude", "context", "negation") if (regex := getattr(rule, kind)) is not None]


@pytest.mark.parametrize("pattern, flags", _phrase_regexes())
def test_phrase_guard_lets_every_possible_first_character_through(pattern, flags):
    guard = re.match(r"\(\?=(\[.*?\])\)", pattern)
    if guard is None:
        return                            # a phrase starts with a space or a party name
    starts = _starts(pattern[guard.end():])
    possible = {m.start() for m in re.finditer(starts, _ALL_CHARACTERS, flags)}
    allowed = {m.start() for m in re.finditer(guard.group(1), _ALL_CHARACTERS, flags)}
    missing = "".join(_ALL_CHARACTERS[i] for i in sorted(possible - allowed))
    assert not missing, f"the guard {guard.group(1)} rejects {missing[:40]!r}, where a phrase can start"


def test_phrase_list_is_unguarded_only_when_a_phrase_has_no_first_character():
    unguarded = [param.values[0] for param in _phrase_regexes() if not param.values[0].startswith("(?=[")]
    assert len(unguarded) < len(_phrase_regexes()) / 10
    for pattern in unguarded:
        assert re.search(r"(?:\(\?:|\|)(?:\\s\+|\(\?P<)", pattern), pattern

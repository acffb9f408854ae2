"""The class of characters a regex's matches can start with, worked out from the regex itself.

A typed slot's regex is a long alternation (every duration form, every place name). Behind a
lookahead on the class of its first characters, a search rejects most places of a clause with one
test instead of a walk through the alternation. The class is derived from the regex by Python's
own regex parser, so it can never drift from what the slot matches; where the regex has a part
whose first character cannot be told (a category other than \\d \\s \\w, an inline case flag),
there is no class and no guard.
"""

from __future__ import annotations

import re
from pathlib import Path

try:
    from re import _constants as _sre, _parser
except ImportError:     # Python 3.10: the same modules under their old names
    import sre_constants as _sre
    import sre_parse as _parser

from policycheck.datastore import derived

_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
               _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT) + ((_sre.POSSESSIVE_REPEAT,) if hasattr(_sre, "POSSESSIVE_REPEAT") else ())


class _Unbounded(Exception):
    """A match could start with any character (or with none): no class can be given."""


def first_character_class(pattern: str) -> str | None:
    """``[...]``: every character a match of ``pattern`` can start with (as the regex reads
    case, so the class ignores case exactly when the regex does); None when that cannot be told."""
    return derived("first-characters", (Path(__file__).read_bytes(), pattern.encode("utf-8", "surrogatepass")),
                   lambda: _derive(pattern), encode=lambda value: value or "", decode=lambda text: text or None)


def guarded(pattern: str) -> str:
    """``pattern`` behind a lookahead on its first characters, when they can be told."""
    starts = first_character_class(pattern)
    return f"(?={starts})(?:{pattern})" if starts else pattern


def _derive(pattern: str) -> str | None:
    found: set[str] = set()
    try:
        if _first(_parser.parse(pattern).data, found):
            return None
    except _Unbounded:
        return None
    return "[" + "".join(sorted(found)) + "]"


def _first(items, found: set[str]) -> bool:
    """Add to ``found`` the class items a match of ``items`` can start with; True when the
    sequence can match the empty string."""
    for op, av in items:
        if op is _sre.LITERAL:
            found.add(re.escape(chr(av)))
            return False
        if op is _sre.IN:
            for item, value in av:
                if item is _sre.LITERAL:
                    found.add(re.escape(chr(value)))
                elif item is _sre.RANGE:
                    found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif item is _sre.CATEGORY and value in _CATEGORIES:
                    found.add(_CATEGORIES[value])
                else:
                    raise _Unbounded
            return False
        if op is _sre.BRANCH:
            if not any([_first(alternative.data, found) for alternative in av[1]]):
                return False
        elif op is _sre.SUBPATTERN:
            _, added, removed, body = av
            if added & re.IGNORECASE:
                # Case ignored inside only: a class of the characters as written would miss
                # their other case. (Where case is kept inside, the class is only wider.)
                raise _Unbounded
            if not _first(body.data, found):
                return False
        elif op in _REPEATS:
            low, _, body = av
            if not _first(body.data, found) and low > 0:
                return False
        elif getattr(_sre, "ATOMIC_GROUP", None) is op:
            if not _first(av.data, found):
                return False
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue                      # zero width: it only narrows where a match starts
        else:
            raise _Unbounded
    return True

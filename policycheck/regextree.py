"""A regex written as a tree of pieces, and compiled from that tree without reading its text.

An extraction pattern's regex is a few hundred characters of which the same few pieces make most:
the space between two words (which lets an aside in commas stand there) alone is half of every
pattern's text. ``re`` reads a regex character by character in Python before its C engine gets the
program, so a run that meets six hundred patterns spent most of their compiling reading the same
pieces again. Here the phrase language hands over its regex as pieces (``phrase.to_pieces``):
words, the few distinct fixed pieces (spaces, gaps, a slot's regex), groups of alternatives and
atomic groups. Each distinct fixed piece is read by ``re``'s own parser once per process; the tree
of the whole regex is put together from those readings as the parser itself would put it
together (its two rewrites of an alternation included), and handed to ``re``'s own code
generator. The regex's text (``render``) is what ``pattern`` of the compiled regex holds.

Where ``re``'s internals are not the ones this module knows (another Python, another
interpreter), or a piece is one it does not handle, the text is compiled the usual way; the
tests check that both ways give the same program for every shipped pattern.
"""

from __future__ import annotations

import re
import sys
from typing import Union

try:
    import _sre
    from re import _compiler, _constants as _c, _parser
    _BUILDS = sys.implementation.name == "cpython" and sys.version_info >= (3, 11) and \
        hasattr(_c, "ATOMIC_GROUP") and hasattr(_parser, "SubPattern") and hasattr(_compiler, "_code")
except ImportError:  # pragma: no cover - Python 3.10 (no atomic groups) or another interpreter
    _BUILDS = False


class Words:
    """Characters matched as written (escaped in the text)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Alternatives:
    """``(?:a|b|...)``, or ``(?:a|b|...)?`` when optional; each alternative a list of pieces."""

    __slots__ = ("alternatives", "optional")

    def __init__(self, alternatives: list, optional: bool) -> None:
        self.alternatives, self.optional = alternatives, optional


class Atomic:
    """``(?>...)``: the pieces, matched once and never tried again another way."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: list) -> None:
        self.pieces = pieces


Piece = Union[str, Words, Alternatives, Atomic]       # a str: a regex of its own, as written


def render(pieces: list) -> str:
    """The regex text of the pieces."""
    out: list[str] = []
    _render(pieces, out)
    return "".join(out)


def _render(pieces: list, out: list[str]) -> None:
    for piece in pieces:
        kind = type(piece)
        if kind is str:
            out.append(piece)
        elif kind is Words:
            out.append(re.escape(piece.text))
        elif kind is Alternatives:
            out.append("(?:")
            for number, alternative in enumerate(piece.alternatives):
                if number:
                    out.append("|")
                _render(alternative, out)
            out.append(")?" if piece.optional else ")")
        else:
            out.append("(?>")
            _render(piece.pieces, out)
            out.append(")")


def _builds_as_re_does() -> bool:
    """Whether this interpreter's ``re`` is the one this module knows: a sample holding every
    kind of piece (words, an optional group of alternatives sharing a first item, single
    characters, an atomic group, a named slot) must give the program ``re`` itself gives. Checked
    once per process, before the first build; any difference, or any error, means the text is
    compiled the usual way from then on."""
    sample = [Words("notice"), r"\s+", Alternatives([[Words("of")], [Words("on")], [Words("a")], [Words("b")]], True),
              Atomic([r"(?:[^;.]{0,80}?)"]), r"(?P<s0_duration>\d+ days)", Words("x")]
    try:
        text = render(sample)
        return program(text, sample, re.IGNORECASE) == parsed_program(text, re.IGNORECASE)
    except Exception:  # noqa: BLE001 - any surprise in another re: do not build
        return False


_CHECKED: list[bool] = []


def compile_pieces(pieces: list, flags: int = 0) -> re.Pattern:
    """``re.compile(render(pieces), flags)``, without ``re`` reading the text where it can."""
    text = render(pieces)
    if _BUILDS and not _CHECKED:
        _CHECKED.append(_builds_as_re_does())
    if _BUILDS and _CHECKED[0]:
        try:
            return _build(text, pieces, int(flags))
        except Exception:  # noqa: BLE001 - a piece not handled here, or a bad regex: re says which
            pass
    return re.compile(text, flags)


class _Unhandled(Exception):
    """A piece this module does not put together itself: the text is compiled as usual."""


# A fixed piece as ``re`` reads it: the items of its parsed sequence. The pieces of the shipped
# rules are a few dozen (the spaces, the gaps by their length, the slots' regexes); a user's rule
# book may have more, so only so many are kept.
_READ: dict[str, list] = {}
_READ_KEPT = 4096
# What a slot's regex looks like as a piece: one named group around a regex of its own.
_NAMED = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>(.*)\)", re.DOTALL)


def _read(text: str) -> list:
    found = _READ.get(text)
    if found is None:
        try:
            parsed = _parser.parse(text, 0)
        except re.error:
            raise _Unhandled from None
        # A piece with a group of its own, or a flag for the whole regex, depends on where it
        # stands; such a piece is not put together here.
        if parsed.state.groups != 1 or parsed.state.flags & ~_c.SRE_FLAG_UNICODE or parsed.state.grouprefpos:
            raise _Unhandled
        found = list(parsed.data)
        if len(_READ) >= _READ_KEPT:
            _READ.clear()
        _READ[text] = found
    return found


def _build(text: str, pieces: list, flags: int) -> re.Pattern:
    flags, code, groups, groupindex = program(text, pieces, flags)
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    return _sre.compile(text, flags, code, groups, groupindex, tuple(indexgroup))


def program(text: str, pieces: list, flags: int) -> tuple[int, list, int, dict]:
    """(flags, code, groups, group index) that ``re`` hands its engine for the pieces, whose
    text is ``text`` (``parsed_program`` gives the same read from the text)."""
    state = _parser.State()
    state.flags = flags
    tree = _sequence(pieces, state)
    state.flags = _parser.fix_flags(text, state.flags)
    return flags | state.flags, _compiler._code(tree, flags), state.groups - 1, dict(state.groupdict)


def parsed_program(text: str, flags: int) -> tuple[int, list, int, dict]:
    """``program`` of the text as ``re.compile`` reads it."""
    tree = _parser.parse(text, flags)
    return flags | tree.state.flags, _compiler._code(tree, flags), tree.state.groups - 1, dict(tree.state.groupdict)


def _sequence(pieces: list, state) -> "_parser.SubPattern":
    """The parsed sequence of the pieces, as ``_parser._parse`` makes it."""
    items: list = []
    for piece in pieces:
        kind = type(piece)
        if kind is str:
            named = _NAMED.fullmatch(piece) if piece.startswith("(?P<") else None
            if named is None:
                items.extend(_read(piece))
            else:
                # A slot: its group numbered where it stands, its regex read once.
                group = state.opengroup(named.group(1))
                body = _parser.SubPattern(state, list(_read(named.group(2))))
                state.closegroup(group, body)
                items.append((_c.SUBPATTERN, (group, 0, 0, body)))
        elif kind is Words:
            literal = _c.LITERAL
            items.extend([(literal, ord(char)) for char in piece.text])
        elif kind is Alternatives:
            body = _alternation([_sequence(alternative, state) for alternative in piece.alternatives], state)
            if piece.optional:
                # ``(?:...)?``: the parser repeats the group's body itself.
                items.append((_c.MAX_REPEAT, (0, 1, body)))
            else:
                # A group that captures nothing stands in its sequence as its items.
                items.extend(body.data)
        elif kind is Atomic:
            items.append((_c.ATOMIC_GROUP, _sequence(piece.pieces, state)))
        else:
            raise _Unhandled
    return _parser.SubPattern(state, items)


# Items holding a parsed part of their own: no two such items of a parse are ever the same
# object, so the parser never finds two alternatives to start with the same one.
_NESTED = frozenset(getattr(_c, name) for name in ("SUBPATTERN", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT",
                                                  "ASSERT", "ASSERT_NOT", "BRANCH", "ATOMIC_GROUP",
                                                  "GROUPREF_EXISTS") if hasattr(_c, name)) if _BUILDS else frozenset()


def _alternation(items: list, state) -> "_parser.SubPattern":
    """The alternatives as ``_parser._parse_sub`` leaves them: a common first item moved out
    in front, alternatives of one character each made a character set, else a branch."""
    if len(items) == 1:
        return items[0]
    subpattern = _parser.SubPattern(state)
    while True:
        prefix = None
        for item in items:
            if not item:
                break
            if prefix is None:
                prefix = item[0]
                if prefix[0] in _NESTED:
                    break
            elif item[0] != prefix:
                break
        else:
            for item in items:
                del item[0]
            subpattern.append(prefix)
            continue
        break
    characters = []
    for item in items:
        if len(item) != 1:
            break
        op, av = item[0]
        if op is _c.LITERAL:
            characters.append((op, av))
        elif op is _c.IN and av[0][0] is not _c.NEGATE:
            characters.extend(av)
        else:
            break
    else:
        subpattern.append((_c.IN, list(dict.fromkeys(characters))))
        return subpattern
    subpattern.append((_c.BRANCH, (None, items)))
    return subpattern

"""The literal text a pattern cannot match without: a cheap test before running its regex.

``required_literals("{jurisdiction} (shall|will) be the seat of arbitration", "en")`` gives
``({"shall", "will"}, {"be"}, {"the"}, {"seat"}, {"of"}, {"arbitration"})``: a sentence lacking
any word of one of these sets cannot match, so the (much slower) regex is not run on it. Only
necessary conditions are derived: optional parts, slots and gaps give nothing, and a group
gives a set only when every alternative has literal text of its own.

English patterns match case-insensitively, so their literals are case-folded and are tested
against the case-folded sentence.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

PatternT = TypeVar("PatternT")


def required_literals(source: str, language: str) -> tuple[frozenset[str], ...]:
    try:
        sets, _ = _sequence(source, 0)
    except _Unparsed:
        return ()
    if language == "en":
        sets = [frozenset(word.casefold() for word in alternatives) for alternatives in sets]
    unique = []
    for alternatives in sets:
        if alternatives and alternatives not in unique:
            unique.append(alternatives)
    # Most telling first (fewest, longest words), so a sentence that lacks one fails fast.
    unique.sort(key=lambda words: (len(words), -min(len(word) for word in words)))
    return tuple(unique)


def possible_patterns(patterns: Sequence[PatternT], haystack: str) -> list[PatternT]:
    """The patterns (anything with ``required``) whose required literals the sentence holds:
    a literal of each set. English sentences are tested case-folded."""
    # Plain loops, all patterns of a rule in one call: this runs for every rule a candidate
    # sentence triggers.
    possible = []
    for pattern in patterns:
        for words in pattern.required:
            for word in words:
                if word in haystack:
                    break
            else:
                break
        else:
            possible.append(pattern)
    return possible


class _Unparsed(Exception):
    """The pattern is malformed; compile_pattern reports that, here it just yields nothing."""


def _sequence(source: str, index: int) -> tuple[list[frozenset[str]], int]:
    """Required sets of a sequence, up to an unmatched ')' or '|' or the end."""
    sets: list[frozenset[str]] = []
    word: list[str] = []

    def end_word() -> None:
        if word:
            sets.append(frozenset(["".join(word)]))
            word.clear()

    while index < len(source):
        ch = source[index]
        if ch in ")|":
            break
        if ch == "(":
            end_word()
            alternatives, index = _group(source, index + 1)
            if index < len(source) and source[index] == "?":
                index += 1
            elif alternatives is not None:
                sets.append(alternatives)
            continue
        if ch == "{":
            end_word()
            close = source.find("}", index)
            if close == -1:
                raise _Unparsed
            index = close + 1
            continue
        if ch in "~? \t\n":   # a '?' here follows a space, gap or slot: nothing literal
            end_word()
            index += 1
            continue
        if index + 1 < len(source) and source[index + 1] == "?":
            end_word()          # an optional character splits the word around it
            index += 2
            continue
        word.append(ch)
        index += 1
    end_word()
    return sets, index


def _group(source: str, index: int) -> tuple[frozenset[str] | None, int]:
    """Parse after '(' to after ')': one literal per alternative, or None if one has none."""
    picks: list[str] | None = []
    while True:
        sets, index = _sequence(source, index)
        singles = [next(iter(s)) for s in sets if len(s) == 1]
        if picks is not None and singles:
            picks.append(max(singles, key=len))
        else:
            picks = None
        if index >= len(source):
            raise _Unparsed
        if source[index] == ")":
            return (frozenset(picks) if picks else None), index + 1
        index += 1   # '|'

"""A clause's typed values, found once, and the clause as a pattern sees it.

In a sentence that a rule's words selected, each typed slot's values are found once by the
slot's regex and reader (slots.py); a pattern then runs on the sentence with each value of its
slots standing as one private-use character (a sentinel), so its regex holds one character where
it would otherwise hold the slot's whole alternation. Words a value's span may share with a
pattern ("within" of "within 30 days", 内 of 三十日内) stay as text around the sentinel.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from policycheck.facts.firstchars import guarded
from policycheck.lazyregex import LazyRegex, lower_in_place
from policycheck.facts.slots import SlotValue, slots
from policycheck.facts.view import fold, written_form
from policycheck.values.durations import (DURATION_LEAD, DURATION_TAIL, DURATION_TAIL_EN, DURATION_TAIL_ZH,
                                          DURATION_UNIT_WORDS)
from policycheck.values.numbers import EN_NUMBER_WORD
from policycheck.values.percent import PERCENT_MARK

# In the clause a pattern runs on, each value its slots stand for is one private-use character,
# so a pattern's regex holds a single character where it once held the slot's whole alternation.
SENTINELS = {"duration": "\ue000", "percent": "\ue001", "money": "\ue002", "jurisdiction": "\ue003",
             "institution": "\ue004", "number": "\ue005"}
VALUE_SLOTS = tuple(SENTINELS)
# Words at the start or the end of a value's span that a rule may also spell out itself
# ("within {duration}", "{duration}内"): they stay in the clause as text around the sentinel, and
# the slot's regex may take them in or leave them to the words of the pattern beside it.
_LEADS = {
    "duration": DURATION_LEAD,
    "jurisdiction": r"the\s+(?:(?:State|Commonwealth|Province)\s+of\s+)?|(?:State|Commonwealth|Province)\s+of\s+",
}
_TAILS = {"duration": DURATION_TAIL}


# A number written as an English word stays a word in the clause: "one" of "no one", "a" of "a
# party" are words a pattern may spell. {number} takes such a word where the pattern puts it.
_WORDS_IN_PLACE = {"number": rf"(?<![A-Za-z]){EN_NUMBER_WORD}(?![A-Za-z])"}
_WORDS_IN_PLACE_FINDERS = {name: re.compile(regex, re.IGNORECASE) for name, regex in _WORDS_IN_PLACE.items()}


# What every value of a slot holds, when that is quicker to look for than the value itself.
_HOLDS = {"duration": LazyRegex.ignoring_case(guarded(DURATION_UNIT_WORDS)),
          "percent": LazyRegex.ignoring_case(PERCENT_MARK)}
# Slots whose regex takes in more than a value (a place-name regex reads any capitalised words
# before a known name): what it finds counts only where the reader can read it.
_READ_TO_FIND = frozenset({"jurisdiction"})


def _folded_alternatives(regex: str) -> str:
    """An alternation of plain words as the view writes them (traditional characters folded)."""
    return "|".join(dict.fromkeys(fold(word) for word in regex.split("|")))


# The tail words a pattern of each language meets after a value's sentinel: the view has folded
# the clause, so the Chinese words are in their folded forms only.
_LANGUAGE_TAILS = {"en": {"duration": DURATION_TAIL_EN}, "zh": {"duration": _folded_alternatives(DURATION_TAIL_ZH)}}


def sentinel_regex(name: str, language: str) -> str:
    """What ``{name}`` matches in a clause of the language whose values stand as sentinels."""
    tail = _LANGUAGE_TAILS[language].get(name)
    core = SENTINELS[name]
    if name in _WORDS_IN_PLACE and language == "en":
        core = f"(?:{core}|{_WORDS_IN_PLACE[name]})"
    return core + (f"(?:{tail})?" if tail else "")


def words_in_place(name: str, text: str) -> bool:
    """Whether a value of the slot written this way stays words in the clause (no sentinel)."""
    return name in _WORDS_IN_PLACE and text.isascii() and not any(ch.isdigit() for ch in text)


@lru_cache(maxsize=None)
def value_finder(name: str, language: str) -> LazyRegex:
    """The slot's regex, to find its values in a clause (English clauses ignoring case). A value
    starts at a word start: "a year" is no duration inside "Canada year"."""
    # Behind a lookahead on its first characters (derived from the regex), the slot's long
    # alternation is tried only where a value can start. The place and institution regexes run
    # to kilobytes (every ISO name): compiled once per machine through the pattern store, not
    # in each run that reads a contract (about 80 ms of a small contract's 260).
    regex = r"(?<![A-Za-z0-9])" + guarded(slots()[name].pattern)
    return LazyRegex.ignoring_case(regex, re.DOTALL) if language == "en" else LazyRegex(regex, re.DOTALL)


@lru_cache(maxsize=None)
def _lead(name: str) -> re.Pattern | None:
    lead = _LEADS.get(name)
    return re.compile(lead, re.IGNORECASE) if lead else None


@lru_cache(maxsize=None)
def _tail(name: str) -> re.Pattern | None:
    tail = _TAILS.get(name)
    return re.compile(rf"(?:{tail})\Z", re.IGNORECASE) if tail else None


class ClauseValues:
    """The typed values of one clause, each slot's found once, and the clause as patterns with a
    given set of slots see it (their values replaced by sentinels)."""

    __slots__ = ("text", "language", "_spans", "_holds", "_slotted", "_readings", "_boundaries", "_context",
                 "_written", "_lowered")

    def __init__(self, text: str, language: str) -> None:
        self.text, self.language = text, language
        self._lowered: str | None | bool = False
        self._spans: dict[str, list[tuple[int, int, int]]] = {}
        self._holds: dict[str, bool] = {}
        self._slotted: dict[frozenset, SlottedClause] = {}
        self._readings: dict[tuple[str, int, int], SlotValue | None] = {}
        self._boundaries: list[int] | None = None
        self._context: dict[str, bool] = {}
        self._written: tuple[str, str] | None = None

    def in_context(self, key: str, search, document, segment) -> bool:
        """Whether the sentence, as written (defined terms included: "you keep ownership of
        what you post ("Your Content")" is about content), or its section heading ("you must be
        16 or older" under "Who may use") holds one of a rule's context words. Rules that share
        their context words (``key``) share the answer."""
        found = self._context.get(key)
        if found is None:
            if self._written is None:
                self._written = (written_form(document.text[segment.start:segment.end]), fold(segment.heading))
            sentence, heading = self._written
            found = self._context[key] = bool(search(sentence) or search(heading))
        return found

    @property
    def lowered(self) -> str | None:
        """The clause in lower case, position for position (``lower_in_place``)."""
        if self._lowered is False:
            self._lowered = lower_in_place(self.text)
        return self._lowered

    def clause_around(self, start: int, end: int) -> tuple[int, int]:
        """The part of the sentence that speaks about ``[start, end)``: up to the end of its
        clause (the sentence is cut at semicolons and list items, "; or (b)"), and from the
        start of its clause when that clause is a list item of its own, else from the sentence
        start ("if ... ; or any other cause ..., either party may terminate" is one condition).
        A clause that is no list item goes on over the items after it that open with a
        condition: "may terminate on 30 days' notice, (a) if the other party becomes insolvent"
        grants the right on that ground only."""
        if self._boundaries is None:
            self._boundaries = [match.end() for match in CLAUSE_CUT.finditer(self.text)]
        cuts = self._boundaries
        before = bisect_left(cuts, start + 1) - 1
        after = bisect_left(cuts, end)
        clause_start = cuts[before] if before >= 0 else 0
        if clause_start and not _LIST_ITEM.match(self.text, clause_start):
            clause_start = 0
        # Not where the clause is a list item itself: "may terminate (a) at any time on notice,
        # or (b) if the other party breaches" grants (a) on its own.
        clause_end = cuts[after] if after < len(cuts) else len(self.text)
        if not _ITEM_MARK.search(self.text, clause_start, clause_end):
            while after < len(cuts) and _CONDITION_ITEM.match(self.text, cuts[after]):
                after += 1
        return clause_start, (cuts[after] if after < len(cuts) else len(self.text))

    def spans(self, name: str) -> list[tuple[int, int, int, int]]:
        """(start, end of the lead words, start of the tail words, end) of each value of the
        slot, left to right."""
        found = self._spans.get(name)
        if found is None:
            lead, tail = _lead(name), _tail(name)
            found = []
            holds = _HOLDS.get(name)
            if holds is not None:
                regex, subject = holds.reading(self.text, self.lowered if holds.lowered else None)
                if regex.search(subject) is None:
                    self._spans[name] = found
                    return found
            finder = value_finder(name, self.language)
            # Positions are the clause's own in either text (see LazyRegex).
            finder, subject = finder.reading(self.text, self.lowered if finder.lowered else None)
            position = 0
            while (match := finder.search(subject, position)) is not None:
                start, end = match.span()
                if name in _READ_TO_FIND:
                    end = self._readable_end(name, finder, subject, start, end)
                if end is None or end == start:
                    # Words the slot's regex takes in but its reader cannot read ("BE GOVERNED
                    # BY" in upper case looks like a place name): no value starts here.
                    position = start + 1
                    continue
                position = end
                if words_in_place(name, self.text[start:end]):
                    continue
                core_start, core_end = start, end
                if lead is not None:
                    head = lead.match(self.text, start, end)
                    if head is not None and head.end() < end:
                        core_start = head.end()
                if tail is not None:
                    last = tail.search(self.text[core_start:end])
                    if last is not None and last.start() > 0:
                        core_end = core_start + last.start()
                found.append((start, core_start, core_end, end))
            if name == "jurisdiction":
                found = self._country_leads(found)
            self._spans[name] = found
        return found

    def _readable_end(self, name: str, finder: re.Pattern, subject: str, start: int, end: int) -> int | None:
        """The end of the longest readable value the slot's regex finds at ``start``: its first
        match, or a shorter one ending at an earlier word boundary ("NEW YORK" of "NEW YORK,
        WITHOUT REGARD"); None when there is none."""
        for _ in range(6):
            if end > start and self.read(name, (start, start, end, end)) is not None:
                return end
            if end - start > 1 and self.text[end - 1] in ".,;:":
                # A full stop taken in as an abbreviation's ("U.S.A.") may end the sentence.
                shorter = finder.match(subject, start, end - 1)
                if shorter is not None and shorter.end() > start and \
                        self.read(name, (start, start, shorter.end(), shorter.end())) is not None:
                    return shorter.end()
            boundary = max(self.text.rfind(" ", start, end - 1), self.text.rfind(",", start, end - 1))
            if boundary <= start:
                return None
            shorter = finder.match(subject, start, boundary)
            if shorter is None:
                return None
            end = shorter.end()
        return None

    def _country_leads(self, spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
        """A country named right before another place ("美国加州", "中国广东省", "中国台湾省") is
        that place's lead words, not a value of its own."""
        merged: list[tuple[int, int, int, int]] = []
        for span in spans:
            if merged and merged[-1][3] == span[0]:
                outer = self.read("jurisdiction", merged[-1])
                inner = self.read("jurisdiction", span)
                if outer is not None and inner is not None and "-" not in str(outer.value.code) \
                        and inner.value.code != outer.value.code:
                    merged[-1] = (merged[-1][0], span[0], span[2], span[3])
                    continue
            merged.append(span)
        return merged

    def slotted(self, names: frozenset, with_leads: bool = False) -> "SlottedClause":
        """The clause with the values of ``names`` as sentinels; ``with_leads``: each value's
        lead words ("at least" of "at least 30 days") inside its sentinel rather than before it."""
        key = (names, with_leads)
        found = self._slotted.get(key)
        if found is None:
            found = self._slotted[key] = SlottedClause(self, names, with_leads)
        return found

    def holds(self, name: str) -> bool:
        """Whether the clause holds a value of the slot (a number may also be a word in place)."""
        found = self._holds.get(name)
        if found is None:
            in_place = _WORDS_IN_PLACE_FINDERS.get(name)
            found = self._holds[name] = bool(self.spans(name)) or (
                in_place is not None and in_place.search(self.text) is not None)
        return found

    def has_leads(self, names: frozenset) -> bool:
        """Whether a value of these slots has lead words (else both ways of slotting agree)."""
        return any(span[1] > span[0] for name in names if name in _LEADS for span in self.spans(name))

    def read(self, name: str, span: tuple[int, int, int, int]) -> SlotValue | None:
        """The value of a span (start, core start, core end, end), read with its lead words ("at
        least" is a duration's comparator, "State of" tells Washington the state); a place whose
        lead is its country ("美国加州") is read from its own name."""
        key = (name, span)
        if key not in self._readings:
            reader = slots()[name].read
            reading = reader(self.text[span[0]:span[3]])
            if reading is None and name == "jurisdiction" and span[1] > span[0]:
                reading = reader(self.text[span[1]:span[3]])
            self._readings[key] = reading
        return self._readings[key]


# Where a sentence's clauses meet: a semicolon, or a list item's mark ("(b)", "(ii)") after a
# comma or "or"/"and" ("thirty (30) days" holds no list item). A colon does not cut: the items
# after it belong to the words that lead in to them.
# A list item's mark as contracts letter them, in capitals too ("..., OR (B) IF ...").
_ITEM = r"\((?:[a-h]|[ivx]{1,4})\)\s"
CLAUSE_CUT = re.compile(rf"[;；]|(?:,|\s(?:or|and))\s+(?={_ITEM})", re.IGNORECASE)
# A clause that is an item of its own ("(b) for breach"), not a sentence's continuation.
_LIST_ITEM = re.compile(rf"\s*(?:(?:or|and)\s+)?{_ITEM}", re.IGNORECASE)
_ITEM_MARK = re.compile(_ITEM, re.IGNORECASE)
# A list item that states a condition of what precedes it: "(a) if ...", "(b) in the event that ...".
_CONDITION_ITEM = re.compile(rf"\s*(?:(?:or|and)\s+)?{_ITEM}\s*(?:if|in\s+the\s+event|in\s+case|should|where|when|"
                             r"upon\s+the\s+occurrence|on\s+the\s+occurrence|following|provided)\b", re.IGNORECASE)


class SlottedClause:
    """A clause with the values of some slots replaced by their sentinels (the words a value
    may share with a pattern, before and after it, stay as text around its sentinel)."""

    __slots__ = ("text", "_positions", "_values", "_leads", "_shift", "_lowered")

    def __init__(self, values: ClauseValues, names: frozenset, with_leads: bool = False) -> None:
        spans = sorted(((*span, name) for name in names for span in values.spans(name)),
                       key=lambda span: (span[0], -span[3]))
        pieces: list[str] = []
        self._positions: list[int] = []      # where each sentinel stands
        self._values: list[tuple[str, tuple]] = []   # (slot, its span in the clause)
        self._leads: list[int] = []          # where each value's lead words start, in this text
        self._shift = [0]                    # clause minus slotted position after k sentinels
        position = 0
        length = 0
        text = values.text
        for start, core_start, core_end, end, name in spans:
            if start < position:
                continue          # overlaps a value already taken (the longer one, or the earlier)
            cover_start = start if with_leads else core_start
            pieces.append(text[position:cover_start])
            length += cover_start - position
            self._positions.append(length)
            self._leads.append(length - (cover_start - start))
            self._values.append((name, (start, core_start, core_end, end)))
            pieces.append(SENTINELS[name])
            length += 1
            self._shift.append(core_end - length)
            position = core_end
        pieces.append(text[position:])
        self.text = "".join(pieces) if self._positions else text
        self._lowered: str | None | bool = False

    @property
    def lowered(self) -> str | None:
        """The text in lower case, position for position (``lower_in_place``)."""
        if self._lowered is False:
            self._lowered = lower_in_place(self.text)
        return self._lowered

    def clause_position(self, position: int) -> int:
        """The clause position of a position in this text."""
        return position + self._shift[bisect_left(self._positions, position)]

    def extent(self, start: int, end: int) -> tuple[int, int]:
        """A slot group's span widened to its value's lead words: what the value says, in this
        text ("not less than" of "not less than 30 days" is a comparator, not a negation)."""
        index = bisect_left(self._positions, start)
        if index < len(self._positions) and self._positions[index] < end:
            return min(start, self._leads[index]), end
        return start, end

    def value_in(self, start: int, end: int) -> tuple[str, tuple] | None:
        """(slot, span in the clause) of the value whose sentinel stands in ``[start, end)``
        (a slot group's span)."""
        index = bisect_left(self._positions, start)
        if index < len(self._positions) and self._positions[index] < end:
            return self._values[index]
        return None

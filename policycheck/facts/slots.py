"""Typed slots of extraction patterns: ``{duration}``, ``{percent}``, ``{money}``,
``{jurisdiction}``, ``{institution}``, ``{number}``, ``{age}``, and the party slots ``{party}``,
``{customer}``, ``{provider}`` (see parties.py).

A slot is a regex fragment without capture groups (patterns wrap it in one named group) and a
reader that turns the matched span into a typed value plus qualifiers. Readers never see more
than the span their fragment isolated.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from policycheck.facts.firstchars import guarded
from policycheck.facts.view import fold, written_form
from policycheck.facts.lazyregex import LazyRegex
from policycheck.yamlload import load_data

from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, ROLE_SLOTS
from policycheck.values.durations import DURATION_LEAD, DURATION_PATTERN, DURATION_TAIL, DURATION_UNIT_WORDS, parse_duration
from policycheck.values.jurisdictions import lookup_name, name_pattern, named_places
from policycheck.values.numbers import DIGITS, EN_NUMBER_WORD, FULL_WIDTH, ZH_NUMBER, parse_number
from policycheck.values.types import Jurisdiction, Money, Percent


@dataclass(frozen=True)
class SlotValue:
    """What a typed slot read from the words it matched, with qualifiers such as a comparator."""

    value: object
    qualifiers: dict = field(default_factory=dict, compare=False, hash=False)
    extra: dict = field(default_factory=dict, compare=False, hash=False)   # other readings, e.g. venue


@dataclass(frozen=True)
class Slot:
    """A typed placeholder of the pattern language ({duration}, {money}, ...): its regex and reader."""

    name: str
    fact_type: str
    pattern: str
    read: Callable[[str], SlotValue | None]


# --- duration -------------------------------------------------------------------------------

def _read_duration(text: str) -> SlotValue | None:
    reading = parse_duration(text)
    if reading is None:
        return None
    qualifiers: dict = {}
    if reading.comparator:
        qualifiers["comparator"] = reading.comparator
    if reading.low is not None and reading.high is not None and reading.low != reading.high:
        qualifiers["range"] = {"low": reading.low, "high": reading.high}
    return SlotValue(reading.value, qualifiers)


# --- percent --------------------------------------------------------------------------------

_PERCENT_PATTERN = (
    rf"(?:{DIGITS}\s*(?:%|％|percent\b|per\s+cent\b)|百分之{ZH_NUMBER}"
    rf"|{EN_NUMBER_WORD}(?:\s+point(?:\s+(?:zero|one|two|three|four|five|six|seven|eight|nine))+)?\s+(?:percent\b|per\s+cent\b))"
)


_DIGIT_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}


def _percent_number(text: str):
    """'99.9', 'ninety-nine', 'ninety-nine point nine' -> a number."""
    whole, _, decimals = text.lower().partition(" point ")
    number = parse_number(whole)
    if number is None or not decimals:
        return number
    digits = [_DIGIT_WORDS.get(word) for word in decimals.split()]
    return None if None in digits else Decimal(f"{number}.{''.join(digits)}")


def _read_percent(text: str) -> SlotValue | None:
    cleaned = text.translate(FULL_WIDTH).strip()
    if cleaned.startswith("百分之"):
        number = parse_number(cleaned[3:])
    else:
        number = _percent_number(re.sub(r"\s*(%|percent|per\s+cent)$", "", cleaned, flags=re.IGNORECASE))
    if number is None or number > 100:
        return None
    return SlotValue(Percent(number))


# --- money ----------------------------------------------------------------------------------

_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP",
                     "GBP": "GBP", "¥": "CNY", "￥": "CNY", "RMB": "CNY", "CNY": "CNY", "HK$": "HKD",
                     "HKD": "HKD", "S$": "SGD", "SGD": "SGD", "JPY": "JPY", "CAD": "CAD", "AUD": "AUD",
                     "CHF": "CHF"}
_SCALE_WORDS = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1000, "m": 1_000_000}
_MONEY_EN = (
    r"(?:(?:US\$|HK\$|S\$|\$|€|£|¥|￥|(?:USD|EUR|GBP|CNY|RMB|HKD|SGD|JPY|CAD|AUD|CHF)\s*)"
    rf"\s*{DIGITS}(?:\s*(?:million|thousand|billion)\b)?"
    rf"|(?:{DIGITS}|{EN_NUMBER_WORD})(?:\s*(?:million|thousand|billion))?\s*(?:US\s+dollars|U\.S\.\s+dollars|dollars|euros?|pounds|"
    r"(?:USD|EUR|GBP|CNY|RMB|HKD|SGD|JPY)\b|yuan|renminbi))"
)
_MONEY_ZH = rf"(?:(?:人民币|人民幣|￥|¥)?\s*{ZH_NUMBER}\s*(?:万|萬)?\s*(?:元|圆|块)(?:人民币)?|(?:美元|美金)\s*{ZH_NUMBER}|{ZH_NUMBER}\s*(?:万|萬)?\s*(?:美元|美金))"
_MONEY_PATTERN = rf"(?:{_MONEY_EN}|{_MONEY_ZH})"


def _read_money(text: str) -> SlotValue | None:
    cleaned = " ".join(text.translate(FULL_WIDTH).split())
    currency = "CNY" if re.search(r"元|圆|块|人民币|人民幣|RMB|yuan|renminbi|¥|￥", cleaned, re.IGNORECASE) else None
    if re.search(r"美元|美金|dollars?|US\$|\$", cleaned, re.IGNORECASE):
        # "US$" and "HK$" hold "S$" and "$": the longest symbol decides.
        currency = "HKD" if "HK$" in cleaned else "SGD" if re.search(r"(?<![A-Z])S\$", cleaned) else "USD"
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol.isalpha() and re.search(rf"\b{symbol}\b", cleaned):
            currency = code
    if re.search(r"euros?|€", cleaned, re.IGNORECASE):
        currency = "EUR"
    if re.search(r"pounds|£", cleaned, re.IGNORECASE):
        currency = "GBP"
    if currency is None:
        return None
    number_match = re.search(rf"{DIGITS}|{ZH_NUMBER}", cleaned) or re.search(EN_NUMBER_WORD, cleaned, re.IGNORECASE)
    if not number_match:
        return None
    amount = parse_number(number_match.group(0))
    if amount is None:
        return None
    # A scale word after the number ("$2 million", "two hundred thousand" is read whole above).
    scale = re.match(r"\s*(million|thousand|billion)\b", cleaned[number_match.end():], re.IGNORECASE)
    if scale:
        amount *= _SCALE_WORDS[scale.group(1).lower()]
    elif re.match(r"\s*[万萬]", cleaned[number_match.end():]):
        amount *= 10_000   # 5万元; in 伍万元 the 万 is part of the numeral already
    return SlotValue(Money(currency, Decimal(amount)))


# --- jurisdiction ---------------------------------------------------------------------------

def _read_jurisdiction(text: str) -> SlotValue | None:
    found = lookup_name(text)
    if found is None:
        return None
    qualifiers = {"place": found.place} if found.place else {}
    return SlotValue(Jurisdiction(found.code), qualifiers)


# --- institution ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Institution:
    """An arbitration institution as named in a contract: its body, and where it sits."""

    body: str
    code: str | None
    place: str | None


@lru_cache(maxsize=1)
def _institution_data() -> dict:
    return load_data(Path(__file__).with_name("institutions.yaml").read_text(encoding="utf-8"))


def _alternation(words) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=1)
def _cities() -> dict[str, dict[str, tuple[str, str]]]:
    """Per language: city name -> (code, place)."""
    cities: dict[str, dict[str, tuple[str, str]]] = {}
    for language, places in named_places().items():
        cities[language] = {p.name: (p.code, p.place) for p in places if p.place}
    return cities


@lru_cache(maxsize=1)
def _branch_places() -> dict[str, dict[str, tuple[str, str]]]:
    """Per language: names of sub-commissions that are regions, not cities (西南 -> Chongqing)."""
    places: dict[str, dict[str, tuple[str, str]]] = {}
    for language, entries in (_institution_data().get("branch_places") or {}).items():
        places[language] = {name: (str(target[0]), str(target[1])) for name, target in entries.items()}
    return places


def _place_of(city: str, language: str) -> tuple[str | None, str | None]:
    table = {**_cities()[language], **_branch_places().get(language, {})}
    found = table.get(city)
    if found:
        return found
    return next(((c, p) for name, (c, p) in table.items() if name.lower() == city.lower()), (None, None))


@lru_cache(maxsize=1)
def _institution_forms() -> list[tuple[LazyRegex, Institution | None, str]]:
    """(full-match regex, institution or None for a local commission, language). The regexes
    compile when first used: building the {institution} slot needs only their text."""
    data = _institution_data()
    forms: list[tuple[LazyRegex, Institution | None, str]] = []
    for entry in data["institutions"]:
        for language in ("en", "zh"):
            names = entry["names"].get(language) or []
            if not names:
                continue
            name_alt = _alternation(names)
            branch = (entry.get("branches") or {}).get(language)
            if branch:
                city_alt = _alternation(list(_cities()[language]) + list(_branch_places().get(language, {})))
                regex = branch.replace("{name}", f"(?:{name_alt})")
                for index in range(regex.count("{city}")):
                    regex = regex.replace("{city}", f"(?P<city{index}>{city_alt})", 1)
                forms.append((LazyRegex(regex, re.IGNORECASE), Institution(entry["body"], entry.get("code"), None), language))
            short = [n for n in names if n.isascii() and n.isupper() and len(n) <= 6]
            long = [n for n in names if n not in short]
            if long:
                forms.append((LazyRegex(f"(?:{_alternation(long)})", re.IGNORECASE),
                              Institution(entry["body"], entry.get("code"), entry.get("place")), language))
            if short:
                forms.append((LazyRegex(rf"\b(?:{_alternation(short)})\b"),
                              Institution(entry["body"], entry.get("code"), entry.get("place")), language))
    for language, template in data["local_commission"].items():
        city_alt = _alternation(_cities()[language])
        forms.append((LazyRegex(template.replace("{city}", f"(?P<city0>{city_alt})"), re.IGNORECASE), None, language))
    return forms


@lru_cache(maxsize=1)
def institution_pattern() -> str:
    return "(?:" + "|".join(re.sub(r"\(\?P<city\d>", "(?:", regex.pattern) for regex, _, _ in _institution_forms()) + ")"


def _read_institution(text: str) -> SlotValue | None:
    cleaned = " ".join(text.split())
    for regex, institution, language in _institution_forms():
        match = regex.fullmatch(cleaned)
        if not match:
            continue
        city = next((v for k, v in match.groupdict().items() if k.startswith("city") and v), None)
        code = place = None
        if city:
            code, place = _place_of(city, language)
        if institution is None:
            found = Institution("other", code, place)
        elif city:
            found = Institution(institution.body, code or institution.code, place)
        else:
            found = institution
        qualifiers = {"place": found.place} if found.place else {}
        return SlotValue(found, qualifiers)
    return None


# --- plain numbers (ages, counts) -------------------------------------------------------------

# "sixteen (16)": the word and its digits; the digits are read.
_NUMBER_PATTERN = rf"(?:{EN_NUMBER_WORD}\s*\(\s*{DIGITS}\s*\)|{DIGITS}|{EN_NUMBER_WORD}|{ZH_NUMBER})"
_DOUBLED = re.compile(rf"^.*\(\s*({DIGITS})\s*\)$", re.DOTALL)


def _read_number(text: str) -> SlotValue | None:
    doubled = _DOUBLED.match(text.strip())
    number = parse_number(doubled.group(1) if doubled else text)
    return SlotValue(number) if number is not None else None


def _read_party_name(text: str) -> SlotValue | None:
    # The role a party name stands for depends on the document: the engine resolves it
    # (policycheck/facts/parties.py); the slot only isolates the name.
    return SlotValue(text)


@lru_cache(maxsize=1)
def slots() -> dict[str, Slot]:
    return {
        "duration": Slot("duration", "duration", DURATION_PATTERN, _read_duration),
        "percent": Slot("percent", "percent", _PERCENT_PATTERN, _read_percent),
        "money": Slot("money", "money", _MONEY_PATTERN, _read_money),
        "jurisdiction": Slot("jurisdiction", "jurisdiction", name_pattern(), _read_jurisdiction),
        "institution": Slot("institution", "enum", institution_pattern(), _read_institution),
        "number": Slot("number", "number", _NUMBER_PATTERN, _read_number),
        **{role: Slot(role, "enum", PARTY_NAME_PATTERN, _read_party_name) for role in ROLE_SLOTS},
    }


# --- a clause's values, read once ---------------------------------------------------------------

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


# What every value of a slot holds, when that is quicker to look for than the value itself.
_HOLDS = {"duration": re.compile(DURATION_UNIT_WORDS, re.IGNORECASE),
          "percent": re.compile(r"%|percent|per\s+cent|百分之", re.IGNORECASE)}
# Slots whose regex takes in more than a value (a place-name regex reads any capitalised words
# before a known name): what it finds counts only where the reader can read it.
_READ_TO_FIND = frozenset({"jurisdiction"})


def sentinel_regex(name: str) -> str:
    """What ``{name}`` matches in a clause whose values stand as sentinels."""
    tail = _TAILS.get(name)
    core = SENTINELS[name]
    if name in _WORDS_IN_PLACE:
        core = f"(?:{core}|{_WORDS_IN_PLACE[name]})"
    return core + (f"(?:{tail})?" if tail else "")


def words_in_place(name: str, text: str) -> bool:
    """Whether a value of the slot written this way stays words in the clause (no sentinel)."""
    return name in _WORDS_IN_PLACE and text.isascii() and not any(ch.isdigit() for ch in text)


@lru_cache(maxsize=None)
def value_finder(name: str, language: str) -> re.Pattern:
    """The slot's regex, to find its values in a clause (English clauses ignoring case). A value
    starts at a word start: "a year" is no duration inside "Canada year"."""
    flags = re.IGNORECASE | re.DOTALL if language == "en" else re.DOTALL
    # Behind a lookahead on its first characters (derived from the regex), the slot's long
    # alternation is tried only where a value can start.
    return re.compile(r"(?<![A-Za-z0-9])" + guarded(slots()[name].pattern), flags)


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

    __slots__ = ("text", "language", "_spans", "_slotted", "_readings", "_boundaries", "_context", "_written")

    def __init__(self, text: str, language: str) -> None:
        self.text, self.language = text, language
        self._spans: dict[str, list[tuple[int, int, int]]] = {}
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

    def clause_around(self, start: int, end: int) -> tuple[int, int]:
        """The part of the sentence that speaks about ``[start, end)``: up to the end of its
        clause (the sentence is cut at semicolons and list items, "; or (b)"), and from the
        start of its clause when that clause is a list item of its own, else from the sentence
        start ("if ... ; or any other cause ..., either party may terminate" is one condition)."""
        if self._boundaries is None:
            self._boundaries = [match.end() for match in CLAUSE_CUT.finditer(self.text)]
        cuts = self._boundaries
        before = bisect_left(cuts, start + 1) - 1
        after = bisect_left(cuts, end)
        clause_start = cuts[before] if before >= 0 else 0
        if clause_start and not _LIST_ITEM.match(self.text, clause_start):
            clause_start = 0
        return clause_start, (cuts[after] if after < len(cuts) else len(self.text))

    def spans(self, name: str) -> list[tuple[int, int, int, int]]:
        """(start, end of the lead words, start of the tail words, end) of each value of the
        slot, left to right."""
        found = self._spans.get(name)
        if found is None:
            lead, tail = _lead(name), _tail(name)
            found = []
            holds = _HOLDS.get(name)
            if holds is not None and holds.search(self.text) is None:
                self._spans[name] = found
                return found
            finder = value_finder(name, self.language)
            position = 0
            while (match := finder.search(self.text, position)) is not None:
                start, end = match.span()
                if name in _READ_TO_FIND:
                    end = self._readable_end(name, finder, start, end)
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

    def _readable_end(self, name: str, finder: re.Pattern, start: int, end: int) -> int | None:
        """The end of the longest readable value the slot's regex finds at ``start``: its first
        match, or a shorter one ending at an earlier word boundary ("NEW YORK" of "NEW YORK,
        WITHOUT REGARD"); None when there is none."""
        for _ in range(6):
            if end > start and self.read(name, (start, start, end, end)) is not None:
                return end
            if end - start > 1 and self.text[end - 1] in ".,;:":
                # A full stop taken in as an abbreviation's ("U.S.A.") may end the sentence.
                shorter = finder.match(self.text, start, end - 1)
                if shorter is not None and shorter.end() > start and \
                        self.read(name, (start, start, shorter.end(), shorter.end())) is not None:
                    return shorter.end()
            boundary = max(self.text.rfind(" ", start, end - 1), self.text.rfind(",", start, end - 1))
            if boundary <= start:
                return None
            shorter = finder.match(self.text, start, boundary)
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
CLAUSE_CUT = re.compile(r"[;；]|(?:,|\s(?:or|and))\s+(?=\((?:[a-h]|[ivx]{1,4})\)\s)")
# A clause that is an item of its own ("(b) for breach"), not a sentence's continuation.
_LIST_ITEM = re.compile(r"\s*(?:(?:or|and)\s+)?\((?:[a-h]|[ivx]{1,4})\)\s")


class SlottedClause:
    """A clause with the values of some slots replaced by their sentinels (the words a value
    may share with a pattern, before and after it, stay as text around its sentinel)."""

    __slots__ = ("text", "_positions", "_values", "_leads", "_shift")

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

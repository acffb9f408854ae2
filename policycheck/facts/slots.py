"""Typed slots of extraction patterns: ``{duration}``, ``{percent}``, ``{money}``,
``{jurisdiction}``, ``{institution}``, ``{number}``, ``{age}``, and the party slots ``{party}``,
``{customer}``, ``{provider}`` (see parties.py).

A slot is a regex fragment without capture groups (patterns wrap it in one named group) and a
reader that turns the matched span into a typed value plus qualifiers. Readers never see more
than the span their fragment isolated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable

from policycheck.facts.lazyregex import LazyRegex
from policycheck.yamlload import load_data

from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, ROLE_SLOTS
from policycheck.values.durations import DURATION_PATTERN, parse_duration
from policycheck.values.jurisdictions import first_characters as jurisdiction_first_characters
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
    if re.search(r"美元|美金|dollars?|US\$|\$", cleaned):
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


# --- first characters -------------------------------------------------------------------------

# The characters a match of each slot can start with. A pattern tries its slot at every place
# the rest of it allows (in Chinese at every character); a lookahead on this class turns most
# of those tries into one test instead of a walk through the slot's long alternation, which
# makes the shipped patterns about a fifth faster. Too narrow a class would lose matches:
# tests/test_slot_guards.py derives each set from the slot's regex and checks the class holds
# it (when the slot regexes or their data files change, it prints the class to put here).
_FIRST_CHARACTERS = {
    "duration": "[0-9abefhilmnostuwz○〇一七万三不两九二五亿仟伍低佰億兩八六十千半叁參四壹多少拾捌最柒满滿玖百肆至萬貳贰超"
                "陆陸零０-９]",
    "percent": "[0-9efhnostz百０-９]",
    "money": "[0-9ACEGHJRSU\\$\\sefhnostz£¥€○〇一七万三两九二五人亿仟伍佰億兩八六十千叁參四壹拾捌柒玖百美肆萬貳贰陆陸零"
             "０-９￥]",
    "institution": "[ABCDEFGHIJKLMNPQSTVWXZ上东中伦佛倫北华南厦台合哈国國大天太宁寧广廈廣成新无昆杭東武沈济海深濟瀋無珠石"
                   "福紐纽美臺苏華蘇西贵郑鄭重長长青香高]",
    "number": "[0-9efhnostz○〇一七万三两九二五亿仟伍佰億兩八六十千叁參四壹拾捌柒玖百肆萬貳贰陆陸零０-９]",
}


def first_character_guard(first_characters: str, pattern: str) -> str:
    """``pattern`` behind a lookahead on the class of characters its matches start with."""
    return f"(?={first_characters})(?:{pattern})"


@lru_cache(maxsize=1)
def slots() -> dict[str, Slot]:
    # The jurisdiction names are data (ISO 3166 and the hand-kept forms): their class is
    # worked out from the names themselves.
    # Local arbitration commissions are named after a city ("{city}仲裁委员会"): the cities'
    # first characters join the institution class.
    city_starts = "".join(sorted({re.escape(city[0]) for cities in _cities().values() for city in cities}))
    classes = {**_FIRST_CHARACTERS, "jurisdiction": jurisdiction_first_characters(),
               "institution": _FIRST_CHARACTERS["institution"][:-1] + city_starts + "]"}

    def guarded(name: str, pattern: str) -> str:
        return first_character_guard(classes[name], pattern)

    return {
        "duration": Slot("duration", "duration", guarded("duration", DURATION_PATTERN), _read_duration),
        "percent": Slot("percent", "percent", guarded("percent", _PERCENT_PATTERN), _read_percent),
        "money": Slot("money", "money", guarded("money", _MONEY_PATTERN), _read_money),
        "jurisdiction": Slot("jurisdiction", "jurisdiction", guarded("jurisdiction", name_pattern()),
                             _read_jurisdiction),
        "institution": Slot("institution", "enum", guarded("institution", institution_pattern()), _read_institution),
        "number": Slot("number", "number", guarded("number", _NUMBER_PATTERN), _read_number),
        **{role: Slot(role, "enum", PARTY_NAME_PATTERN, _read_party_name) for role in ROLE_SLOTS},
    }

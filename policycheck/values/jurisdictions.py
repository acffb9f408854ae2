"""Jurisdiction codes, containment, and the names contracts use for them.

Codes follow ISO 3166-1 alpha-2 and ISO 3166-2 (``US-NY``, ``CN-GD``, ``DE-BY``); named groups
(``EU``, ``EEA``) stand for their members. HK, MO and TW are their own codes and not inside CN
(ISO 3166-2 also lists them as CN-HK, CN-MO and CN-TW; policies write HK, MO and TW).

Where the data comes from:
  iso3166.json             every ISO 3166-1 country and ISO 3166-2 subdivision with its English
                           and Chinese names, derived from the standard by tools/iso3166_data.py
  jurisdictions.yaml       named groups, and containment the standard does not state
  jurisdiction_names.yaml  forms the standard lacks: abbreviations, other names, adjectives
                           ("Swiss law"), cities and court or arbitration seats
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

from policycheck.datastore import derived
from policycheck.yamlload import load_data

# ISO 3166-2 lists these as parts of CN; the project keeps them as their own jurisdictions.
OWN_CODES = {"CN-HK": "HK", "CN-MO": "MO", "CN-TW": "TW"}

# Countries whose subdivisions contracts name as a jurisdiction or a seat: their names are read
# from contract text. Every other subdivision is still a valid code in policies.
NAMED_SUBDIVISIONS = ("US", "CA", "AU", "GB", "DE", "CN", "IN")
# Subdivisions with Chinese names good enough to read contracts by.
ZH_NAMED_SUBDIVISIONS = ("US", "CA", "AU", "DE", "CN")
# Where a country and a subdivision share a name, the one an English contract means when it
# writes the bare name ("Georgia" in a US contract; the country is "the Republic of Georgia").
_SHARED_NAMES = {"georgia": ("US-GA", "GE")}
# ISO writes Chinese provinces with their Pinyin type word ("Guangdong Sheng").
_PINYIN_TYPES = re.compile(r"\s+(?:Sheng|Shi|(?:Zhuangzu\s+|Huizu\s+|Uygur\s+)?Zizhiqu)$")
_ZH_TYPES = re.compile(r"(?:省|市|州|(?:壮族|回族|维吾尔)?自治区)$")


@dataclass(frozen=True)
class JurisdictionTable:
    """Known jurisdiction codes, named groups (EU, EEA) and which contains which."""

    countries: frozenset[str]
    subdivisions: frozenset[str]
    groups: dict[str, frozenset[str]]
    contains: dict[str, frozenset[str]]
    parents: dict[str, str]

    def is_known(self, code: str) -> bool:
        return code in self.countries or code in self.subdivisions or code in self.groups

    def all_codes(self) -> list[str]:
        return sorted(self.countries | self.subdivisions | set(self.groups))


class NamedPlace(NamedTuple):
    """A place name a contract may use, with its jurisdiction code."""

    name: str
    code: str
    place: str | None


def _load_yaml(name: str) -> dict:
    return load_data(Path(__file__).with_name(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def iso_data() -> dict:
    """ISO 3166-1 countries and ISO 3166-2 subdivisions (rows as in iso3166.json)."""
    import json

    return json.loads(Path(__file__).with_name("iso3166.json").read_text(encoding="utf-8"))


def _iso_codes() -> dict:
    """Country codes, subdivision codes and each subdivision's parent, from iso3166.json."""
    iso = iso_data()
    parents: dict[str, str] = {}
    subdivisions = []
    for code, _name, _type, parent, _zh in iso["subdivisions"]:
        if code in OWN_CODES:
            continue
        subdivisions.append(code)
        if parent:
            parents[code] = parent if "-" in parent else f"{code.split('-')[0]}-{parent}"
    return {"countries": [row[0] for row in iso["countries"]], "subdivisions": subdivisions, "parents": parents}


@lru_cache(maxsize=1)
def table() -> JurisdictionTable:
    data = _load_yaml("jurisdictions.yaml")
    codes = _derived()["codes"]
    subdivisions = set(codes["subdivisions"])
    subdivisions.update(data.get("extra_subdivisions") or ())
    groups = {name: frozenset(members) for name, members in data["groups"].items()}
    contains = {outer: frozenset(inner) for outer, inner in data["contains"].items()}
    return JurisdictionTable(frozenset(codes["countries"]), frozenset(subdivisions), groups, contains,
                             codes["parents"])


def is_known_code(code: str) -> bool:
    return table().is_known(code)


def _outer_codes(code: str) -> list[str]:
    """``code`` and every subdivision above it in ISO 3166-2 (GB-LND, GB-ENG)."""
    data = table()
    chain = [code]
    while chain[-1] in data.parents and len(chain) < 8:
        chain.append(data.parents[chain[-1]])
    return chain


def contains(outer: str, inner: str) -> bool:
    """True when jurisdiction ``inner`` lies within ``outer`` (US-NY in US, DE in EU, CN in CN)."""
    if outer == inner:
        return True
    data = table()
    for code in _outer_codes(inner):
        if code == outer or code in data.contains.get(outer, ()):
            return True
        if code.startswith(outer + "-"):
            return True
    country = inner.split("-", 1)[0]
    if outer in data.groups:
        return country in data.groups[outer] or (inner in data.groups and data.groups[inner] <= data.groups[outer])
    return False


def _ascii(name: str) -> str:
    """'Côte d'Ivoire' -> 'Cote d'Ivoire', 'Mahārāshtra' -> 'Maharashtra'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))


def _english_forms(name: str | None) -> list[str]:
    """The ways a contract writes an ISO English name: 'Korea, Republic of' -> 'Republic of
    Korea'; 'Virgin Islands, British' -> 'British Virgin Islands'; 'Holy See (Vatican City State)'
    -> 'Holy See'; accents optional."""
    if not name:
        return []
    name = name.strip()
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    head, comma, tail = bare.partition(", ")
    if comma and "," not in tail and (re.search(r"\bof(?: the)?$", tail) or len(tail.split()) == 1):
        forms = [f"{tail} {head}"]
    else:
        forms = [bare] + ([name] if name != bare else [])
    forms = [re.sub(r"^the\s+", "", form, flags=re.IGNORECASE) for form in forms]
    forms += [_ascii(form) for form in forms]
    return list(dict.fromkeys(forms))


# The word a Chinese text writes after a subdivision of each kind when ISO's name has none:
# 新南威尔士州 (ISO: 新南威尔士), 巴伐利亚州, 艾伯塔省.
_ZH_KIND_WORDS = {"State": "州", "Land": "州", "Province": "省"}


def _zh_forms(name: str | None, kind: str | None = None) -> list[str]:
    if not name:
        return []
    forms = [name]
    short = _ZH_TYPES.sub("", name)
    if short != name and len(short) >= 2:
        forms.append(short)
    elif kind in _ZH_KIND_WORDS:
        forms.append(name + _ZH_KIND_WORDS[kind])
    return forms


def _iso_names() -> dict[str, list[tuple[str, str]]]:
    """Per language, (name, code) from ISO 3166, countries first."""
    iso = iso_data()
    en: list[tuple[str, str]] = []
    zh: list[tuple[str, str]] = []
    for code, name, official, common, zh_name, zh_official, zh_common, _alpha3 in iso["countries"]:
        for text in (common, name, official):
            if code == "TW" and text and "Province" in text:
                continue
            en.extend((form, code) for form in _english_forms(text))
        for text in (zh_common, zh_name, zh_official):
            zh.extend((form, code) for form in _zh_forms(text))
    for code, name, kind, parent, zh_name in iso["subdivisions"]:
        country = code.split("-")[0]
        if code in OWN_CODES or parent or country not in NAMED_SUBDIVISIONS:
            continue
        if country == "CN" and kind == "Municipality":
            continue        # a city: its names are in jurisdiction_names.yaml, read as CN with a place
        if country == "GB" and kind not in ("Country", "Province", "Nation"):
            continue
        if country == "CN":
            short = _PINYIN_TYPES.sub("", name)
            en.extend((form, code) for form in (short, f"{short} Province" if kind == "Province" else name))
        else:
            en.extend((form, code) for form in _english_forms(name))
        if country in ZH_NAMED_SUBDIVISIONS:
            zh.extend((form, code) for form in _zh_forms(zh_name, kind))
    return {"en": en, "zh": zh}


def _build_named_places() -> dict[str, list[tuple[str, str, str | None]]]:
    hand = _load_yaml("jurisdiction_names.yaml")
    result: dict[str, list[tuple[str, str, str | None]]] = {}
    iso = _iso_names()
    for language in ("en", "zh"):
        places: dict[str, NamedPlace] = {}
        for name, target in (hand.get(language) or {}).items():
            if isinstance(target, list):
                places.setdefault(_key(name), NamedPlace(name, str(target[0]), str(target[1])))
            else:
                places.setdefault(_key(name), NamedPlace(name, str(target), None))
        for name, code in iso[language]:
            if language == "en" and _key(name) in _SHARED_NAMES:
                code = _SHARED_NAMES[_key(name)][0]
            places.setdefault(_key(name), NamedPlace(name, code, None))
        ordered = sorted(places.values(), key=lambda p: (-len(p.name), p.name))
        result[language] = [(p.name, p.code, p.place) for p in ordered]
    return result


@lru_cache(maxsize=1)
def law_adjectives() -> dict[str, str]:
    """'Swiss' -> CH: adjectives that name a jurisdiction only before law, laws or courts."""
    return {name: str(code) for name, code in (_load_yaml("jurisdiction_names.yaml").get("adjectives") or {}).items()}


@lru_cache(maxsize=1)
def _lookup() -> dict[str, NamedPlace]:
    index: dict[str, NamedPlace] = {}
    for places in named_places().values():
        for place in places:
            index.setdefault(_key(place.name), place)
    return index


@lru_cache(maxsize=1)
def _subdivision_names() -> dict[tuple[str, str], str]:
    """(country, name) -> code for every ISO 3166-2 subdivision ('Bayern, Germany' -> DE-BY)."""
    index: dict[tuple[str, str], str] = {}
    for code, name, _kind, _parent, zh_name in iso_data()["subdivisions"]:
        if code in OWN_CODES:
            continue
        country = code.split("-")[0]
        for form in _english_forms(name):
            index.setdefault((country, _key(form)), code)
        if zh_name:
            index.setdefault((country, zh_name), code)
    return index


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:state|commonwealth|province|territory|canton|emirate|republic|kingdom|country)\s+of(?:\s+|(?-i:(?=[A-Z])))(?:the\s+)?)?",
    re.IGNORECASE,
)
_PAIR = re.compile(r"^(?P<inner>.+?)\s*(?:,\s*(?:the\s+)?|\(\s*)(?P<outer>[^,(]+?)\s*\)?$", re.DOTALL)
# Between a state's law and the federal law named in one phrase: "and", "and of the laws of",
# "and, to the extent not inconsistent therewith, by the laws of".
_JOINED = r",?\s+and(?:\s*,[^,;.!?]{1,60},)?\s+(?:by\s+)?(?:of\s+)?(?:the\s+)?(?:(?:federal\s+)?laws?\s+of\s+)?"
_FEDERAL_NAME = r"(?:the\s+)?United\s+States(?:\s+of\s+America)?"
_FEDERAL = re.compile(rf"^(?P<state>.+?){_JOINED}{_FEDERAL_NAME}$", re.IGNORECASE | re.DOTALL)
_FEDERAL_FIRST = re.compile(rf"^{_FEDERAL_NAME}{_JOINED}(?P<state>.+)$", re.IGNORECASE | re.DOTALL)
_CITY_WORDS = re.compile(r"^(?:[A-Z][A-Za-z'’.]*)(?:[ -][A-Z][A-Za-z'’.]*){0,2}$")


def _simple(text: str) -> NamedPlace | None:
    key = _key(text)
    found = _lookup().get(key) or _lookup().get(re.sub(r"^the ", "", key))
    if found:
        return found
    stripped = _key(_PREFIX.sub("", text.strip()))
    found = _lookup().get(stripped)
    if found:
        return found
    adjective = " ".join(_PREFIX.sub("", text.strip()).split())
    for name, code in law_adjectives().items():
        if adjective.lower() == name.lower():
            return NamedPlace(name, code, None)
    return None


def _within(outer: NamedPlace, outer_text: str, inner_text: str) -> NamedPlace | None:
    """What 'INNER, OUTER' denotes: a known place inside OUTER, a subdivision of OUTER's country,
    or OUTER itself with INNER as its place ('Tel Aviv, Israel', 'London, Ontario')."""
    inner = _simple(inner_text)
    if inner is not None and contains(outer.code, inner.code):
        return inner           # "Wilmington, Delaware", "Victoria, Australia"
    if inner is not None and inner.code in _SHARED_NAMES.get(_key(_PREFIX.sub("", outer_text)), ()):
        return inner           # "Tbilisi, Georgia": the country Georgia
    if inner is not None and inner.place:
        return NamedPlace(inner_text, outer.code, inner.place)
    if inner is not None and "-" not in inner.code:
        return inner           # "Hong Kong, China": a country of its own
    country = outer.code.split("-")[0]
    cleaned = " ".join(_PREFIX.sub("", inner_text.strip()).split())
    code = _subdivision_names().get((country, _key(cleaned)))
    if code and contains(outer.code, code):
        return NamedPlace(inner_text, code, None)
    if inner is None and _CITY_WORDS.match(cleaned):
        return NamedPlace(inner_text, outer.code, outer.place or cleaned)
    return None


def _zh_prefix_names(places: dict) -> tuple[str, ...]:
    """Chinese country names, as written before a state or city: 美国加利福尼亚州, 中国上海
    (the countries with a state, province or city in the names)."""
    inner = {code.split("-")[0] for _, code, place in places["zh"] if "-" in code or place}
    names = {name for name, code, place in places["zh"] if "-" not in code and place is None and code in inner}
    return tuple(sorted(names, key=len, reverse=True))





@lru_cache(maxsize=1)
def _zh_prefixes() -> tuple[str, ...]:
    return _zh_prefix_names(_derived()["places"])


def lookup_name(text: str) -> NamedPlace | None:
    """The jurisdiction a name denotes ('the State of New York' -> US-NY, '武汉' -> CN, Wuhan,
    'Tel Aviv, Israel' -> IL, Tel Aviv, '美国加利福尼亚州' -> US-CA)."""
    text = text.strip()
    found = _simple(text)
    if found:
        return found
    federal = _FEDERAL.match(text) or _FEDERAL_FIRST.match(text)
    if federal:
        state = lookup_name(federal.group("state"))
        if state is not None and contains("US", state.code):
            return state
    pair = _PAIR.match(text)
    if pair:
        outer = _simple(pair.group("outer"))
        if outer is not None:
            return _within(outer, pair.group("outer"), pair.group("inner"))
        return _simple(pair.group("inner"))     # "Delaware, Without Regard To": the name alone
    found = _with_kind_word(text)
    if found:
        return found
    for prefix in _zh_prefixes():
        if text.startswith(prefix) and len(text) > len(prefix):
            # 美国加利福尼亚州, 美国的加利福尼亚州: the country before its state, 的 or not.
            rest = text[len(prefix):]
            rest = (rest[1:] if rest.startswith("的") and len(rest) > 1 else rest).strip()
            found = _simple(rest) or _with_kind_word(rest)
            if found:
                return found
    return None


_ZH_KIND = "[州省]"
_LATIN_WITH_KIND = re.compile(rf"(?P<name>[A-Za-z][A-Za-z .'’-]*?)\s*{_ZH_KIND}")


def _with_kind_word(text: str) -> NamedPlace | None:
    """A state's or province's English name with the Chinese word of its kind after it
    (Delaware州, Ontario省): the state or province; a country is never written so."""
    written = _LATIN_WITH_KIND.fullmatch(text)
    if written is None:
        return None
    found = _simple(written.group("name"))
    return found if found is not None and "-" in found.code else None


# --- the regex of names ------------------------------------------------------------------------

def _tokens(name: str) -> list[str]:
    out = []
    for ch in name:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(ch))
    return out


def trie_pattern(names) -> str:
    """One regex alternation of ``names`` as a trie: a shared start is tried once, and at each
    branch a longer name is tried before a shorter one."""
    root: dict = {}
    for name in names:
        node = root
        for token in _tokens(name):
            node = node.setdefault(token, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [token + emit(child) for token, child in sorted(node.items()) if token]
        ends = "" in node
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        body = "|".join(branches)
        return f"(?:{body})?" if ends else f"(?:{body})"

    return emit(root)


# Scanned text may lose the space before the name: "the State ofTexas", "STATE OFTEXAS".
_SUBDIVISION_PREFIX = r"(?:the\s+)?(?:(?:State|Commonwealth|Province|Territory|Canton|Emirate)\s+of(?:\s+|(?-i:(?=[A-Z])))(?:the\s+)?)?"
_LAW_WORDS = r"(?=\s+(?:laws?|legislation|courts?|jurisdiction|tribunals?|legal)(?![A-Za-z]))"
# What follows a name after a comma or in brackets, "Nevada (USA)", "Victoria, Australia",
# "Graz, Austria": capitalised words or short acronyms (their case is kept even in a pattern
# that ignores case); the reader keeps the pair only when they are a known name.
_NAME_WORD = r"(?-i:[A-Z][a-z][A-Za-z'’-]*)"
_WORD = rf"(?:{_NAME_WORD}|(?-i:[A-Z][A-Z.]{{0,5}}(?![A-Za-z])))"   # Israel, USA, U.S.A., not WITHOUT
# Several words only when the first is written as a name ("New South Wales", "Hong Kong SAR"):
# in upper-case text a run of short words after a comma is the sentence going on ("LYON,
# WHICH DECIDE THEM IN ACCORDANCE WITH ..."), not a country.
_CAPITALISED = rf"(?:{_NAME_WORD}(?:\s+(?:(?:of|and|the)\s+){{0,2}}{_WORD}){{0,4}}|{_WORD})"
# An unknown city before a known name, "Tel Aviv, Israel": one to three words.
# Capitalised words even where case is ignored; in upper-case text no word tells a city from
# the words before it, so only a known name is read there.
_CITY = r"(?-i:[A-Z][a-z][A-Za-z'’.]*(?:[ -][A-Z][a-z][A-Za-z'’.]*){0,2})"


@lru_cache(maxsize=1)
def _derived() -> dict:
    """The names and their regex, built from the data files once per machine (datastore)."""
    here = Path(__file__)
    sources = tuple(path.read_bytes() for path in (here, here.with_name("iso3166.json"),
                                                    here.with_name("jurisdiction_names.yaml")))

    def build() -> dict:
        places = _build_named_places()
        return {"places": places, "pattern": _build_name_pattern(places),
                "codes": _iso_codes()}

    return derived("jurisdiction-names", sources, build)


@lru_cache(maxsize=1)
def named_places() -> dict[str, tuple[NamedPlace, ...]]:
    """Per language, the names contracts use, longest first; one reading per name."""
    return {language: tuple(map(NamedPlace._make, entries)) for language, entries in _derived()["places"].items()}


def name_pattern() -> str:
    """A regex fragment matching any known jurisdiction name, English or Chinese."""
    return _derived()["pattern"]


def _build_name_pattern(places: dict) -> str:
    english = [entry[0] for entry in places["en"]]
    chinese = [entry[0] for entry in places["zh"]]
    en_names = trie_pattern(english)
    zh_names = trie_pattern(chinese)
    adjectives = trie_pattern(law_adjectives())
    zh_prefix = trie_pattern(_zh_prefix_names(places))
    # "Victoria, Australia", "Nevada (USA)", "Tel Aviv, Israel": a name, or an unknown city,
    # then a known name; the reader decides what the pair denotes (lookup_name).
    # An adjective before a law word is never an unknown city: "the Italian Law, (ii) ..." reads
    # as Italy's law, not as a city "Italian Law" waiting for its country after the comma.
    tail = rf"(?:(?:,\s*(?:the\s+)?|\s*\(\s*){_CAPITALISED}\)?)"
    # A state's law and the federal law in one phrase: "the laws of the State of California and
    # the United States", "the laws of the United States of America and of the State of Texas".
    federal, joined = _FEDERAL_NAME, _JOINED
    us_states = trie_pattern([name for name, code, _ in places["en"] if code.startswith("US-")])
    english_part = (rf"(?<![A-Za-z]){_SUBDIVISION_PREFIX}(?:{federal}{joined}{_SUBDIVISION_PREFIX}{us_states}"
                    rf"|(?:{en_names}|(?!{adjectives}{_LAW_WORDS}){_CITY}(?=\s*[,(])){tail}?(?:{joined}{federal})?"
                    rf"|{adjectives}{_LAW_WORDS})(?![A-Za-z]|-[A-Za-z])")
    # A Chinese sentence may write a state's English name, after its country and before its
    # kind word as a Chinese name has them: 美国Delaware州, 美国的 New York 州.
    english_part = rf"(?:(?:{zh_prefix})的?\s*)?{english_part}(?:\s*{_ZH_KIND})?"
    chinese_part = rf"(?:{zh_prefix}的?)?{zh_names}(?:省)?"     # 台湾省: the province word after a name
    # Whole names only: "Indiana" is not "India", "Georgian" is not "Georgia".
    return rf"(?:{english_part}|{chinese_part})"

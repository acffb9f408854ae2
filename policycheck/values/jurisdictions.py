"""Jurisdiction codes, containment, and the names contracts use for them.

Codes follow ISO 3166-1 alpha-2 and ISO 3166-2 (``US-NY``, ``GB-EAW``); named groups (``EU``,
``EEA``) stand for their members. HK, MO and TW are their own codes and not inside CN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policycheck.yamlload import load_data


@dataclass(frozen=True)
class JurisdictionTable:
    """Known jurisdiction codes, named groups (EU, EEA) and which contains which."""

    countries: frozenset[str]
    subdivisions: frozenset[str]
    groups: dict[str, frozenset[str]]
    contains: dict[str, frozenset[str]]

    def is_known(self, code: str) -> bool:
        return code in self.countries or code in self.subdivisions or code in self.groups

    def all_codes(self) -> list[str]:
        return sorted(self.countries | self.subdivisions | set(self.groups))


@dataclass(frozen=True)
class NamedPlace:
    """A place name a contract may use, with its jurisdiction code."""

    name: str
    code: str
    place: str | None


def _load_yaml(name: str) -> dict:
    return load_data(Path(__file__).with_name(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def table() -> JurisdictionTable:
    data = _load_yaml("jurisdictions.yaml")
    countries = frozenset(data["countries"].split())
    subdivisions = frozenset(
        f"{country}-{sub}" for country, subs in data["subdivisions"].items() for sub in subs
    )
    groups = {name: frozenset(members) for name, members in data["groups"].items()}
    contains = {outer: frozenset(inner) for outer, inner in data["contains"].items()}
    return JurisdictionTable(countries, subdivisions, groups, contains)


def is_known_code(code: str) -> bool:
    return table().is_known(code)


def contains(outer: str, inner: str) -> bool:
    """True when jurisdiction ``inner`` lies within ``outer`` (US-NY in US, DE in EU, CN in CN)."""
    if outer == inner:
        return True
    data = table()
    if inner in data.contains.get(outer, ()):
        return True
    if inner.startswith(outer + "-"):
        return True
    country = inner.split("-", 1)[0]
    if outer in data.groups:
        return country in data.groups[outer] or (inner in data.groups and data.groups[inner] <= data.groups[outer])
    return False


@lru_cache(maxsize=1)
def named_places() -> dict[str, tuple[NamedPlace, ...]]:
    """Per language, the names contracts use, longest first."""
    data = _load_yaml("jurisdiction_names.yaml")
    result: dict[str, tuple[NamedPlace, ...]] = {}
    for language, entries in data.items():
        places = []
        for name, target in entries.items():
            if isinstance(target, list):
                places.append(NamedPlace(name, str(target[0]), str(target[1])))
            else:
                places.append(NamedPlace(name, str(target), None))
        places.sort(key=lambda p: (-len(p.name), p.name))
        result[language] = tuple(places)
    return result


@lru_cache(maxsize=1)
def _lookup() -> dict[str, NamedPlace]:
    index: dict[str, NamedPlace] = {}
    for places in named_places().values():
        for place in places:
            index.setdefault(_key(place.name), place)
    return index


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:state|commonwealth|province|republic|kingdom|country)\s+of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)


def lookup_name(text: str) -> NamedPlace | None:
    """The jurisdiction a name denotes ('the State of New York' -> US-NY, '武汉' -> CN, Wuhan)."""
    key = _key(text)
    found = _lookup().get(key) or _lookup().get(re.sub(r"^the ", "", key))
    if found:
        return found
    stripped = _key(_PREFIX.sub("", text.strip()))
    return _lookup().get(stripped)


@lru_cache(maxsize=1)
def name_pattern() -> str:
    """A regex fragment matching any known jurisdiction name, English or Chinese."""
    names: list[str] = []
    for places in named_places().values():
        names.extend(p.name for p in places)
    names.sort(key=lambda n: (-len(n), n))
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in names)
    prefix = r"(?:the\s+)?(?:(?:State|Commonwealth|Province)\s+of\s+)?"
    # Whole names only: "Indiana" is not "India", "Georgian" is not "Georgia".
    return rf"(?:(?<![A-Za-z]){prefix}(?:{alternatives})(?![A-Za-z]|-[A-Za-z]))"

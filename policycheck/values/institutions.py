"""Arbitration institutions as contracts name them (data in institutions.yaml), with their seat."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policycheck.lazyregex import LazyRegex
from policycheck.values.alternation import alternation
from policycheck.values.jurisdictions import named_places
from policycheck.yamlload import load_data

@dataclass(frozen=True)
class Institution:
    """An arbitration institution as named in a contract: its body, and where it sits."""

    body: str
    code: str | None
    place: str | None


@lru_cache(maxsize=1)
def _institution_data() -> dict:
    return load_data(Path(__file__).with_name("institutions.yaml").read_text(encoding="utf-8"))


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
            name_alt = alternation(names)
            branch = (entry.get("branches") or {}).get(language)
            if branch:
                city_alt = alternation(list(_cities()[language]) + list(_branch_places().get(language, {})))
                regex = branch.replace("{name}", f"(?:{name_alt})")
                for index in range(regex.count("{city}")):
                    regex = regex.replace("{city}", f"(?P<city{index}>{city_alt})", 1)
                forms.append((LazyRegex(regex, re.IGNORECASE), Institution(entry["body"], entry.get("code"), None), language))
            short = [n for n in names if n.isascii() and n.isupper() and len(n) <= 6]
            long = [n for n in names if n not in short]
            if long:
                forms.append((LazyRegex(f"(?:{alternation(long)})", re.IGNORECASE),
                              Institution(entry["body"], entry.get("code"), entry.get("place")), language))
            if short:
                forms.append((LazyRegex(rf"\b(?:{alternation(short)})\b"),
                              Institution(entry["body"], entry.get("code"), entry.get("place")), language))
    for language, template in data["local_commission"].items():
        city_alt = alternation(_cities()[language])
        forms.append((LazyRegex(template.replace("{city}", f"(?P<city0>{city_alt})"), re.IGNORECASE), None, language))
    return forms


@lru_cache(maxsize=1)
def institution_pattern() -> str:
    return "(?:" + "|".join(re.sub(r"\(\?P<city\d>", "(?:", regex.pattern) for regex, _, _ in _institution_forms()) + ")"


def parse_institution(text: str) -> Institution | None:
    """The arbitration institution a name denotes, with the city of a branch or local commission."""
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
        return found
    return None

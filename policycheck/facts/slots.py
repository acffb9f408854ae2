"""Typed slots of extraction patterns: ``{duration}``, ``{percent}``, ``{money}``,
``{jurisdiction}``, ``{institution}``, ``{number}``, and the party slots ``{party}``,
``{customer}``, ``{provider}`` (see parties.py).

A slot is the regex of its values and a reader that turns a value's words into a typed value
plus qualifiers. The regexes and the readers live with the values they read, in
``policycheck/values``; a clause's values are found with them once (clause.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, ROLE_SLOTS
from policycheck.values.durations import DURATION_PATTERN, parse_duration
from policycheck.values.institutions import Institution, institution_pattern, parse_institution
from policycheck.values.jurisdictions import lookup_name, name_pattern
from policycheck.values.money import MONEY_PATTERN, parse_money
from policycheck.values.numbers import NUMBER_PATTERN, parse_count
from policycheck.values.percent import PERCENT_PATTERN, parse_percent
from policycheck.values.types import Jurisdiction

__all__ = ["Institution", "Slot", "SlotValue", "slots"]

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


# --- jurisdiction ---------------------------------------------------------------------------

def _read_jurisdiction(text: str) -> SlotValue | None:
    found = lookup_name(text)
    if found is None:
        return None
    qualifiers = {"place": found.place} if found.place else {}
    return SlotValue(Jurisdiction(found.code), qualifiers)


def _read_percent(text: str) -> SlotValue | None:
    value = parse_percent(text)
    return SlotValue(value) if value is not None else None


def _read_money(text: str) -> SlotValue | None:
    value = parse_money(text)
    return SlotValue(value) if value is not None else None


def _read_institution(text: str) -> SlotValue | None:
    found = parse_institution(text)
    if found is None:
        return None
    return SlotValue(found, {"place": found.place} if found.place else {})


def _read_number(text: str) -> SlotValue | None:
    value = parse_count(text)
    return SlotValue(value) if value is not None else None


def _read_party_name(text: str) -> SlotValue | None:
    # The role a party name stands for depends on the document: the engine resolves it
    # (policycheck/facts/parties.py); the slot only isolates the name.
    return SlotValue(text)


@lru_cache(maxsize=1)
def slots() -> dict[str, Slot]:
    return {
        "duration": Slot("duration", "duration", DURATION_PATTERN, _read_duration),
        "percent": Slot("percent", "percent", PERCENT_PATTERN, _read_percent),
        "money": Slot("money", "money", MONEY_PATTERN, _read_money),
        "jurisdiction": Slot("jurisdiction", "jurisdiction", name_pattern(), _read_jurisdiction),
        "institution": Slot("institution", "enum", institution_pattern(), _read_institution),
        "number": Slot("number", "number", NUMBER_PATTERN, _read_number),
        **{role: Slot(role, "enum", PARTY_NAME_PATTERN, _read_party_name) for role in ROLE_SLOTS},
    }

"""The fact catalogue: one source for fact names, types, enum values and documentation.

Read by the extractors, the policy checker, ``policycheck facts --list`` and ``explain``.
Users extend it with their own facts (config ``extractors:``); ``Catalogue.extended`` returns a
new catalogue and never mutates the shipped one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from policycheck.values.literals import literal_text, parse_literal
from policycheck.values.types import Value
from policycheck.yamlload import load_data

FACT_TYPES = ("duration", "percent", "money", "jurisdiction", "number", "boolean", "enum", "string")


@dataclass(frozen=True)
class FactSpec:
    """One fact of the catalogue: its name, type, meaning, allowed values and qualifiers."""

    name: str
    type: str
    description: str
    values: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    origin: str = "catalogue"
    multi_valued: bool = False      # a contract may state several values (support tiers, data kinds)
    # Facts this one states too, with their values: a fixed cap is a cap, and a cap limits
    # liability. Read once from the catalogue, as (fact, value) pairs.
    implies: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """The facts policies may name, by name (the shipped catalogue plus users' own facts)."""

    facts: dict[str, FactSpec] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.facts

    def get(self, name: str) -> FactSpec | None:
        return self.facts.get(name)

    def names(self) -> list[str]:
        return sorted(self.facts)

    def suggest(self, name: str) -> str | None:
        """The closest known fact name, for 'did you mean ...?'."""
        matches = difflib.get_close_matches(name, self.names(), n=1, cutoff=0.6)
        return matches[0] if matches else None

    def extended(self, specs: list[FactSpec]) -> "Catalogue":
        merged = dict(self.facts)
        for spec in specs:
            merged[spec.name] = spec
        return Catalogue(merged)


def spec_from_mapping(name: str, entry: dict, origin: str = "catalogue") -> FactSpec:
    return FactSpec(
        name=name,
        type=entry["type"],
        description=entry.get("description", ""),
        values=tuple(str(v) for v in entry.get("values", ())),
        examples=tuple(str(v) for v in entry.get("examples", ())),
        qualifiers=tuple(entry.get("qualifiers", ())),
        origin=origin,
        multi_valued=bool(entry.get("multi_valued", False)),
    )


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    data = load_data(Path(__file__).with_name("facts.yaml").read_text(encoding="utf-8"))
    entries = data["facts"]
    specs = {name: spec_from_mapping(name, entry) for name, entry in entries.items()}
    for name, entry in entries.items():
        implied = tuple((other, parse_literal(specs[other].type, literal_text(value), specs[other].values))
                        for other, value in (entry.get("implies") or {}).items())
        if implied:
            specs[name] = replace(specs[name], implies=implied)
    return Catalogue(specs)

"""Expected-facts files: what a careful reader finds in a contract, and how extraction compares.

An expected-facts file sits next to its contract (``terms.txt`` -> ``terms.expected.yaml``)::

    facts:
      - {name: governing_law, value: US-NY, line: 14}
      - {name: data_recovery_time, value: 48h, line: 30, range: [4h, 48h]}
      - {name: arbitration_venue, value: SG, line: 22, place: Singapore}
      - {name: minimum_age, value: 16, line: 5, pending: "age in a table cell is not read yet"}

A fact matches when name, value (written as the policy literal) and evidence line agree; any
qualifier given (``range``, ``place``, ``anchor``, ``party``, ``comparator``, ``body``) must
agree too. ``pending: REASON`` marks a fact the reader finds but extraction does not yet: it
counts as a miss in recall, and the acceptance test insists it stays unfound (so a fixed gap
must be promoted to a plain entry).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from policycheck.facts.model import Fact
from policycheck.values.types import literal_of

QUALIFIER_KEYS = ("range", "place", "anchor", "party", "comparator", "body")
_ENTRY_KEYS = {"name", "value", "line", "pending", "note", *QUALIFIER_KEYS}


class ExpectationError(ValueError):
    """An expected-facts file that does not have the documented shape."""


@dataclass(frozen=True)
class ExpectedFact:
    name: str
    value: str
    line: int
    qualifiers: tuple[tuple[str, object], ...] = ()
    pending: str | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.name, self.value, self.line)


@dataclass(frozen=True)
class Comparison:
    """One document: what matched, what was extracted wrongly, what was missed."""

    matched: list[tuple[str, str, int]] = field(default_factory=list)
    unexpected: list[tuple[str, str, int]] = field(default_factory=list)     # false positives
    missing: list[tuple[str, str, int]] = field(default_factory=list)        # false negatives
    pending_found: list[tuple[str, str, int]] = field(default_factory=list)
    pending_missing: list[tuple[str, str, int]] = field(default_factory=list)
    qualifier_mismatches: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """What makes this comparison fail, one line each (empty when it passes)."""
        problems = []
        if self.unexpected:
            problems.append("extracted but not expected: " + ", ".join(map(str, self.unexpected)))
        if self.missing:
            problems.append("expected but not extracted: " + ", ".join(map(str, self.missing)))
        if self.pending_found:
            problems.append("now found, drop 'pending' from: " + ", ".join(map(str, self.pending_found)))
        return problems + list(self.qualifier_mismatches)


def value_text(value: object) -> str:
    """A value as written in an expected file or a facts/v1 document, as comparable text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def fact_key(fact: Fact) -> tuple[str, str, int]:
    return (fact.name, value_text(literal_of(fact.value)), fact.evidence.line)


def expected_path(contract: Path) -> Path:
    return contract.with_name(contract.stem + ".expected.yaml")


def load_expected(path: Path) -> list[ExpectedFact]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("facts", []), list):
        raise ExpectationError(f"{path}: expected a mapping with a 'facts' list")
    found = []
    for index, entry in enumerate(data.get("facts") or [], 1):
        if not isinstance(entry, dict) or not {"name", "value", "line"} <= set(entry):
            raise ExpectationError(f"{path}: entry {index} needs name, value and line")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise ExpectationError(f"{path}: entry {index}: unknown key {sorted(unknown)[0]!r}")
        qualifiers = tuple((key, _qualifier_text(key, entry[key])) for key in QUALIFIER_KEYS if key in entry)
        found.append(ExpectedFact(str(entry["name"]), value_text(entry["value"]), int(entry["line"]),
                                  qualifiers, entry.get("pending")))
    return found


def _qualifier_text(key: str, value: object) -> object:
    if key == "range":
        if not isinstance(value, list) or len(value) != 2:
            raise ExpectationError("range must be [low, high]")
        return (value_text(value[0]), value_text(value[1]))
    return value_text(value)


def _fact_qualifier(fact: Fact, key: str) -> object:
    value = fact.qualifiers.get(key)
    if value is None:
        return None
    if key == "range":
        return (value_text(literal_of(value["low"])), value_text(literal_of(value["high"])))
    return value_text(value)


def compare(expected: list[ExpectedFact], facts: list[Fact]) -> Comparison:
    """Match extracted facts against expected ones, as multisets of (name, value, line)."""
    result = Comparison()
    extracted = Counter(fact_key(f) for f in facts)
    wanted = Counter(e.key for e in expected if not e.pending)
    pending = Counter(e.key for e in expected if e.pending)
    for key, count in (extracted & wanted).items():
        result.matched.extend([key] * count)
    leftover = extracted - wanted
    for key, count in (leftover & pending).items():
        result.pending_found.extend([key] * count)
    result.unexpected.extend(sorted((leftover - pending).elements()))
    result.missing.extend(sorted((wanted - extracted).elements()))
    result.pending_missing.extend(sorted((pending - leftover).elements()))
    by_key: dict[tuple, list[Fact]] = {}
    for fact in facts:
        by_key.setdefault(fact_key(fact), []).append(fact)
    for entry in expected:
        if entry.pending or not entry.qualifiers or entry.key not in by_key:
            continue
        for key, want in entry.qualifiers:
            got = [_fact_qualifier(f, key) for f in by_key[entry.key]]
            if want not in got:
                result.qualifier_mismatches.append(f"{entry.name} line {entry.line}: {key} {got} != {want!r}")
    return result


def example_contracts(root: Path) -> list[Path]:
    """Every contract under ``root/<language>/`` that has an expected-facts file."""
    return sorted(p for p in root.glob("*/*.txt") if expected_path(p).is_file())

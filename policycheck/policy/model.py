"""Loaded policies: rules with their ids, severities and places, and the named sets."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from policycheck.policy import ast
from policycheck.policy.format import statement_core

DEFAULT_SEVERITY = {"require": "error", "forbid": "error", "flag": "warning"}


@dataclass(frozen=True)
class Rule:
    """A statement ready to evaluate: its id, where it is written, and its title."""

    id: str
    statement: ast.Statement
    path: str                    # policy file, as the user named it
    line: int
    title: str | None = None
    explicit_id: bool = False

    @property
    def verb(self) -> str:
        return self.statement.verb

    @property
    def severity(self) -> str:
        return self.statement.meta("severity") or DEFAULT_SEVERITY[self.verb]

    @property
    def message(self) -> str | None:
        return self.statement.meta("message")

    @property
    def tags(self) -> tuple[str, ...]:
        return self.statement.meta("tags") or ()

    @property
    def see(self) -> str | None:
        return self.statement.meta("see")

    @property
    def text(self) -> str:
        return statement_core(self.statement)

    @property
    def description(self) -> str:
        return self.title or self.text


@dataclass
class PolicySet:
    """The rules and named sets of every policy file loaded for a run."""

    rules: list[Rule] = field(default_factory=list)
    sets: dict[str, tuple[ast.LetSet, str]] = field(default_factory=dict)
    files: list[ast.PolicyFile] = field(default_factory=list)

    def rule(self, rule_id: str) -> Rule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


_SLUG = re.compile(r"[^A-Za-z0-9_]+")


DERIVED_ID_DIGITS = 6


def derived_rule_id(file_stem: str, statement: ast.Statement, digits: int = DERIVED_ID_DIGITS) -> str:
    """``<stem>.<verb>-<first fact>-<hash>``: stable while the statement's text is unchanged.

    Six hex digits keep ids short to read and write in waivers; two different statements whose
    six digits agree (one pair in sixteen million) both get as many more as tell them apart
    (see ``distinct_derived_ids``)."""
    canonical = statement_core(statement)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:digits]
    facts = ast.fact_names(statement.condition)
    subject = facts[0] if facts else "rule"
    stem = _SLUG.sub("-", file_stem).strip("-") or "policy"
    return f"{stem}.{statement.verb}-{subject}-{digest}"


def distinct_derived_ids(file_stem: str, first: ast.Statement, second: ast.Statement) -> tuple[str, str] | None:
    """The ids of two different statements of one file whose derived ids collide, lengthened
    until they differ (the same for either order of the two), or None for one statement twice."""
    if statement_core(first) == statement_core(second):
        return None
    for digits in range(DERIVED_ID_DIGITS + 1, 65):
        ids = derived_rule_id(file_stem, first, digits), derived_rule_id(file_stem, second, digits)
        if ids[0] != ids[1]:
            return ids
    return None

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


def derived_rule_id(file_stem: str, statement: ast.Statement) -> str:
    """``<stem>.<verb>-<first fact>-<hash>``: stable while the statement's text is unchanged."""
    canonical = statement_core(statement)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:6]
    facts = ast.fact_names(statement.condition)
    subject = facts[0] if facts else "rule"
    stem = _SLUG.sub("-", file_stem).strip("-") or "policy"
    return f"{stem}.{statement.verb}-{subject}-{digest}"

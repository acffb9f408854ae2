"""Rules that could not be checked because a clause on their fact could not be read.

Extraction may find a clause about a fact and yet read no value from it (facts/topics.py keeps
such *unread clauses*). Silence would then be a lie, so:

- a ``require`` whose condition is unknown because such a fact has no value ends with status
  ``unread`` instead of ``missing``: its finding quotes the unread clause ("a data_deletion_after
  clause was found at line 57 but its value could not be read; review it");
- a ``forbid`` or ``flag`` whose condition is unknown for that reason cannot fire; it ends with
  status ``unread`` and the document gets one built-in ``unread-clause`` finding per such fact
  (severity ``info`` by default, ``unread:`` in the config or ``--unread``; ``off`` drops it).

A rule whose condition is decided by the facts that were read (``forbid A and B`` with A read
false) is not affected: an unread clause changes only what was unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policycheck.facts.model import DocumentFacts, Fact, UnreadClause
from policycheck.findings.evaluate import ANY, Evaluator
from policycheck.findings.model import Finding, Outcome
from policycheck.policy import ast
from policycheck.policy.model import PolicySet, Rule

UNREAD_CLAUSE = "unread-clause"
UNREAD_LEVELS = ("error", "warning", "info", "off")
DEFAULT_UNREAD = "info"
# A finding quotes at most this many of a fact's unread clauses; its message counts the rest.
QUOTED_CLAUSES = 3


@dataclass(frozen=True)
class _Reads:
    rule: Rule
    names: tuple[str, ...]          # the facts of the rule's condition


class UnreadCheck:
    """Turns the outcomes of rules over unread facts into ``unread`` outcomes and findings."""

    def __init__(self, policy_set: PolicySet, evaluator: Evaluator, severity: str = DEFAULT_UNREAD) -> None:
        if severity not in UNREAD_LEVELS:
            raise ValueError(f"unread severity must be one of {', '.join(UNREAD_LEVELS)}")
        self.severity = severity
        self._evaluator = evaluator
        self._rules = {rule.id: _Reads(rule, tuple(ast.fact_names(rule.statement.condition)))
                       for rule in policy_set.rules}

    def apply(self, outcomes: list[Outcome], document: DocumentFacts) -> tuple[list[Outcome], list[Finding]]:
        """The outcomes with ``unread`` where an unread clause left a rule undecided, and the
        ``unread-clause`` findings of the document."""
        if not document.unread:
            return outcomes, []
        unread = document.unread_by_name()
        index: dict[str, list[Fact]] = {}
        for fact in document.facts:
            index.setdefault(fact.name, []).append(fact)
        changed = []
        unchecked: dict[str, list[str]] = {}     # fact -> forbid/flag rules it left undecided
        for outcome in outcomes:
            reads = self._rules.get(outcome.rule)
            blind = [name for name in reads.names if name in unread and name not in index] if reads else []
            if not blind or not self._undecided(reads.rule, outcome, index):
                changed.append(outcome)
                continue
            if reads.rule.verb == "require":
                changed.append(Outcome(outcome.rule, "unread", _require_finding(outcome.finding, blind, unread)))
            else:
                changed.append(Outcome(outcome.rule, "unread"))
                for name in blind:
                    unchecked.setdefault(name, []).append(outcome.rule)
        findings = []
        if self.severity != "off":
            findings = [unread_clause_finding(name, unread[name], rules, self.severity)
                        for name, rules in sorted(unchecked.items())]
        return changed, findings

    def _undecided(self, rule: Rule, outcome: Outcome, index: dict[str, list[Fact]]) -> bool:
        if rule.verb == "require":
            return outcome.status == "missing"
        if outcome.status != "passed":
            return False
        # forbid/flag fire when their condition holds for any value: only "unknown" was undecided.
        return self._evaluator.condition(rule.statement.condition, index, ANY) is None


def _where(clauses: list[UnreadClause]) -> str:
    lines = sorted({clause.evidence.line for clause in clauses})
    shown = ", ".join(str(line) for line in lines[:QUOTED_CLAUSES])
    more = len(lines) - QUOTED_CLAUSES
    return f"line{'s' if len(lines) > 1 else ''} {shown}" + (f" and {more} more" if more > 0 else "")


def _evidence(clauses: list[UnreadClause]) -> tuple:
    spans = sorted({clause.evidence for clause in clauses}, key=lambda s: (s.line, s.column, s.text))
    return tuple(spans[:QUOTED_CLAUSES])


def unread_sentence(name: str, clauses: list[UnreadClause]) -> str:
    """"a data_deletion_after clause was found at line 57 but its value could not be read"."""
    return f"a {name} clause was found at {_where(clauses)} but its value could not be read"


def _require_finding(finding: Finding | None, blind: list[str], unread: dict[str, list[UnreadClause]]
                     ) -> Finding | None:
    if finding is None:
        return None
    clauses = [clause for name in blind for clause in unread[name]]
    sentences = "; ".join(unread_sentence(name, unread[name]) for name in blind)
    condition = finding.message.rsplit("(required: ", 1)
    required = f" (required: {condition[1]}" if len(condition) == 2 else ""
    return replace(finding, status="unread", message=f"{sentences}; review it{required}",
                   evidence=tuple(sorted({*finding.evidence, *_evidence(clauses)},
                                         key=lambda s: (s.line, s.column, s.text))))


def unread_clause_finding(name: str, clauses: list[UnreadClause], rules: list[str], severity: str) -> Finding:
    """The built-in finding for a fact that forbid/flag rules could not check."""
    listed = ", ".join(sorted(set(rules)))
    message = f"{unread_sentence(name, clauses)}; review it (not checked: {listed})"
    return Finding(UNREAD_CLAUSE, "check", severity, "unread", message, {name: []}, _evidence(clauses),
                   title="A clause could not be read")



"""Rules that could not be checked because a clause on their fact could not be read.

Extraction may find a clause about a fact and yet read no value from it (facts/topics.py keeps
such *unread clauses*). Silence would then be a lie, so:

- a ``require`` whose condition is unknown because such a fact has no value ends with status
  ``unread`` instead of ``missing``: its finding quotes the unread clause ("a data_deletion_after
  clause was found at line 57 but its value could not be read; review it");
- a ``forbid`` or ``flag`` whose condition is unknown for that reason cannot fire; it ends with
  status ``unread`` and the document gets one built-in ``unread-clause`` finding per such fact
  (severity ``info`` by default, ``unread:`` in the config or ``--unread``; ``off`` drops it).

Text in a language policycheck does not read (document/unread_language.py) may state any fact:
every fact of no value is then as undecided as one with an unread clause, and the findings say
so ("text at line 12 is in a language policycheck does not read").

A rule whose condition is decided by the facts that were read (``forbid A and B`` with A read
false) is not affected: an unread clause changes only what was unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policycheck.document.unread_language import UnreadText
from policycheck.facts.model import DocumentFacts, Fact, UnreadClause
from policycheck.findings.evaluate import ALL, ANY, Evaluator
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
        if not document.unread and not document.unread_text:
            return outcomes, []
        unread = document.unread_by_name()
        texts = document.unread_text
        index: dict[str, list[Fact]] = {}
        for fact in document.facts:
            index.setdefault(fact.name, []).append(fact)
        changed = []
        unchecked: dict[str, list[str]] = {}     # fact -> forbid/flag rules it left undecided
        for outcome in outcomes:
            reads = self._rules.get(outcome.rule)
            blind = [name for name in reads.names if (name in unread or texts) and name not in index] \
                if reads else []
            if not blind or not self._undecided(reads.rule, outcome, index, frozenset(blind)):
                changed.append(outcome)
                continue
            if reads.rule.verb == "require":
                changed.append(Outcome(outcome.rule, "unread",
                                       _require_finding(outcome.finding, blind, unread, texts)))
            else:
                changed.append(Outcome(outcome.rule, "unread"))
                for name in blind:
                    unchecked.setdefault(name, []).append(outcome.rule)
        findings = []
        if self.severity != "off":
            findings = [unread_clause_finding(name, unread[name], rules, self.severity)
                        for name, rules in sorted(unchecked.items()) if name in unread]
            in_unread_text = {name: rules for name, rules in unchecked.items() if name not in unread}
            if in_unread_text:
                findings.append(unread_text_finding(in_unread_text, texts, self.severity))
        return changed, findings

    def _undecided(self, rule: Rule, outcome: Outcome, index: dict[str, list[Fact]], blind: frozenset[str]) -> bool:
        """Whether the rule's outcome rests on not knowing the ``blind`` facts: their value, or
        whether the contract states one at all ("require X is present" cannot fail on a clause
        about X that was found but not read)."""
        condition = rule.statement.condition
        if rule.verb == "require":
            return outcome.status == "missing" or (
                outcome.status == "failed" and self._evaluator.condition(condition, index, ALL, blind) is None)
        if outcome.status not in ("passed", "failed"):
            return False
        # forbid/flag fire when their condition holds for any value: only "unknown" was undecided
        # (and "X is missing" fired on not knowing X).
        return self._evaluator.condition(condition, index, ANY, blind) is None


def _where(clauses: list[UnreadClause] | list[UnreadText]) -> str:
    lines = sorted({clause.evidence.line for clause in clauses})
    shown = ", ".join(str(line) for line in lines[:QUOTED_CLAUSES])
    more = len(lines) - QUOTED_CLAUSES
    return f"line{'s' if len(lines) > 1 else ''} {shown}" + (f" and {more} more" if more > 0 else "")


def _evidence(clauses: list[UnreadClause] | list[UnreadText]) -> tuple:
    spans = sorted({clause.evidence for clause in clauses}, key=lambda s: (s.line, s.column, s.text))
    return tuple(spans[:QUOTED_CLAUSES])


def unread_sentence(name: str, clauses: list[UnreadClause]) -> str:
    """"a data_deletion_after clause was found at line 57 but its value could not be read"."""
    return f"a {name} clause was found at {_where(clauses)} but its value could not be read"


def unread_text_sentence(texts: list[UnreadText]) -> str:
    """"text at line 12 is in a language policycheck does not read"."""
    return f"text at {_where(texts)} is in a language policycheck does not read"


def _require_finding(finding: Finding | None, blind: list[str], unread: dict[str, list[UnreadClause]],
                     texts: list[UnreadText]) -> Finding | None:
    if finding is None:
        return None
    clauses = [clause for name in blind for clause in unread.get(name, ())]
    said = [unread_sentence(name, unread[name]) for name in blind if name in unread]
    if any(name not in unread for name in blind):
        said.append(unread_text_sentence(texts))
        clauses.extend(texts)
    sentences = "; ".join(said)
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


def unread_text_finding(rules_by_fact: dict[str, list[str]], texts: list[UnreadText], severity: str) -> Finding:
    """The built-in finding for the facts that forbid/flag rules could not check because the
    document holds text in a language policycheck does not read, and no value of them."""
    listed = ", ".join(sorted({rule for rules in rules_by_fact.values() for rule in rules}))
    message = f"{unread_text_sentence(texts)}; review it (not checked: {listed})"
    return Finding(UNREAD_CLAUSE, "check", severity, "unread", message, {name: [] for name in rules_by_fact},
                   _evidence(texts), title="Text in a language policycheck does not read")

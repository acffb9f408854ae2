"""Evaluate rules against a document's facts (DESIGN 3.4).

Three-valued logic: True, False, or None for unknown (a fact it needs was not found).
A fact can hold several values. ``require`` passes only when its condition holds for every
value, ``forbid`` and ``flag`` fire when it holds for any value; ``not`` swaps the two
quantifiers, so ``require not X`` means "no value is X".
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from policycheck.catalogue import Catalogue
from policycheck.facts.model import Fact
from policycheck.findings.model import Finding, Outcome
from policycheck.policy import ast
from policycheck.policy.format import format_condition, format_guard
from policycheck.policy.model import PolicySet, Rule
from policycheck.policy.types import coerce, resolve_target
from policycheck.values.jurisdictions import contains
from policycheck.values.types import Duration, Jurisdiction, Money, Value, display, literal_of

ALL, ANY = "all", "any"
_FLIP = {ALL: ANY, ANY: ALL}


_OPERATORS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
              ">=": operator.ge}


def _compare(left: Value, op: str, right: Value) -> bool | None:
    if isinstance(left, Duration) and isinstance(right, Duration):
        # In one unit the amounts compare as the days do, without converting both.
        a, b = (left.amount, right.amount) if left.unit == right.unit else (left.days, right.days)
    elif isinstance(left, Money) and isinstance(right, Money):
        if left.currency != right.currency:
            return None           # different currencies: unknown, never guessed
        a, b = left.amount, right.amount
    elif hasattr(left, "value") and hasattr(right, "value"):
        a, b = left.value, right.value
    elif isinstance(left, Jurisdiction) and isinstance(right, Jurisdiction):
        a, b = left.code, right.code
    else:
        a, b = left, right
    compare = _OPERATORS.get(op)
    if compare is None:
        raise ValueError(f"unknown operator {op}")
    try:
        return compare(a, b)
    except TypeError:
        return None


def values_equal(left: Value, right: Value) -> bool:
    """Equal as the policy language compares them (30d == 1mo, 99.9% == 99.90%)."""
    return _compare(left, "==", right) is True


def _member(value: Value, item: Value) -> bool | None:
    if isinstance(value, Jurisdiction) and isinstance(item, Jurisdiction):
        return contains(item.code, value.code)
    return _compare(value, "==", item)


def _member_of(value: Value, items: list[Value]) -> bool | None:
    """True when the value is one of the items; unknown when only a currency mismatch says no."""
    results = [_member(value, item) for item in items]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _quantify(results: list[bool | None], quantifier: str) -> bool | None:
    if quantifier == ALL:
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


@dataclass(frozen=True)
class _Plan:
    """What a rule's findings need that does not depend on the document, worked out once per run."""

    rule: Rule
    names: tuple[str, ...]              # facts of the condition, then those only the guard names
    message: tuple[str, ...] | None     # the message template, split by _template_parts
    inputs: frozenset[str]              # every fact the outcome depends on, message included
    condition: str                      # canonical text of the condition and guard
    severity: str
    tags: tuple[str, ...]
    see: str | None

    @classmethod
    def of(cls, rule: Rule) -> "_Plan":
        names = ast.fact_names(rule.statement.condition)
        if rule.statement.guard:
            names += [n for n in ast.fact_names(rule.statement.guard.condition) if n not in names]
        message = _template_parts(rule.message) if rule.message else None
        return cls(rule, tuple(names), message, frozenset(names).union((message or ())[1::2]),
                   format_condition(rule.statement.condition) + format_guard(rule.statement.guard),
                   rule.severity, rule.tags, rule.see)


class Evaluator:
    """Evaluates rules against documents' facts; build one per run and reuse it for every document."""

    def __init__(self, policy_set: PolicySet, catalogue: Catalogue) -> None:
        self._policy_set = policy_set
        self.sets = policy_set.sets
        self.catalogue = catalogue
        self._plans = [_Plan.of(rule) for rule in policy_set.rules]
        # Typed literals of comparisons and memberships, by node: coerced on first use, as a
        # literal is only typed once a document has the fact (a static check rejects bad ones first).
        self._literals: dict[int, tuple[ast.Node, object]] = {}
        # Most documents have none of the facts a given rule reads, and then the rule ends the
        # same way in all of them: its outcome is worked out once, on the first such document.
        self._without_facts: list[Outcome | None] = [None] * len(self._plans)

    def __reduce__(self):
        # The literal cache is keyed by object ids, which mean nothing in another process;
        # a worker process starts with empty caches.
        return Evaluator, (self._policy_set, self.catalogue)

    def evaluate_all(self, facts: list[Fact]) -> list[Outcome]:
        """How every rule of the policy set ends for one document's facts."""
        index: dict[str, list[Fact]] = {}
        for fact in facts:
            index.setdefault(fact.name, []).append(fact)
        outcomes = []
        for position, plan in enumerate(self._plans):
            if not plan.inputs.isdisjoint(index):
                outcomes.append(self._evaluate(plan, index))
                continue
            outcome = self._without_facts[position]
            if outcome is None:
                outcome = self._without_facts[position] = self._evaluate(plan, {})
            outcomes.append(outcome)
        return outcomes

    def values(self, facts: dict[str, list[Fact]], name: str) -> list[Value]:
        return [value for fact in facts.get(name, ()) for value in fact.values()]

    def _typed(self, node: ast.Compare | ast.Member):
        """The literal of a comparison, or the items of a membership test, typed as the fact."""
        cached = self._literals.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1]
        spec = self.catalogue.get(node.fact)
        if isinstance(node, ast.Compare):
            typed = coerce(spec, node.literal)
        else:
            typed = [coerce(spec, literal) for literal in resolve_target(node.target, self.sets)]
        self._literals[id(node)] = (node, typed)
        return typed

    def condition(self, node: ast.Condition, facts: dict[str, list[Fact]], quantifier: str,
                  unknown: frozenset[str] = frozenset()) -> bool | None:
        """True, False, or None when the facts do not decide. ``unknown`` names facts whose very
        presence is unknown (a clause about them was found but not read)."""
        if isinstance(node, ast.And):
            results = [self.condition(op, facts, quantifier, unknown) for op in node.operands]
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if isinstance(node, ast.Or):
            results = [self.condition(op, facts, quantifier, unknown) for op in node.operands]
            if any(r is True for r in results):
                return True
            return None if any(r is None for r in results) else False
        if isinstance(node, ast.Not):
            inner = self.condition(node.operand, facts, _FLIP[quantifier], unknown)
            return None if inner is None else not inner
        if isinstance(node, ast.Presence):
            if node.fact in unknown:
                return None
            return bool(facts.get(node.fact)) == node.present
        values = self.values(facts, node.fact)
        if not values:
            return None
        if isinstance(node, ast.Truthy):
            return _quantify([v is not False for v in values], quantifier)
        if isinstance(node, ast.Compare):
            right = self._typed(node)
            return _quantify([_compare(v, node.op, right) for v in values], quantifier)
        if isinstance(node, ast.Member):
            items = self._typed(node)
            results = [_member_of(v, items) for v in values]
            if node.negated:
                results = [None if r is None else not r for r in results]
            return _quantify(results, quantifier)
        raise TypeError(f"not a condition: {node!r}")

    def applies(self, rule: Rule, facts: dict[str, list[Fact]]) -> bool:
        guard = rule.statement.guard
        if guard is None:
            return True
        if guard.kind == "when":
            return self.condition(guard.condition, facts, ANY) is True
        return self.condition(guard.condition, facts, ALL) is False

    def evaluate(self, rule: Rule, facts: dict[str, list[Fact]]) -> Outcome:
        """How one rule ends for a document's facts, indexed by name."""
        return self._evaluate(_Plan.of(rule), facts)

    def _evaluate(self, plan: _Plan, facts: dict[str, list[Fact]]) -> Outcome:
        rule = plan.rule
        if not self.applies(rule, facts):
            return Outcome(rule.id, "not_applicable")
        quantifier = ALL if rule.verb == "require" else ANY
        result = self.condition(rule.statement.condition, facts, quantifier)
        if rule.verb == "require":
            if result is True:
                return Outcome(rule.id, "passed")
            status = "failed" if result is False else "missing"
        else:
            if result is not True:
                return Outcome(rule.id, "passed")
            status = "failed"
        return Outcome(rule.id, status, self._finding(plan, facts, status))

    def _finding(self, plan: _Plan, facts: dict[str, list[Fact]], status: str) -> Finding:
        rule = plan.rule
        involved = {}
        evidence = set()
        for name in plan.names:
            found = facts.get(name)
            if found:
                involved[name] = [literal_of(v) for f in found for v in f.values()]
                evidence.update(f.evidence for f in found)
        ordered = sorted(evidence, key=lambda s: (s.line, s.column, s.end_line, s.end_column, s.text))
        return Finding(rule.id, rule.verb, plan.severity, status, _message(plan, facts, status),
                       involved, tuple(ordered), rule.path, rule.line, rule.title, plan.see, plan.tags)


def _shown_values(facts: dict[str, list[Fact]], name: str) -> str:
    shown = []
    for fact in facts.get(name, ()):
        text = fact.shown()
        if text not in shown:
            shown.append(text)
    return ", ".join(shown) if shown else "not found"


def _message(plan: _Plan, facts: dict[str, list[Fact]], status: str) -> str:
    if plan.message is not None:
        return _fill(plan.message, facts)
    names, condition = plan.names, plan.condition
    found = "; ".join(f"{name} = {_shown_values(facts, name)}" for name in names if facts.get(name))
    if status == "missing":
        missing = [name for name in names if not facts.get(name)]
        if missing:
            return f"{', '.join(missing)} not found (required: {condition})"
        # Every fact was found, yet the condition is unknown: amounts in different currencies.
        return (f"cannot decide {condition}: found {found}; "
                "amounts in different currencies are not compared")
    if plan.rule.verb == "require":
        return f"expected {condition}" + (f", found {found}" if found else "")
    prefix = "forbidden" if plan.rule.verb == "forbid" else "flagged"
    return f"{prefix}: {condition}" + (f" (found {found})" if found else "")


# ``{name}`` in a message: a fact name is letters, digits and underscores (not only underscores).
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _template_parts(template: str) -> tuple[str, ...]:
    """A message template as alternating text and fact names: (text, name, text, ..., text).

    Braces around anything that is not a fact name stay as they are written.
    """
    parts = [""]
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name.replace("_", "").isalnum():
            parts[-1] += template[position:match.start()]
            parts += [name, ""]
            position = match.end()
    parts[-1] += template[position:]
    return tuple(parts)


def _fill(parts: tuple[str, ...], facts: dict[str, list[Fact]]) -> str:
    return "".join(part if index % 2 == 0 else _shown_values(facts, part) for index, part in enumerate(parts))


def evaluate_rules(policy_set: PolicySet, catalogue: Catalogue, facts: list[Fact]) -> list[Outcome]:
    """How every rule ends for one document (a run keeps one Evaluator for all its documents)."""
    return Evaluator(policy_set, catalogue).evaluate_all(facts)


__all__ = ["Evaluator", "evaluate_rules", "display"]

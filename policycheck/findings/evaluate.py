"""Evaluate rules against a document's facts (DESIGN 3.4).

Three-valued logic: True, False, or None for unknown (a fact it needs was not found).
A fact can hold several values. ``require`` passes only when its condition holds for every
value, ``forbid`` and ``flag`` fire when it holds for any value; ``not`` swaps the two
quantifiers, so ``require not X`` means "no value is X".
"""

from __future__ import annotations

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


def _compare(left: Value, op: str, right: Value) -> bool | None:
    if isinstance(left, Duration) and isinstance(right, Duration):
        a, b = left.days, right.days
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
    try:
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        if op == ">=":
            return a >= b
    except TypeError:
        return None
    raise ValueError(f"unknown operator {op}")


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


class Evaluator:
    def __init__(self, policy_set: PolicySet, catalogue: Catalogue) -> None:
        self.sets = policy_set.sets
        self.catalogue = catalogue

    def values(self, facts: dict[str, list[Fact]], name: str) -> list[Value]:
        return [value for fact in facts.get(name, ()) for value in fact.values()]

    def condition(self, node: ast.Condition, facts: dict[str, list[Fact]], quantifier: str) -> bool | None:
        if isinstance(node, ast.And):
            results = [self.condition(op, facts, quantifier) for op in node.operands]
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if isinstance(node, ast.Or):
            results = [self.condition(op, facts, quantifier) for op in node.operands]
            if any(r is True for r in results):
                return True
            return None if any(r is None for r in results) else False
        if isinstance(node, ast.Not):
            inner = self.condition(node.operand, facts, _FLIP[quantifier])
            return None if inner is None else not inner
        if isinstance(node, ast.Presence):
            return bool(facts.get(node.fact)) == node.present
        values = self.values(facts, node.fact)
        if not values:
            return None
        spec = self.catalogue.get(node.fact)
        if isinstance(node, ast.Truthy):
            return _quantify([v is not False for v in values], quantifier)
        if isinstance(node, ast.Compare):
            right = coerce(spec, node.literal)
            return _quantify([_compare(v, node.op, right) for v in values], quantifier)
        if isinstance(node, ast.Member):
            items = [coerce(spec, literal) for literal in resolve_target(node.target, self.sets)]
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
        return Outcome(rule.id, status, self.finding(rule, facts, status))

    def finding(self, rule: Rule, facts: dict[str, list[Fact]], status: str) -> Finding:
        names = ast.fact_names(rule.statement.condition)
        if rule.statement.guard:
            names += [n for n in ast.fact_names(rule.statement.guard.condition) if n not in names]
        involved = {name: [literal_of(v) for f in facts.get(name, ()) for v in f.values()] for name in names}
        evidence = sorted({f.evidence for name in names for f in facts.get(name, ())},
                          key=lambda s: (s.line, s.column, s.end_line, s.end_column, s.text))
        message = render_message(rule, facts, names, status)
        return Finding(rule.id, rule.verb, rule.severity, status, message,
                       {n: v for n, v in involved.items() if v}, tuple(evidence), rule.path, rule.line,
                       rule.title, rule.see, rule.tags)


def _shown_values(facts: dict[str, list[Fact]], name: str) -> str:
    shown = []
    for fact in facts.get(name, ()):
        text = fact.shown()
        if text not in shown:
            shown.append(text)
    return ", ".join(shown) if shown else "not found"


def render_message(rule: Rule, facts: dict[str, list[Fact]], names: list[str], status: str) -> str:
    if rule.message:
        return _fill(rule.message, facts)
    condition = format_condition(rule.statement.condition) + format_guard(rule.statement.guard)
    found = "; ".join(f"{name} = {_shown_values(facts, name)}" for name in names if facts.get(name))
    if status == "missing":
        missing = [name for name in names if not facts.get(name)]
        if missing:
            return f"{', '.join(missing)} not found (required: {condition})"
        # Every fact was found, yet the condition is unknown: amounts in different currencies.
        return (f"cannot decide {condition}: found {found}; "
                "amounts in different currencies are not compared")
    if rule.verb == "require":
        return f"expected {condition}" + (f", found {found}" if found else "")
    prefix = "forbidden" if rule.verb == "forbid" else "flagged"
    return f"{prefix}: {condition}" + (f" (found {found})" if found else "")


def _fill(template: str, facts: dict[str, list[Fact]]) -> str:
    out = []
    index = 0
    while index < len(template):
        ch = template[index]
        if ch == "{":
            end = template.find("}", index)
            name = template[index + 1:end] if end != -1 else ""
            if end != -1 and name.replace("_", "").isalnum():
                out.append(_shown_values(facts, name))
                index = end + 1
                continue
        out.append(ch)
        index += 1
    return "".join(out)


def evaluate_rules(policy_set: PolicySet, catalogue: Catalogue, facts: list[Fact]) -> list[Outcome]:
    index: dict[str, list[Fact]] = {}
    for fact in facts:
        index.setdefault(fact.name, []).append(fact)
    evaluator = Evaluator(policy_set, catalogue)
    return [evaluator.evaluate(rule, index) for rule in policy_set.rules]


__all__ = ["Evaluator", "evaluate_rules", "render_message", "display"]

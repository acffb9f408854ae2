"""What a rule or a fact means, as data (``policycheck explain``).

``rule_explanation`` and ``fact_explanation`` return plain dictionaries; ``render_explanation``
turns one into text. Other parts of policycheck add to an explanation by appending to its
``sections`` list (a heading and lines), so the renderer never needs to know about them.
"""

from __future__ import annotations

from policycheck.catalogue import Catalogue, FactSpec
from policycheck.policy import ast
from policycheck.policy.format import format_condition
from policycheck.policy.model import Rule
from policycheck.values.types import display

_VERB_SENTENCE = {
    "require": ("passes when {cond} holds for every value found; it fails when it does not, and "
                "reports the finding as missing when a fact it needs was not found"),
    "forbid": "fires when {cond} holds for any value found; a fact that was not found never fires it",
    "flag": "flags the contract when {cond} holds for any value found; a fact that was not found never fires it",
}

_EXAMPLE_STATEMENT = {
    "duration": "flag {name} < {example}",
    "percent": "require {name} >= {example}",
    "money": "flag {name} < {example}",
    "number": "require {name} >= {example}",
    "jurisdiction": "require {name} in [{example}]",
    "enum": "require {name} == {example}",
    "boolean": "forbid {name}",
    "string": "flag {name} == \"{example}\"",
}


def rule_explanation(rule: Rule, catalogue: Catalogue) -> dict:
    """Where a rule is, what it checks, and how it reports."""
    statement = rule.statement
    checks = _VERB_SENTENCE[rule.verb].format(cond=format_condition(statement.condition))
    if statement.guard is not None:
        guard_text = format_condition(statement.guard.condition)
        checks += (f"; it applies only when {guard_text} is true" if statement.guard.kind == "when"
                   else f"; it does not apply when {guard_text} is true or unknown")
    names = ast.fact_names(statement.condition)
    if statement.guard is not None:
        names += [n for n in ast.fact_names(statement.guard.condition) if n not in names]
    facts = []
    for name in names:
        spec = catalogue.get(name)
        facts.append({"name": name, "type": _type_text(spec) if spec else "unknown",
                      "meaning": spec.description if spec else ""})
    return {
        "kind": "rule",
        "id": rule.id,
        "title": rule.title,
        "where": f"{rule.path}:{rule.line}",
        "rule": rule.text,
        "checks": checks,
        "severity": rule.severity,
        "message": rule.message,
        "tags": list(rule.tags),
        "see": rule.see,
        "facts": facts,
        "sections": [],
    }


def fact_explanation(spec: FactSpec, rules: list[Rule] = (), cues: dict[str, list[str]] | None = None) -> dict:
    """A fact's type, meaning and examples, the loaded rules that use it, and the topic cues
    (language -> cue groups) that make a clause one about the fact even when no value is read."""
    examples = list(spec.examples)
    statements = [_EXAMPLE_STATEMENT[spec.type].format(name=spec.name, example=example)
                  for example in examples[:1]] if spec.type in _EXAMPLE_STATEMENT else []
    if spec.type == "boolean" and statements:
        statements = [f"forbid {spec.name}", f"require not {spec.name}"]
    used_by = [f"{rule.id} ({rule.path}:{rule.line})" for rule in rules
               if spec.name in _rule_facts(rule)]
    return {
        "kind": "fact",
        "name": spec.name,
        "type": _type_text(spec),
        "meaning": spec.description,
        "qualifiers": list(spec.qualifiers),
        "examples": examples,
        "implies": [f"{name} = {display(value)}" for name, value in spec.implies],
        "statements": statements,
        "used_by": used_by,
        "origin": spec.origin,
        "sections": [(_CUES_HEADING, [f"{language}: {cue}" for language, shown in sorted((cues or {}).items())
                                      for cue in shown])] if cues else [],
    }


# A clause holding a word of each "+"-separated group is about the fact; "!" words rule it out.
_CUES_HEADING = ("topic cues (a clause with a word of each group, and no word after '!', is about "
                 "the fact; when no value was read, it is reported unread)")


def _rule_facts(rule: Rule) -> list[str]:
    names = ast.fact_names(rule.statement.condition)
    if rule.statement.guard is not None:
        names += ast.fact_names(rule.statement.guard.condition)
    return names


def _type_text(spec: FactSpec) -> str:
    if spec.type == "enum":
        return f"enum ({', '.join(spec.values)})"
    return spec.type


def render_explanation(data: dict) -> str:
    lines: list[str] = []

    def field(label: str, value) -> None:
        if value:
            lines.append(f"  {label + ':':<13}{value}")

    if data["kind"] == "rule":
        lines.append(f"rule {data['id']}" + (f"  \"{data['title']}\"" if data["title"] else ""))
        field("defined at", data["where"])
        field("rule", data["rule"])
        field("checks", data["checks"])
        field("severity", data["severity"])
        field("message", data["message"])
        field("tags", ", ".join(data["tags"]))
        field("see", data["see"])
        if data["facts"]:
            lines.append("  facts:")
            for fact in data["facts"]:
                lines.append(f"    {fact['name']}: {fact['type']}" + (f"; {fact['meaning']}" if fact["meaning"] else ""))
    else:
        lines.append(f"fact {data['name']}")
        field("type", data["type"])
        field("meaning", data["meaning"])
        field("qualifiers", ", ".join(data["qualifiers"]))
        field("examples", ", ".join(data["examples"]))
        field("implies", ", ".join(data.get("implies", ())))
        if data["statements"]:
            lines.append("  in a policy:")
            lines.extend(f"    {statement}" for statement in data["statements"])
        if data["used_by"]:
            lines.append("  used by:")
            lines.extend(f"    {rule}" for rule in data["used_by"])
    for heading, section_lines in data["sections"]:
        lines.append(f"  {heading}:")
        lines.extend(f"    {line}" for line in section_lines)
    return "\n".join(lines) + "\n"

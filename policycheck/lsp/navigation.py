"""Hover, go to definition and document symbols over a checked policy set.

Hover shows what ``policycheck explain`` prints: for a fact its catalogue entry, for a rule (its
id, or the verb of a bare statement) its explanation with the rationale written above it and
examples from its tests; a named set shows its values, a jurisdiction code what it stands for.
Definitions lead from a set's use to its ``let`` and from an ``include`` to the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from policycheck.catalogue import Catalogue
from policycheck.lsp.tokens import Token, token_at
from policycheck.policy import ast
from policycheck.policy.explain import fact_explanation, render_explanation, rule_explanation
from policycheck.policy.format import format_target
from policycheck.policy.layout import code_end_lines
from policycheck.policy.model import PolicySet, Rule
from policycheck.values.jurisdictions import iso_data, table


@dataclass(frozen=True)
class Place:
    """A place in a file: path, 0-based line and character range."""

    path: str
    line: int
    start: int
    end: int


def rule_at(policy_set: PolicySet, path: str, token: Token) -> Rule | None:
    """The rule named by ``token``: a ``rule ID`` block's id, or the verb of a statement."""
    wanted = os.path.realpath(path)
    for rule in policy_set.rules:
        if os.path.realpath(rule.path) != wanted:
            continue
        statement = rule.statement
        if token.text == rule.id and rule.explicit_id and rule.line - 1 == token.line:
            return rule
        if token.text == statement.verb and (statement.line - 1, statement.column - 1) == (token.line, token.start):
            return rule
    return None


def hover_text(text: str, line: int, character: int, path: str, policy_set: PolicySet,
               catalogue: Catalogue, explain_rule) -> tuple[str, Token] | None:
    token = token_at(text, line, character)
    if token is None or token.kind != "word":
        return None
    rule = rule_at(policy_set, path, token)
    if rule is not None:
        return explain_rule(rule), token
    spec = catalogue.get(token.text)
    if spec is not None:
        return render_explanation(fact_explanation(spec, policy_set.rules)), token
    if token.text in policy_set.sets:
        let_set, where = policy_set.sets[token.text]
        return f"set {token.text} = {format_target(let_set.items)}\n  defined at {where}:{let_set.line}\n", token
    place = jurisdiction_text(token.text)
    return (place, token) if place else None


def jurisdiction_text(code: str) -> str | None:
    """What a jurisdiction code stands for: a country, a subdivision or a named group."""
    codes = table()
    if code in codes.groups:
        return f"jurisdiction group {code}: {', '.join(sorted(codes.groups[code]))}\n"
    for row in iso_data()["countries"]:
        if row[0] == code:
            return f"jurisdiction {code}: {row[1]}" + (f" ({row[4]})" if row[4] else "") + "\n"
    for row in iso_data()["subdivisions"]:
        if row[0] == code:
            return f"jurisdiction {code}: {row[1]}, {row[2].lower()} of {code.split('-')[0]}\n"
    if code in codes.subdivisions:          # beyond ISO 3166, such as GB-EAW
        inner = ", ".join(sorted(codes.contains.get(code, ())))
        return f"jurisdiction {code}: part of {code.split('-')[0]}" + (f", holds {inner}" if inner else "") + "\n"
    return None


def explain_rule_text(rule: Rule, catalogue: Catalogue, source: str, examples) -> str:
    """``policycheck explain RULE``: the explanation, rationale and test examples."""
    explanation = rule_explanation(rule, catalogue)
    examples(explanation, rule, source)
    return render_explanation(explanation)


def definition(text: str, line: int, character: int, path: str, policy_file: ast.PolicyFile | None,
               policy_set: PolicySet) -> Place | None:
    token = token_at(text, line, character)
    if token is None:
        return None
    if token.kind == "word" and token.text in policy_set.sets:
        let_set, where = policy_set.sets[token.text]
        start = let_set.column - 1 + len("let ")
        return Place(where, let_set.line - 1, start, start + len(token.text))
    if policy_file is not None:
        for include in policy_file.of_type(ast.Include):
            if include.line - 1 == line and token.kind in ("string", "word"):
                target = os.path.normpath(os.path.join(os.path.dirname(path), include.path))
                if os.path.isfile(target):
                    return Place(target, 0, 0, 0)
    return None


@dataclass(frozen=True)
class Symbol:
    name: str
    detail: str
    kind: str              # rule | set
    start: tuple[int, int]
    end: tuple[int, int]
    selection: tuple[int, int, int]     # line, start, end of the name


def symbols(policy_file: ast.PolicyFile, policy_set: PolicySet) -> list[Symbol]:
    """The rules (with their ids, bare statements too) and named sets of one file, in order."""
    lines = policy_file.source.split("\n")
    ends = code_end_lines(policy_file.source, policy_file.items)
    rules = {(r.line, r.statement.line, r.statement.column): r for r in policy_set.rules
             if os.path.realpath(r.path) == os.path.realpath(policy_file.path)}
    found = []
    for item, end_line in zip(policy_file.items, ends):
        end = (end_line - 1, len(lines[end_line - 1]) if end_line - 1 < len(lines) else 0)
        start = (item.line - 1, item.column - 1)
        if isinstance(item, ast.RuleBlock):
            rule = rules.get((item.line, item.statement.line, item.statement.column))
            name_at = lines[item.line - 1].find(item.rule_id, item.column - 1)
            detail = item.title or (rule.text if rule else "")
            found.append(Symbol(item.rule_id, detail, "rule", start, end,
                                (item.line - 1, max(name_at, 0), max(name_at, 0) + len(item.rule_id))))
        elif isinstance(item, ast.Statement):
            rule = rules.get((item.line, item.line, item.column))
            if rule is None:
                continue
            found.append(Symbol(rule.id, rule.text, "rule", start, end,
                                (item.line - 1, item.column - 1, item.column - 1 + len(item.verb))))
        elif isinstance(item, ast.LetSet):
            name_at = lines[item.line - 1].find(item.name, item.column - 1)
            found.append(Symbol(item.name, format_target(item.items), "set", start, end,
                                (item.line - 1, max(name_at, 0), max(name_at, 0) + len(item.name))))
    return found

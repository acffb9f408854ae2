"""Canonical text of policy conditions and statements.

Used by ``policycheck fmt``, by rule ids of bare statements (so an id stays the same when the
statement is re-wrapped or other lines move), and by reports that quote a condition.
"""

from __future__ import annotations

from policycheck.policy import ast

_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Not: 3}


def quote_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def format_literal(literal: ast.Literal) -> str:
    if literal.kind == "string":
        return quote_string(literal.text)
    return literal.text


def format_target(target: ast.SetItems | ast.Literal) -> str:
    if isinstance(target, ast.SetItems):
        return "[" + ", ".join(format_literal(item) for item in target.items) + "]"
    return format_literal(target)


def format_condition(node: ast.Condition, parent_precedence: int = 0) -> str:
    precedence = _PRECEDENCE.get(type(node), 4)
    if isinstance(node, ast.Or):
        text = " or ".join(format_condition(op, precedence) for op in node.operands)
    elif isinstance(node, ast.And):
        text = " and ".join(format_condition(op, precedence) for op in node.operands)
    elif isinstance(node, ast.Not):
        text = "not " + format_condition(node.operand, precedence)
    elif isinstance(node, ast.Truthy):
        text = node.fact
    elif isinstance(node, ast.Presence):
        text = f"{node.fact} is {'present' if node.present else 'missing'}"
    elif isinstance(node, ast.Compare):
        text = f"{node.fact} {node.op} {format_literal(node.literal)}"
    elif isinstance(node, ast.Member):
        text = f"{node.fact} {'not in' if node.negated else 'in'} {format_target(node.target)}"
    else:  # pragma: no cover - the AST has no other condition nodes
        raise TypeError(f"not a condition: {node!r}")
    # Nested and/or of the same kind keep their parentheses: they were written that way.
    if precedence < parent_precedence or (precedence == parent_precedence and precedence < 3):
        return f"({text})"
    return text


def format_guard(guard: ast.Guard | None) -> str:
    return f" {guard.kind} {format_condition(guard.condition)}" if guard else ""


def format_meta(meta: ast.Meta) -> str:
    if meta.key == "tags":
        return "tags [" + ", ".join(meta.value) + "]"
    if meta.key == "severity":
        return f"severity {meta.value}"
    return f"{meta.key} {quote_string(meta.value)}"


def statement_core(statement: ast.Statement) -> str:
    """``VERB CONDITION [GUARD]`` in canonical form, without meta clauses."""
    return f"{statement.verb} {format_condition(statement.condition)}{format_guard(statement.guard)}"


def format_statement(statement: ast.Statement) -> str:
    parts = [statement_core(statement)] + [format_meta(meta) for meta in statement.metas]
    return " ".join(parts)

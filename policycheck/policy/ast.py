"""The policy AST: frozen dataclasses with source positions, built by policy.parser.

Evaluation, static checks, formatting and rule ids all work on these nodes, never on the
Lark parse tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Node:
    """Where a construct starts in its policy file (1-based line and column)."""

    line: int
    column: int


# --- literals -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Literal(Node):
    """A literal as written. ``kind`` is what its shape says: duration, percent, number, money,
    name (an identifier: enum value, jurisdiction code, boolean or set name) or string. Its typed
    value depends on the fact it is compared with and is resolved by the checker."""

    kind: str
    text: str


@dataclass(frozen=True)
class SetItems(Node):
    """A bracketed list of literals: ``[CN, HK]``."""

    items: tuple[Literal, ...]


# --- conditions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Truthy(Node):
    """A boolean fact on its own: ``auto_renewal``."""

    fact: str


@dataclass(frozen=True)
class Presence(Node):
    """``fact is present`` / ``fact is missing``."""

    fact: str
    present: bool


@dataclass(frozen=True)
class Compare(Node):
    """``fact OP literal`` with OP one of < <= > >= == !=."""

    fact: str
    op: str
    literal: Literal


@dataclass(frozen=True)
class Member(Node):
    """``fact in SET`` / ``fact not in SET``; ``target`` is a list, or one literal that is a value
    or the name of a ``let`` set."""

    fact: str
    target: SetItems | Literal
    negated: bool = False


@dataclass(frozen=True)
class Not(Node):
    """``not CONDITION``."""

    operand: "Condition"


@dataclass(frozen=True)
class And(Node):
    """``A and B and ...``."""

    operands: tuple["Condition", ...]


@dataclass(frozen=True)
class Or(Node):
    """``A or B or ...``."""

    operands: tuple["Condition", ...]


Condition = Truthy | Presence | Compare | Member | Not | And | Or


# --- statements and files -------------------------------------------------------------------

@dataclass(frozen=True)
class Guard(Node):
    """``when CONDITION`` or ``unless CONDITION`` after a statement."""

    kind: str               # "when" | "unless"
    condition: Condition


@dataclass(frozen=True)
class Meta(Node):
    """A statement's ``severity``, ``message``, ``tags`` or ``see`` line."""

    key: str                # severity | message | tags | see
    value: str | tuple[str, ...]


@dataclass(frozen=True)
class Statement(Node):
    """``require`` / ``forbid`` / ``flag`` a condition, with its guard and metadata."""

    verb: str               # require | forbid | flag
    condition: Condition
    guard: Guard | None
    metas: tuple[Meta, ...] = ()

    def meta(self, key: str):
        for item in self.metas:
            if item.key == key:
                return item.value
        return None


@dataclass(frozen=True)
class RuleBlock(Node):
    """``rule ID "title" { statement }``: a statement with an id of its own."""

    rule_id: str
    title: str | None
    statement: Statement


@dataclass(frozen=True)
class Header(Node):
    """``policy "name" version "..."`` at the top of a file."""

    name: str
    version: str | None


@dataclass(frozen=True)
class LetSet(Node):
    """``let NAME = [..]``: a named set of literals."""

    name: str
    items: SetItems


@dataclass(frozen=True)
class Include(Node):
    """``include "path"``: another policy file, relative to this one."""

    path: str


Item = Header | LetSet | Include | Statement | RuleBlock


@dataclass(frozen=True)
class PolicyFile:
    """One parsed policy file: its items in order, and its text (for messages)."""

    path: str
    items: tuple[Item, ...]
    source: str = field(repr=False, compare=False, default="")

    def of_type(self, kind: type) -> list:
        return [item for item in self.items if isinstance(item, kind)]


def fact_names(condition: Condition) -> list[str]:
    """Every fact a condition mentions, in order of first mention (iterative: no deep recursion)."""
    seen: dict[str, None] = {}
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, (And, Or)):
            stack.extend(reversed(node.operands))
        elif isinstance(node, Not):
            stack.append(node.operand)
        else:
            seen.setdefault(node.fact, None)
    return list(seen)


_MEANING_FIELDS: dict[type, tuple[str, ...]] = {}


def shape(node) -> object:
    """A node as nested tuples without source positions, to compare what two texts mean
    (``parse(fmt(x))`` has the same shape as ``parse(x)``)."""
    if isinstance(node, PolicyFile):
        return tuple(shape(item) for item in node.items)
    kind = type(node)
    if kind is tuple:
        return tuple(shape(item) for item in node)
    names = _MEANING_FIELDS.get(kind)
    if names is None:
        if not isinstance(node, Node):
            return node
        names = tuple(name for name in node.__dataclass_fields__ if name not in ("line", "column"))
        _MEANING_FIELDS[kind] = names
    return (kind.__name__,) + tuple(shape(getattr(node, name)) for name in names)

"""Canonical layout of a whole policy file, comments kept (``policycheck fmt``).

The layout only changes whitespace and the spelling of conditions (format.py): items stay in
the order written, so parsing the result gives the same AST. The rules:

* one item per line: header, ``let``, ``include``, a statement; a bare statement's meta
  clauses go on continuation lines indented by four spaces;
* a rule block opens with ``rule ID "title" {``, holds its statement and each meta clause on
  its own line indented by four spaces, and closes with ``}`` alone on a line;
* a ``let`` set with comments among its values is written one value per line, indented;
* a run of blank lines between items becomes one blank line; none at the start or the end;
* a comment on a line of its own stays on a line of its own, before the item (or the part of
  a rule block) that followed it; a comment after code stays at the end of that line, two
  spaces after the code. When a condition written over several lines carried several trailing
  comments, the extra ones move onto their own lines above it.

Formatting canonical text gives the same text back.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from policycheck.errors import PolicycheckError
from policycheck.policy import ast
from policycheck.policy.format import format_literal, format_meta, format_target, quote_string, statement_core
from policycheck.policy.parser import parse_policy

INDENT = "    "


@dataclass(frozen=True)
class Comment:
    line: int
    text: str                # from '#' to the end of the line, trailing spaces removed
    own_line: bool           # nothing but whitespace before it


@dataclass
class _Element:
    """One output line of code, anchored at the source line it came from."""

    anchor: int
    text: str
    indent: str
    blank_before: bool = False
    trailing: str | None = None
    leading: list[str] = field(default_factory=list)   # extra trailing comments, moved above


def _comment_start(line: str) -> int | None:
    """Where the ``#`` that starts a comment stands, skipping ``#`` inside strings."""
    index, length = 0, len(line)
    while index < length:
        ch = line[index]
        if ch == '"':
            index += 1
            while index < length and line[index] != '"':
                index += 2 if line[index] == "\\" else 1
        elif ch == "#":
            return index
        index += 1
    return None


def find_comments(text: str) -> list[Comment]:
    """Every ``#`` comment, skipping ``#`` inside strings (strings never span lines)."""
    comments = []
    for number, line in enumerate(text.split("\n"), start=1):
        index = _comment_start(line)
        if index is not None:
            comments.append(Comment(number, line[index:].rstrip(), not line[:index].strip()))
    return comments


def _code_end_lines(text: str, items: tuple[ast.Item, ...]) -> list[int]:
    """The last source line holding code of each item (comments and blanks excluded).

    An item ends before the next one starts, which may be on the same line."""
    lines = text.split("\n")
    starts = [(item.line, item.column) for item in items] + [(len(lines), len(lines[-1]) + 1)]
    ends = []
    for position, item in enumerate(items):
        next_line, next_column = starts[position + 1]
        end = item.line
        for number in range(next_line, item.line - 1, -1):
            code = _before_comment(lines[number - 1])
            if number == next_line and position + 1 < len(items):
                code = code[:next_column - 1]
            if number == item.line:
                code = code[item.column - 1:]
            if code.strip():
                end = number
                break
        ends.append(end)
    return ends


# Public for editors: the lines a document symbol spans.
code_end_lines = _code_end_lines


def _before_comment(line: str) -> str:
    index = _comment_start(line)
    return line if index is None else line[:index]


def _item_elements(item: ast.Item, end_line: int, commented_lines: set[int]) -> list[_Element]:
    if isinstance(item, ast.Header):
        version = f" version {quote_string(item.version)}" if item.version is not None else ""
        return [_Element(item.line, f"policy {quote_string(item.name)}{version}", "")]
    if isinstance(item, ast.LetSet):
        values = item.items.items
        # Expanded when a comment sits among the values, with a value after it.
        if values and any(values[0].line <= line < values[-1].line for line in commented_lines):
            last = len(values) - 1
            return ([_Element(item.line, f"let {item.name} = [", "")]
                    + [_Element(max(value.line, item.line), format_literal(value) + ("," if i < last else ""), INDENT)
                       for i, value in enumerate(values)]
                    + [_Element(end_line, "]", "")])
        return [_Element(item.line, f"let {item.name} = {format_target(item.items)}", "")]
    if isinstance(item, ast.Include):
        return [_Element(item.line, f"include {quote_string(item.path)}", "")]
    if isinstance(item, ast.Statement):
        return _statement_elements(item, "", INDENT)
    title = f" {quote_string(item.title)}" if item.title is not None else ""
    return ([_Element(item.line, f"rule {item.rule_id}{title} {{", "")]
            + _statement_elements(item.statement, INDENT, INDENT)
            + [_Element(end_line, "}", "")])


def _statement_elements(statement: ast.Statement, indent: str, meta_indent: str) -> list[_Element]:
    elements = [_Element(statement.line, statement_core(statement), indent)]
    previous = statement.line
    for meta in statement.metas:
        # A meta written on the statement's own line keeps that anchor, so comments stay in order.
        previous = max(previous, meta.line)
        elements.append(_Element(previous, format_meta(meta), indent if indent else meta_indent))
    return elements


def format_policy_text(text: str, path: str = "<policy>") -> str:
    """The canonical form of policy ``text`` (raises PolicySyntaxError when it does not parse)."""
    policy_file = parse_policy(text, path)
    comments = find_comments(text)
    source_lines = text.split("\n")
    items = policy_file.items
    ends = _code_end_lines(text, items)
    commented_lines = {comment.line for comment in comments}

    def blank_above(line: int) -> bool:
        return line >= 2 and not source_lines[line - 2].strip()

    elements: list[_Element] = []
    item_ranges = []
    for item, end in zip(items, ends):
        parts = _item_elements(item, end, commented_lines)
        parts[0].blank_before = blank_above(item.line)
        item_ranges.append((item.line, end, parts))
        elements.extend(parts)

    anchors = [e.anchor for e in elements]
    range_starts = [start for start, _, _ in item_ranges]
    orphans: list[_Element] = []
    for comment in comments:
        candidate = bisect_right(range_starts, comment.line) - 1
        inside = item_ranges[candidate] if candidate >= 0 and comment.line <= item_ranges[candidate][1] else None
        if comment.own_line:
            # Indented when it lands between two lines of one item (inside a block, among metas).
            within = inside is not None and any(part.anchor > comment.line for part in inside[2])
            indent = INDENT if within else ""
            orphans.append(_Element(comment.line, comment.text, indent,
                                    blank_before=not within and blank_above(comment.line)))
            continue
        # A trailing comment belongs to the last element that starts at or above its line.
        position = bisect_right(anchors, comment.line) - 1
        owner = elements[max(position, 0)]
        if owner.trailing is None:
            owner.trailing = comment.text
        else:
            owner.leading.append(comment.text)

    merged = _merge(elements, orphans)
    out = []
    for index, element in enumerate(merged):
        if element.blank_before and index > 0:
            out.append("")
        out.extend(element.indent + text for text in element.leading)
        line = element.indent + element.text
        if element.trailing is not None:
            line += "  " + element.trailing
        out.append(line)
    result = "\n".join(out) + "\n" if out else ""
    if ast.shape(parse_policy(result, path)) != ast.shape(policy_file):  # pragma: no cover - a bug guard
        raise PolicycheckError("fmt would change what this policy means; file left unchanged "
                               "(please report this as a bug)", path=path)
    return result


def _merge(elements: list[_Element], comments: list[_Element]) -> list[_Element]:
    """Own-line comments slotted into the code by source line; code keeps its order."""
    pending = sorted(comments, key=lambda c: c.anchor)
    merged: list[_Element] = []
    index = 0
    for element in elements:
        while index < len(pending) and pending[index].anchor <= element.anchor:
            merged.append(pending[index])
            index += 1
        merged.append(element)
    merged.extend(pending[index:])
    return merged

"""Parse an editor's policy text piece by piece, so a keystroke re-parses one item, not the file.

The grammar's start is ``item*`` and newlines carry no meaning, so a file splits into pieces at
the lines that begin a top-level item (a line starting with policy, let, include, rule,
require, forbid or flag, outside a rule block's braces). Each piece is parsed on its own by the
parser of ``policycheck validate`` and remembered by its text; the items of an unchanged piece
are reused, moved to the lines where the piece now stands. The concatenation of valid ``item*``
pieces is the parse of the whole. When any piece does not parse, the whole text is parsed
instead, so a syntax error is always the one ``validate`` reports, at the same place.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from policycheck.errors import PolicySyntaxError
from policycheck.policy import ast
from policycheck.policy.parser import parse_policy

_ITEM_START = re.compile(r"[ \t]*(?:policy|let|include|rule|require|forbid|flag)(?![A-Za-z0-9_\-])")
MAX_PIECES = 20000


def pieces(text: str) -> list[tuple[int, str]]:
    """(0-based first line, text) of each piece of ``text``; joined with newlines they give it back."""
    lines = text.split("\n")
    starts = [0]
    depth = 0
    for number, line in enumerate(lines):
        if number and depth == 0 and _ITEM_START.match(line):
            starts.append(number)
        depth = max(depth + _brace_change(line), 0)
    ends = starts[1:] + [len(lines)]
    return [(start, "\n".join(lines[start:end])) for start, end in zip(starts, ends)]


def _brace_change(line: str) -> int:
    """Opened minus closed braces on a line, outside strings and comments."""
    if "{" not in line and "}" not in line:
        return 0                # most lines: no need to walk them character by character
    change, index, quoted = 0, 0, False
    while index < len(line):
        ch = line[index]
        if quoted:
            if ch == "\\":
                index += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "#":
            break
        elif ch == "{":
            change += 1
        elif ch == "}":
            change -= 1
        index += 1
    return change


def moved(node, lines: int):
    """``node`` with every position ``lines`` further down."""
    if isinstance(node, tuple):
        return tuple(moved(item, lines) for item in node)
    if not isinstance(node, ast.Node):
        return node
    changes = {f.name: moved(getattr(node, f.name), lines) for f in fields(node)
               if f.name not in ("line", "column")}
    return replace(node, line=node.line + lines, **changes)


class PieceParser:
    """Parses texts of one file after another, reusing the pieces they share."""

    def __init__(self) -> None:
        self._pieces: dict[str, tuple[ast.Item, ...]] = {}          # piece text -> items at line 1
        self._placed: dict[tuple[str, int], tuple[ast.Item, ...]] = {}

    def parse(self, text: str, path: str) -> ast.PolicyFile:
        if len(self._pieces) > MAX_PIECES:
            self._pieces.clear()
            self._placed.clear()
        items: list[ast.Item] = []
        placed: dict[tuple[str, int], tuple[ast.Item, ...]] = {}
        for start, piece in pieces(text):
            key = (piece, start)
            found = self._placed.get(key)
            if found is None:
                relative = self._pieces.get(piece)
                if relative is None:
                    try:
                        relative = parse_policy(piece, path).items
                    except PolicySyntaxError:
                        return parse_policy(text, path)     # raises the whole file's own error
                    self._pieces[piece] = relative
                found = moved(relative, start) if start else relative
            placed[key] = found
            items.extend(found)
        self._placed = placed
        return ast.PolicyFile(path, tuple(items), text)

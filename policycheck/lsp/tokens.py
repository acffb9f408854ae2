"""Tokens of a policy line, for ranges, completion and the word under the cursor.

Lark gives the checker only where a construct starts; an editor needs where the offending word
ends too. The shapes here follow grammar/policy.lark loosely (a word covers names, rule ids,
numbers, durations and percents alike), which is all a range or a completion context needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'''
    (?P<string>"(?:[^"\\\n]|\\.)*"?)
  | (?P<comment>\#[^\n]*)
  | (?P<op><=|>=|==|!=|<|>|=)
  | (?P<word>-?[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_%])?%?)
  | (?P<punct>[\[\](){},])
''', re.VERBOSE)

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")
# Keywords whose problem is best shown on the word that follows them: `include "x"` (the path),
# `rule ID` (the id), `let NAME` (the set).
_ANCHORS = {"include", "rule", "let"}


@dataclass(frozen=True)
class Token:
    line: int            # 0-based
    start: int           # 0-based character offset in the line
    end: int
    kind: str            # string | comment | op | word | punct
    text: str


def line_tokens(text: str, line: int) -> list[Token]:
    """The tokens of one line (``text`` is that line's text)."""
    return [Token(line, match.start(), match.end(), match.lastgroup, match.group())
            for match in _TOKEN.finditer(text)]


def document_tokens(text: str, upto: tuple[int, int] | None = None) -> list[Token]:
    """The code tokens of a document (no comments), up to a (line, character) when given."""
    found = []
    for number, line in enumerate(text.split("\n")):
        if upto is not None and number > upto[0]:
            break
        if upto is not None and number == upto[0]:
            line = line[:upto[1]]
        found.extend(token for token in line_tokens(line, number) if token.kind != "comment")
    return found


def token_at(text: str, line: int, character: int) -> Token | None:
    """The token that holds the position, or ends right at it (the cursor after a word)."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    best = None
    for token in line_tokens(lines[line], line):
        if token.start <= character < token.end:
            return token
        if token.end == character:
            best = token
    return best


def span_at(line_text: str, character: int, *, follow_anchor: bool = True) -> tuple[int, int]:
    """The (start, end) characters of the token starting at or holding ``character``; an anchor
    keyword (include, rule, let) extends to the word after it. Past the end of the line, an empty
    range at the end."""
    tokens = line_tokens(line_text, 0)
    for index, token in enumerate(tokens):
        if token.start <= character < token.end:
            if follow_anchor and token.text in _ANCHORS and index + 1 < len(tokens):
                following = tokens[index + 1]
                if token.text == "include":
                    return token.start, following.end
                return following.start, following.end
            return token.start, token.end
    end = min(character, len(line_text))
    return end, end

"""The matching view of a document: its text as rules read it, with a map back to the original.

Rules are written once for the many ways a contract can be typed. Before any rule looks at a
document, its text is normalised:

- character for character (offsets do not move): full-width letters, digits and punctuation
  fold to ASCII (the width part of NFKC: ``３０天`` reads as ``30天``), curly quotes to straight
  ones, the dashes to ``-``, and traditional Chinese characters (with Taiwan and Hong Kong
  variants) to simplified ones, so a rule written in one script reads both;
- by removing what stands between words without saying anything: a defined-term parenthetical
  (``(the "Agreement")``, ``（以下简称"本协议"）``), a line that
  only carries a page number, a redaction mark (``[* * *]``), a line break inside a Chinese
  sentence (``保存\\n期限``, ``期限为\\n30天``), and a permission aside that is no negation
  ("may, but need not, remove" reads "may remove").

Rule patterns are folded by the same character map (:func:`fold`), so both sides agree; a
space in an English pattern also takes a comma before it ("governed by, and construed in
accordance with, the laws of" reads like the same words without commas), so commas stay in the
view for the values that hold them ("1,000,000", "Springfield, Illinois"). Every
removal is recorded, and :meth:`DocumentView.original` turns a position of the view back into
a position of the original text: evidence always quotes the contract as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from policycheck.document.model import CHINESE_WRAP
from policycheck.facts.firstchars import guarded
from policycheck.patternstore import compile_pattern

_QUOTES_AND_DASHES = {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                      "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "\u3000": " ",
                      "\u00a0": " "}


@lru_cache(maxsize=1)
def _width_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table.update({ord(k): v for k, v in _QUOTES_AND_DASHES.items()})
    return table


@lru_cache(maxsize=1)
def _variant_table() -> dict[int, str]:
    lines = [line for line in Path(__file__).with_name("zh_variants.txt").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    traditional, simplified = lines[0], lines[1]
    return {ord(t): s for t, s in zip(traditional, simplified)}


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    return {**_variant_table(), **_width_table()}


def fold(text: str) -> str:
    """``text`` folded character for character as the view folds a document (same length)."""
    # Only characters outside ASCII fold; telling that a text has none is a quick C loop, and
    # most English contracts (and most of their sentences) have none.
    return text if text.isascii() else text.translate(_fold_table())


_CHINESE_WRAP_REGEX = compile_pattern(CHINESE_WRAP)


def written_form(text: str) -> str:
    """``text`` folded (:func:`fold`) with Chinese line wraps joined, and nothing else removed:
    for what reads the words as written, defined terms included (party names, context words)."""
    folded = fold(text)
    return _CHINESE_WRAP_REGEX.sub("", folded) if "\n" in folded else folded
# What the view leaves out. Each alternative is one kind of thing that stands between words;
# the replacement (empty, or one space) is chosen by ``_replacement``. Behind a lookahead on the
# characters they can start with (firstchars.py), a search passes over most of the text at one
# test a character: half the time of trying each alternative everywhere.
_REMOVED = compile_pattern(guarded(
    # A defined term in brackets: (the "Agreement"), ("Company"), (hereinafter "Licensor"),
    # (each a "Party" and together the "Parties"), （以下简称"本协议"）, （下称“甲方”）.
    r"(?P<term>[ \t]*\((?:[^()\n\"]{0,40}\s)?\"[^\"()\n]{1,60}\"(?:[^()\n]{0,60})\)"
    rf"|\((?:以下|下文|下称|以下简称|简称|以下称)[^()\n]{{0,30}}\)"
    # A redaction mark: [* * *], [***], [*].
    r"|[ \t]*\[\s*\*(?:\s*\*)*\s*\]"
    # A page-number line between two lines of text: "12", "- 12 -", "Page 3 of 10".
    r"|\n[ \t]*(?:-\s*)?(?:page\s+)?[0-9]{1,4}(?:\s+of\s+[0-9]{1,4})?(?:\s*-)?[ \t]*(?=\n))"
    # "may, but need not, remove": an aside that grants a freedom, not a negation.
    r"|(?P<aside>,\s*but\s+(?:need\s+not|(?:is|are|shall\s+be|will\s+be)\s+not\s+(?:obliged|obligated|required)\s+to"
    r"|(?:has|have|shall\s+have|will\s+have)\s+no\s+(?:obligation|duty)\s+to"
    r"|(?:is|are)\s+under\s+no\s+obligation\s+to|without\s+(?:any\s+)?obligation\s+to)\s*,)"
    # A line break inside a Chinese sentence, or before or after a number in one.
    rf"|(?P<wrap>{CHINESE_WRAP})"),
    re.IGNORECASE,
)


def _replacement(match: re.Match) -> str:
    return " " if match.lastgroup == "aside" else ""


class DocumentView:
    """A document's text as rules match it, and the way back to the original positions."""

    __slots__ = ("text", "_view_starts", "_view_ends", "_original_starts", "_original_ends", "_shift")

    def __init__(self, original: str, folded: str | None = None) -> None:
        # ``folded``: ``fold(original)``, when the caller has folded the text already.
        folded = fold(original) if folded is None else folded
        pieces: list[str] = []
        # Per removal: where it starts in the view and in the original, and where it ends.
        view_starts: list[int] = []
        view_ends: list[int] = []
        original_starts: list[int] = []
        original_ends: list[int] = []
        shift = [0]           # original minus view position after the first k removals
        position = view_position = 0
        for match in _REMOVED.finditer(folded):
            start, end = match.span()
            replacement = _replacement(match)
            pieces.append(folded[position:start])
            view_position += start - position
            view_starts.append(view_position)
            original_starts.append(start)
            pieces.append(replacement)
            view_position += len(replacement)
            view_ends.append(view_position)
            original_ends.append(end)
            shift.append(end - view_position)
            position = end
        pieces.append(folded[position:])
        self.text = "".join(pieces)
        self._view_starts, self._view_ends = view_starts, view_ends
        self._original_starts, self._original_ends = original_starts, original_ends
        self._shift = shift

    def original(self, position: int) -> int:
        """The original position of a view position (a start: after any text removed there)."""
        k = bisect_right(self._view_ends, position)
        if k < len(self._view_starts) and self._view_starts[k] <= position:
            # Inside a replacement (a space standing for an aside): its first original character.
            return self._original_starts[k] + (position - self._view_starts[k])
        return position + self._shift[k]

    def original_end(self, position: int) -> int:
        """The original end of a span that ends at a view position (before any text removed there)."""
        if position <= 0:
            return 0
        return self.original(position - 1) + 1

    def view(self, original: int) -> int:
        """The view position of an original position (inside removed text: where it was)."""
        k = bisect_right(self._original_ends, original)
        if k < len(self._original_starts) and self._original_starts[k] <= original:
            return self._view_starts[k] + min(original - self._original_starts[k],
                                              self._view_ends[k] - self._view_starts[k])
        return original - self._shift[k]

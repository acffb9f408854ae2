"""One regex alternation of literal words, as the value readers write them."""

from __future__ import annotations

import re


def alternation(words) -> str:
    """The words as a regex alternation, longest first, so that "US$" is tried before "$" and
    "US dollars" before "dollars"; a space in a word matches any run of whitespace."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)

"""Adversarial contract text, shared by the hostile-input tests and bench/hostile.py.

``HOSTILE_TEXTS`` maps a name to a builder ``size_in_bytes -> str``. ``pattern_worst_cases``
builds, for one language, texts that make a backtracking regex engine work hardest on the
extraction patterns: the patterns' own words repeated (every position starts a partial match),
numbers and numerals without units, long runs without sentence ends.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _fill(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` UTF-8 bytes."""
    return unit * max(1, size // len(unit.encode("utf-8")))


def _long_line(size: int) -> str:
    words = ("the provider shall notify customer within thirty 30 days of any change to governed "
             "arbitration laws of seat data deleted after termination notice period 99.9% uptime")
    return _fill(words + " ", size)


HOSTILE_TEXTS = {
    "one long line": _long_line,
    "one repeated word": lambda size: _fill("arbitration ", size),
    "no spaces": lambda size: _fill("a", size),
    "deep brackets": lambda size: "(" * (size // 2) + ")" * (size // 2),
    "mixed open brackets": lambda size: _fill("([{（【《", size),
    "的 repeated": lambda size: _fill("的", size),
    "numerals repeated (zh)": lambda size: _fill("三十一百零二千万亿点五", size),
    "digits repeated": lambda size: _fill("30 ", size),
    "number words repeated": lambda size: _fill("thirty (30) ", size),
    "governed by the laws of, repeated": lambda size: _fill("governed by the laws of ", size),
    "适用法律 repeated": lambda size: _fill("本协议适用", size),
    "days after termination, repeated": lambda size: _fill("days after termination of ", size),
    "many short lines": lambda size: _fill("governed by\n", size),
    "clause numbers": lambda size: _fill("1.1.1.1 (a) 一、第三条 ", size),
    "full stops repeated": lambda size: _fill(".", size),
    "full stops and exclamation marks": lambda size: _fill(".!", size),
}

_SLOT = re.compile(r"\{\s*(\w+)\s*\}")
_SYNTAX = re.compile(r"[()|?~]")
_SLOT_SAMPLES = {
    "en": {"duration": "thirty (30) days", "percent": "99.9%", "money": "USD 1,000", "jurisdiction": "New York",
           "institution": "ICC", "number": "18"},
    "zh": {"duration": "三十（30）日", "percent": "百分之九十九", "money": "人民币1000元", "jurisdiction": "中国",
           "institution": "中国国际经济贸易仲裁委员会", "number": "十八"},
}


def pattern_tokens(source: str, language: str) -> list[str]:
    """The literal words of a pattern in order, each slot replaced by a sample value."""
    samples = _SLOT_SAMPLES[language]
    text = _SLOT.sub(lambda m: " " + samples.get(m.group(1), "30") + " ", source)
    return [w for w in _SYNTAX.sub(" ", text).split() if w]


def pattern_worst_cases(source: str, language: str, size: int = 3000) -> list[tuple[str, str]]:
    """(label, text) pairs that make a backtracking engine work hardest on one pattern.

    The pattern's own words, in order, repeated densely but never completed (the last word is
    left out), so every start position begins a partial match and every gap has many places to
    stop; then the same with words doubled, and a run of numbers and units.
    """
    tokens = pattern_tokens(source, language) or ["x"]
    joiner = " " if language == "en" else ""
    partial = tokens[:-1] or tokens
    number = "thirty (30) days " if language == "en" else "三十（30）日"
    return [
        ("own words, never completed", _fill(joiner.join(partial) + joiner, size)),
        ("own words doubled", _fill(joiner.join(w + joiner + w for w in partial) + joiner, size)),
        ("own words without spaces", _fill("".join(partial), size)),
        ("first word repeated", _fill(tokens[0] + joiner, size)),
        ("numbers and units", _fill(number, size)),
    ]

"""Percentages as contracts write them: digits, words, per cent, 百分之."""

from __future__ import annotations

import re
from decimal import Decimal

from policycheck.values.numbers import DIGITS, EN_NUMBER_WORD, FULL_WIDTH, ZH_NUMBER, parse_number
from policycheck.values.types import Percent

_SIGN = r"%|％|percent\b|per\s+cent\b"
_EN_WORD = r"percent\b|per\s+cent\b"
PERCENT_PATTERN = (
    rf"(?:{DIGITS}\s*(?:{_SIGN})|百分之{ZH_NUMBER}"
    rf"|{EN_NUMBER_WORD}(?:\s+point(?:\s+(?:zero|one|two|three|four|five|six|seven|eight|nine))+)?\s+(?:{_EN_WORD}))"
)
# What every percentage holds, a sign or a word for it: a clause without one holds none, which
# one search tells quicker than the number-led regex above.
PERCENT_MARK = rf"{_SIGN}|百分之"


_DIGIT_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}


def _percent_number(text: str):
    """'99.9', 'ninety-nine', 'ninety-nine point nine' -> a number."""
    whole, _, decimals = text.lower().partition(" point ")
    number = parse_number(whole)
    if number is None or not decimals:
        return number
    digits = [_DIGIT_WORDS.get(word) for word in decimals.split()]
    return None if None in digits else Decimal(f"{number}.{''.join(digits)}")


def parse_percent(text: str) -> Percent | None:
    """A percent span ('99.9%', 'ninety-nine point nine per cent', '百分之九十九点九'), at most 100."""
    cleaned = text.translate(FULL_WIDTH).strip()
    if cleaned.startswith("百分之"):
        number = parse_number(cleaned[3:])
    else:
        number = _percent_number(re.sub(r"\s*(%|percent|per\s+cent)$", "", cleaned, flags=re.IGNORECASE))
    if number is None or number > 100:
        return None
    return Percent(number)

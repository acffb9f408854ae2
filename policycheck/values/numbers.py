"""Numbers written in digits, English words, or Chinese numerals.

Each parser takes a span an extraction pattern has already isolated and returns a Decimal, or
None when the span is not a number. Nothing here rewrites whole sentences: 统一, 唯一 and 一旦
are only ever seen by these functions if a pattern hands them over, and the patterns only hand
over spans that sit directly before a unit.
"""

from __future__ import annotations

import re

from decimal import Decimal, InvalidOperation

from policycheck.values.alternation import alternation

FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_JOINED_BY_AND = frozenset(_EN_SCALES)
_EN_SPECIAL = {"a": 1, "an": 1, "one-half": Decimal("0.5"), "half": Decimal("0.5"), "a half": Decimal("0.5")}

# A regex fragment that finds an English number in words (used to build patterns), from the
# words above. Longest words first and whole words only: "eighteen" is never "eight" followed by
# "een". A number opens with a unit, a ten, "hundred" or "thousand" ("thousand dollars"), never
# with "million" ("multi-million dollars" is no amount); "and" comes only after a scale word ("one
# hundred and twenty", "three million and fifty thousand"): "three and five" is two numbers.
_EN_FIRST_WORD_ALT = alternation([*_EN_UNITS, *_EN_TENS, "hundred", "thousand"])
_EN_WORD_ALT = alternation([*(word for word in _EN_UNITS if word != "zero"), *_EN_TENS, *_EN_SCALES])
EN_NUMBER_WORD = (
    rf"(?:(?:{_EN_FIRST_WORD_ALT})(?![A-Za-z])"
    # Up to nine words: "three million seven hundred and fifty thousand" is one number, and a
    # shorter limit would read its tail ("seven hundred and fifty thousand") as another.
    rf"(?:(?:(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+|[\s-]+)(?:{_EN_WORD_ALT})(?![A-Za-z])){{0,8}})"
)
DIGITS = r"(?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?"


def parse_digits(text: str) -> Decimal | None:
    cleaned = text.translate(FULL_WIDTH).replace(",", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_english_words(text: str) -> Decimal | None:
    """'thirty-five' -> 35, 'one hundred and twenty' -> 120, 'a' -> 1; None if not a number."""
    raw = text.lower().replace("-", " ").split()
    # "and" only joins a hundred or a thousand to what follows ("one hundred and twenty");
    # "three and five" is two numbers, not eight.
    if any(w == "and" and (i == 0 or raw[i - 1] not in _JOINED_BY_AND) for i, w in enumerate(raw)):
        return None
    words = [w for w in raw if w != "and"]
    if not words:
        return None
    joined = " ".join(words)
    if joined in _EN_SPECIAL:
        return Decimal(_EN_SPECIAL[joined])
    total = 0
    current = 0
    previous = None
    for word in words:
        if word in _EN_UNITS:
            if previous in ("unit",):
                return None             # "three five" is not a number
            current += _EN_UNITS[word]
            previous = "unit"
        elif word in _EN_TENS:
            if previous in ("unit", "tens"):
                return None
            current += _EN_TENS[word]
            previous = "tens"
        elif word == "hundred":
            current = max(current, 1) * 100
            previous = "scale"
        elif word in _EN_SCALES:
            total += max(current, 1) * _EN_SCALES[word]
            current = 0
            previous = "scale"
        else:
            return None
    return Decimal(total + current)


def parse_english_number(text: str) -> Decimal | None:
    """Digits (with thousands separators, full-width) or English number words."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped[0].isdigit():
        return parse_digits(stripped)
    return parse_english_words(stripped)


_ZH_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "参": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_ZH_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
ZH_NUMERAL_CHARS = "".join(_ZH_DIGITS) + "".join(_ZH_SMALL_UNITS) + "".join(_ZH_BIG_UNITS)

# A regex fragment for a Chinese numeral (optionally with 点 decimals), or digits.
ZH_NUMBER = rf"(?:[{ZH_NUMERAL_CHARS}]+(?:[点點][{''.join(_ZH_DIGITS)}]+)?|{DIGITS})"


def _parse_zh_integer(text: str) -> int | None:
    if not text:
        return None
    if all(ch in _ZH_DIGITS for ch in text) and len(text) > 1:
        # 二〇二四 style: digit by digit.
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in _ZH_DIGITS:
            if digit is not None and _ZH_DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row without a unit, e.g. 一二十
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_SMALL_UNITS:
            unit = _ZH_SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit = None
        elif ch in _ZH_BIG_UNITS:
            section += digit or 0
            total += max(section, 1) * _ZH_BIG_UNITS[ch]
            section = 0
            digit = None
        else:
            return None
    section += digit or 0
    return total + section


def parse_chinese_number(text: str) -> Decimal | None:
    """三 -> 3, 六十 -> 60, 十五 -> 15, 七十二 -> 72, 叁拾 -> 30, 九十九点九 -> 99.9, ３０ -> 30."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.translate(FULL_WIDTH)[0].isdigit():
        return parse_digits(stripped)
    integer_part, _, fraction_part = stripped.replace("點", "点").partition("点")
    integer = _parse_zh_integer(integer_part)
    if integer is None:
        return None
    if not fraction_part:
        return Decimal(integer)
    if not all(ch in _ZH_DIGITS for ch in fraction_part):
        return None
    return Decimal(f"{integer}." + "".join(str(_ZH_DIGITS[ch]) for ch in fraction_part))


def parse_number(text: str) -> Decimal | None:
    """Any of the forms above: digits, English words, Chinese numerals."""
    stripped = text.strip()
    if not stripped:
        return None
    first = stripped.translate(FULL_WIDTH)[0]
    if first.isdigit():
        return parse_digits(stripped)
    if first in ZH_NUMERAL_CHARS:
        return parse_chinese_number(stripped)
    return parse_english_words(stripped)


# --- numbers as counts and ages ------------------------------------------------------------

# "sixteen (16)": the word and its digits; the digits are read.
NUMBER_PATTERN = rf"(?:{EN_NUMBER_WORD}\s*\(\s*{DIGITS}\s*\)|{DIGITS}|{EN_NUMBER_WORD}|{ZH_NUMBER})"
_DOUBLED = re.compile(rf"^.*\(\s*({DIGITS})\s*\)$", re.DOTALL)


def parse_count(text: str) -> Decimal | None:
    """A number as a count or an age: "18", "eighteen", "sixteen (16)" (the digits are read), 十六."""
    doubled = _DOUBLED.match(text.strip())
    return parse_number(doubled.group(1) if doubled else text)

"""Durations as contracts write them, in English and Chinese.

``DURATION_PATTERN`` is a regex fragment (no named groups) that extraction patterns embed for a
``{duration}`` slot; ``parse_duration`` turns the span it matched into a typed reading with the
comparator ("at least", "within", 以内, 超过) and, for ranges, both ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from policycheck.patternstore import compile_pattern
from policycheck.values.numbers import DIGITS, EN_NUMBER_WORD, ZH_NUMBER, parse_number
from policycheck.values.types import Duration

# Unit words -> unit code. Longest alternatives first so "business days" beats "days".
_EN_UNITS = [
    (r"business\s+days?|working\s+days?|banking\s+days?", "bd"),
    (r"calendar\s+days?|days?", "d"),
    (r"hours?|hrs?", "h"),
    (r"minutes?|mins?", "min"),
    (r"weeks?", "w"),
    (r"calendar\s+months?|months?", "mo"),
    (r"calendar\s+years?|years?", "y"),
]
_ZH_UNITS = [
    (r"个工作日|個工作日|工作日", "bd"),
    (r"个自然日|個自然日|自然日|个日历日|個日曆日|日历日|日曆日|天|日", "d"),
    (r"个小时|個小時|小时|小時|个钟头|钟头", "h"),
    (r"分钟|分鐘", "min"),
    (r"个季度|個季度|季度", "quarter"),
    (r"周年|週年", "y"),
    (r"个星期|個星期|星期|礼拜|禮拜|个周|個週|周|週", "w"),
    (r"个月|個月|个自然月|個自然月|自然月", "mo"),
    (r"个年度|個年度|年度|年", "y"),
]

_EN_AT_LEAST = r"at\s+least|not\s+less\s+than|no\s+less\s+than|no\s+fewer\s+than|not\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of|no\s+earlier\s+than|not\s+earlier\s+than|no\s+sooner\s+than|not\s+sooner\s+than"
_EN_AT_MOST = r"within|no\s+later\s+than|not\s+later\s+than|up\s+to|not\s+more\s+than|no\s+more\s+than|at\s+most|not\s+exceeding|not\s+to\s+exceed|a\s+maximum\s+of|maximum\s+of|no\s+longer\s+than|not\s+longer\s+than|in\s+no\s+event\s+more\s+than"
_EN_MORE = r"more\s+than|longer\s+than|over|in\s+excess\s+of|exceeding"
_EN_LESS = r"less\s+than|fewer\s+than|shorter\s+than|under"

_EN_NUM = rf"(?:{DIGITS}|{EN_NUMBER_WORD}|an?)"
_EN_UNIT = "|".join(pattern for pattern, _ in _EN_UNITS)
# "twelve (12) consecutive months": a word between the number and its unit that does not change it.
_EN_UNIT_LEAD = r"(?:(?:consecutive|continuous|full|successive|complete|whole)\s+)?"
# "4 to 48 hours", "12 hours and up to 72 hours": the words that join the two ends of a range.
_EN_RANGE_JOIN = r"and\s+up\s+to|and\s+at\s+most|up\s+to|to|and|-|–|~"
# Scanned text: "one (I) year" (a capital I or small l read for the digit 1, taken as the word's
# double), "one-(1) year", "3~year" (a hyphen read as a tilde).
_EN_OCR_ONE = r"[Il]"


def _en_figure_then_unit_space(group: str = "") -> str:
    """The figure after a number written in words, "(30)", "-(1)" or a scanned "(I)", and the
    space before its unit; ``group`` names the figure for the parser."""
    figure = f"(?P<{group}>{DIGITS})" if group else DIGITS
    return rf"(?:[\s-]*\(\s*(?:{figure}|{_EN_OCR_ONE})\s*\))?[\s~-]*"


_EN_ONE = rf"{_EN_NUM}{_en_figure_then_unit_space()}{_EN_UNIT_LEAD}(?:{_EN_UNIT})\b"
_EN_RANGE = (
    rf"(?:between\s+)?{_EN_NUM}(?:\s*\(\s*{DIGITS}\s*\))?\s*(?:(?:{_EN_UNIT})\s*)?"
    rf"(?:{_EN_RANGE_JOIN})\s*{_EN_NUM}(?:\s*\(\s*{DIGITS}\s*\))?[\s-]*{_EN_UNIT_LEAD}(?:{_EN_UNIT})\b"
)
# "no earlier than 30 days and no later than 60 days": both bounds of one period, read as a range.
_EN_BOUNDED = (
    rf"(?:{_EN_AT_LEAST})\s+{_EN_ONE}\s*,?\s*(?:and|but)\s+(?:{_EN_AT_MOST})\s+{_EN_ONE}"
)
_EN_CMP = rf"(?:(?:{_EN_AT_LEAST}|{_EN_AT_MOST}|{_EN_MORE}|{_EN_LESS})\s+(?:a\s+period\s+of\s+)?)?"
DURATION_EN = rf"(?:{_EN_BOUNDED}|{_EN_CMP}(?:(?:a\s+period\s+of|a\s+term\s+of)\s+)?(?:{_EN_RANGE}|{_EN_ONE}|half\s+an?\s+(?:hour|day|month|year)\b|(?:one\s+and\s+a\s+half|a\s+year\s+and\s+a\s+half)\s+(?:years?)?))(?:['’]s?(?![A-Za-z]))?"  # "thirty (30) days' notice": the possessive mark belongs to the span

_ZH_UNIT = "|".join(pattern for pattern, _ in _ZH_UNITS)
# A Chinese numeral starts a quantity only where it is not the tail of a word or a date:
# 第一天 (an ordinal), 统一/唯一/同一日 (words), 十五日 seen from 五, 1月1日 (a date).
_ZH_NUMERAL_START = (r"(?<![一二三四五六七八九十百千万零〇两壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬0-9０-９.．第唯每逐某月年号號])"
                     r"(?<![^合]同)(?<![^系]统)(?<![^系]統)(?<!^同)(?<!^统)(?<!^統)")
# 三十（30）日: a numeral doubled in digits; the digits are what is read.
_ZH_DOUBLED = rf"(?:\s*[(（]\s*{DIGITS}\s*[)）])?"
# 2024年1月 is a date, not a duration of 2024 years.
_ZH_NOT_DATE = r"(?![0-9０-９一二三四五六七八九十〇零]{1,2}月)"
# A comparator before the number; 至少提前三十日 keeps its comparator (提前 "in advance" is dropped).
# 不会超过, 不得少于: a modal verb between 不 and the comparison (read as without it).
_ZH_MODAL_CMP = r"不[会會得应應能可宜](?:超过|超過|超出|多于|多於|长于|長於|少于|少於|低于|低於|短于|短於)"
_ZH_CMP_WORDS = (rf"{_ZH_MODAL_CMP}|不少于|不少於|不低于|不低於|不短于|不短於|至少|最少|最短|不超过|不超過|不超出|不多于|不多於|不长于|"
              r"不長於|最长|最長|最多|超过|超過|超出|多于|多於|少于|少於|低于|低於|不满|不滿|不足|满|滿")
_ZH_PREFIX = rf"(?:(?:{_ZH_CMP_WORDS})(?:提前)?)?"
_TRADITIONAL = str.maketrans("於過長滿", "于过长满")
_ZH_SUFFIX_WORDS = r"或更长时间|或更長時間|或更长|或更長|或以上|以上|以下|以内|以內|之内|之內|内|內|之后|之後|以后|以後|后|後|届满|屆滿|为限|為限"
_ZH_SUFFIX = rf"(?:{_ZH_SUFFIX_WORDS})?"
_ZH_ONE = rf"{_ZH_NUMERAL_START}{ZH_NUMBER}{_ZH_DOUBLED}\s*(?:{_ZH_UNIT}){_ZH_NOT_DATE}(?:半)?"
_ZH_RANGE = (rf"{_ZH_NUMERAL_START}{ZH_NUMBER}{_ZH_DOUBLED}\s*(?:(?:{_ZH_UNIT})\s*)?(?:至|到|-|－|–|~|～)\s*"
             rf"{ZH_NUMBER}{_ZH_DOUBLED}\s*(?:{_ZH_UNIT})")
_ZH_HALF = r"(?<![一二三四五六七八九十百千万两0-9０-９])半(?:个|個)?(?:月|年|小时|小時|天|日)|[一壹1](?:个|個)?半(?:月|小时|小時)|[一壹1]年半"
DURATION_ZH = rf"(?:{_ZH_PREFIX}(?:{_ZH_HALF}|{_ZH_RANGE}|{_ZH_ONE}){_ZH_SUFFIX})"

DURATION_PATTERN = rf"(?:{DURATION_EN}|{DURATION_ZH})"
# The words before the number that a duration's span may take in ("at least", "within", "a
# period of", 不少于): a rule may spell them itself ("within {duration}") or leave them to the
# slot ("{duration}"), and both must read "within 30 days".
DURATION_LEAD = (rf"(?:(?:{_EN_AT_LEAST}|{_EN_AT_MOST}|{_EN_MORE}|{_EN_LESS})\s+(?:a\s+period\s+of\s+)?"
                 rf"|(?:a\s+period\s+of|a\s+term\s+of)\s+|(?:{_ZH_CMP_WORDS})(?:提前)?)")
# Every duration names its unit: a clause without a unit word holds none (a cheap test before
# the duration regex, which may start at almost any word).
DURATION_UNIT_WORDS = "|".join(pattern for pattern, _ in _EN_UNITS + _ZH_UNITS)
# The words after the unit that the span may take in ("days'", 以内, 之后), for the same reason.
DURATION_TAIL_EN = r"['’]s?(?![A-Za-z])"
DURATION_TAIL_ZH = _ZH_SUFFIX_WORDS
DURATION_TAIL = rf"(?:{DURATION_TAIL_EN}|{DURATION_TAIL_ZH})"


@dataclass(frozen=True)
class DurationReading:
    """What a duration span says: its value, the comparator, and both ends of a range."""

    value: Duration
    comparator: str | None = None   # at_least | at_most | more_than | less_than
    low: Duration | None = None
    high: Duration | None = None


@lru_cache(maxsize=None)
def _whole_word(pattern: str):
    """A table entry's case-insensitive full match; ``re.fullmatch`` would look the pattern
    up in re's cache on every call, which costs more than the match."""
    return re.compile(pattern, re.IGNORECASE).fullmatch


def _unit_code(unit_text: str, table: list[tuple[str, str]]) -> str | None:
    unit_text = unit_text.strip()
    for pattern, code in table:
        if _whole_word(pattern)(unit_text):
            return code
    return None


_EN_PARSE = compile_pattern(
    rf"^(?P<cmp>{_EN_AT_LEAST}|{_EN_AT_MOST}|{_EN_MORE}|{_EN_LESS})?\s*(?:a\s+period\s+of\s+|a\s+term\s+of\s+)?"
    rf"(?:between\s+)?(?P<a>{_EN_NUM}){_en_figure_then_unit_space('ap')}(?:{_EN_UNIT_LEAD}(?P<au>{_EN_UNIT})\s*)?"
    rf"(?:(?:{_EN_RANGE_JOIN})\s*(?P<b>{_EN_NUM})(?:\s*\(\s*(?P<bp>{DIGITS})\s*\))?[\s-]*{_EN_UNIT_LEAD}(?P<bu>{_EN_UNIT}))?$",
    re.IGNORECASE,
)
_EN_HALF = compile_pattern(r"^(?P<cmp>.*?)\s*half\s+an?\s+(?P<u>hour|day|month|year)$", re.IGNORECASE)
_EN_ONE_AND_HALF = compile_pattern(r"^(?P<cmp>.*?)\s*(?:one\s+and\s+a\s+half|a\s+year\s+and\s+a\s+half)\s*(?:years?)?$", re.IGNORECASE)

_ZH_PARSE = compile_pattern(
    rf"^(?P<pre>{_ZH_PREFIX})(?P<a>{ZH_NUMBER})(?:[(（](?P<ap>{DIGITS})[)）])?(?:(?P<au>{_ZH_UNIT}))?"
    rf"(?:(?:至|到|-|－|–|~|～)(?P<b>{ZH_NUMBER})(?:[(（](?P<bp>{DIGITS})[)）])?(?P<bu>{_ZH_UNIT}))?"
    rf"(?P<half>半)?(?P<suf>{_ZH_SUFFIX})$"
)
_ZH_HALF_PARSE = compile_pattern(rf"^(?P<pre>{_ZH_PREFIX})(?P<h>{_ZH_HALF})(?P<suf>{_ZH_SUFFIX})$")

_EN_COMPARATORS = [
    (_EN_AT_LEAST, "at_least"), (_EN_AT_MOST, "at_most"), (_EN_MORE, "more_than"), (_EN_LESS, "less_than"),
]
_ZH_MODAL = re.compile(r"^不[会會得应應能可宜]")
_ZH_PREFIX_COMPARATORS = {
    "不少于": "at_least", "不低于": "at_least", "不短于": "at_least", "至少": "at_least", "最少": "at_least",
    "最短": "at_least", "满": "at_least",
    "不超过": "at_most", "不超出": "at_most", "不多于": "at_most", "不长于": "at_most", "最长": "at_most",
    "最多": "at_most",
    "超过": "more_than", "超出": "more_than", "多于": "more_than",
    "少于": "less_than", "低于": "less_than", "不满": "less_than", "不足": "less_than",
}
_ZH_SUFFIX_COMPARATORS = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "以內": "at_most",
                          "之内": "at_most", "之內": "at_most", "内": "at_most", "內": "at_most", "届满": "at_least",
                          "屆满": "at_least", "为限": "at_most", "為限": "at_most",
                          "或更长时间": "at_least", "或更长時間": "at_least", "或更长": "at_least",
                          "或以上": "at_least"}


def _zh_comparator(prefix: str | None, suffix: str | None) -> str | None:
    prefix = _ZH_MODAL.sub("不", (prefix or "").translate(_TRADITIONAL).removesuffix("提前"))
    suffix = (suffix or "").translate(_TRADITIONAL)
    return _ZH_PREFIX_COMPARATORS.get(prefix) or _ZH_SUFFIX_COMPARATORS.get(suffix)


def _en_comparator(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    for pattern, name in _EN_COMPARATORS:
        if _whole_word(pattern)(text):
            return name
    return None


def _make(amount: Decimal | Fraction, unit: str) -> Duration:
    if unit == "min":
        return Duration(Fraction(amount) / 60, "h")
    if unit == "quarter":
        return Duration(Fraction(amount) * 3, "mo")
    return Duration(Fraction(amount), unit)


def _exact_in_hours(minutes: Fraction) -> bool:
    """30 minutes is 0.5h; 10 minutes would be 0.1666...h, which no policy literal can state."""
    denominator = (minutes / 60).denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


_EN_BOUNDED_PARSE = re.compile(rf"^(?:{_EN_AT_LEAST})\s+(?P<low>.+?)\s*,?\s*(?:and|but)\s+(?:{_EN_AT_MOST})\s+(?P<high>.+)$",
                               re.IGNORECASE)


_ARTICLE = re.compile(r"an?", re.IGNORECASE)


def _parse_en(text: str) -> DurationReading | None:
    bounded = _EN_BOUNDED_PARSE.match(text)
    if bounded:
        low, high = _parse_en(bounded["low"]), _parse_en(bounded["high"])
        if low is None or high is None or low.low is not None or high.low is not None:
            return None
        return DurationReading(high.value, None, low.value, high.value)
    half = _EN_HALF.match(text)
    if half:
        unit = {"hour": "h", "day": "d", "month": "mo", "year": "y"}[half["u"].lower()]
        value = _make(Fraction(1, 2), unit) if unit not in ("mo", "y") else _make(6, "mo") if unit == "y" else _make(15, "d")
        return DurationReading(value, _en_comparator(half["cmp"]))
    one_and_half = _EN_ONE_AND_HALF.match(text)
    if one_and_half:
        return DurationReading(_make(18, "mo"), _en_comparator(one_and_half["cmp"]))
    match = _EN_PARSE.match(text)
    if not match:
        return None
    comparator = _en_comparator(match["cmp"])
    first = parse_number(match["ap"] or match["a"])
    if first is None:
        return None
    if match["b"]:
        second = parse_number(match["bp"] or match["b"])
        unit = _unit_code(match["bu"], _EN_UNITS)
        low_unit = _unit_code(match["au"], _EN_UNITS) if match["au"] else unit
        if second is None or unit is None or low_unit is None:
            return None
        if "min" in (unit, low_unit) and not (_exact_in_hours(Fraction(first)) and _exact_in_hours(Fraction(second))):
            return None
        low, high = _make(first, low_unit), _make(second, unit)
        return DurationReading(high, comparator, low, high)
    unit = _unit_code(match["au"] or "", _EN_UNITS)
    if unit is None or (unit == "min" and not _exact_in_hours(Fraction(first))):
        return None
    if _ARTICLE.fullmatch(match["a"] or "") and (match["au"] or "").lower().endswith("s"):
        # "a months warranty" is no month: the article stands for one only before a singular
        # unit, and before a plural one something (a redaction, "a [*] months") hid the number.
        return None
    return DurationReading(_make(first, unit), comparator)


def _half_value(text: str) -> Duration | None:
    core = text.replace("個", "个").replace("小時", "小时").replace("壹", "一").replace("1", "一")
    table = {
        "半个月": _make(15, "d"), "半月": _make(15, "d"), "半年": _make(6, "mo"), "半个年": _make(6, "mo"),
        "半个小时": _make(Fraction(1, 2), "h"), "半小时": _make(Fraction(1, 2), "h"),
        "半天": _make(Fraction(1, 2), "d"), "半日": _make(Fraction(1, 2), "d"),
        "一年半": _make(18, "mo"), "一个半月": _make(45, "d"), "一个半小时": _make(Fraction(3, 2), "h"),
        "一半小时": _make(Fraction(3, 2), "h"),
    }
    return table.get(core)


def _parse_zh(text: str) -> DurationReading | None:
    half = _ZH_HALF_PARSE.match(text)
    if half:
        value = _half_value(half["h"])
        if value is None:
            return None
        comparator = _zh_comparator(half["pre"], half["suf"])
        return DurationReading(value, comparator)
    match = _ZH_PARSE.match(text)
    if not match:
        return None
    comparator = _zh_comparator(match["pre"], match["suf"])
    first = parse_number(match["ap"] or match["a"])
    if first is None:
        return None
    if match["b"]:
        second = parse_number(match["bp"] or match["b"])
        unit = _unit_code(match["bu"], _ZH_UNITS)
        low_unit = _unit_code(match["au"], _ZH_UNITS) if match["au"] else unit
        if second is None or unit is None or low_unit is None:
            return None
        if "min" in (unit, low_unit) and not (_exact_in_hours(Fraction(first)) and _exact_in_hours(Fraction(second))):
            return None
        low, high = _make(first, low_unit), _make(second, unit)
        return DurationReading(high, comparator, low, high)
    unit = _unit_code(match["au"] or "", _ZH_UNITS)
    if unit is None:
        return None
    amount = Fraction(first)
    if match["half"]:
        amount += Fraction(1, 2)
    if unit == "y" and amount >= 1000:
        return None   # a calendar year (2024年), not a length of time
    if unit == "min" and not _exact_in_hours(amount):
        return None
    return DurationReading(_make(amount, unit), comparator)


_EN_COMPARATOR_BEFORE = compile_pattern(rf"(?:^|[^A-Za-z])({_EN_AT_LEAST}|{_EN_AT_MOST}|{_EN_MORE}|{_EN_LESS})\s*$", re.IGNORECASE)


def comparator_before(text: str) -> str | None:
    """The comparator that ends ``text`` ("must be brought within" -> at_most): a pattern may
    spell the comparator itself, before its {duration} slot, and the reading still keeps it."""
    match = _EN_COMPARATOR_BEFORE.search(text[-40:])
    return _en_comparator(match.group(1)) if match else None


_POSSESSIVE_END = re.compile(r"['’]s?$", re.IGNORECASE)


def parse_duration(text: str) -> DurationReading | None:
    """Read a duration span ('thirty (30) days', 'within 72 hours', '三个月', '4至48小时')."""
    stripped = _POSSESSIVE_END.sub("", " ".join(text.split()))
    if not stripped:
        return None
    return _parse_en(stripped) or _parse_zh(stripped.replace(" ", ""))

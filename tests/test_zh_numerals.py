"""Chinese numerals, durations, percents and money, read from spans a pattern isolated."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from policycheck.facts.slots import slots
from policycheck.values.durations import DURATION_PATTERN, parse_duration
from policycheck.values.numbers import parse_chinese_number, parse_number


@pytest.mark.parametrize("text, number", [
    ("三", 3), ("十五", 15), ("六十", 60), ("七十二", 72), ("一百零五", 105), ("两", 2), ("兩", 2),
    ("叁拾", 30), ("壹佰", 100), ("伍万", 50000), ("九十九点五", Decimal("99.5")), ("九十九點九", Decimal("99.9")),
    ("３０", 30), ("二〇二四", 2024),
])
def test_chinese_numbers(text, number):
    assert parse_chinese_number(text) == Decimal(number)
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["统一", "唯一", "一旦", "一般", "一式两份"])
def test_words_holding_a_numeral_are_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["统一天", "唯一日志", "第一天", "同一日", "一般", "一旦", "一式两份",
                                  "2024年1月1日", "每月5日", "第三条", "星期一"])
def test_no_duration_inside_words_dates_or_ordinals(text):
    assert re.search(DURATION_PATTERN, text) is None, text


@pytest.mark.parametrize("text, literal, comparator, low, high", [
    ("三个月", "3mo", None, None, None),
    ("六十天", "60d", None, None, None),
    ("十五日", "15d", None, None, None),
    ("七十二小时", "72h", None, None, None),
    ("一个工作日", "1bd", None, None, None),
    ("两个月", "2mo", None, None, None),
    ("半年", "6mo", None, None, None),
    ("一年半", "18mo", None, None, None),
    ("三至五个工作日", "5bd", None, "3bd", "5bd"),
    ("4至48小时", "48h", None, "4h", "48h"),
    ("３０日", "30d", None, None, None),
    ("壹年", "1y", None, None, None),
    ("叁拾日", "30d", None, None, None),
    ("三十（30）日", "30d", None, None, None),
    ("一周", "1w", None, None, None),
    ("一周年", "1y", None, None, None),
    ("十二個月", "12mo", None, None, None),
    # comparators: 以上/以内/不低于/不超过/届满 include the bound, 超过/不满 exclude it
    ("九十日以上", "90d", "at_least", None, None),
    ("三十日以内", "30d", "at_most", None, None),
    ("不低于六个月", "6mo", "at_least", None, None),
    ("不超过三十日", "30d", "at_most", None, None),
    ("不超過三十日", "30d", "at_most", None, None),
    ("三个月届满", "3mo", "at_least", None, None),
    ("超过15天", "15d", "more_than", None, None),
    ("不满一年", "1y", "less_than", None, None),
    ("至少提前三十日", "30d", "at_least", None, None),
    ("三十分钟", "0.5h", None, None, None),
    ("15分鐘", "0.25h", None, None, None),
    ("两个季度", "6mo", None, None, None),
    ("一周或更长时间", "1w", "at_least", None, None),
    ("三十日或以上", "30d", "at_least", None, None),
    # a modal verb between 不 and the comparison: read as without it
    ("不会超过三天", "3d", "at_most", None, None),
    ("不得超過七日", "7d", "at_most", None, None),
    ("不应少于六个月", "6mo", "at_least", None, None),
    ("不能低于九十日", "90d", "at_least", None, None),
    ("三十个日历日", "30d", None, None, None),
    ("十個日曆日內", "10d", "at_most", None, None),
])
def test_chinese_durations(text, literal, comparator, low, high):
    reading = parse_duration(text)
    assert reading is not None, text
    assert reading.value.literal() == literal
    assert reading.comparator == comparator
    if low:
        assert (reading.low.literal(), reading.high.literal()) == (low, high)
    else:
        assert reading.low is None


def test_a_calendar_year_is_not_a_duration():
    assert parse_duration("2024年") is None


def test_minutes_no_policy_literal_can_state_are_not_read():
    assert parse_duration("十分钟") is None          # 0.1666...h
    assert parse_duration("4至30分钟") is None


@pytest.mark.parametrize("text, literal", [
    ("百分之九十九点五", "99.5%"), ("百分之九十九點九", "99.9%"), ("99.9％", "99.9%"), ("９９.９％", "99.9%"),
])
def test_percents(text, literal):
    reading = slots()["percent"].read(text)
    assert reading.value.literal() == literal


@pytest.mark.parametrize("text, literal", [
    ("人民币伍拾万元", "CNY 500000"), ("伍万元", "CNY 50000"), ("5万元", "CNY 50000"),
    ("人民币50,000元", "CNY 50000"), ("10万美元", "USD 100000"), ("￥5000元", "CNY 5000"),
    # Currencies other than the renminbi, named before or after the amount, and the formal 3
    # as the view writes 參 (traditional folded to simplified).
    ("新台币参仟元", "TWD 3000"), ("新台幣3,000元", "TWD 3000"), ("港币一万元", "HKD 10000"), ("5000港元", "HKD 5000"),
    ("澳门元8000", "MOP 8000"), ("20万欧元", "EUR 200000"), ("100万日元", "JPY 1000000"), ("叁佰元", "CNY 300"),
])
def test_money(text, literal):
    assert slots()["money"].read(text).value.literal() == literal

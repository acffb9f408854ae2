"""English value parsers on their own: numbers, durations, percents, money, jurisdictions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from policycheck.facts.slots import slots
from policycheck.values.durations import comparator_before, parse_duration
from policycheck.values.jurisdictions import lookup_name
from policycheck.values.numbers import parse_english_number, parse_number


@pytest.mark.parametrize("text, expected", [
    ("thirty", 30), ("thirty-five", 35), ("one hundred and twenty", 120), ("twelve", 12),
    ("1,000,000", 1000000), ("99.95", Decimal("99.95")), ("a", 1), ("ninety", 90),
])
def test_numbers(text, expected):
    assert parse_english_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["many", "several", "thirty apples", ""])
def test_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, literal, comparator, bounds", [
    ("thirty (30) days", "30d", None, None),
    ("within thirty (30) minutes", "0.5h", "at_most", None),
    ("90 minutes", "1.5h", None, None),
    ("90 days", "90d", None, None),
    ("within seventy-two (72) hours", "72h", "at_most", None),
    ("at least sixty (60) days", "60d", "at_least", None),
    ("no later than ninety (90) days", "90d", "at_most", None),
    ("more than two (2) years", "2y", "more_than", None),
    ("one (1) business day", "1bd", None, None),
    ("twelve (12) consecutive months", "12mo", None, None),
    ("a period of six (6) months", "6mo", None, None),
    ("4 to 48 hours", "48h", None, ("4h", "48h")),
    ("between three and five business days", "5bd", None, ("3bd", "5bd")),
    ("12 hours and up to 72 hours", "72h", None, ("12h", "72h")),
    ("no earlier than 30 days and no later than 60 days", "60d", None, ("30d", "60d")),
    ("thirty (30) days'", "30d", None, None),
    ("one month's", "1mo", None, None),
    ("half a year", "6mo", None, None),
])
def test_durations(text, literal, comparator, bounds):
    reading = parse_duration(text)
    assert reading is not None and reading.value.literal() == literal
    assert reading.comparator == comparator
    if bounds:
        assert (reading.low.literal(), reading.high.literal()) == bounds
    else:
        assert reading.low is None


@pytest.mark.parametrize("text", ["section 12", "30", "days", "twelve apples",
                                  "10 minutes", "a minimum",    # 10 minutes: no policy literal states 1/6 h
                                  # an article counts one only before a singular unit
                                  "a months", "an hours", "a business days"])
def test_not_durations(text):
    assert parse_duration(text) is None


def test_comparator_spelled_before_a_slot():
    assert comparator_before("claims must be brought within ") == "at_most"
    assert comparator_before("notice of at least ") == "at_least"
    assert comparator_before("the fees paid in the ") is None


@pytest.mark.parametrize("text, literal", [
    ("USD 1,000,000", "USD 1000000"), ("$2 million", "USD 2000000"), ("US$500,000", "USD 500000"),
    ("€250,000", "EUR 250000"), ("£10,000", "GBP 10000"), ("SGD 250,000", "SGD 250000"),
    ("CAD 500,000", "CAD 500000"), ("1,000 US dollars", "USD 1000"),
    # A dollar sign with a country's letters is that country's dollar, not the US one.
    ("NT$3,000", "TWD 3000"), ("A$500", "AUD 500"), ("C$1,000", "CAD 1000"), ("NZ$750", "NZD 750"),
    ("HK$2,000", "HKD 2000"), ("S$300", "SGD 300"),
    ("500 Canadian dollars", "CAD 500"), ("1,000 Swiss francs", "CHF 1000"), ("₹10,000", "INR 10000"),
    ("Rs. 25,000", "INR 25000"), ("£1m", "GBP 1000000"), ("$250k", "USD 250000"), ("€2.5 million", "EUR 2500000"),
    # Dots between groups of three digits in euros are thousands separators.
    ("€5.000", "EUR 5000"),
])
def test_money(text, literal):
    reading = slots()["money"].read(text)
    assert reading is not None and reading.value.literal() == literal


@pytest.mark.parametrize("text", ["hours. 10,000", "try 500", "500 units", "$"])
def test_not_money(text):
    assert slots()["money"].read(text) is None


@pytest.mark.parametrize("text, literal", [("99.9%", "99.9%"), ("99.95 percent", "99.95%"), ("99.5 per cent", "99.5%")])
def test_percent(text, literal):
    assert slots()["percent"].read(text).value.literal() == literal


def test_percent_over_a_hundred_is_not_a_percent():
    assert slots()["percent"].read("150%") is None


@pytest.mark.parametrize("text, code, place", [
    ("the State of New York", "US-NY", None), ("New York", "US-NY", None), ("the State of Washington", "US-WA", None),
    ("England and Wales", "GB-EAW", None), ("Scotland", "GB-SCT", None), ("Ontario", "CA-ON", None),
    ("the Province of Ontario", "CA-ON", None), ("Hong Kong SAR", "HK", None), ("Singapore", "SG", None),
    ("the People's Republic of China", "CN", None), ("San Francisco", "US-CA", "San Francisco"),
    ("Wilmington", "US-DE", "Wilmington"), ("Alberta", "CA-AB", None),
])
def test_jurisdictions(text, code, place):
    found = lookup_name(text)
    assert found is not None and (found.code, found.place) == (code, place)


def test_number_slot_reads_the_digits_of_a_doubled_number():
    assert slots()["number"].read("sixteen (16)").value == Decimal(16)
    assert slots()["duration"].read("thirty (30) days").value.amount == Fraction(30)


def test_number_words_are_whole_words():
    assert slots()["number"].read("eighteen").value == Decimal(18)
    import re
    from policycheck.values.numbers import EN_NUMBER_WORD
    assert re.match(EN_NUMBER_WORD, "eighteen").group(0) == "eighteen"
    assert re.match(EN_NUMBER_WORD, "seventy-two hours").group(0) == "seventy-two"


@pytest.mark.parametrize("text, literal", [
    ("two million dollars", "USD 2000000"), ("five hundred thousand US dollars", "USD 500000"),
    ("USD 2.5 million", "USD 2500000"),
])
def test_money_in_words_and_scales(text, literal):
    assert slots()["money"].read(text).value.literal() == literal


@pytest.mark.parametrize("text, literal", [("ninety-nine point nine percent", "99.9%"), ("ninety-five per cent", "95%")])
def test_percent_in_words(text, literal):
    assert slots()["percent"].read(text).value.literal() == literal

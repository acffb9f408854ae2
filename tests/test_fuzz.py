"""Property tests (hypothesis) for the policy parser, every value parser and fact extraction.

Each parser either returns a value or reports a problem the way it is documented to; nothing
else may escape. Where a value can be generated together with its text (numbers, durations,
Chinese numerals, jurisdiction names) the parser must read it back exactly.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from fuzz_text import VOCABULARY, check_facts_of
from policycheck.errors import PolicycheckError
from policycheck.policy.format import format_statement
from policycheck.policy.parser import parse_policy
from policycheck.values.durations import parse_duration
from policycheck.values.jurisdictions import lookup_name, named_places
from policycheck.values.literals import parse_literal
from policycheck.values.numbers import parse_number

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the policy parser ------------------------------------------------------------------------

POLICY_TOKENS = ["require", "forbid", "flag", "rule", "policy", "include", "let", "when", "unless", "and", "or",
                 "not", "is", "present", "missing", "in", "severity", "message", "tags", "see", "version",
                 "governing_law", "data_deletion_after", "CN", "US-NY", "90d", "3mo", "99.9%", "USD 1000", "18",
                 "true", "false", '"text"', '"', "(", ")", "[", "]", "{", "}", ",", "=", "<", "<=", ">", ">=",
                 "==", "!=", "#", "\n", " ", "\t", "\\", "\x00", "é", "中", "rule-1"]


@FUZZ
@given(st.lists(st.sampled_from(POLICY_TOKENS) | st.text(max_size=3), max_size=60).map(" ".join))
@example("require " + "(" * 200 + "governing_law" + ")" * 200)
@example("rule x { require governing_law in [CN, " * 50)
def test_policy_parser_never_escapes(text):
    try:
        parse_policy(text, "fuzz.policy")
    except PolicycheckError as error:
        assert error.path == "fuzz.policy"
        error.render()


FACTS = ["governing_law", "data_deletion_after", "uptime_commitment", "auto_renewal", "minimum_age",
         "arbitration_body", "liability_cap_amount"]
LITERALS = ["CN", "[CN, HK]", "90d", "3mo", "99.9%", "true", "18", "CIETAC", "USD 1000", '"a \\"quoted\\" text"']


def _conditions(depth: int):
    atom = st.one_of(
        st.sampled_from(FACTS),
        st.builds(lambda f: f"{f} is present", st.sampled_from(FACTS)),
        st.builds(lambda f: f"{f} is missing", st.sampled_from(FACTS)),
        st.builds(lambda f, o, v: f"{f} {o} {v}", st.sampled_from(FACTS),
                  st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
                  st.sampled_from([v for v in LITERALS if not v.startswith("[")])),
        st.builds(lambda f, n, v: f"{f} {n}in {v}", st.sampled_from(FACTS), st.sampled_from(["", "not "]),
                  st.sampled_from(LITERALS)),
    )
    if depth == 0:
        return atom
    inner = _conditions(depth - 1)
    return st.one_of(
        atom,
        st.builds(lambda c: f"not {c}", inner),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["and", "or"]), inner),
    )


@FUZZ
@given(st.sampled_from(["require", "forbid", "flag"]), _conditions(3),
       st.sampled_from(["", " when governing_law == CN", " unless auto_renewal"]))
def test_formatted_statement_parses_to_the_same_statement(verb, condition, guard):
    text = f"{verb} {condition}{guard}\n"
    parsed = parse_policy(text, "a.policy").items[0]
    canonical = format_statement(parsed)
    reparsed = parse_policy(canonical + "\n", "a.policy").items[0]
    assert format_statement(reparsed) == canonical


# -- numbers ---------------------------------------------------------------------------------

_ZH_DIGIT = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """The ordinary written form of 0 <= n < 10**8 (十五, 一百零五, 三千零二十, 两万 as 二万)."""
    if n == 0:
        return "零"

    def below_10000(value: int, leading: bool) -> str:
        out, zero_pending = "", False
        for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = value // unit_value % 10
            if digit == 0:
                zero_pending = bool(out)
                continue
            if zero_pending:
                out += "零"
                zero_pending = False
            if unit == "十" and digit == 1 and not out and leading:
                out += "十"
            else:
                out += _ZH_DIGIT[digit] + unit
        return out

    high, low = divmod(n, 10000)
    if not high:
        return below_10000(low, True)
    text = below_10000(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10000(low, False)
    return text


def test_chinese_numeral_helper_writes_the_usual_forms():
    assert [chinese_numeral(n) for n in (10, 15, 105, 3020, 20000, 10015, 110000)] == [
        "十", "十五", "一百零五", "三千零二十", "二万", "一万零一十五", "十一万"]


@FUZZ
@given(st.text(max_size=40) | st.lists(st.sampled_from(VOCABULARY), max_size=8).map("".join))
def test_parse_number_returns_a_number_or_none(text):
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)


@FUZZ
@given(st.integers(min_value=0, max_value=10 ** 9))
def test_parse_number_reads_digits(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    full_width = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full_width) == n


@FUZZ
@given(st.integers(min_value=1, max_value=99_999_999))
def test_parse_number_reads_chinese_numerals(n):
    assert parse_number(chinese_numeral(n)) == n


_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english_words(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    tens, unit = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else "")


@FUZZ
@given(st.integers(min_value=0, max_value=99))
def test_parse_number_reads_english_words(n):
    assert parse_number(english_words(n)) == n


# -- durations ---------------------------------------------------------------------------------

@FUZZ
@given(st.text(max_size=40) | st.lists(st.sampled_from(VOCABULARY), max_size=8).map(" ".join))
def test_parse_duration_returns_a_reading_or_none(text):
    reading = parse_duration(text)
    if reading is not None:
        assert reading.value.days >= 0
        if reading.low is not None and reading.high is not None:
            assert reading.low.days <= reading.high.days


@FUZZ
@given(st.integers(min_value=1, max_value=10_000), st.sampled_from([("days", "d", 1), ("hours", "h", Fraction(1, 24)),
                                                                      ("weeks", "w", 7), ("months", "mo", 30),
                                                                      ("years", "y", 365)]))
def test_parse_duration_reads_digits_with_units(n, unit):
    word, code, days = unit
    assume(not (word == "years" and n >= 1000))
    reading = parse_duration(f"{n} {word}")
    assert reading is not None and reading.value.days == n * days


@FUZZ
@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("天", 1), ("日", 1), ("个月", 30), ("年", 365),
                                                                   ("小时", Fraction(1, 24))]))
def test_parse_duration_reads_chinese_numerals_with_units(n, unit):
    word, days = unit
    assume(not (word == "年" and n >= 1000))     # 2024年 is a calendar year, not a length of time
    reading = parse_duration(chinese_numeral(n) + word)
    assert reading is not None and reading.value.days == n * days


# -- jurisdictions and literals -----------------------------------------------------------------

@FUZZ
@given(st.text(max_size=40) | st.lists(st.sampled_from(VOCABULARY), max_size=6).map(" ".join))
def test_lookup_name_returns_a_place_or_none(text):
    found = lookup_name(text)
    assert found is None or found.code


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_named_place_is_found_by_its_name(language):
    for place in named_places()[language]:
        found = lookup_name(place.name)
        assert found is not None and found.code == place.code, place


@FUZZ
@given(st.sampled_from(["duration", "percent", "money", "number", "boolean", "jurisdiction", "enum", "string"]),
       st.text(max_size=30) | st.sampled_from(LITERALS + ["1e999999", "NaN", "-0", "1" * 500, "USD 1e9999"]))
def test_parse_literal_returns_a_value_or_raises_value_error(fact_type, text):
    try:
        parse_literal(fact_type, text, ("arbitration", "court"))
    except ValueError:
        pass


# -- extraction ---------------------------------------------------------------------------------

@FUZZ
@given(st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=4), max_size=80).map(" ".join))
def test_facts_of_random_text_point_inside_it(text):
    check_facts_of(text)


@FUZZ
@given(st.text(max_size=300))
def test_facts_of_arbitrary_unicode(text):
    check_facts_of(text)

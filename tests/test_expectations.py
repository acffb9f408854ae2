"""The expected-facts comparison the acceptance test and bench/score_facts.py rely on."""

from __future__ import annotations

from fractions import Fraction

import pytest

from policycheck.document.model import Span
from policycheck.facts.expectations import ExpectationError, compare, load_expected
from policycheck.facts.model import Fact
from policycheck.values.types import Duration, Jurisdiction


def _fact(name, value, line, type_="duration", **qualifiers):
    return Fact(name, type_, value, "en", Span(line, 1, line, 5, "x"), "test", qualifiers)


def _write(tmp_path, text):
    path = tmp_path / "c.expected.yaml"
    path.write_text(text, encoding="utf-8")
    return load_expected(path)


def test_match_on_name_value_and_line(tmp_path):
    expected = _write(tmp_path, "facts:\n  - {name: governing_law, value: US-NY, line: 3}\n"
                                "  - {name: payment_term, value: 30d, line: 9}\n")
    facts = [_fact("governing_law", Jurisdiction("US-NY"), 3, "jurisdiction"),
             _fact("payment_term", Duration(Fraction(30), "d"), 10)]
    result = compare(expected, facts)
    assert result.matched == [("governing_law", "US-NY", 3)]
    assert result.unexpected == [("payment_term", "30d", 10)]
    assert result.missing == [("payment_term", "30d", 9)]


def test_booleans_and_qualifiers(tmp_path):
    expected = _write(tmp_path, "facts:\n  - {name: auto_renewal, value: true, line: 2}\n"
                                "  - {name: data_recovery_time, value: 48h, line: 5, range: [4h, 48h]}\n")
    high = Duration(Fraction(48), "h")
    facts = [_fact("auto_renewal", True, 2, "boolean"),
             _fact("data_recovery_time", high, 5, range={"low": Duration(Fraction(2), "h"), "high": high})]
    result = compare(expected, facts)
    assert len(result.matched) == 2 and not result.unexpected and not result.missing
    assert result.qualifier_mismatches == ["data_recovery_time line 5: range [('2h', '48h')] != ('4h', '48h')"]


def test_pending_counts_as_a_miss_until_found(tmp_path):
    expected = _write(tmp_path, 'facts:\n  - {name: minimum_age, value: 18, line: 4, pending: "not read yet"}\n')
    assert compare(expected, []).pending_missing == [("minimum_age", "18", 4)]
    from decimal import Decimal
    found = compare(expected, [_fact("minimum_age", Decimal(18), 4, "number")])
    assert found.pending_found == [("minimum_age", "18", 4)] and not found.unexpected


def test_malformed_entries_are_rejected(tmp_path):
    with pytest.raises(ExpectationError, match="needs name, value and line"):
        _write(tmp_path, "facts:\n  - {name: x, value: 1}\n")
    with pytest.raises(ExpectationError, match="unknown key 'lines'"):
        _write(tmp_path, "facts:\n  - {name: x, value: 1, line: 2, lines: 3}\n")

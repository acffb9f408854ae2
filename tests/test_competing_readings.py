"""Competing readings of one fact: ``priority:`` decides between rules whose matches share
words, and a ``no_fact: true`` rule reads its words as no fact (docs/extractors.md)."""

from __future__ import annotations

import json
import zlib

import pytest

CONSENT_RULE = """\
rules:
  - fact: unilateral_amendment
    id: needs-consent
    language: en
    patterns: ["we may (change|amend|modify) ~ terms ~ with your (prior )?(written )?consent"]
    no_fact: true
    priority: {priority}
"""

TERMS = """\
Changes to these terms
We may change these terms at any time with your prior written consent.

We may also change these terms at any time.
"""

MONTH_END_RULE = """\
rules:
  - fact: payment_term
    id: after-month-end
    language: en
    patterns: ["payable within {{duration}} after the end of the month"]
    qualifiers: {{counted_from: month_end}}
    priority: {priority}
"""

INVOICES = """\
Payment
Invoices are payable within 30 days after the end of the month in which they are issued.
"""


def _facts(cli, tmp_path, rules: str | None, text: str, name: str) -> list[tuple]:
    contract = tmp_path / "contract.txt"
    contract.write_text(text, encoding="utf-8")
    arguments = ["facts", "--format", "json"]
    if rules is not None:
        # A file of its own for each rule text: a process keeps the rule book of a path it built.
        path = tmp_path / f"rules-{zlib.crc32(rules.encode())}.yaml"
        path.write_text(rules, encoding="utf-8")
        arguments += ["--extractors", path]
    result = cli(*arguments, contract)
    assert result.code == 0, result
    return [(f["value"], f["evidence"]["line"], f["extractor"], f["qualifiers"])
            for f in json.loads(result.out)["documents"][0]["facts"] if f["name"] == name]


def test_the_shipped_rules_read_both_sentences(cli, tmp_path):
    found = _facts(cli, tmp_path, None, TERMS, "unilateral_amendment")
    assert [line for _, line, _, _ in found] == [2, 4]


def test_a_no_fact_reading_of_higher_priority_silences_the_words_it_reads(cli, tmp_path):
    found = _facts(cli, tmp_path, CONSENT_RULE.format(priority=1), TERMS, "unilateral_amendment")
    # Line 2 needs the user's consent: no unilateral amendment. Line 4 is not the rule's words.
    assert [(value, line) for value, line, _, _ in found] == [(True, 4)]


def test_at_equal_priority_the_rule_made_first_wins(cli, tmp_path):
    # A user's rules come after the shipped ones: without a priority they cannot override them.
    found = _facts(cli, tmp_path, CONSENT_RULE.format(priority=0), TERMS, "unilateral_amendment")
    assert [line for _, line, _, _ in found] == [2, 4]


def test_a_reading_of_higher_priority_gives_its_own_value_and_qualifiers(cli, tmp_path):
    shipped = _facts(cli, tmp_path, None, INVOICES, "payment_term")
    assert [(value, line) for value, line, _, _ in shipped] == [("30d", 2)]
    assert "counted_from" not in shipped[0][3]
    found = _facts(cli, tmp_path, MONTH_END_RULE.format(priority=5), INVOICES, "payment_term")
    assert len(found) == 1
    value, line, extractor, qualifiers = found[0]
    assert (value, line, extractor) == ("30d", 2, "en/payment_term#after-month-end")
    assert qualifiers["counted_from"] == "month_end"
    lower = _facts(cli, tmp_path, MONTH_END_RULE.format(priority=-1), INVOICES, "payment_term")
    assert [extractor for _, _, extractor, _ in lower] != ["en/payment_term#after-month-end"]


@pytest.mark.parametrize("rules, message, line", [
    (CONSENT_RULE.format(priority="high"), "'priority' must be a whole number (higher wins)", 7),
    (CONSENT_RULE.format(priority="1.5"), "'priority' must be a whole number (higher wins)", 7),
    (CONSENT_RULE.format(priority=1).replace("no_fact: true", "no_fact: perhaps"),
     "'no_fact' must be true or false", 6),
    (CONSENT_RULE.format(priority=1) + "    value: false\n",
     "a rule with 'no_fact: true' gives no value; remove 'value'", 8),
])
def test_bad_priority_or_no_fact_names_the_line(cli, tmp_path, rules, message, line):
    contract = tmp_path / "contract.txt"
    contract.write_text(TERMS, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    result = cli("facts", "--extractors", tmp_path / "rules.yaml", contract)
    assert result.code == 2 and "Traceback" not in result.err
    assert message in result.err and f"rules.yaml:{line}:" in result.err, result.err

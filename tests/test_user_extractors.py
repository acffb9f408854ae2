"""Users add facts and extraction rules in YAML (docs/extractors.md), without Python."""

from __future__ import annotations

import json

from conftest import ESCROW_RULES

CONTRACT = """\
Source Code Escrow
The escrow deposit will be released to Customer within thirty (30) days after an insolvency event.
The escrow will not be released after 10 days of delay.
"""


def _setup(tmp_path, rules=ESCROW_RULES):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "escrow.yaml").write_text(rules, encoding="utf-8")
    contract = tmp_path / "escrow-terms.txt"
    contract.write_text(CONTRACT, encoding="utf-8")
    return folder, contract


def test_user_fact_is_extracted_with_evidence(cli, tmp_path):
    folder, contract = _setup(tmp_path)
    result = cli("facts", "--extractors", folder, "--format", "json", contract)
    assert result.code == 0, result
    facts = [f for f in json.loads(result.out)["documents"][0]["facts"] if f["name"] == "escrow_release_period"]
    assert len(facts) == 1          # the negated third line gives nothing
    fact = facts[0]
    assert fact["value"] == "30d" and fact["type"] == "duration"
    assert fact["evidence"]["line"] == 2
    assert fact["evidence"]["text"].startswith("escrow deposit will be released")
    assert fact["extractor"] == "en/escrow_release_period#release-after"
    assert fact["qualifiers"] == {"comparator": "at_most"}


def test_user_fact_is_in_the_catalogue_listing(cli, tmp_path):
    folder, _ = _setup(tmp_path)
    listing = cli("facts", "--extractors", folder, "--list").out
    assert "escrow_release_period" in listing and "source-code escrow" in listing


def test_user_rule_for_a_shipped_fact(cli, tmp_path):
    rules = """\
rules:
  - fact: payment_term
    id: settle-within
    language: en
    triggers: [settle]
    patterns: ["settle ~ statement ~ within {duration}"]
"""
    folder, _ = _setup(tmp_path, rules)
    contract = tmp_path / "statement.txt"
    contract.write_text("Billing\nThe Client shall settle each monthly statement within 20 days.\n", encoding="utf-8")
    without = json.loads(cli("facts", "--format", "json", contract).out)["documents"][0]["facts"]
    assert [f for f in without if f["name"] == "payment_term"] == []
    facts = json.loads(cli("facts", "--extractors", folder, "--format", "json", contract).out)["documents"][0]["facts"]
    assert [(f["value"], f["evidence"]["line"]) for f in facts if f["name"] == "payment_term"] == [("20d", 2)]


def test_bad_user_rule_is_a_clear_error(cli, tmp_path):
    rules = "rules:\n  - fact: escrow_releas_period\n    id: x\n    triggers: [a]\n    patterns: [a]\n"
    folder, contract = _setup(tmp_path, ESCROW_RULES + rules[len("rules:\n"):])
    result = cli("facts", "--extractors", folder, contract)
    assert result.code == 2
    assert "escrow_releas_period" in result.err and "did you mean escrow_release_period" in result.err
    assert "Traceback" not in result.err


def test_pattern_syntax_error_names_the_file(cli, tmp_path):
    rules = ESCROW_RULES.replace('"(escrow|deposit) ~ released', '"(escrow|deposit ~ released')
    folder, contract = _setup(tmp_path, rules)
    result = cli("facts", "--extractors", folder, contract)
    assert result.code == 2 and "escrow.yaml" in result.err and "unbalanced" in result.err

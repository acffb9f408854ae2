"""``policycheck facts`` output: the text table, and facts/v1 JSON fields (DESIGN 7)."""

from __future__ import annotations

import json

import yaml

from conftest import EXAMPLES

CONTRACT = EXAMPLES / "contracts" / "en" / "stackwise-hosting-sla.txt"


def test_text_is_a_table_with_qualifiers_below(cli):
    result = cli("facts", CONTRACT)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].endswith("stackwise-hosting-sla.txt (en)")
    assert lines[1].split() == ["FACT", "VALUE", "LANG", "LINE:COL", "EVIDENCE"]
    row = next(line for line in lines if line.split()[:1] == ["support_response_time"])
    assert row.split()[1:4] == ["1h", "en", "15:40"] and row.endswith('"respond within one (1) hour"')
    below = lines[lines.index(row) + 1]
    assert below.strip() == "[comparator=at_most]"
    assert below.index("[") == row.index('"')         # qualifiers sit under the evidence column
    recovery = next(line for line in lines if line.split()[:1] == ["data_recovery_time"])
    assert recovery.split()[1] == "4h..24h"


def test_json_is_facts_v1(cli):
    data = json.loads(cli("facts", "--format", "json", CONTRACT).out)
    assert data["schema"] == "policycheck/facts/v1"
    fact = next(f for f in data["documents"][0]["facts"] if f["name"] == "court_exclusive")
    assert list(fact) == ["name", "type", "value", "language", "qualifiers", "evidence", "extractor"]
    assert fact["value"] is False and fact["type"] == "boolean"
    assert {"line", "column", "end_line", "end_column", "text"} <= set(fact["evidence"])


def test_yaml_matches_json(cli):
    as_json = json.loads(cli("facts", "--format", "json", CONTRACT).out)
    as_yaml = yaml.safe_load(cli("facts", "--format", "yaml", CONTRACT).out)
    assert as_yaml == as_json


def test_unreadable_contract_is_reported_once_and_others_still_printed(cli, tmp_path):
    result = cli("facts", CONTRACT, tmp_path / "missing.txt")
    assert result.code == 2
    assert "support_response_time" in result.out and "missing.txt" not in result.out
    assert result.err.count("missing.txt") == 1

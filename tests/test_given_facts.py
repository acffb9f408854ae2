"""Facts given in a file (run --facts): the YAML form, facts/v1 JSON, and strict errors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import yaml

from conftest import EXAMPLES, POLICIES
from policycheck.catalogue import default_catalogue
from policycheck.errors import PolicycheckError
from policycheck.facts.given import FactsFileError, facts_from_mapping_node, load_given_facts, parse_given_facts
from policycheck.values.types import Duration, Jurisdiction

CATALOGUE = default_catalogue()


def parse(text: str, path: str = "facts.yaml"):
    return parse_given_facts(text, path, CATALOGUE)


def problems(text: str, path: str = "facts.yaml") -> list[str]:
    with pytest.raises(FactsFileError) as caught:
        parse(text, path)
    return [p.render() for p in caught.value.problems]


def test_yaml_values_are_policy_literals_with_positions():
    (doc,) = parse("a.txt:\n  arbitration_venue: US-NY\n  data_deletion_after: [30d, 3mo]\n"
                   "  uptime_commitment: 99.9%\n  minimum_age: 18\n  auto_renewal: true\n"
                   "  liability_cap_amount: USD 5000\n  prevailing_language: zh\n")
    assert doc.path == "a.txt"
    by_name = doc.by_name()
    assert by_name["arbitration_venue"][0].value == Jurisdiction("US-NY")
    assert [f.value for f in by_name["data_deletion_after"]] == [Duration(30, "d"), Duration(3, "mo")]
    assert by_name["minimum_age"][0].value == Decimal(18)
    assert by_name["auto_renewal"][0].value is True
    assert by_name["liability_cap_amount"][0].value.literal() == "USD 5000"
    evidence = by_name["data_deletion_after"][1].evidence
    assert (evidence.line, evidence.column, evidence.text) == (3, 30, "3mo")
    assert all(f.extractor == "input" for f in doc.facts)


def test_yaml_norway_stays_a_code_not_a_boolean():
    (doc,) = parse("a.txt:\n  data_location: NO\n")
    assert doc.facts[0].value == Jurisdiction("NO")


def test_yaml_mapping_value_range_language_and_qualifiers():
    (doc,) = parse("a.txt:\n  support_response_time: {low: 4h, high: 48h}\n"
                   "  arbitration_venue: {value: CN, place: Wuhan, language: zh}\n")
    response, venue = doc.facts
    assert response.values() == [Duration(4, "h"), Duration(48, "h")]
    assert response.shown() == "4h..48h"
    assert venue.language == "zh" and venue.qualifiers == {"place": "Wuhan"}
    assert doc.languages == ["zh"]


def test_yaml_empty_document_has_no_facts():
    (doc,) = parse("a.txt:\n")
    assert doc.facts == []


def test_unknown_fact_bad_literal_and_enum_are_all_reported_verbatim():
    assert problems("a.txt:\n  arbitration_venu: US-NY\n  data_deletion_after: [30d, 99%]\n"
                    "  dispute_forum: arbitraton\n  minimum_age: eighteen\n") == [
        "facts.yaml:2:3: unknown fact arbitration_venu\n      arbitration_venu: US-NY\n      ^\n"
        "    did you mean arbitration_venue?",
        "facts.yaml:3:30: data_deletion_after is a duration, 99% is a percent\n"
        "      data_deletion_after: [30d, 99%]\n                                 ^",
        "facts.yaml:4:18: arbitraton is not a value of dispute_forum\n      dispute_forum: arbitraton\n"
        "                     ^\n    did you mean arbitration?",
        "facts.yaml:5:16: minimum_age is a number: eighteen is not a number\n      minimum_age: eighteen\n"
        "                   ^",
    ]


def test_unknown_jurisdiction_code():
    (message,) = problems("a.txt:\n  governing_law: CNN\n")
    assert message.startswith("facts.yaml:2:18: unknown jurisdiction code CNN for governing_law")


def test_structure_errors():
    assert problems("- a\n- b\n")[0].startswith("facts.yaml:1:1: expected a mapping {DOCUMENT_NAME:")
    assert "document a.txt: expected a mapping" in problems("a.txt: [1, 2]\n")[0]
    assert "fact arbitration_venue is given twice" in problems(
        "a.txt:\n  arbitration_venue: CN\n  arbitration_venue: HK\n")[0]
    assert "unknown key 'valu'" in problems("a.txt:\n  arbitration_venue: {valu: CN}\n")[0]
    assert "give either value, or both low and high" in problems(
        "a.txt:\n  support_response_time: {low: 4h}\n")[0]
    assert "language is en or zh" in problems("a.txt:\n  arbitration_venue: {value: CN, language: fr}\n")[0]
    assert problems("a.txt: {b: [\n")[0].startswith("facts.yaml:2:1: not valid YAML")
    assert "is empty" in problems("")[0]


def test_json_round_trip_of_facts_command(cli, tmp_path):
    out = tmp_path / "facts.json"
    assert cli("facts", "--format", "json", "-o", out, EXAMPLES / "contracts").code == 0
    documents = load_given_facts(str(out), CATALOGUE)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [d.path for d in documents] == [d["path"] for d in written["documents"]]
    for document, data in zip(documents, written["documents"]):
        assert [f.as_dict() for f in document.facts] == data["facts"]
        assert document.languages == data["languages"]


def test_json_errors_name_the_fact():
    bad = {"schema": "policycheck/facts/v1", "documents": [{"path": "a.txt", "languages": ["en"], "facts": [
        {"name": "data_deletion_after", "type": "duration", "value": "99%", "language": "en",
         "qualifiers": {}, "evidence": {"line": 1, "column": 1, "end_line": 1, "end_column": 3, "text": "x"}}]}]}
    (message,) = problems(json.dumps(bad), "facts.json")
    assert message == "facts.json: data_deletion_after is a duration, 99% is a percent"
    assert "expected JSON with \"schema\": \"policycheck/facts/v1\", found 'other'" in problems(
        json.dumps({"schema": "other"}), "f.json")[0]


def test_fragment_from_a_larger_yaml_file():
    text = "cases:\n  - facts:\n      arbitration_venue: HK\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = root.value[0][1].value[0].value[0][1]
    doc = facts_from_mapping_node(node, "case 1", "t.yaml", text, CATALOGUE)
    assert doc.facts[0].value == Jurisdiction("HK") and doc.facts[0].evidence.line == 3


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(PolicycheckError, match="no such facts file"):
        load_given_facts(str(tmp_path / "nope.yaml"), CATALOGUE)


def test_run_with_facts_file(cli, tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("ok.txt:\n  arbitration_venue: CN\n  data_deletion_after: 90d\n"
                     "bad.txt:\n  arbitration_venue: HK\n", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", "--facts", facts, "-f", "json")
    assert result.code == 1, result
    report = json.loads(result.out)
    by_path = {d["path"]: d for d in report["documents"]}
    assert by_path["ok.txt"]["findings"] == []
    (finding,) = by_path["bad.txt"]["findings"]
    assert finding["message"] == "expected arbitration_venue in CN, found arbitration_venue = HK"
    # the place of the value in the facts file, said to be there
    assert finding["evidence"] == [{"line": 5, "column": 22, "end_line": 5, "end_column": 23, "text": "HK",
                                    "facts_file": str(facts)}]


def test_run_with_facts_file_errors_exit_2(cli, tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("a.txt:\n  arbitration_venu: CN\n", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", "--facts", facts)
    assert result.code == 2 and "did you mean arbitration_venue?" in result.err
    assert "Traceback" not in result.err
    usage = cli("run", POLICIES / "design-card.policy", "x.txt", "--facts", facts)
    assert usage.code == 2 and "with --facts, give exactly one policy" in usage.err


def test_conflicting_facts_ignores_undetermined_language(cli, tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("a.txt:\n  governing_law: [CN, {value: HK, language: zh}]\n", encoding="utf-8")
    result = cli("run", POLICIES / "design-card.policy", "--facts", facts, "-f", "json")
    assert result.code == 1, result
    document = json.loads(result.out)["documents"][0]
    assert [f["rule"] for f in document["findings"]] == ["design-card.require-arbitration_venue-4bf96b"]

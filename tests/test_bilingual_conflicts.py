"""Bilingual contracts: each occurrence keeps its language; disagreeing versions are reported."""

from __future__ import annotations

import json

from conftest import EXAMPLES, POLICIES

from policycheck.catalogue import default_catalogue
from policycheck.document.model import Span
from policycheck.document.load import document_from_text
from policycheck.facts.engine import extractor
from policycheck.facts.model import Fact
from policycheck.findings.builtin import conflicting_facts
from policycheck.values.types import Duration

CONFLICT = EXAMPLES / "contracts" / "zh" / "lantu-data-services-bilingual-conflict.txt"
AGREEING = EXAMPLES / "contracts" / "zh" / "hengtai-hosting-bilingual.txt"


def _conflicts(text: str) -> list:
    facts = extractor().extract(document_from_text(text)).facts
    return conflicting_facts(facts, default_catalogue())


def test_run_reports_each_disagreement_with_both_values_and_lines(cli):
    result = cli("run", POLICIES / "design-card.policy", CONFLICT, "-f", "json")
    document = json.loads(result.out)["documents"][0]
    assert document["languages"] == ["en", "zh"]
    conflicts = [f for f in document["findings"] if f["rule"] == "conflicting-facts"]
    assert [(f["severity"], f["facts"]) for f in conflicts] == [
        ("warning", {"data_deletion_after": ["30d", "60d"]}),
        ("warning", {"governing_law": ["CN", "HK"]}),
    ]
    deletion, law = conflicts
    assert "60d (English, line 20) vs 30d (Chinese, line 6)" in deletion["message"]
    assert [span["line"] for span in deletion["evidence"]] == [6, 20]
    assert "HK (English, line 25) vs CN (Chinese, line 11)" in law["message"]
    assert [span["line"] for span in law["evidence"]] == [11, 25]


def test_agreeing_versions_give_no_warning(cli):
    result = cli("run", POLICIES / "design-card.policy", AGREEING, "-f", "json")
    document = json.loads(result.out)["documents"][0]
    assert not [f for f in document["findings"] if f["rule"] == "conflicting-facts"]


def test_each_occurrence_keeps_its_language():
    facts = extractor().extract(document_from_text(
        "本协议适用中华人民共和国法律。\nThis Agreement is governed by the laws of Hong Kong.\n")).facts
    assert [(f.language, f.evidence.line, str(f.value)) for f in facts if f.name == "governing_law"] == [
        ("zh", 1, "CN"), ("en", 2, "HK")]


def _fact(name: str, value, language: str, line: int) -> Fact:
    return Fact(name, "duration", value, language, Span(line, 1, line, 2, "x"), "test")


def test_multi_valued_facts_never_conflict():
    # Support tiers: 2h in one version and 4h in the other are two tiers, not a disagreement.
    facts = [_fact("support_response_time", Duration(2, "h"), "zh", 1),
             _fact("support_response_time", Duration(4, "h"), "en", 2)]
    assert conflicting_facts(facts, default_catalogue()) == []
    single = [_fact("payment_term", Duration(15, "d"), "zh", 1), _fact("payment_term", Duration(30, "d"), "en", 2)]
    (finding,) = conflicting_facts(single, default_catalogue())
    assert "30d (English, line 2) vs 15d (Chinese, line 1)" in finding.message


def test_values_in_common_are_not_a_conflict():
    # The Chinese version states two deletion periods; one of them matches the English one.
    text = ("本协议终止后三十日内,服务方删除客户数据。\n"
            "本协议终止后四十五日内,服务方将删除客户的全部数据。\n"
            "The Provider shall delete all Customer data within thirty days after termination.\n")
    assert _conflicts(text) == []


def test_different_anchors_are_different_statements():
    text = ("账户欠费满十五日的,服务方有权删除该账户下的数据。\n"
            "The Provider may delete all Customer data thirty days after termination of this Agreement.\n")
    assert _conflicts(text) == []


def test_a_fact_found_in_one_language_only_is_not_a_conflict():
    text = "本协议适用中华人民共和国法律。\nThe Provider shall keep the service available.\n"
    assert _conflicts(text) == []

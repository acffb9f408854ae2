"""Contracts in .docx and .pdf: extracted text, facts, and evidence a reader can find."""

from __future__ import annotations

import json

from conftest import POLICIES
from office_files import make_docx, make_pdf


def _facts(cli, path):
    result = cli("facts", "--format", "json", path)
    assert result.code == 0, result
    return json.loads(result.out)["documents"][0]["facts"]


def test_docx_evidence_names_the_paragraph(cli, tmp_path):
    path = make_docx(tmp_path / "terms.docx", [
        "Hosting Terms",
        "",
        "1. These terms are governed by the laws of England and Wales.",
        "2. The Provider deletes Customer Data ninety (90) days after termination of the subscription.",
        "",
        "第三条 本协议适用中华人民共和国法律。",
    ])
    facts = {(f["name"], f["language"]): f for f in _facts(cli, path)}
    law_en = facts[("governing_law", "en")]
    assert law_en["value"] == "GB-EAW"
    assert law_en["evidence"]["paragraph"] == 3
    assert "governed by the laws of England and Wales" in law_en["evidence"]["text"]
    deletion = facts[("data_deletion_after", "en")]
    assert deletion["value"] == "90d" and deletion["evidence"]["paragraph"] == 4
    law_zh = facts[("governing_law", "zh")]
    assert law_zh["value"] == "CN" and law_zh["evidence"]["paragraph"] == 6


def test_docx_table_cells_are_read_in_order(cli, tmp_path):
    path = make_docx(tmp_path / "order.docx", ["Order Form"],
                     table=[["Governing law", "This order is governed by the laws of Singapore."]])
    facts = _facts(cli, path)
    assert [(f["name"], f["value"], f["evidence"]["paragraph"]) for f in facts] == [("governing_law", "SG", 3)]


def test_pdf_evidence_names_the_page(cli, tmp_path):
    path = make_pdf(tmp_path / "terms.pdf", [
        ["Subscription Terms", "", "1. Scope", "These terms apply to the hosted service."],
        ["7. Disputes", "These terms are governed by the laws of the State of New York."],
    ])
    facts = _facts(cli, path)
    assert [(f["name"], f["value"], f["evidence"]["page"]) for f in facts] == [("governing_law", "US-NY", 2)]
    assert "governed by the laws of the State of New York" in facts[0]["evidence"]["text"]


def test_office_contract_is_checked_by_run(cli, tmp_path):
    path = make_docx(tmp_path / "terms.docx", [
        "Any dispute shall be finally settled by arbitration. The seat of arbitration shall be London.",
    ])
    result = cli("run", POLICIES / "design-card.policy", path, "-f", "json")
    assert result.code == 1, result
    findings = json.loads(result.out)["documents"][0]["findings"]
    venue = next(f for f in findings if f["facts"].get("arbitration_venue"))
    assert venue["facts"]["arbitration_venue"] == ["GB-ENG"]
    assert venue["evidence"][0]["paragraph"] == 1


def test_directory_walk_includes_office_files(cli, tmp_path):
    make_docx(tmp_path / "a.docx", ["These terms are governed by the laws of Singapore."])
    make_pdf(tmp_path / "b.pdf", [["These terms are governed by the laws of Singapore."]])
    (tmp_path / "c.txt").write_text("These terms are governed by the laws of Singapore.\n", encoding="utf-8")
    result = cli("facts", "--format", "json", tmp_path)
    names = [d["path"].rsplit("/", 1)[-1] for d in json.loads(result.out)["documents"]]
    assert names == ["a.docx", "b.pdf", "c.txt"]


def test_text_outputs_show_page_and_paragraph(cli, tmp_path):
    docx_path = make_docx(tmp_path / "terms.docx", ["Title", "The seat of arbitration shall be London."])
    pdf_path = make_pdf(tmp_path / "terms.pdf", [["Cover"], ["The seat of arbitration shall be London."]])
    facts_text = cli("facts", docx_path, pdf_path).out
    assert "(paragraph 2)" in facts_text and "(page 2)" in facts_text
    run_text = cli("run", POLICIES / "design-card.policy", docx_path, pdf_path).out
    assert "(paragraph 2)" in run_text and "(page 2)" in run_text

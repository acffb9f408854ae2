"""Positions that mean what they say, in every format: a value given with ``run --facts`` is at its
line in the facts file (and the report says so); evidence in an office file is on a page (PDF) or
a paragraph (DOCX), and machine formats point at the file without making up a line."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import POLICIES
from policycheck.report.base import format_names
from office_files import make_docx, make_pdf

POLICY = POLICIES / "design-card.policy"
RULE = "design-card.require-arbitration_venue-4bf96b"
# The facts file: the value US-NY is on line 3, from column 22.
FACTS = "# what a reviewer noted for one agreement\nvendor-terms.txt:\n  arbitration_venue: US-NY\n"


def _run(cli, tmp_path, *inputs) -> dict[str, str]:
    outputs = {name: tmp_path / f"out.{name}" for name in format_names()}
    args = [arg for name, path in outputs.items() for arg in ("-f", f"{name}:{path}")]
    result = cli("run", *inputs, *args, cwd=tmp_path)
    assert result.code == 1, result
    return {name: path.read_text(encoding="utf-8") for name, path in outputs.items()}


@pytest.fixture
def given(cli, tmp_path):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    return _run(cli, tmp_path, POLICY, "--facts", "facts.yaml")


@pytest.fixture
def office(cli, tmp_path):
    make_docx(tmp_path / "terms.docx", ["Master Agreement", "The seat of arbitration shall be London."])
    make_pdf(tmp_path / "terms.pdf", [["Cover page"], ["The seat of arbitration shall be London."]])
    return _run(cli, tmp_path, POLICY, "terms.docx", "terms.pdf")


def _sarif_locations(text: str) -> list[dict]:
    return [result["locations"][0] for result in json.loads(text)["runs"][0]["results"] if result["ruleId"] == RULE]


def _github(text: str) -> list[str]:
    return [line for line in text.splitlines() if f"({RULE})" in line or f"title={RULE}" in line]


# (format, what it must say for the --facts run) -- each checked by hand against FACTS above.
GIVEN_CASES = [
    ("text", lambda out: "error    facts.yaml:3:22  expected arbitration_venue in CN" in out
        and 'line 3:22 of the facts file facts.yaml  "US-NY"' in out),
    ("compact", lambda out: out.splitlines()[0] == "facts.yaml:3:22: error: expected arbitration_venue in CN, found "
        f"arbitration_venue = US-NY (the value given for vendor-terms.txt) [{RULE}]"),
    ("markdown", lambda out: "| line 3:22 of the facts file facts.yaml |" in out),
    ("html", lambda out: "Line 3:22 of the facts file facts.yaml" in out and "<code>facts.yaml:3:22</code>" in out
        and "there is no contract text to show" in out),
    ("json", lambda out: json.loads(out)["documents"][0]["findings"][0]["evidence"] == [
        {"line": 3, "column": 22, "end_line": 3, "end_column": 26, "text": "US-NY", "facts_file": "facts.yaml"}]),
    ("sarif", lambda out: _sarif_locations(out)[0]["physicalLocation"]["artifactLocation"]["uri"] == "facts.yaml"
        and _sarif_locations(out)[0]["physicalLocation"]["region"]["startLine"] == 3
        and "vendor-terms.txt" in _sarif_locations(out)[0]["message"]["text"]),
    ("junit", lambda out: 'line 3:22 of the facts file facts.yaml: "US-NY"' in out),
    ("github", lambda out: _github(out)[0].startswith("::error file=facts.yaml,line=3,col=22,endColumn=26,")
        and "the value given for vendor-terms.txt in the facts file" in _github(out)[0]),
]


@pytest.mark.parametrize("name, check", GIVEN_CASES, ids=[case[0] for case in GIVEN_CASES])
def test_facts_file_positions(given, name, check):
    assert check(given[name]), given[name][:3000]


def test_every_format_has_a_facts_file_case():
    assert sorted(name for name, _ in GIVEN_CASES) == sorted(format_names())
    assert sorted(name for name, _ in OFFICE_CASES) == sorted(format_names())


def _no_line_for_office(text: str) -> bool:
    return not re.search(r"terms\.(docx|pdf):\d", text)


OFFICE_CASES = [
    ("text", lambda out: "error    terms.docx (paragraph 2)  expected arbitration_venue in CN" in out
        and "error    terms.pdf (page 2)  expected" in out and _no_line_for_office(out)),
    ("compact", lambda out: out.splitlines()[:2] == [
        f"terms.docx: error: expected arbitration_venue in CN, found arbitration_venue = GB-ENG (paragraph 2) [{RULE}]",
        f"terms.pdf: error: expected arbitration_venue in CN, found arbitration_venue = GB-ENG (page 2) [{RULE}]"]),
    ("markdown", lambda out: "| paragraph 2 |" in out and "| page 2 |" in out and "line " not in out),
    ("html", lambda out: "Paragraph 2" in out and "Page 2" in out and _no_line_for_office(out)
        and "Text extracted from the file" in out),
    ("json", lambda out: [f["evidence"][0].get("paragraph") or f["evidence"][0].get("page")
                          for d in json.loads(out)["documents"] for f in d["findings"] if f["rule"] == RULE] == [2, 2]),
    ("sarif", lambda out: [("region" in location["physicalLocation"], location["message"]["text"].split(":")[0],
                            location["physicalLocation"]["artifactLocation"]["uri"])
                           for location in _sarif_locations(out)] == [
        (False, "paragraph 2", "terms.docx"), (False, "page 2", "terms.pdf")]),
    ("junit", lambda out: 'paragraph 2: "' in out and 'page 2: "' in out and "line " not in out),
    ("github", lambda out: [line.split(",title=")[0] for line in _github(out)] == [
        "::error file=terms.docx", "::error file=terms.pdf"] and "%0Apage 2: " in out),
]


@pytest.mark.parametrize("name, check", OFFICE_CASES, ids=[case[0] for case in OFFICE_CASES])
def test_office_positions(office, name, check):
    assert check(office[name]), office[name][:3000]


def test_sarif_with_given_facts_and_office_files_validates(given, office):
    import jsonschema
    from test_reports import SARIF_SCHEMA

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    for text in (given["sarif"], office["sarif"]):
        jsonschema.Draft4Validator(schema).validate(json.loads(text))
    ET.fromstring(office["junit"].encode("utf-8"))


def test_a_facts_file_never_makes_the_html_report_read_the_files_it_names(cli, tmp_path):
    """A facts file names documents; a name that is also a file elsewhere is not read into the page."""
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("The seat of arbitration shall be New York. PRIVATE-NOTE\n", encoding="utf-8")
    facts = {"schema": "policycheck/facts/v1", "documents": [{"path": str(secret), "languages": ["en"], "facts": [
        {"name": "arbitration_venue", "type": "jurisdiction", "value": "US-NY", "language": "en", "qualifiers": {},
         "evidence": {"line": 1, "column": 5, "end_line": 1, "end_column": 41,
                      "text": "seat of arbitration shall be New York"}, "extractor": "en/arbitration_venue#seat"}]}]}
    (tmp_path / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    result = cli("run", POLICY, "--facts", "facts.json", "-f", "html:report.html", "-q", cwd=tmp_path)
    assert result.code == 1, result
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "seat of arbitration shall be New York" in page and "PRIVATE-NOTE" not in page
    assert 'class="text-view"' not in page

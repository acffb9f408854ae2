"""The layout of JSON reports: structure over lines, one finding / fact / error per line."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO
from policycheck.findings.model import InputError
from policycheck.report.base import RenderOptions, reporter
from policycheck.report.formats import report_schema
from policycheck.report import jsonlayout
from policycheck.report.jsonlayout import compact, dumps
from policycheck.report.model import RunReport
from report_sample import sample_report

# Written by hand: the layout docs/reports.md describes.
EXPECTED = """\
{
  "schema": "x",
  "summary": {
    "a": 1,
    "b": {
      "c": 2.5
    }
  },
  "documents": [
    {
      "path": "p \\"q\\"\\n",
      "languages": ["en", "zh"],
      "findings": [],
      "facts": [
        {"name": "n", "evidence": {"line": 1, "text": "中文"}, "value": null},
        {"name": "m", "values": [true, false]}
      ]
    },
    {
      "path": "r",
      "facts": []
    }
  ],
  "errors": [
    {"path": "e", "message": "m"}
  ],
  "empty": {},
  "nested": [
    [1, 2],
    {"waived": "2026-03-01"}
  ]
}"""


def _sample() -> dict:
    return {
        "schema": "x",
        "summary": {"a": 1, "b": {"c": 2.5}},
        "documents": [
            {"path": 'p "q"\n', "languages": ["en", "zh"], "findings": [],
             "facts": [{"name": "n", "evidence": {"line": 1, "text": "中文"}, "value": None},
                       {"name": "m", "values": [True, False]}]},
            {"path": "r", "facts": []},
        ],
        "errors": [{"path": "e", "message": "m"}],
        "empty": {},
        "nested": [[1, 2], {"waived": datetime.date(2026, 3, 1)}],
    }


def test_layout_is_the_documented_one():
    assert dumps(_sample(), expand=("documents",)) == EXPECTED


def test_layout_reads_back_as_the_same_data():
    data = json.loads(dumps(_sample(), expand=("documents",)))
    assert data == json.loads(json.dumps(_sample(), default=str))


def test_layout_starts_at_the_given_depth():
    assert dumps({"a": [{"b": 1}], "c": []}, indent="    ") == \
        '{\n      "a": [\n        {"b": 1}\n      ],\n      "c": []\n    }'
    assert dumps([], expand=("documents",)) == "[]"
    assert dumps("text") == '"text"'


def test_each_finding_and_fact_of_a_report_is_one_line(tmp_path):
    text = reporter("json").render(sample_report(str(tmp_path)), RenderOptions())
    lines = text.split("\n")
    data = json.loads(text)
    for document in data["documents"]:
        for record in document["findings"] + document["facts"]:
            # json.dumps without indent writes the compact form on its own
            assert "        " + json.dumps(record, ensure_ascii=False) in (line.rstrip(",") for line in lines)
    for error in data["errors"]:
        assert "    " + json.dumps(error, ensure_ascii=False) in (line.rstrip(",") for line in lines)
    assert lines[1] == '  "schema": "policycheck/report/v1",'
    assert '  "summary": {' in lines and '  "documents": [' in lines


def test_facts_json_has_one_fact_per_line(cli):
    result = cli("facts", "--format", "json", EXAMPLES / "contracts" / "cloudnote-saas-terms.txt")
    data = json.loads(result.out)
    lines = [line.rstrip(",") for line in result.out.split("\n")]
    facts = data["documents"][0]["facts"]
    assert facts
    for fact in facts:
        assert "        " + json.dumps(fact, ensure_ascii=False) in lines


def test_the_example_in_the_docs_is_laid_out_as_written():
    docs = (REPO / "docs" / "reports.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", docs, re.S).group(1)
    data = json.loads(example)
    jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)
    assert dumps(data, expand=("documents",)) + "\n" == example


def test_streamed_json_is_the_rendered_json(tmp_path):
    """Waivers (with dates), the baseline mark and unreadable inputs included."""
    report = sample_report(str(tmp_path))
    whole = reporter("json").render(report, RenderOptions())
    written: list[str] = []
    stream = reporter("json").stream(written.append, RenderOptions(), report.fail_on)
    streamed = dataclasses.replace(report, documents=[])
    for document in report.documents:
        stream.write(stream.render(document))
        streamed.streamed.add(document, report.fail_on)
    stream.close(streamed)
    assert "".join(written) == whole


@pytest.mark.parametrize("errors", [[], [InputError("contracts/empty.txt", "is empty")]])
def test_a_run_without_documents_streams_the_rendered_json(errors):
    report = RunReport(errors=errors)
    written: list[str] = []
    reporter("json").stream(written.append, RenderOptions(), report.fail_on).close(report)
    assert "".join(written) == reporter("json").render(report, RenderOptions())
    assert '  "documents": [],' in written[0]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",))) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_a_record_is_written_as_json_dumps_writes_it(value):
    assert compact(value) == json.dumps(value, ensure_ascii=False, default=str)


def _refuses(*args):
    raise TypeError("other arguments")


@pytest.mark.parametrize("c_encoder", [None, _refuses])
def test_without_a_usable_c_encoder_records_are_the_same(monkeypatch, c_encoder):
    monkeypatch.setattr(jsonlayout, "c_make_encoder", c_encoder)
    record = {"text": "中文 \"quoted\"\n", "n": [1, 2.5, None, True], "day": datetime.date(2026, 3, 1)}
    assert jsonlayout._compact_encoder()(record) == compact(record) == json.dumps(record, ensure_ascii=False,
                                                                                  default=str)

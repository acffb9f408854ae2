"""Extraction cases as data: ``tests/extraction/<language>/*.yaml``, run by this one test.

Each file holds ``cases``; a case is::

    - id: governing-law-state-of          # unique within the file
      text: |                             # the contract text (original, written for the tests)
        These Terms are governed by the laws of the State of New York.
      facts:                              # expected facts: name, value (policy literal), line,
        - {name: governing_law, value: US-NY, line: 1}      # and any qualifier to check
      absent: [arbitration_venue]         # facts that must not be found

An expected fact may also give ``quote``: the evidence text the fact must quote, exactly.

Only the facts named in ``facts`` and ``absent`` are compared, exactly (no extra occurrence of
a named fact may appear). A case with ``facts: []`` and ``absent: [...]`` is a near miss or a
negation that must not produce the fact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycheck.document import document_from_text
from policycheck.facts.engine import extractor
from policycheck.facts.expectations import ExpectedFact, QUALIFIER_KEYS, _qualifier_text, compare, value_text
from policycheck.values.types import literal_of

CASES_ROOT = Path(__file__).resolve().parent / "extraction"


def _cases():
    for path in sorted(CASES_ROOT.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(case, id=f"{path.parent.name}/{path.stem}/{case['id']}")


def _expected(case) -> list[ExpectedFact]:
    return [ExpectedFact(e["name"], value_text(e["value"]), int(e["line"]),
                         tuple((k, _qualifier_text(k, e[k])) for k in QUALIFIER_KEYS if k in e))
            for e in case.get("facts") or []]


@pytest.mark.parametrize("case", list(_cases()))
def test_extraction_case(case):
    expected = _expected(case)
    names = {e.name for e in expected} | set(case.get("absent") or [])
    assert names, "a case must name the facts it checks"
    facts = [f for f in extractor().extract(document_from_text(case["text"])).facts if f.name in names]
    problems = compare(expected, facts).problems()
    assert not problems, "\n".join(problems) + "\nfound: " + "; ".join(
        f"{f.name}={f.shown()}@{f.evidence.line} {f.evidence.text!r}" for f in facts)
    for entry in case.get("facts") or []:
        if "quote" in entry:
            quoted = [f.evidence.text for f in facts if f.name == entry["name"] and f.evidence.line == entry["line"]
                      and value_text(literal_of(f.value)) == value_text(entry["value"])]
            assert entry["quote"] in quoted, f"{entry['name']} quotes {quoted}, not {entry['quote']!r}"


def test_case_ids_are_unique_per_file():
    for path in sorted(CASES_ROOT.glob("*/*.yaml")):
        ids = [case["id"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
        assert len(ids) == len(set(ids)), path.name

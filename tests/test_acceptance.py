"""Acceptance: every example contract gives exactly the facts its expected file lists.

``examples/contracts/<language>/<name>.txt`` is checked against ``<name>.expected.yaml``, whose
entries were read off the contract text by hand (see policycheck/facts/expectations.py for the
format). A fact matches on name + value + evidence line; given qualifiers must agree too.
``bench/score_facts.py`` prints precision and recall per fact over the same files.
"""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from policycheck.document import load_document
from policycheck.facts.engine import extractor
from policycheck.facts.expectations import compare, example_contracts, expected_path, load_expected

CONTRACTS = example_contracts(EXAMPLES / "contracts")


def test_there_are_example_contracts_in_both_languages():
    languages = {path.parent.name for path in CONTRACTS}
    assert "en" in languages
    assert len([p for p in CONTRACTS if p.parent.name == "en"]) >= 10


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_contract_facts(contract):
    expected = load_expected(expected_path(contract))
    facts = extractor().extract(load_document(str(contract))).facts
    problems = compare(expected, facts).problems()
    assert not problems, "\n".join(problems)

"""policycheck.api: the library API gives the documents of the JSON reports, and ships cheaply."""

from __future__ import annotations

import json
import pickle

import pytest

from conftest import ESCROW_RULES, EXAMPLES, POLICIES
from policycheck import __version__, api

CONTRACT = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"
CHINESE = EXAMPLES / "contracts" / "yunduan-service-agreement.txt"

ESCROW_TEXT = "Escrow\nThe escrow deposit will be released to the buyer within fifty (50) days of closing.\n"


@pytest.fixture(scope="module")
def policies():
    return api.load_policies([str(POLICIES)])


@pytest.mark.parametrize("contract", [CONTRACT, CHINESE], ids=lambda p: p.name)
def test_check_text_is_the_run_report_document(cli, policies, contract, tmp_path):
    report = cli("run", POLICIES, contract, "-f", "json", "--no-cache")
    expected = json.loads(report.out)["documents"][0]
    name = str(contract)
    assert policies.check_text(contract.read_text(encoding="utf-8"), name) == expected
    assert policies.check_bytes(contract.read_bytes(), name) == expected


def test_facts_of_text_is_the_facts_report_document(cli):
    expected = json.loads(cli("facts", "--format", "json", CHINESE).out)["documents"][0]
    assert api.facts_of_text(CHINESE.read_text(encoding="utf-8"), str(CHINESE)) == expected


def test_results_are_plain_json_data(policies):
    document = policies.check_text(CONTRACT.read_text(encoding="utf-8"), "a.txt")
    assert json.loads(json.dumps(document)) == document
    assert document["path"] == "a.txt" and document["findings"]


def test_policies_pickle_small_and_check_the_same(policies):
    text = CONTRACT.read_text(encoding="utf-8")
    shipped = pickle.dumps(policies)
    # The parsed policies only: the compiled rule book is rebuilt where it is used.
    assert len(shipped) < 100_000
    copy = pickle.loads(shipped)
    assert copy.rule_ids == policies.rule_ids and len(copy.rule_ids) > 10
    assert copy.check_text(text, "a.txt") == policies.check_text(text, "a.txt")


def test_unpickling_under_another_version_is_refused(policies):
    state = policies.__getstate__()
    state["version"] = "0.0.1"
    copy = api.Policies.__new__(api.Policies)
    with pytest.raises(api.PolicycheckError, match=f"loaded by policycheck 0.0.1, and this is policycheck {__version__}"):
        copy.__setstate__(state)


def test_user_extractors_travel_with_the_policies(tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "escrow.yaml").write_text(ESCROW_RULES, encoding="utf-8")
    (tmp_path / "escrow.policy").write_text("flag escrow_release_period > 30d\n", encoding="utf-8")
    policies = api.load_policies([str(tmp_path / "escrow.policy")], extractors=[str(facts)])
    (facts / "escrow.yaml").unlink()              # the text went into the Policies, not a path
    copy = pickle.loads(pickle.dumps(policies))
    document = copy.check_text(ESCROW_TEXT, "escrow.txt")
    assert [f["message"] for f in document["findings"]] == \
        ["flagged: escrow_release_period > 30d (found escrow_release_period = 50d)"]
    assert [f["value"] for f in copy.facts_of_text(ESCROW_TEXT)["facts"] if f["name"] == "escrow_release_period"] \
        == ["50d"]


def test_invalid_policies_raise_one_error_with_every_problem(tmp_path):
    (tmp_path / "bad.policy").write_text("require no_such_fact in [CN]\nflag governing_law < 3\n", encoding="utf-8")
    with pytest.raises(api.PolicyError) as raised:
        api.load_policies([str(tmp_path / "bad.policy")])
    message = str(raised.value)
    assert "bad.policy:1" in message and "bad.policy:2" in message


@pytest.mark.parametrize("text, message", [("", "is empty"), ("  \n\t\n", "is empty")])
def test_text_that_is_no_contract_raises_document_error(policies, text, message):
    with pytest.raises(api.DocumentError, match=message):
        policies.check_text(text, "blank.txt")


def test_bytes_are_not_text(policies):
    with pytest.raises(TypeError, match="check_bytes"):
        policies.check_text(b"bytes", "a.txt")

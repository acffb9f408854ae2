"""One Evaluator serves a whole run: what it works out once must not leak between documents."""

from __future__ import annotations

import pickle

from policycheck.catalogue import default_catalogue
from policycheck.facts.given import parse_given_facts
from policycheck.findings.evaluate import Evaluator
from policycheck.policy.loader import load_policies

CATALOGUE = default_catalogue()


def _evaluator(tmp_path, policy: str) -> Evaluator:
    path = tmp_path / "rules.policy"
    path.write_text(policy, encoding="utf-8")
    policy_set, errors = load_policies([str(path)])
    assert not errors
    return Evaluator(policy_set, CATALOGUE)


def _facts(yaml_text: str):
    (document,) = parse_given_facts(yaml_text, "facts.yaml", CATALOGUE)
    return document.facts


def _messages(evaluator: Evaluator, facts) -> list[str | None]:
    return [o.finding.message if o.finding else None for o in evaluator.evaluate_all(facts)]


def test_braces_that_are_not_a_fact_name_stay_as_written(tmp_path):
    # Not run through the static checks, which refuse most of these: the evaluator must still
    # fill exactly the {name} placeholders and leave every other brace alone.
    evaluator = _evaluator(tmp_path, 'forbid governing_law in [CN] message '
                                     '"{a{governing_law}} {not a name} {_} {} {{x}} {governing_law"\n')
    (message,) = _messages(evaluator, _facts("doc:\n  governing_law: CN\n"))
    assert message == "{aCN} {not a name} {_} {} {not found} {governing_law"


def test_a_message_that_names_another_fact_is_filled_per_document(tmp_path):
    evaluator = _evaluator(tmp_path, 'require arbitration_venue in [CN] '
                                     'message "seat {arbitration_venue}; law {governing_law}"\n'
                                     "flag auto_renewal\n")
    nothing = _facts("doc:\n  minimum_age: 18\n")
    law_only = _facts("doc:\n  governing_law: HK\n")
    assert _messages(evaluator, nothing) == ["seat not found; law not found", None]
    assert _messages(evaluator, law_only) == ["seat not found; law HK", None]
    assert _messages(evaluator, nothing) == ["seat not found; law not found", None]
    renewing = _facts("doc:\n  auto_renewal: true\n")
    assert _messages(evaluator, renewing) == ["seat not found; law not found",
                                              "flagged: auto_renewal (found auto_renewal = true)"]


def test_an_outcome_without_the_rules_facts_is_the_same_in_every_document(tmp_path):
    evaluator = _evaluator(tmp_path, "require data_deletion_after <= 30d unless auto_renewal\n")
    first = evaluator.evaluate_all(_facts("a:\n  minimum_age: 18\n"))
    second = evaluator.evaluate_all(_facts("b:\n  uptime_commitment: 99.9%\n"))
    assert [o.status for o in first] == ["not_applicable"]     # unless an unknown: not applied
    assert second == first
    (outcome,) = evaluator.evaluate_all(_facts("c:\n  auto_renewal: false\n"))
    assert (outcome.status, outcome.finding.message) == (
        "missing", "data_deletion_after not found (required: data_deletion_after <= 30d unless auto_renewal)")
    assert evaluator.evaluate_all(_facts("d:\n  minimum_age: 16\n")) == first


def test_an_evaluator_sent_to_another_process_evaluates_the_same(tmp_path):
    evaluator = _evaluator(tmp_path, "require governing_law in [CN, HK]\nflag data_deletion_after > 60d\n")
    facts = _facts("doc:\n  governing_law: US-NY\n  data_deletion_after: 90d\n")
    before = evaluator.evaluate_all(facts)
    copy = pickle.loads(pickle.dumps(evaluator))
    assert copy.evaluate_all(facts) == before
    assert [o.status for o in before] == ["failed", "failed"]

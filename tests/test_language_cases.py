"""The policy language's YAML test cases (tests/cases/*/*.yaml), run by one parametrised test.

* ``evaluate/``: ``policy`` (one rule), ``facts`` (one document, values as policy literals) and
  the expected ``outcome`` of the rule, optionally its ``message``;
* ``errors/``: ``policy`` and the exact ``error`` text a user sees (file ``case.policy``;
  ``files`` adds other files beside it);
* ``parse/``: ``policy`` and the expected ``ast`` (nodes without positions) and/or ``canonical``
  text that ``policycheck fmt`` writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycheck.catalogue import default_catalogue
from policycheck.facts.given import parse_given_facts
from policycheck.findings.evaluate import Evaluator
from policycheck.policy.checker import check_policies
from policycheck.policy.layout import format_policy_text
from policycheck.policy.loader import load_policies
from policycheck.policy.parser import parse_policy

CASES = Path(__file__).parent / "cases"
CATALOGUE = default_catalogue()


def _cases():
    for path in sorted(CASES.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(path.parent.name, case, id=f"{path.parent.name}/{path.stem}: {case['name']}")


def _load(tmp_path: Path, text: str, files: dict | None = None):
    for name, content in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    policy = tmp_path / "case.policy"
    policy.write_text(text, encoding="utf-8")
    policy_set, errors = load_policies(["case.policy"])
    if not errors:
        errors = check_policies(policy_set, CATALOGUE)
    return policy_set, errors


def data_of(node):
    """An AST node as plain data: {NodeType: {field: value}}, positions and empty fields left out."""
    if isinstance(node, tuple):
        return [data_of(item) for item in node]
    if not hasattr(node, "__dataclass_fields__"):
        return node
    fields = {}
    for name in node.__dataclass_fields__:
        if name in ("line", "column"):
            continue
        value = getattr(node, name)
        if value is None or (name == "metas" and value == ()) or (name == "negated" and value is False):
            continue
        fields[name] = data_of(value)
    return {type(node).__name__: fields}


@pytest.mark.parametrize("kind, case", list(_cases()))
def test_case(kind, case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if kind == "evaluate":
        policy_set, errors = _load(tmp_path, case["policy"])
        assert not errors, [e.render() for e in errors]
        facts_yaml = yaml.safe_dump({"doc": case["facts"] or None}, allow_unicode=True)
        (document,) = parse_given_facts(facts_yaml, "facts.yaml", CATALOGUE)
        (rule,) = policy_set.rules
        outcome = Evaluator(policy_set, CATALOGUE).evaluate(rule, document.by_name())
        assert outcome.status == case["outcome"]
        if "message" in case:
            assert outcome.finding.message == case["message"]
    elif kind == "errors":
        _, errors = _load(tmp_path, case["policy"], case.get("files"))
        shown = "\n".join(error.render() for error in errors)
        assert shown == case["error"].rstrip("\n")
    elif kind == "parse":
        parsed = parse_policy(case["policy"], "case.policy")
        if "ast" in case:
            assert data_of(parsed.items) == case["ast"]
        if "canonical" in case:
            assert format_policy_text(case["policy"]) == case["canonical"]
            assert format_policy_text(case["canonical"]) == case["canonical"]
    else:  # pragma: no cover - a folder without a runner is a mistake in the test suite
        pytest.fail(f"no runner for case folder {kind}")

"""A rule's rationale and worked examples, for ``policycheck explain RULE_ID``.

The rationale is the comment block written directly above the rule in its policy file (the
packs put the reason and the legal reference there). The examples come from the policy's test
file (``<name>.tests.yaml`` next to ``<name>.policy``): the first case in which the rule was
expected to pass and did, and the first in which it was expected to fire and did. Examples are
therefore always true of the current policy: a case whose expectation no longer holds is never
shown.
"""

from __future__ import annotations

import os

import yaml

from policycheck.facts.engine import Extractor
from policycheck.policy import ast
from policycheck.policy.loader import POLICY_SUFFIX
from policycheck.policy.model import Rule
from policycheck.policytest.cases import TESTS_SUFFIX, TestFile, read_test_file
from policycheck.policytest.runner import CaseResult
from policycheck.policytest.suite import run_suite

MAX_TEXT_LINES = 3
MAX_LINE = 100


def rationale(rule: Rule, source: str) -> list[str]:
    """The comment lines directly above the rule (no blank line between), without the ``#``."""
    lines = source.split("\n")
    index = rule.line - 2
    block: list[str] = []
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.append(lines[index].lstrip()[1:].strip())
        index -= 1
    return list(reversed(block))


def tests_file_for(rule: Rule) -> str | None:
    if not rule.path.endswith(POLICY_SUFFIX):
        return None
    candidate = rule.path[:-len(POLICY_SUFFIX)] + TESTS_SUFFIX
    return candidate if os.path.isfile(candidate) else None


def rule_examples(rule: Rule, engine: Extractor) -> tuple[CaseResult | None, CaseResult | None]:
    """(a case where the rule passed as expected, one where it fired as expected), or None each."""
    path = tests_file_for(rule)
    if path is None:
        return None, None
    suite = run_suite([path], engine)
    passing = firing = None
    for result in suite.results:
        expectation = result.held(rule.id)
        if expectation is None:
            continue
        if expectation.outcome == "passed" and passing is None:
            passing = result
        elif expectation.outcome == "fires" and firing is None:
            firing = result
    return passing, firing


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 3] + "..."


def _node_text(node: yaml.Node, source: list[str]) -> str:
    start, end = node.start_mark, node.end_mark
    if start.line == end.line:
        return source[start.line][start.column:end.column].strip()
    return _clip(" ".join(line.strip() for line in source[start.line:end.line + 1]))


def case_input(result: CaseResult, test_file: TestFile, facts: list[str]) -> list[str]:
    """What the case gives that matters to a rule: the rule's ``facts`` as the case writes them
    (and which of them it leaves out), or the start of its contract text."""
    case = result.case
    if case.facts is not None:
        source = test_file.text.split("\n")
        given = {key.value: value for key, value in case.facts.value}
        lines = [f"{name}: {_node_text(given[name], source)}" for name in facts if name in given]
        absent = [name for name in facts if name not in given]
        if absent:
            lines.append(f"(not given: {', '.join(absent)})")
        return ["facts: " + "; ".join(lines)] if lines else ["facts: none"]
    if case.file is not None:
        return [f"contract: {case.file}"]
    text_lines = [line for line in (case.text or "").split("\n") if line.strip()]
    shown = [f"text: {_clip(text_lines[0])}"] + [f"      {_clip(line)}" for line in text_lines[1:MAX_TEXT_LINES]]
    if len(text_lines) > MAX_TEXT_LINES:
        shown.append("      ...")
    return shown


def add_rationale_and_examples(explanation: dict, rule: Rule, source: str, engine: Extractor) -> None:
    """Append "rationale" and "examples" sections to an explanation from policy.explain."""
    reasons = rationale(rule, source)
    if reasons:
        explanation["sections"].append(("rationale", reasons))
    passing, firing = rule_examples(rule, engine)
    if passing is None and firing is None:
        return
    test_file = read_test_file(tests_file_for(rule))
    facts = ast.fact_names(rule.statement.condition)
    if rule.statement.guard is not None:
        facts += [n for n in ast.fact_names(rule.statement.guard.condition) if n not in facts]
    lines: list[str] = []
    for label, result in (("passes", passing), ("fires", firing)):
        if result is None:
            continue
        lines.append(f"{label}: \"{result.case.name}\" ({result.test_file}:{result.case.position.line})")
        lines.extend(f"  {line}" for line in case_input(result, test_file, facts))
        outcome = result.outcomes[rule.id]
        if outcome.finding is not None:
            lines.append(f"  -> {outcome.finding.severity}: {outcome.finding.message}")
    explanation["sections"].append(("examples (from the policy's tests)", lines))

"""A test run over paths: find test files and policies, run every case, measure rule coverage.

Coverage counts every rule of every policy found under the paths (and of the policies the test
files name). A rule is covered when at least one case saw it fire and at least one saw it pass,
each as expected: a rule that is only ever tested one way has half its behaviour untested.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from policycheck.errors import PolicycheckError
from policycheck.facts.engine import Extractor
from policycheck.facts.given import FactsFileError
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import POLICY_SUFFIX, load_policies
from policycheck.policy.model import PolicySet, Rule
from policycheck.policytest.cases import TESTS_SUFFIX, TestFile, TestFileError, read_test_file
from policycheck.walk import walk_files
from policycheck.policytest.runner import CaseResult, CaseRunner, check_rule_ids


@dataclass(frozen=True)
class Targets:
    test_files: tuple[str, ...]
    policy_paths: tuple[str, ...]      # directories and .policy files whose rules count for coverage


def find_targets(paths: list[str]) -> tuple[Targets, list[PolicycheckError]]:
    tests: list[str] = []
    policies: list[str] = []
    errors: list[PolicycheckError] = []
    for given in paths:
        if os.path.isdir(given):
            found, refused = walk_files(given, (TESTS_SUFFIX,), TestFileError)
            errors.extend(refused)
            if not found and not refused:
                errors.append(TestFileError(f"holds no *{TESTS_SUFFIX} test files", path=given))
            tests.extend(found)
            if _has_policies(given):
                policies.append(given)
        elif given.endswith(TESTS_SUFFIX) and os.path.lexists(given):
            tests.append(given)                # read by the one safe reader, which says what is wrong
        elif given.endswith(POLICY_SUFFIX) and os.path.lexists(given):
            policies.append(given)
            sibling = given[:-len(POLICY_SUFFIX)] + TESTS_SUFFIX
            if os.path.isfile(sibling):
                tests.append(sibling)
        elif os.path.exists(given):
            errors.append(TestFileError(f"is neither a *{POLICY_SUFFIX} policy nor a *{TESTS_SUFFIX} test file",
                                        path=given))
        else:
            errors.append(TestFileError("no such file or directory", path=given))
    return Targets(tuple(dict.fromkeys(tests)), tuple(dict.fromkeys(policies))), errors


def _has_policies(directory: str) -> bool:
    for _dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if any(name.endswith(POLICY_SUFFIX) for name in filenames):
            return True
    return False


@dataclass
class SuiteResult:
    results: list[CaseResult] = field(default_factory=list)
    errors: list[PolicycheckError] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)      # every rule that counts for coverage

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.passed)

    def exercised(self) -> tuple[set[str], set[str]]:
        """Rule ids seen firing, and seen passing, each in a case where that was the expectation."""
        fired, passed = set(), set()
        for result in self.results:
            for expectation in result.case.expectations:
                if result.held(expectation.rule) is None:
                    continue
                if expectation.outcome == "fires":
                    fired.add(expectation.rule)
                elif expectation.outcome == "passed":
                    passed.add(expectation.rule)
        return fired, passed

    def uncovered(self) -> list[tuple[str, str]]:
        """(rule id, what is missing: "no passing case", ...) for every rule not both fired and passed."""
        fired, passed = self.exercised()
        gaps = []
        for rule_id in sorted(self.rules):
            lacks = [what for what, seen in (("firing", fired), ("passing", passed))
                     if rule_id not in seen]
            if lacks:
                gaps.append((rule_id, "no " + " and no ".join(lacks) + " case"))
        return gaps

    def coverage(self) -> float:
        """Share of rules covered, in percent (100 when there are no rules)."""
        if not self.rules:
            return 100.0
        return 100.0 * (len(self.rules) - len(self.uncovered())) / len(self.rules)


def load_checked(paths: list[str], engine: Extractor) -> tuple[PolicySet, list[PolicycheckError]]:
    policy_set, errors = load_policies(paths)
    if not errors:
        errors = list(check_policies(policy_set, engine.catalogue))
    return policy_set, errors


def run_suite(paths: list[str], engine: Extractor) -> SuiteResult:
    suite = SuiteResult()
    targets, suite.errors = find_targets(paths)
    if targets.policy_paths:
        policy_set, errors = load_checked(list(targets.policy_paths), engine)
        suite.errors.extend(errors)
        suite.rules.update((rule.id, rule) for rule in policy_set.rules)
    loaded: dict[tuple[str, ...], tuple[PolicySet, list[PolicycheckError]]] = {}
    for path in targets.test_files:
        try:
            test_file = read_test_file(path)
        except PolicycheckError as exc:
            suite.errors.append(exc)
            continue
        _run_file(suite, test_file, loaded, engine)
    return suite


def _run_file(suite: SuiteResult, test_file: TestFile, loaded: dict, engine: Extractor) -> None:
    missing = [p for p in test_file.policy_paths if not os.path.isfile(p)]
    if missing:
        suite.errors.append(TestFileError(f"tests a policy that does not exist: {', '.join(missing)}",
                                          path=test_file.path,
                                          hint="name it with 'policy:' or keep <name>.policy next to <name>.tests.yaml"))
        return
    if test_file.policy_paths not in loaded:
        loaded[test_file.policy_paths] = load_checked(list(test_file.policy_paths), engine)
    policy_set, errors = loaded[test_file.policy_paths]
    if errors:
        shown = {e.render() for e in suite.errors}
        suite.errors.extend(e for e in errors if e.render() not in shown)
        return
    for rule in policy_set.rules:
        suite.rules.setdefault(rule.id, rule)
    try:
        check_rule_ids(test_file, policy_set)
    except TestFileError as exc:
        suite.errors.append(exc)
        return
    runner = CaseRunner(policy_set, engine)
    for case in test_file.cases:
        try:
            suite.results.append(runner.run(test_file, case))
        except (TestFileError, FactsFileError) as exc:
            suite.errors.append(exc)
        except PolicycheckError as exc:         # e.g. the case's contract file cannot be read
            suite.errors.append(TestFileError(f"case \"{case.name}\": {exc.render()}", path=test_file.path,
                                              line=case.position.line, column=case.position.column))

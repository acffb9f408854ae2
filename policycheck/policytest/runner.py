"""Run the cases of one test file against its policy and compare outcomes with expectations."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from policycheck.catalogue import Catalogue
from policycheck.document import load_document
from policycheck.document.load import document_from_text
from policycheck.facts.engine import Extractor
from policycheck.facts.given import facts_from_mapping_node
from policycheck.facts.model import DocumentFacts, Fact
from policycheck.findings.evaluate import Evaluator, values_equal
from policycheck.findings.model import Outcome
from policycheck.findings.unread import UnreadCheck
from policycheck.pipeline import read_document
from policycheck.policy.model import PolicySet
from policycheck.policytest.cases import Case, Expectation, Extracted, TestFile, TestFileError
from policycheck.values.literals import parse_literal


@dataclass(frozen=True)
class Mismatch:
    """One expectation of a case that did not hold, as the report shows it."""

    subject: str                          # a rule id, or "extracts FACT"
    line: int | None
    expected: str
    actual: str
    expectation: Expectation | None = None


@dataclass(frozen=True)
class CaseResult:
    test_file: str
    case: Case
    outcomes: dict[str, Outcome]          # rule id -> outcome, for the rules the case names
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def held(self, rule_id: str) -> Expectation | None:
        """The case's expectation for ``rule_id`` when it held, else None. A case whose contract did
        not yield the facts it ``extracts`` proves nothing about any rule."""
        if any(m.expectation is None for m in self.mismatches):
            return None
        for expectation in self.case.expectations:
            if expectation.rule == rule_id and all(m.expectation is not expectation for m in self.mismatches):
                return expectation
        return None


def matches(expectation: Expectation, outcome: Outcome) -> bool:
    if expectation.outcome in ("passed", "not_applicable", "unread"):
        return outcome.status == expectation.outcome
    if outcome.finding is None:
        return False
    if expectation.status not in (None, "any") and outcome.status != expectation.status:
        return False
    if expectation.severity and outcome.finding.severity != expectation.severity:
        return False
    if expectation.message and expectation.message not in outcome.finding.message:
        return False
    return True


def describe_outcome(outcome: Outcome) -> str:
    if outcome.finding is None:
        return "not applicable" if outcome.status == "not_applicable" else outcome.status
    finding = outcome.finding
    return f"fires ({finding.status}, {finding.severity}): {finding.message}"


def unknown_rule_ids(test_file: TestFile, policy_set: PolicySet) -> list[TestFileError]:
    """An error for every rule a case names that the test file's policy does not define."""
    known = [rule.id for rule in policy_set.rules]
    errors = []
    for case in test_file.cases:
        for expectation in case.expectations:
            if policy_set.rule(expectation.rule) is None:
                guess = difflib.get_close_matches(expectation.rule, known, n=1, cutoff=0.6)
                policies = ", ".join(test_file.policy_paths)
                message = f"case \"{case.name}\" names rule {expectation.rule}, which {policies} does not define"
                hint = f"did you mean {guess[0]}?" if guess else None
                errors.append(TestFileError(message, path=test_file.path, hint=hint)
                              if expectation.position is None else expectation.position.error(message, hint))
    return errors


def check_rule_ids(test_file: TestFile, policy_set: PolicySet) -> None:
    """Every rule a case names must exist in the test file's policy (a typo must not pass silently)."""
    errors = unknown_rule_ids(test_file, policy_set)
    if errors:
        raise errors[0]


class CaseRunner:
    """Evaluates cases against one policy set with one extractor."""

    def __init__(self, policy_set: PolicySet, engine: Extractor) -> None:
        self.policy_set = policy_set
        self.engine = engine
        self.catalogue = engine.catalogue
        self.evaluator = Evaluator(policy_set, self.catalogue)
        self.unread_check = UnreadCheck(policy_set, self.evaluator)

    def document_facts(self, test_file: TestFile, case: Case) -> DocumentFacts:
        """The case's facts, and for a text or file case the clauses whose value could not be read."""
        if case.facts is not None:
            return facts_from_mapping_node(case.facts, case.name, test_file.path, test_file.text, self.catalogue)
        if case.file is not None:
            document = load_document(case.file)
        else:
            document = document_from_text(case.text or "", f"{case.position.path}:{case.position.line}")
        return read_document(document, self.engine)

    def facts(self, test_file: TestFile, case: Case) -> list[Fact]:
        return self.document_facts(test_file, case).facts

    def run(self, test_file: TestFile, case: Case) -> CaseResult:
        document_facts = self.document_facts(test_file, case)
        facts = document_facts.facts
        outcomes, _ = self.unread_check.apply(self.evaluator.evaluate_all(facts), document_facts)
        outcomes = {o.rule: o for o in outcomes}
        named = {e.rule: outcomes[e.rule] for e in case.expectations}
        mismatches = [check_extracted(item, facts, self.catalogue) for item in case.extracts]
        mismatches += [Mismatch(e.rule, e.position.line if e.position else None, e.describe(),
                                describe_outcome(named[e.rule]), e)
                       for e in case.expectations if not matches(e, named[e.rule])]
        return CaseResult(test_file.path, case, named, tuple(m for m in mismatches if m is not None))


def check_extracted(item: Extracted, facts: list[Fact], catalogue: Catalogue) -> Mismatch | None:
    """None when the contract yielded what ``item`` says; else the mismatch to report."""
    wanted = expected_values(item, catalogue)
    found = [fact for fact in facts if fact.name == item.fact]
    values = [value for fact in found for value in [fact.value, *fact.values()]]
    shown = ", ".join(dict.fromkeys(fact.shown() for fact in found)) or "not found"
    if not item.literals:
        ok = not found
    else:
        ok = all(any(values_equal(value, want) for value in values) for want in wanted)
    if ok:
        return None
    return Mismatch(f"extracts {item.fact}", item.position.line, item.describe(), shown)


def expected_values(item: Extracted, catalogue: Catalogue) -> list:
    """The typed values ``item`` expects; TestFileError at its place for an unknown fact or a value
    that does not suit the fact (checked before any contract is read, by editors too)."""
    spec = catalogue.get(item.fact)
    if spec is None:
        guess = catalogue.suggest(item.fact)
        raise item.position.error(f"unknown fact {item.fact}",
                                  f"did you mean {guess}?" if guess else "see `policycheck facts --list`")
    wanted = []
    for literal in item.literals:
        try:
            wanted.append(parse_literal(spec.type, literal, spec.values))
        except ValueError as exc:
            raise item.position.error(f"bad value for {item.fact}: {exc}") from None
    return wanted

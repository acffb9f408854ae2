"""The pipeline, end to end: contract path -> Document -> Facts -> Findings.

Stages only call forward; reports consume DocumentResult values and never reach back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from policycheck.catalogue import Catalogue
from policycheck.document import load_document
from policycheck.document.discover import discover
from policycheck.errors import PolicycheckError
from policycheck.facts.engine import Extractor, extractor
from policycheck.facts.model import DocumentFacts
from policycheck.findings.builtin import conflicting_facts
from policycheck.findings.evaluate import evaluate_rules
from policycheck.findings.model import DocumentResult, InputError
from policycheck.policy.model import PolicySet


@dataclass
class RunSettings:
    extractor_paths: tuple[str, ...] = ()


@dataclass
class Checker:
    """Everything needed to check one document; built once per run."""

    policy_set: PolicySet
    catalogue: Catalogue
    extractor: Extractor = field(repr=False)

    @classmethod
    def create(cls, policy_set: PolicySet, settings: RunSettings | None = None) -> "Checker":
        settings = settings or RunSettings()
        engine = extractor(settings.extractor_paths)
        return cls(policy_set, engine.catalogue, engine)

    def check_facts(self, document_facts: DocumentFacts) -> DocumentResult:
        outcomes = evaluate_rules(self.policy_set, self.catalogue, document_facts.facts)
        findings = [o.finding for o in outcomes if o.finding is not None]
        findings.extend(conflicting_facts(document_facts.facts, self.catalogue))
        return DocumentResult(document_facts.path, document_facts.languages, document_facts.facts,
                              findings, outcomes)

    def check_path(self, path: str) -> DocumentResult:
        document = load_document(path)
        return self.check_facts(self.extractor.extract(document))


def extract_path(path: str, engine: Extractor) -> DocumentFacts:
    return engine.extract(load_document(path))


def check_contracts(checker: Checker, paths: list[str]) -> Iterator[DocumentResult | InputError]:
    """Results in input order; a contract that cannot be read yields an InputError and the run goes on."""
    for item in discover(paths):
        if item.problem:
            yield InputError(item.path, item.problem)
            continue
        try:
            yield checker.check_path(item.path)
        except PolicycheckError as exc:
            yield InputError(item.path, exc.message)

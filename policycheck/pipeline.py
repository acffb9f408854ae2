"""The pipeline, end to end: contract path -> Document -> Facts -> Findings.

Stages only call forward; reports consume DocumentResult values and never reach back.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from policycheck.cache import FactCache
from policycheck.catalogue import Catalogue, default_catalogue
from policycheck.document.load import OFFICE_SUFFIXES, document_from_bytes, load_document, read_bytes
from policycheck.document.discover import Discovered, discover
from policycheck.document.unread_language import unread_text
from policycheck.errors import PolicycheckError, debugging, internal_error_message
from policycheck.facts.model import DocumentFacts
from policycheck.findings.builtin import conflicting_facts
from policycheck.findings.evaluate import Evaluator
from policycheck.findings.model import DocumentResult, InputError
from policycheck.findings.unread import DEFAULT_UNREAD, UnreadCheck
from policycheck.parallel import ordered_map, workers_are_forked, worth_parallel
from policycheck.policy.model import PolicySet

if TYPE_CHECKING:
    from policycheck.document.model import Document
    from policycheck.facts.engine import Extractor

Finished = TypeVar("Finished")


@dataclass
class RunSettings:
    """What extraction needs from the run's configuration (users' extractor files)."""

    extractor_paths: tuple[str, ...] = ()


def catalogue_for(settings: RunSettings) -> Catalogue:
    """The facts policies may name: the shipped catalogue, and the facts users' extractor files
    define when there are any (only then is the rule book needed to know them)."""
    if not settings.extractor_paths:
        return default_catalogue()
    from policycheck.facts.engine import extractor

    return extractor(settings.extractor_paths).catalogue


@dataclass
class Checker:
    """Everything needed to check one document; built once per run."""

    policy_set: PolicySet
    catalogue: Catalogue
    settings: RunSettings = field(default_factory=RunSettings)
    cache: FactCache | None = field(default=None, repr=False)
    unread: str = DEFAULT_UNREAD          # severity of unread-clause findings, or "off"
    engine: Extractor | None = field(default=None, repr=False)   # built when first needed
    evaluator: Evaluator = field(init=False, repr=False)
    unread_check: UnreadCheck = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.evaluator = Evaluator(self.policy_set, self.catalogue)
        self.unread_check = UnreadCheck(self.policy_set, self.evaluator, self.unread)

    @classmethod
    def create(cls, policy_set: PolicySet, settings: RunSettings | None = None,
               cache: FactCache | None = None, unread: str = DEFAULT_UNREAD) -> "Checker":
        settings = settings or RunSettings()
        return cls(policy_set, catalogue_for(settings), settings, cache, unread)

    @property
    def extractor(self) -> Extractor:
        """The extraction engine, built when a contract is first read: a run whose contracts
        all come from the fact cache (a pre-commit hook on unchanged files) never builds it."""
        if self.engine is None:
            from policycheck.facts.engine import extractor

            self.engine = extractor(self.settings.extractor_paths)
        return self.engine

    def check_facts(self, document_facts: DocumentFacts) -> DocumentResult:
        outcomes = self.evaluator.evaluate_all(document_facts.facts)
        outcomes, unread_findings = self.unread_check.apply(outcomes, document_facts)
        findings = [o.finding for o in outcomes if o.finding is not None]
        findings.extend(unread_findings)
        findings.extend(conflicting_facts(document_facts.facts, self.catalogue))
        return DocumentResult(document_facts.path, document_facts.languages, document_facts.facts,
                              findings, outcomes)

    def check_path(self, path: str) -> DocumentResult:
        return self.check_facts(self.facts_of(path))

    def check_document(self, document: Document) -> DocumentResult:
        """Stages 2 and 3 for a document already loaded (from standard input, a URL, an API call)."""
        return self.check_facts(read_document(document, self.extractor))

    def facts_of(self, path: str) -> DocumentFacts:
        """The facts of one contract, from the cache when its exact bytes were seen before."""
        if self.cache is None or path.lower().endswith(OFFICE_SUFFIXES):
            return read_document(load_document(path), self.extractor)
        data = read_bytes(path, path)
        key = self.cache.key(data)
        facts = self.cache.get(key, path)
        if facts is None:
            facts = read_document(document_from_bytes(data, path), self.extractor)
            self.cache.put(key, facts)
        return facts


def read_document(document: Document, engine: Extractor) -> DocumentFacts:
    """Stage 2 whole: the facts the extractor reads, then the clauses about a fact it could not
    read (facts/topics.py) and the text in a language it does not read."""
    from policycheck.facts.topics import read_topics

    facts = read_topics(document, engine.extract(document), engine.book)
    facts.unread_text, left_out = unread_text(document)
    if left_out:           # the languages the document is read in: the rest's
        facts.languages = document.languages_except(left_out)
    return facts


def extract_path(path: str, engine: Extractor) -> DocumentFacts:
    return read_document(load_document(path), engine)


def _printable(path: str) -> str:
    """``path`` with the bytes of a name that is not UTF-8 (lone surrogates) written as escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_item(checker: Checker, item: Discovered) -> DocumentResult | InputError:
    """Check one discovered contract; a contract that cannot be read becomes an InputError."""
    if item.problem:
        return InputError(_printable(item.path), item.problem)
    if _printable(item.path) != item.path:
        # Reports are UTF-8 (JSON, SARIF, XML): a name that is not cannot stand in them.
        return InputError(_printable(item.path), "has a file name that is not valid UTF-8; rename it")
    try:
        return checker.check_path(item.path)
    except PolicycheckError as exc:
        if debugging() and exc.__cause__ is not None:
            traceback.print_exception(exc)      # e.g. why a damaged .pdf could not be parsed
        return InputError(item.path, exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug met in one contract must not lose the others
        if debugging():
            traceback.print_exc()
        return InputError(item.path, internal_error_message(exc))


def _check_and_finish(checker: Checker, finish: Callable[[DocumentResult], Finished], item: Discovered
                      ) -> Finished | InputError:
    result = check_item(checker, item)
    return result if isinstance(result, InputError) else finish(result)


def check_contracts(checker: Checker, paths: list[str], jobs: int = 1,
                    finish: Callable[[DocumentResult], Finished] | None = None
                    ) -> Iterator[DocumentResult | Finished | InputError]:
    """Results in input order; a contract that cannot be read yields an InputError and the run goes on.

    With ``jobs`` > 1 the contracts are checked in that many worker processes (when there is
    enough text to be worth it); the results are the same, in the same order. ``finish`` (for
    example: render the result for the reports) is applied to each result in the worker that
    checked it when workers are forked, which shares it for free; elsewhere here.
    """
    items = discover(paths)
    if jobs > 1 and not worth_parallel(item.path for item in items if not item.problem):
        jobs = 1
    if finish is None:
        yield from ordered_map(partial(check_item, checker), items, jobs)
    elif jobs <= 1 or workers_are_forked():
        yield from ordered_map(partial(_check_and_finish, checker, finish), items, jobs)
    else:
        for result in ordered_map(partial(check_item, checker), items, jobs):
            yield result if isinstance(result, InputError) else finish(result)

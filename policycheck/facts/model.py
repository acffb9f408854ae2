"""Clause facts: a typed value with the evidence it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from policycheck.document.model import Span
from policycheck.document.unread_language import UnreadText
from policycheck.values.types import Value, display, literal_of


@dataclass(frozen=True)
class Fact:
    """One typed value read from a contract, with the exact text and place that say it."""

    name: str
    type: str
    value: Value
    language: str                 # "en" | "zh"
    evidence: Span
    extractor: str                # "<language>/<fact>#<rule id>", or "input" for given facts
    qualifiers: dict = field(default_factory=dict, compare=False, hash=False)

    def values(self) -> list[Value]:
        """The values policies see: both ends of a range, else the value itself."""
        qualifier_range = self.qualifiers.get("range")
        if qualifier_range:
            return [qualifier_range["low"], qualifier_range["high"]]
        return [self.value]

    def shown(self) -> str:
        qualifier_range = self.qualifiers.get("range")
        if qualifier_range:
            return f"{display(qualifier_range['low'])}..{display(qualifier_range['high'])}"
        return display(self.value)

    def as_dict(self) -> dict:
        qualifiers = {}
        for key, value in sorted(self.qualifiers.items()):
            if key == "range":
                qualifiers[key] = {"low": literal_of(value["low"]), "high": literal_of(value["high"])}
            else:
                qualifiers[key] = value
        return {
            "name": self.name,
            "type": self.type,
            "value": literal_of(self.value),
            "language": self.language,
            "qualifiers": qualifiers,
            "evidence": self.evidence.as_dict(),
            "extractor": self.extractor,
        }


@dataclass(frozen=True)
class UnreadClause:
    """A clause that speaks about a fact none of whose values could be read from the document.

    ``cues`` are the words that made the clause one about the fact (facts/topics.py)."""

    name: str
    language: str                 # "en" | "zh"
    evidence: Span
    cues: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "language": self.language, "evidence": self.evidence.as_dict(),
                "cues": list(self.cues)}


@dataclass
class DocumentFacts:
    """All facts of one document, by name, in document order, the clauses about a fact whose
    value could not be read (``unread``, in document order), and the text in a language
    policycheck does not read (``unread_text``, document/unread_language.py), which may state
    any fact."""

    path: str
    languages: list[str]
    facts: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unread: list[UnreadClause] = field(default_factory=list)
    unread_text: list[UnreadText] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The document as policycheck/facts/v1 writes it."""
        return {"path": self.path, "languages": list(self.languages), "facts": [fact.as_dict() for fact in self.facts],
                "unread": [clause.as_dict() for clause in self.unread],
                "unread_text": [text.as_dict() for text in self.unread_text]}

    def unread_by_name(self) -> dict[str, list[UnreadClause]]:
        index: dict[str, list[UnreadClause]] = {}
        for clause in self.unread:
            index.setdefault(clause.name, []).append(clause)
        return index

    def by_name(self) -> dict[str, list[Fact]]:
        index: dict[str, list[Fact]] = {}
        for fact in self.facts:
            index.setdefault(fact.name, []).append(fact)
        return index

"""Findings: what a rule (or a built-in check) says about one document."""

from __future__ import annotations

from dataclasses import dataclass, field

from policycheck.document.model import Span

SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one contract that a report shows: failed, missing or waived."""

    rule: str
    verb: str                      # require | forbid | flag | check (built-in)
    severity: str                  # error | warning | info
    status: str                    # failed | missing | waived
    message: str
    facts: dict[str, list] = field(default_factory=dict, compare=False, hash=False)  # name -> literal values
    evidence: tuple[Span, ...] = ()
    policy_path: str | None = None
    policy_line: int | None = None
    title: str | None = None
    see: str | None = None
    tags: tuple[str, ...] = ()
    waiver: dict | None = field(default=None, compare=False, hash=False)
    baselined: bool = field(default=False, compare=False, hash=False)   # known before: does not fail

    def as_dict(self) -> dict:
        data = {
            "rule": self.rule,
            "verb": self.verb,
            "severity": self.severity,
            "status": self.status,
            "message": self.message,
            "facts": {name: list(values) for name, values in sorted(self.facts.items())},
            "evidence": [span.as_dict() for span in self.evidence],
            "policy": {"path": self.policy_path, "line": self.policy_line} if self.policy_path else None,
        }
        if self.waiver:
            data["waiver"] = dict(self.waiver)
        if self.baselined:
            data["baseline"] = True
        return data


@dataclass(frozen=True)
class Outcome:
    """How one rule ended for one document: passed, failed, missing or not_applicable."""

    rule: str
    status: str
    finding: Finding | None = None


@dataclass
class DocumentResult:
    """Everything checked for one contract: its facts, findings and every rule's outcome."""

    path: str
    languages: list[str]
    facts: list = field(default_factory=list)            # list[Fact]
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    is_contract: bool = True        # False for a run input with findings of its own (the waivers file)


@dataclass
class InputError:
    """A contract that could not be read: reported, and the run goes on."""

    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}

"""What every report format renders: the results of one run, with a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from policycheck import __version__
from policycheck.findings.model import SEVERITY_ORDER, DocumentResult, Finding, InputError
from policycheck.policy.model import PolicySet

FAIL_ON_LEVELS = ("error", "warning", "info", "never")


def fails(finding: Finding, fail_on: str) -> bool:
    if fail_on == "never" or finding.status == "waived" or finding.baselined:
        return False
    return SEVERITY_ORDER[finding.severity] >= SEVERITY_ORDER[fail_on]


def _position_key(finding: Finding) -> tuple:
    first = finding.evidence[0] if finding.evidence else None
    return (-SEVERITY_ORDER[finding.severity], finding.status == "waived",
            first.line if first else 0, first.column if first else 0, finding.rule, finding.message)


def ordered_findings(findings: list[Finding]) -> list[Finding]:
    """The order every report uses: by severity, waived last, then by position and rule id."""
    return sorted(findings, key=_position_key)


@dataclass
class Tally:
    """Counts over documents a streaming run wrote out and did not keep (see RunReport.streamed)."""

    documents: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    by_status: dict[str, int] = field(default_factory=lambda: {"failed": 0, "missing": 0, "waived": 0})
    failing: int = 0
    baselined: int = 0

    def add(self, document: DocumentResult, fail_on: str) -> None:
        self.documents += document.is_contract
        for finding in document.findings:
            self.by_status[finding.status] = self.by_status.get(finding.status, 0) + 1
            self.baselined += finding.baselined
            if finding.status != "waived":
                self.by_severity[finding.severity] += 1
            if fails(finding, fail_on):
                self.failing += 1

    def merge(self, other: "Tally") -> None:
        self.documents += other.documents
        for name, count in other.by_severity.items():
            self.by_severity[name] = self.by_severity.get(name, 0) + count
        for name, count in other.by_status.items():
            self.by_status[name] = self.by_status.get(name, 0) + count
        self.failing += other.failing
        self.baselined += other.baselined

    def copy(self) -> "Tally":
        return Tally(self.documents, dict(self.by_severity), dict(self.by_status), self.failing, self.baselined)


@dataclass
class RunReport:
    """A finished (or streaming) run: results per contract, unreadable inputs, the exit rule."""

    documents: list[DocumentResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    policy_set: PolicySet | None = None
    fail_on: str = "error"
    version: str = __version__
    # Documents already written by streaming outputs are counted here instead of kept in
    # ``documents``, so a run over any number of contracts holds one document at a time.
    streamed: Tally = field(default_factory=Tally)
    # The documents were checked from files this run read (not facts given with --facts, whose
    # document names are only names): reports may read those files again to show their text.
    contracts_read: bool = True

    def summary(self) -> dict:
        tally = self.streamed.copy()
        for document in self.documents:
            tally.add(document, self.fail_on)
        return {
            "documents": tally.documents,
            "unreadable": len(self.errors),
            "rules": len(self.policy_set.rules) if self.policy_set else 0,
            "findings": sum(tally.by_status.values()),
            "by_severity": tally.by_severity,
            "by_status": tally.by_status,
            "failing": tally.failing,
            "baselined": tally.baselined,
            "fail_on": self.fail_on,
        }

    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.summary()["failing"] else 0

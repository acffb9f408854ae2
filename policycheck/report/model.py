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
class RunReport:
    documents: list[DocumentResult] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    policy_set: PolicySet | None = None
    fail_on: str = "error"
    version: str = __version__

    def summary(self) -> dict:
        by_severity = {"error": 0, "warning": 0, "info": 0}
        by_status = {"failed": 0, "missing": 0, "waived": 0}
        failing = baselined = 0
        for document in self.documents:
            for finding in document.findings:
                by_status[finding.status] = by_status.get(finding.status, 0) + 1
                baselined += finding.baselined
                if finding.status != "waived":
                    by_severity[finding.severity] += 1
                if fails(finding, self.fail_on):
                    failing += 1
        return {
            "documents": len(self.documents),
            "unreadable": len(self.errors),
            "rules": len(self.policy_set.rules) if self.policy_set else 0,
            "findings": sum(by_status.values()),
            "by_severity": by_severity,
            "by_status": by_status,
            "failing": failing,
            "baselined": baselined,
            "fail_on": self.fail_on,
        }

    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.summary()["failing"] else 0

"""The template context: plain data (dicts, lists, strings) built from a run.

The same context feeds shipped templates and users' own (``--template``); it is documented in
the README. Templates never see Python objects with methods.
"""

from __future__ import annotations

from policycheck.findings.model import SEVERITY_ORDER
from policycheck.report.model import RunReport, fails


def _finding_sort_key(finding: dict):
    first = finding["evidence"][0] if finding["evidence"] else {"line": 0, "column": 0}
    return (-SEVERITY_ORDER[finding["severity"]], first["line"], first["column"], finding["rule"])


def build_context(report: RunReport) -> dict:
    documents = []
    for document in report.documents:
        findings = []
        for finding in document.findings:
            data = finding.as_dict()
            data["title"] = finding.title
            data["see"] = finding.see
            data["tags"] = list(finding.tags)
            data["fails"] = fails(finding, report.fail_on)
            findings.append(data)
        findings.sort(key=_finding_sort_key)
        documents.append({
            "path": document.path,
            "languages": list(document.languages),
            "findings": findings,
            "facts": [fact.as_dict() for fact in document.facts],
        })
    return {
        "version": report.version,
        "summary": report.summary(),
        "documents": documents,
        "errors": [error.as_dict() for error in report.errors],
        "exit_code": report.exit_code(),
    }

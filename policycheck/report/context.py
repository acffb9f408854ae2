"""The template context: plain data (dicts, lists, strings, numbers) built from a run.

The same context feeds the shipped templates, the data formats (SARIF, JUnit, GitHub) and
users' own templates (``--template``); docs/reports.md documents every key. Templates
never see Python objects with methods, and the order of every list is fixed (documents in
input order, findings by severity then position, facts by position), so a report is
byte-identical on every run.
"""

from __future__ import annotations

from policycheck.findings.model import SEVERITY_ORDER, DocumentResult, Finding
from policycheck.report.links import link_label
from policycheck.report.model import RunReport, fails, ordered_findings
from policycheck.report.positions import annotate, describe

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
SEVERITIES = ("error", "warning", "info")
# Every waiver in the context has these keys (None when the waiver does not say).
WAIVER_KEYS = ("rule", "contract", "reason", "approved_by", "expires", "source")


def _add_context(data: dict, span, language: str | None) -> dict:
    """A span's ``as_dict`` with what templates show around the quote and its language."""
    data["before"] = span.before
    data["after"] = span.after
    data["language"] = language
    return data


def _place(span) -> tuple:
    return (span.line, span.column, span.end_line, span.end_column)


def _finding(path: str, finding: Finding, fail_on: str, languages: dict[tuple, str]) -> dict:
    data = finding.as_dict()
    data["evidence"] = [_add_context(spanned, span, languages.get(_place(span)))
                        for spanned, span in zip(data["evidence"], finding.evidence)]
    data["title"] = finding.title
    data["see"] = finding.see
    data["see_label"] = link_label(finding.see)
    data["tags"] = list(finding.tags)
    data["fails"] = fails(finding, fail_on)
    data["waiver"] = None
    if finding.waiver:
        data["waiver"] = {key: None for key in WAIVER_KEYS}
        data["waiver"].update(finding.waiver)
    data.pop("baseline", None)
    data["baselined"] = bool(getattr(finding, "baselined", False))
    annotate(path, data)
    return data


def _fact(path: str, fact) -> dict:
    data = fact.as_dict()
    _add_context(data["evidence"], fact.evidence, fact.language)
    evidence = data["evidence"]
    evidence["file"], evidence["where"], evidence["link"] = describe(path, evidence)
    data["shown"] = fact.shown()
    return data


def _counts(findings: list[dict]) -> dict:
    counts = {severity: 0 for severity in SEVERITIES}
    counts["waived"] = 0
    for finding in findings:
        if finding["status"] == "waived":
            counts["waived"] += 1
        else:
            counts[finding["severity"]] += 1
    return counts


def _outcomes(document: DocumentResult) -> list[dict]:
    """Every rule's status for this document; a finding's status (e.g. waived) wins."""
    finding_status = {}
    for finding in document.findings:
        finding_status.setdefault(finding.rule, finding.status)
    outcomes = []
    seen = set()
    for outcome in document.outcomes:
        seen.add(outcome.rule)
        status = finding_status.get(outcome.rule, outcome.status)
        if status in ("failed", "missing", "unread") and outcome.finding is not None \
                and outcome.rule not in finding_status:
            status = "passed"      # its finding was dropped (e.g. by a baseline): not failing here
        outcomes.append({"rule": outcome.rule, "status": status})
    for rule, status in sorted(finding_status.items()):
        if rule not in seen:       # built-in checks have findings but no outcome
            outcomes.append({"rule": rule, "status": status})
    return outcomes


def _document(document: DocumentResult, fail_on: str) -> dict:
    # The language of a quote is the language of the fact it comes from.
    languages = {_place(fact.evidence): fact.language for fact in document.facts}
    findings = [_finding(document.path, finding, fail_on, languages) for finding in ordered_findings(document.findings)]
    return {
        "path": document.path,
        "languages": list(document.languages),
        "language_names": [LANGUAGE_NAMES.get(code, code) for code in document.languages],
        "counts": _counts(findings),
        "findings": findings,
        "facts": [_fact(document.path, fact) for fact in document.facts],
        "outcomes": _outcomes(document),
    }


def document_context(document: DocumentResult, fail_on: str) -> dict:
    """One entry of the context's ``documents``: what streaming formats render per document."""
    return _document(document, fail_on)


def _rules(report: RunReport, documents: list[dict]) -> list[dict]:
    rules = []
    known = set()
    for rule in report.policy_set.rules if report.policy_set else []:
        known.add(rule.id)
        rules.append({
            "id": rule.id,
            "title": rule.title,
            "description": rule.description,
            "text": rule.text,
            "verb": rule.verb,
            "severity": rule.severity,
            "see": rule.see,
            "tags": list(rule.tags),
            "policy": {"path": rule.path, "line": rule.line},
            "builtin": False,
        })
    builtin: dict[str, dict] = {}
    for document in documents:
        for finding in document["findings"]:
            if finding["rule"] not in known and finding["rule"] not in builtin:
                builtin[finding["rule"]] = {
                    "id": finding["rule"],
                    "title": finding["title"],
                    "description": finding["title"] or finding["rule"],
                    "text": None,
                    "verb": finding["verb"],
                    "severity": finding["severity"],
                    "see": finding["see"],
                    "tags": finding["tags"],
                    "policy": finding["policy"],
                    "builtin": True,
                }
    return rules + [builtin[rule_id] for rule_id in sorted(builtin)]


def build_context(report: RunReport) -> dict:
    documents = [_document(document, report.fail_on) for document in report.documents]
    summary = report.summary()
    return {
        "tool": {"name": "policycheck", "version": report.version},
        "version": report.version,
        "summary": summary,
        "fail_on": report.fail_on,
        "exit_code": report.exit_code(),
        "rules": _rules(report, documents),
        "documents": documents,
        "errors": [error.as_dict() for error in report.errors],
        "severities": list(SEVERITIES),
        "severity_rank": dict(SEVERITY_ORDER),
    }

"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure DevOps).

One test suite per contract and one test case per (contract, rule): a rule that passed is a
passing test, a finding is a failure (its severity is the failure type), a rule whose guard
does not hold or whose finding is waived is skipped. Built-in checks that reported something
(``conflicting-facts``) are test cases too. A contract that could not be read is a suite with
one test case in error. No timestamps or durations: the output is the same on every run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from policycheck.report.base import RenderOptions, Reporter
from policycheck.report.context import build_context
from policycheck.report.model import RunReport

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot carry at all (a contract may contain them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _detail(finding: dict) -> str:
    lines = [finding["message"]]
    if finding["status"] == "missing":
        lines.append("not found in the contract")
    for span in finding["evidence"]:
        lines.append(f"{span['where']}: \"{span['text']}\"")
    if finding["policy"]:
        lines.append(f"rule {finding['rule']} ({finding['policy']['path']}:{finding['policy']['line']})")
    else:
        lines.append(f"rule {finding['rule']} (built-in check)")
    if finding["see"]:
        lines.append(f"see {finding['see']}")
    return "\n".join(lines)


def _case(suite: "ET.Element", path: str, rule: dict | None, rule_id: str, status: str,
          findings: list[dict]) -> str:
    """Add one test case; returns what it counts as: passed, failure or skipped."""
    name = rule_id if rule is None or not rule["title"] else f"{rule_id}: {rule['title']}"
    from xml.etree.ElementTree import SubElement   # imported when used: keeps start-up fast

    case = SubElement(suite, "testcase", {"classname": _xml_text(path), "name": _xml_text(name)})
    active = [finding for finding in findings if finding["status"] != "waived" and not finding["baselined"]]
    if active:
        worst = active[0]          # findings are ordered most severe first
        failure = SubElement(case, "failure", {
            "type": worst["severity"],
            "message": _xml_text("; ".join(finding["message"] for finding in active)),
        })
        failure.text = _xml_text("\n\n".join(_detail(finding) for finding in active))
        return "failure"
    if findings:
        waiver = findings[0]["waiver"] or {}
        reason = waiver.get("reason")
        if findings[0]["status"] == "waived":
            message = f"waived: {reason}" if reason else "waived"
        else:
            message = f"in the baseline (known before): {findings[0]['message']}"
        SubElement(case, "skipped", {"message": _xml_text(message)})
        return "skipped"
    if status == "unread":       # a forbid/flag its fact's unread clause kept from being checked
        SubElement(case, "skipped", {"message": "not checked: a clause about its fact was found but its value "
                                                   "could not be read (see unread-clause)"})
        return "skipped"
    if status == "not_applicable":
        SubElement(case, "skipped", {"message": "not applicable: the rule's when/unless condition excludes "
                                                   "this contract"})
        return "skipped"
    return "passed"


def junit_tree(report: RunReport) -> "ET.Element":
    import xml.etree.ElementTree as ET

    context = build_context(report)
    rules = {rule["id"]: rule for rule in context["rules"]}
    root = ET.Element("testsuites", {"name": "policycheck"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for document in context["documents"]:
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(document["path"])})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        by_rule: dict[str, list[dict]] = {}
        for finding in document["findings"]:
            by_rule.setdefault(finding["rule"], []).append(finding)
        for outcome in document["outcomes"]:
            kind = _case(suite, document["path"], rules.get(outcome["rule"]), outcome["rule"], outcome["status"],
                         by_rule.get(outcome["rule"], []))
            counts["tests"] += 1
            if kind == "failure":
                counts["failures"] += 1
            elif kind == "skipped":
                counts["skipped"] += 1
        _set_counts(suite, counts)
        for key in totals:
            totals[key] += counts[key]
    for error in context["errors"]:
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(error["path"])})
        case = ET.SubElement(suite, "testcase", {"classname": _xml_text(error["path"]), "name": "read contract"})
        failure = ET.SubElement(case, "error", {"type": "unreadable", "message": _xml_text(error["message"])})
        failure.text = _xml_text(f"could not read {error['path']}: {error['message']}")
        _set_counts(suite, {"tests": 1, "failures": 0, "errors": 1, "skipped": 0})
        totals["tests"] += 1
        totals["errors"] += 1
    _set_counts(root, totals)
    return root


def _set_counts(element: "ET.Element", counts: dict[str, int]) -> None:
    for key in ("tests", "failures", "errors", "skipped"):
        element.set(key, str(counts[key]))


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: a test case per contract and rule"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        import xml.etree.ElementTree as ET

        root = junit_tree(report)
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

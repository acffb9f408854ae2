"""The three forms of a semantic diff: text (terminal), Markdown (a pull-request comment) and JSON."""

from __future__ import annotations

import json

from policycheck.workflow.semdiff import DIFF_SCHEMA, ContractDiff, FactChange, summary

_MARK = {"added": "+", "removed": "-", "changed": "~", "appeared": "+", "disappeared": "-"}
_STATUS = {"added": "new contract", "removed": "contract removed", "modified": "modified", "renamed": "renamed"}


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _fact_line(change: FactChange) -> tuple[str, str]:
    """(what changed, where) for one fact change."""
    if change.kind == "changed":
        what = f"{change.name}: {change.old.shown()} -> {change.new.shown()}"
    elif change.kind == "added":
        what = f"{change.name}: {change.new.shown()}"
    else:
        what = f"{change.name}: {change.old.shown()}"
    fact = change.new or change.old
    prefix = "was " if change.kind == "removed" else ""
    return what, f"{prefix}line {fact.evidence.line} \"{_quote(fact.evidence.text)}\""


def _totals(data: dict) -> str:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"
    facts = f"facts: {data['facts_changed']} changed, {data['facts_added']} added, {data['facts_removed']} removed"
    findings = f"findings: {data['findings_appeared']} appeared, {data['findings_disappeared']} disappeared"
    return f"{n(data['contracts'], 'contract')} compared; {facts}; {findings}."


def render_text(diffs: list[ContractDiff], fail_on: str) -> str:
    lines = []
    for diff in diffs:
        title = diff.path
        if diff.old_path and diff.old_path != diff.path:
            title = f"{diff.old_path} -> {diff.path}"
        lines.append(f"{title} ({_STATUS[diff.status]})")
        for error in diff.errors:
            lines.append(f"  error  {error}")
        if not diff.facts and not diff.findings and not diff.errors:
            lines.append("  no change in facts or findings")
        if diff.facts:
            lines.append("  facts")
            width = max(len(_fact_line(change)[0]) for change in diff.facts)
            for change in diff.facts:
                what, where = _fact_line(change)
                lines.append(f"    {_MARK[change.kind]} {what:<{width}}  {where}")
        if diff.findings:
            lines.append("  findings")
            for change in diff.findings:
                finding = change.finding
                lines.append(f"    {_MARK[change.kind]} {finding.severity:<7}  {finding.rule}: {finding.message}")
        lines.append("")
    lines.append(_totals(summary(diffs, fail_on)))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Contract text inside a Markdown table cell: no markup, no HTML, no table breaks."""
    text = " ".join(str(text).split())
    text = text.replace("\\", "\\\\")
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(char, escaped)
    for char in "`*_[]()#!~":
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(diffs: list[ContractDiff], fail_on: str) -> str:
    data = summary(diffs, fail_on)
    out = ["## policycheck: what changed in the contracts", "", _totals(data), ""]
    for diff in diffs:
        title = _md(diff.path)
        if diff.old_path and diff.old_path != diff.path:
            title = f"{_md(diff.old_path)} → {_md(diff.path)}"
        out.append(f"### {title} ({_STATUS[diff.status]})")
        out.append("")
        for error in diff.errors:
            out.append(f"- **error:** {_md(error)}")
        if not diff.facts and not diff.findings and not diff.errors:
            out.append("No change in facts or findings.")
        if diff.facts:
            out += ["| | Fact | Before | After | Evidence |", "|---|---|---|---|---|"]
            for change in diff.facts:
                fact = change.new or change.old
                before = _md(change.old.shown()) if change.old else ""
                after = _md(change.new.shown()) if change.new else ""
                evidence = f"line {fact.evidence.line}: {_md(_quote(fact.evidence.text))}"
                out.append(f"| {change.kind} | `{change.name}` | {before} | {after} | {evidence} |")
            out.append("")
        if diff.findings:
            for change in diff.findings:
                finding = change.finding
                verb = "**new**" if change.kind == "appeared" else "resolved"
                out.append(f"- {verb} {finding.severity} `{finding.rule}`: {_md(finding.message)}")
            out.append("")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_json(diffs: list[ContractDiff], fail_on: str) -> str:
    data = {"schema": DIFF_SCHEMA, "summary": summary(diffs, fail_on),
            "contracts": [diff.as_dict(fail_on) for diff in diffs]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}

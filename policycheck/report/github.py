"""GitHub Actions workflow commands: annotations on the pull request's files.

``::error file=PATH,line=L,col=C,endLine=..,endColumn=..,title=TITLE::MESSAGE`` per finding
(warning and notice for the lower severities; a waived finding is a notice saying so), escaped
per GitHub's rules so contract text cannot end a command or start another. When
``$GITHUB_STEP_SUMMARY`` is set, the Markdown report is appended to the job summary.
"""

from __future__ import annotations

from policycheck.report.base import RenderOptions, Reporter, SideOutput
from policycheck.report.context import build_context
from policycheck.report.escaping import github_data, github_property
from policycheck.report.formats import MarkdownReporter
from policycheck.report.model import RunReport

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
# GitHub refuses a job summary larger than 1 MiB; stay below it with room for other steps.
SUMMARY_LIMIT = 900 * 1024


def _command(kind: str, properties: list[tuple[str, object]], message: str) -> str:
    shown = ",".join(f"{key}={github_property(value)}" for key, value in properties)
    return f"::{kind} {shown}::{github_data(message)}" if shown else f"::{kind}::{github_data(message)}"


def _annotation(path: str, finding: dict) -> str:
    quiet = finding["status"] == "waived" or finding["baselined"]      # known and accepted: a notice
    kind = "notice" if quiet else COMMANDS[finding["severity"]]
    properties: list[tuple[str, object]] = [("file", path)]
    if finding["evidence"]:
        span = finding["evidence"][0]
        properties.append(("line", span["line"]))
        if span["end_line"] != span["line"]:
            properties.append(("endLine", span["end_line"]))
        else:
            properties += [("col", span["column"]), ("endColumn", span["end_column"])]
    label = finding["title"] or finding["rule"]
    title = f"{label} ({finding['rule']})" if finding["title"] else label
    if finding["status"] == "waived":
        title = f"waived: {title}"
    elif finding["baselined"]:
        title = f"in baseline: {title}"
    properties.append(("title", title))
    message = finding["message"]
    if finding["status"] == "missing":
        message += " (not found in the contract)"
    if finding["status"] == "waived" and finding["waiver"] and finding["waiver"].get("reason"):
        message += f"\nwaived: {finding['waiver']['reason']}"
    for span in finding["evidence"]:
        message += f"\nline {span['line']}: \"{span['text']}\""
    return _command(kind, properties, message)


def workflow_commands(report: RunReport) -> str:
    context = build_context(report)
    lines = []
    for document in context["documents"]:
        for finding in document["findings"]:
            lines.append(_annotation(document["path"], finding))
    for error in context["errors"]:
        lines.append(_command("error", [("file", error["path"]), ("title", "policycheck: could not read contract")],
                              error["message"]))
    summary = context["summary"]
    lines.append(f"policycheck: {summary['documents']} contract(s), {summary['findings']} finding(s), "
                 f"{summary['failing']} at or above --fail-on {summary['fail_on']}")
    return "\n".join(lines) + "\n"


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations, plus the Markdown report in the job summary"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return workflow_commands(report)

    def side_outputs(self, report: RunReport, options: RenderOptions) -> list[SideOutput]:
        summary_path = options.environ.get("GITHUB_STEP_SUMMARY")
        if not summary_path:
            return []
        markdown = fit_summary(MarkdownReporter().render(report, options), SUMMARY_LIMIT)
        return [SideOutput(summary_path, markdown, append=True)]


def fit_summary(markdown: str, limit: int) -> str:
    """Cut the report before the first contract section that would pass ``limit`` bytes, and say so."""
    if len(markdown.encode("utf-8")) <= limit:
        return markdown
    note = ("\n> The job summary is cut here to stay within GitHub's size limit; "
            "write the whole report with `-f markdown:FILE` or `-f html:FILE`.\n")
    budget = limit - len(note.encode("utf-8"))
    cut = 0
    start = markdown.find("\n### ")
    while start != -1 and len(markdown[:start].encode("utf-8")) <= budget:
        cut = start
        start = markdown.find("\n### ", start + 1)
    if cut == 0:
        cut = len(markdown.encode("utf-8")[:budget].decode("utf-8", "ignore"))
    return markdown[:cut].rstrip("\n") + "\n" + note

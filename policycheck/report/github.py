"""GitHub Actions workflow commands: annotations on the pull request's files.

``::error file=PATH,line=L,col=C,endLine=..,endColumn=..,title=TITLE::MESSAGE`` per finding
(warning and notice for the lower severities; a waived finding is a notice saying so), escaped
per GitHub's rules so contract text cannot end a command or start another. GitHub shows only so
many annotations per step: the most severe are written, up to that limit, and the others are
counted. When ``$GITHUB_STEP_SUMMARY`` is set, the Markdown report (within the summary's size
limit) is appended to the job summary, with the count of findings that were not annotated.
"""

from __future__ import annotations

from dataclasses import dataclass

from policycheck.report.base import RenderOptions, Reporter, SideOutput
from policycheck.report.context import build_context
from policycheck.report.escaping import github_data, github_property
from policycheck.report.formats import MarkdownReporter
from policycheck.report.fitting import JOB_SUMMARY_LIMIT
from policycheck.report.model import RunReport
from policycheck.report.positions import place_of

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
# GitHub shows at most 10 annotations of each level (error, warning, notice) per step and 50 per
# job; the rest would be dropped without a word, so they are counted in the job summary instead.
PER_STEP_LIMIT = 10
PER_JOB_LIMIT = 50


def _command(kind: str, properties: list[tuple[str, object]], message: str) -> str:
    shown = ",".join(f"{key}={github_property(value)}" for key, value in properties)
    return f"::{kind} {shown}::{github_data(message)}" if shown else f"::{kind}::{github_data(message)}"


def _annotation(path: str, finding: dict) -> str:
    quiet = finding["status"] == "waived" or finding["baselined"]      # known and accepted: a notice
    kind = "notice" if quiet else COMMANDS[finding["severity"]]
    first = place_of(path, finding["evidence"][0] if finding["evidence"] else None)
    # An office file has no lines GitHub could show, and a value from a --facts file is in that
    # file: the annotation goes on the file it concerns, without a made-up line.
    properties: list[tuple[str, object]] = [("file", first.path)]
    if first.line is not None:
        properties.append(("line", first.line))
        if first.end_line != first.line:
            properties.append(("endLine", first.end_line))
        else:
            properties += [("col", first.column), ("endColumn", first.end_column)]
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
    if first.in_facts_file:
        message += f" (the value given for {path} in the facts file)"
    if finding["status"] == "waived" and finding["waiver"] and finding["waiver"].get("reason"):
        message += f"\nwaived: {finding['waiver']['reason']}"
    for span in finding["evidence"]:
        message += f"\n{span['where']}: \"{span['text']}\""
    return _command(kind, properties, message)


@dataclass
class Annotations:
    """The annotations of a run, the most severe first, cut to what GitHub shows per step."""

    lines: list[str]
    shown: int
    left_out: list[dict]


def annotations(context: dict) -> Annotations:
    candidates = []          # (order, kind, line, finding or None)
    for error in context["errors"]:           # a contract that was not checked comes first
        line = _command("error", [("file", error["path"]), ("title", "policycheck: could not read contract")],
                        error["message"])
        candidates.append(((0, 0, len(candidates)), "error", line, None))
    rank = context["severity_rank"]
    for document in context["documents"]:
        for finding in document["findings"]:
            line = _annotation(document["path"], finding)
            kind = line[2:line.index(" ")]
            quiet = finding["status"] == "waived" or finding["baselined"]
            candidates.append(((1, quiet, -rank[finding["severity"]], len(candidates)), kind, line, finding))
    candidates.sort(key=lambda candidate: candidate[0])
    per_kind: dict[str, int] = {}
    lines, left_out = [], []
    for _, kind, line, finding in candidates:
        if per_kind.get(kind, 0) < PER_STEP_LIMIT and len(lines) < PER_JOB_LIMIT:
            per_kind[kind] = per_kind.get(kind, 0) + 1
            lines.append(line)
        elif finding is not None:
            left_out.append(finding)
    return Annotations(lines, sum(1 for _, _, _, finding in candidates if finding is not None) - len(left_out),
                       left_out)


def workflow_commands(report: RunReport, report_url: str | None = None) -> str:
    context = build_context(report)
    chosen = annotations(context)
    lines = list(chosen.lines)
    summary = context["summary"]
    last = (f"policycheck: {summary['documents']} contract(s), {summary['findings']} finding(s), "
            f"{summary['failing']} at or above --fail-on {summary['fail_on']}")
    if chosen.left_out:
        last += (f"; {len(chosen.left_out)} finding(s) not annotated (GitHub shows {PER_STEP_LIMIT} "
                 f"per level): see the job summary" + (f" or {report_url}" if report_url else ""))
    lines.append(last)
    return "\n".join(lines) + "\n"


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (the most severe, within GitHub's limits), plus the job summary"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return workflow_commands(report, options.report_url)

    def side_outputs(self, report: RunReport, options: RenderOptions) -> list[SideOutput]:
        summary_path = options.environ.get("GITHUB_STEP_SUMMARY")
        if not summary_path:
            return []
        chosen = annotations(build_context(report))
        counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
        for finding in chosen.left_out:
            counts["waived" if finding["status"] == "waived" else finding["severity"]] += 1
        extra = {"annotations": {"shown": chosen.shown, "left_out": len(chosen.left_out), "left_out_counts": counts}}
        markdown = MarkdownReporter().render_within(report, options, JOB_SUMMARY_LIMIT,
                                                    measure=lambda text: len(text.encode("utf-8")), extra=extra)
        return [SideOutput(summary_path, markdown, append=True)]



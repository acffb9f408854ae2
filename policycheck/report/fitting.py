"""Fitting a report into a place with a size limit: a pull-request comment, a job summary.

The report keeps its summary and the most severe findings, as many as fit, and says how many it
left out and where the whole report is. Which findings are kept is decided on the template
context (``fit_context``), so the report that is cut reads like the whole one, only shorter.
"""

from __future__ import annotations

from typing import Callable

# GitHub refuses a comment (pull request, issue) longer than this many characters.
GITHUB_COMMENT_LIMIT = 65_536
# What the Markdown report aims for: room is left for a bot's own heading around it.
MARKDOWN_LIMIT = GITHUB_COMMENT_LIMIT - 1_536
# GitHub refuses a job summary larger than 1 MiB (bytes); room is left for other steps.
JOB_SUMMARY_LIMIT = 900 * 1024


def _rank(context: dict) -> list[tuple[int, int]]:
    """Every finding as (document index, finding index), the one to keep first in front:
    findings that count (not waived, not in the baseline) before the others, then by severity,
    then in report order."""
    rank = context["severity_rank"]
    keyed = []
    for document_index, document in enumerate(context["documents"]):
        for finding_index, finding in enumerate(document["findings"]):
            quiet = finding["status"] == "waived" or finding["baselined"]
            keyed.append(((quiet, -rank[finding["severity"]], document_index, finding_index),
                          (document_index, finding_index)))
    keyed.sort()
    return [place for _, place in keyed]


def _tally(findings: list[dict]) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for finding in findings:
        counts["waived" if finding["status"] == "waived" else finding["severity"]] += 1
    return counts


def fit_context(context: dict, kept: set[tuple[int, int]], kept_errors: int, report_url: str | None) -> dict:
    """The context with only the ``kept`` findings and the first ``kept_errors`` errors, and an
    ``omitted`` entry saying what is left out and where it is."""
    documents, left_out, touched, clean = [], [], 0, 0
    for document_index, document in enumerate(context["documents"]):
        findings = [finding for finding_index, finding in enumerate(document["findings"])
                    if (document_index, finding_index) in kept]
        dropped = [finding for finding_index, finding in enumerate(document["findings"])
                   if (document_index, finding_index) not in kept]
        left_out += dropped
        touched += bool(dropped)
        clean += not document["findings"]
        if findings:
            documents.append(dict(document, findings=findings, omitted=len(dropped)))
    omitted = {
        "findings": len(left_out),
        "counts": _tally(left_out),
        "documents": touched,
        "clean": clean,               # contracts without findings: counted, no longer listed
        "errors": len(context["errors"]) - kept_errors,
        "report_url": report_url,
    }
    return dict(context, documents=documents, errors=context["errors"][:kept_errors], omitted=omitted)


def _largest(fits: Callable[[int], bool], most: int) -> int:
    """The largest n in 0..most with fits(n), where fits holds up to some n and not beyond."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def render_within(render: Callable[[dict], str], context: dict, limit: int, report_url: str | None,
                  measure: Callable[[str], int] = len) -> str:
    """``render(context)`` when it is at most ``limit`` long; else the rendering of the context
    cut to the most severe findings that fit (unreadable contracts are kept before findings)."""
    whole = render(dict(context, omitted=None))
    if measure(whole) <= limit:
        return whole
    ranked = _rank(context)
    errors = len(context["errors"])

    def attempt(findings: int, kept_errors: int) -> str:
        return render(fit_context(context, set(ranked[:findings]), kept_errors, report_url))

    if measure(attempt(0, errors)) > limit:
        kept_errors = _largest(lambda count: measure(attempt(0, count)) <= limit, errors)
        return attempt(0, kept_errors)
    findings = _largest(lambda count: measure(attempt(count, errors)) <= limit, len(ranked))
    return attempt(findings, errors)

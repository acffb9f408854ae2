"""One line per finding, ``path:line:col: severity: message [rule-id]``, as flake8, ruff and GNU tools
print, so editors, terminals and ``grep`` take it as it is.

A finding without a line to point at (a required clause that is missing, a clause in an office
file) is ``path: severity: message [rule-id]``, the page or paragraph of an office file in the
message. A waived or baselined finding is a ``note`` (``note: waived error: ...``), so that no
problem matcher takes it for an error. Unreadable contracts are ``path: error: could not read: REASON``. The
summary is the last line. Nothing is printed for a contract without findings. Control
characters are removed and line breaks folded, so one finding is always one line.
"""

from __future__ import annotations

from typing import Callable

from policycheck.findings.model import DocumentResult
from policycheck.report.base import RenderOptions, Reporter
from policycheck.report.context import document_context
from policycheck.report.escaping import terminal_text
from policycheck.report.model import RunReport
from policycheck.report.positions import place_of


def _one_line(text: object) -> str:
    return " ".join(terminal_text(text).split())


def _path(path: str) -> str:
    """The path at the start of a line; one that starts like a CI workflow command (``::``) is
    written ``./::...``, the same file, so that a runner reading the log does not execute it."""
    # Prefixed before escaping: "./::..." starts no command, and stays a path an editor opens.
    return _one_line("./" + path if path.startswith("::") else path)


def finding_line(path: str, finding: dict) -> str:
    severity = finding["severity"]
    message = finding["message"]
    # Known and accepted findings must not read as errors to a problem matcher: they are notes.
    if finding["status"] == "waived":
        severity, message = "note", f"waived {severity}: {message}"
    elif finding["baselined"]:
        severity, message = "note", f"in the baseline, {severity}: {message}"
    first = place_of(path, finding["evidence"][0] if finding["evidence"] else None)
    if not finding["evidence"]:
        if finding["status"] == "missing" and "not found" not in message:
            message += " (not found in the contract)"
    elif first.office:
        message += f" ({first.office})"
    elif first.in_facts_file:
        message += f" (the value given for {path})"
    return f"{_path(first.link)}: {severity}: {_one_line(message)} [{_one_line(finding['rule'])}]"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def document_lines(document: dict) -> str:
    return "".join(finding_line(document["path"], finding) + "\n" for finding in document["findings"])


def tail_lines(report: RunReport) -> str:
    lines = [f"{_path(error.path)}: error: could not read: {_one_line(error.message)}" for error in report.errors]
    summary = report.summary()
    counts = ", ".join(_plural(summary["by_severity"][level], level) for level in ("error", "warning", "info"))
    lines.append(f"Found {_plural(summary['findings'], 'finding')} in {_plural(summary['documents'], 'contract')}: "
                 f"{counts}, {summary['by_status']['waived']} waived; {summary['failing']} at or above "
                 f"--fail-on {summary['fail_on']}.")
    return "".join(line + "\n" for line in lines)


class CompactReporter(Reporter):
    name = "compact"
    description = "one line per finding: path:line:col: severity: message [rule-id]"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        parts = [document_lines(document_context(document, report.fail_on)) for document in report.documents]
        return "".join(parts) + tail_lines(report)

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> "CompactStream":
        return CompactStream(write, fail_on)


class CompactStream:
    """The same lines as CompactReporter.render, written while the run goes."""

    def __init__(self, write: Callable[[str], None], fail_on: str) -> None:
        self._write, self._fail_on = write, fail_on

    def render(self, result: DocumentResult) -> str:
        return document_lines(document_context(result, self._fail_on))

    def write(self, text: str) -> None:
        self._write(text)

    def close(self, report: RunReport) -> None:
        self._write(tail_lines(report))

"""The formats rendered from Jinja2 templates (text, markdown, html), users' templates, and JSON.

JSON is built as data from the run (``report_data``) and dumped, never templated, so its shape is
exactly ``policycheck/report/v1`` (report-v1.schema.json in this package).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from policycheck.errors import UsageError
from policycheck.report import jsonlayout
from policycheck.report.base import RenderOptions, Reporter
from policycheck.findings.model import DocumentResult
from policycheck.report.context import build_context, document_context
from policycheck.report.fitting import MARKDOWN_LIMIT, render_within
from policycheck.report.model import RunReport, ordered_findings

if TYPE_CHECKING:
    from jinja2 import Template

REPORT_SCHEMA = "policycheck/report/v1"
SCHEMA_FILE = "report-v1.schema.json"


def report_schema() -> dict:
    """The JSON Schema of ``policycheck/report/v1``, shipped in this package."""
    return json.loads(Path(__file__).with_name(SCHEMA_FILE).read_text(encoding="utf-8"))


class TemplateReporter(Reporter):
    """A format that is one shipped template rendered with the documented context."""

    template_name: str = ""
    kind: str = "text"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return self._template().render(build_context(report), color=options.color)

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> "TemplateStream | None":
        template = self._template()
        if not {"document", "tail"} <= set(template.blocks):
            return None
        return TemplateStream(template, write, options.color, fail_on)

    def _template(self) -> Template:
        # Jinja2 is imported when a template format is written, not on every run.
        from policycheck.report.templating import shipped_environment

        return shipped_environment(self.kind).get_template(self.template_name)


class TemplateStream:
    """A template with blocks ``document`` (rendered per document) and ``tail`` (at the end).

    The macros and top-level variables of the template are taken from its module (rendered once
    with the context of an empty run), so the blocks see what they see in a whole rendering.
    """

    def __init__(self, template: Template, write: Callable[[str], None], color: bool, fail_on: str) -> None:
        self._template, self._write, self._color, self._fail_on = template, write, color, fail_on
        empty = dict(build_context(RunReport(fail_on=fail_on)), color=color)
        module = template.make_module(empty)
        self._globals = {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}

    def _block(self, name: str, context: dict) -> str:
        return "".join(self._template.blocks[name](self._template.new_context(dict(self._globals, **context))))

    def render(self, result: DocumentResult) -> str:
        return self._block("document", {"document": document_context(result, self._fail_on), "color": self._color})

    def write(self, text: str) -> None:
        self._write(text)

    def close(self, report: RunReport) -> None:
        self._write(self._block("tail", dict(build_context(report), color=self._color)))


class TextReporter(TemplateReporter):
    name = "text"
    description = "for people at a terminal (the default; colour on a terminal)"
    template_name = "text.j2"


class MarkdownReporter(TemplateReporter):
    """Within GitHub's comment limit whatever the run: the most severe findings that fit, and a
    note of what was left out and where the whole report is."""

    name = "markdown"
    description = "a pull-request comment or job summary (within GitHub's comment limit)"
    template_name = "markdown.j2"
    kind = "markdown"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return self.render_within(report, options, MARKDOWN_LIMIT)

    def render_within(self, report: RunReport, options: RenderOptions, limit: int,
                      measure: Callable[[str], int] = len, extra: dict | None = None) -> str:
        template = self._template()
        context = dict(build_context(report), **(extra or {}))
        return render_within(lambda data: template.render(data, color=options.color), context, limit,
                             options.report_url, measure)

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> None:
        return None               # what fits is known only once the whole run is in


class HtmlReporter(TemplateReporter):
    """One page: an overview of the portfolio, then per contract its findings grouped by clause
    and the contract text with those clauses highlighted (html_view.py)."""

    name = "html"
    description = "one self-contained page: portfolio overview, findings by clause, the contract text"
    template_name = "html.j2"
    kind = "html"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        from policycheck.report.html_view import add_html_views, read_contract_text

        # A --facts document is a name, not a file this run read: its "text" is never looked up.
        read_text = read_contract_text if report.contracts_read else (lambda path: None)
        return self._template().render(add_html_views(build_context(report), read_text), color=options.color)

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> None:
        return None               # the overview at the top needs the whole run


def _line_of_error(exc: BaseException) -> int | None:
    line = None
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


class UserTemplateReporter(Reporter):
    """A user's own template (``--template PATH``), rendered in the sandbox with the same context."""

    name = "template"
    description = "your own Jinja2 template (--template)"

    def __init__(self, path: str) -> None:
        from policycheck.report.templating import user_template

        self.path = path
        self.template: Template = user_template(path)

    def render(self, report: RunReport, options: RenderOptions) -> str:
        from jinja2 import TemplateError
        from jinja2.exceptions import SecurityError

        try:
            return self.template.render(build_context(report), color=options.color)
        except SecurityError as exc:
            raise UsageError(f"template not allowed: {exc}", path=self.path, line=_line_of_error(exc)) from None
        except TemplateError as exc:
            raise UsageError(f"template error: {exc}", path=self.path, line=_line_of_error(exc)) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise UsageError(f"template error: {type(exc).__name__}: {exc}", path=self.path,
                             line=_line_of_error(exc)) from None


def document_data(document: DocumentResult) -> dict:
    """One entry of ``documents`` in ``policycheck/report/v1``."""
    return {
        "path": document.path,
        "languages": list(document.languages),
        "findings": [finding.as_dict() for finding in ordered_findings(document.findings)],
        "facts": [fact.as_dict() for fact in document.facts],
    }


def report_data(report: RunReport) -> dict:
    """``policycheck/report/v1`` as plain data."""
    return {
        "schema": REPORT_SCHEMA,
        "version": report.version,
        "summary": report.summary(),
        "documents": [document_data(document) for document in report.documents],
        "errors": [error.as_dict() for error in report.errors],
    }


def _json(data, indent: str = "") -> str:
    return jsonlayout.dumps(data, expand=("documents",), indent=indent)


class JsonReporter(Reporter):
    name = "json"
    description = "policycheck/report/v1 for scripts (JSON Schema shipped in the package)"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return _json(report_data(report)) + "\n"

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> "JsonStream":
        return JsonStream(write)


class JsonStream:
    """The same text as JsonReporter.render, written while the run goes.

    The summary comes before the documents in the file but is known only at the end, so each
    document's JSON waits in a spool (memory, then a temporary file once large) until then.
    """

    _SPOOL_IN_MEMORY = 8 * 1024 * 1024
    _MARKER = '\n  "documents": [],\n'

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        import tempfile     # imported by the reports that spool only: a quiet run starts quicker

        self._spool = tempfile.SpooledTemporaryFile(max_size=self._SPOOL_IN_MEMORY, mode="w+",
                                                    encoding="utf-8", newline="\n")
        self._count = 0

    def render(self, result: DocumentResult) -> str:
        # Two levels deep in the report (report -> documents -> document): four spaces.
        return "    " + _json(document_data(result), indent="    ")

    def write(self, text: str) -> None:
        self._spool.write((",\n" if self._count else "") + text)
        self._count += 1

    def close(self, report: RunReport) -> None:
        skeleton = _json(dict(report_data(report), documents=[])) + "\n"
        head, marker, tail = skeleton.partition(self._MARKER)
        assert marker, "report/v1 layout changed: documents must follow the summary"
        try:
            if not self._count:
                self._write(skeleton)
                return
            self._write(head + '\n  "documents": [\n')
            self._spool.seek(0)
            while chunk := self._spool.read(1 << 16):
                self._write(chunk)
            self._write("\n  ],\n" + tail)
        finally:
            self._spool.close()

"""The formats rendered from Jinja2 templates (text, markdown, html), users' templates, and JSON.

JSON is built as data from the run (``report_data``) and dumped, never templated, so its shape is
exactly ``policycheck/report/v1`` (report-v1.schema.json in this package).
"""

from __future__ import annotations

import json
from importlib import resources

from jinja2 import Template, TemplateError
from jinja2.exceptions import SecurityError

from policycheck.errors import UsageError
from policycheck.report.base import RenderOptions, Reporter
from policycheck.report.context import build_context
from policycheck.report.model import RunReport, ordered_findings
from policycheck.report.templating import shipped_environment, user_template

REPORT_SCHEMA = "policycheck/report/v1"
SCHEMA_FILE = "report-v1.schema.json"


def report_schema() -> dict:
    """The JSON Schema of ``policycheck/report/v1``, shipped in this package."""
    return json.loads(resources.files("policycheck.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


class TemplateReporter(Reporter):
    """A format that is one shipped template rendered with the documented context."""

    template_name: str = ""
    kind: str = "text"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        template = shipped_environment(self.kind).get_template(self.template_name)
        return template.render(build_context(report), color=options.color)


class TextReporter(TemplateReporter):
    name = "text"
    description = "for people at a terminal (the default; colour on a terminal)"
    template_name = "text.j2"


class MarkdownReporter(TemplateReporter):
    name = "markdown"
    description = "a pull-request comment or job summary"
    template_name = "markdown.j2"
    kind = "markdown"


class HtmlReporter(TemplateReporter):
    name = "html"
    description = "one self-contained page: evidence in context, facts, severity filters"
    template_name = "html.j2"
    kind = "html"


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
        self.path = path
        self.template: Template = user_template(path)

    def render(self, report: RunReport, options: RenderOptions) -> str:
        try:
            return self.template.render(build_context(report), color=options.color)
        except SecurityError as exc:
            raise UsageError(f"template not allowed: {exc}", path=self.path, line=_line_of_error(exc)) from None
        except TemplateError as exc:
            raise UsageError(f"template error: {exc}", path=self.path, line=_line_of_error(exc)) from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise UsageError(f"template error: {type(exc).__name__}: {exc}", path=self.path,
                             line=_line_of_error(exc)) from None


def report_data(report: RunReport) -> dict:
    """``policycheck/report/v1`` as plain data."""
    return {
        "schema": REPORT_SCHEMA,
        "version": report.version,
        "summary": report.summary(),
        "documents": [
            {
                "path": document.path,
                "languages": list(document.languages),
                "findings": [finding.as_dict() for finding in ordered_findings(document.findings)],
                "facts": [fact.as_dict() for fact in document.facts],
            }
            for document in report.documents
        ],
        "errors": [error.as_dict() for error in report.errors],
    }


class JsonReporter(Reporter):
    name = "json"
    description = "policycheck/report/v1 for scripts (JSON Schema shipped in the package)"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        # default=str: waiver dates read from YAML are written as ISO dates.
        return json.dumps(report_data(report), ensure_ascii=False, indent=2, default=str) + "\n"

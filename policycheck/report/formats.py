"""The shipped output formats, each registered once under its name."""

from __future__ import annotations

import json

from policycheck.report.base import register
from policycheck.report.context import build_context
from policycheck.report.model import RunReport
from policycheck.report.templating import shipped_environment

REPORT_SCHEMA = "policycheck/report/v1"


def _template(name: str):
    return shipped_environment().get_template(name)


@register("text")
class TextReporter:
    def __call__(self, report: RunReport, *, color: bool = False) -> str:
        return _template("text.j2").render(build_context(report), color=color)


@register("json")
class JsonReporter:
    def __call__(self, report: RunReport, *, color: bool = False) -> str:
        context = build_context(report)
        data = {
            "schema": REPORT_SCHEMA,
            "version": context["version"],
            "summary": context["summary"],
            "documents": [
                {key: document[key] for key in ("path", "languages", "findings", "facts")}
                for document in context["documents"]
            ],
            "errors": context["errors"],
        }
        for document in data["documents"]:
            for finding in document["findings"]:
                for key in ("title", "see", "tags", "fails"):
                    finding.pop(key, None)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

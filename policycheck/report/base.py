"""The reporter interface and the one registry of output formats.

A reporter turns a finished run into the text of one output. It does not write files or read
the environment itself: what it needs from outside comes in ``RenderOptions``, and extra files
it wants written (the GitHub job summary) come back as ``SideOutput`` values, so every reporter
is a pure function of the run and its output is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import Callable, Mapping, Protocol

from policycheck.errors import UsageError
from policycheck.findings.model import DocumentResult
from policycheck.report.model import RunReport


@dataclass(frozen=True)
class RenderOptions:
    """What a reporter may take from outside the run: colour, the environment, the full report's place."""

    color: bool = False                                   # terminal colour (text format only)
    environ: Mapping[str, str] = field(default_factory=dict)
    # Where the whole report can be read (a URL or a path): named by formats that must leave
    # findings out to fit where they land (a pull-request comment, GitHub annotations).
    report_url: str | None = None


@dataclass(frozen=True)
class SideOutput:
    """A file a reporter wants written besides its main output."""

    path: str
    text: str
    append: bool = False


class Reporter:
    """One output format. Subclasses set ``name`` and ``description`` and implement ``render``."""

    name: str = ""
    description: str = ""

    def render(self, report: RunReport, options: RenderOptions) -> str:
        raise NotImplementedError

    def side_outputs(self, report: RunReport, options: RenderOptions) -> list[SideOutput]:
        return []

    def stream(self, write: Callable[[str], None], options: RenderOptions, fail_on: str) -> "ReportStream | None":
        """Render while the run goes, one document at a time (None: this format needs the whole run).

        A format that streams keeps a run's memory flat in the number of contracts. What it
        writes must be exactly what ``render`` returns for the same run, and it has no side outputs.
        """
        return None


class ReportStream(Protocol):
    def render(self, result: DocumentResult) -> str:
        """One document's part of the report: a pure function of ``result``, so that --jobs
        workers can render their documents and the run's own process only writes the text."""

    def write(self, text: str) -> None:
        """Write (or spool) a rendered document part; parts come in input order."""

    def close(self, report: RunReport) -> None:
        """Write the rest: ``report`` has the summary and errors; its documents were streamed."""


# The one list of output formats, in the order --help shows them: name -> (module, class).
# A run imports only the reporters it writes (junit needs an XML writer, sarif its rule
# descriptions), which keeps start-up short for the pre-commit hook.
_SHIPPED = {
    "text": ("policycheck.report.formats", "TextReporter"),
    "markdown": ("policycheck.report.formats", "MarkdownReporter"),
    "html": ("policycheck.report.formats", "HtmlReporter"),
    "json": ("policycheck.report.formats", "JsonReporter"),
    "sarif": ("policycheck.report.sarif", "SarifReporter"),
    "junit": ("policycheck.report.junit", "JunitReporter"),
    "github": ("policycheck.report.github", "GithubReporter"),
    "compact": ("policycheck.report.compact", "CompactReporter"),
}


@lru_cache(maxsize=None)
def _shipped_reporter(name: str) -> Reporter:
    module_name, class_name = _SHIPPED[name]
    return getattr(import_module(module_name), class_name)()


def format_names() -> list[str]:
    return list(_SHIPPED)


def reporter(name: str) -> Reporter:
    if name not in _SHIPPED:
        raise UsageError(f"unknown format '{name}' (choose from {', '.join(format_names())})")
    return _shipped_reporter(name)

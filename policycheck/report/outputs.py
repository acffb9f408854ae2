"""Where reports go: ``FMT[:PATH]`` specs (command line or config) and writing them out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Mapping

from policycheck.errors import UsageError
from policycheck.report.base import RenderOptions, Reporter, SideOutput, format_names, reporter
from policycheck.report.model import RunReport
from policycheck.textfile import write_file_atomically


@dataclass(frozen=True)
class Output:
    """One report to write: a format, and a file or standard output."""

    reporter: Reporter
    path: str | None = None        # None (or "-"): standard output

    @property
    def to_stdout(self) -> bool:
        return self.path in (None, "-")


def parse_output(spec: str) -> Output:
    """``json`` or ``json:reports/out.json``; the format name is case-insensitive."""
    name, colon, path = spec.partition(":")
    name = name.strip().lower()
    if name not in format_names():
        raise UsageError(f"unknown format '{name}' in '{spec}' (choose from {', '.join(format_names())})")
    if colon and not path:
        raise UsageError(f"'{spec}' names no file after the colon (write {name}:PATH, or {name} for stdout)")
    return Output(reporter(name), path or None)


def check_outputs(outputs: list[Output]) -> None:
    """Two outputs on stdout would interleave; two into one file would overwrite each other."""
    on_stdout = [output.reporter.name for output in outputs if output.to_stdout]
    if len(on_stdout) > 1:
        raise UsageError(f"only one output can go to standard output ({', '.join(on_stdout)} were asked); "
                         "give the others a file: -f FMT:PATH")
    seen: dict[str, str] = {}
    for output in outputs:
        if output.to_stdout:
            continue
        key = os.path.normcase(os.path.abspath(output.path))
        if key in seen:
            raise UsageError(f"{output.path} is the destination of two outputs ({seen[key]} and "
                             f"{output.reporter.name})")
        seen[key] = output.reporter.name


def write_file(path: str, text: str, append: bool = False) -> None:
    """Write (or append) UTF-8 text with LF line ends, creating the directory."""
    if not append:
        write_file_atomically(path, text)
        return
    directory = os.path.dirname(path)
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def write_outputs(report: RunReport, outputs: list[Output], *, color: bool, quiet: bool,
                  echo: Callable[[str], None], environ: Mapping[str, str] | None = None,
                  report_url: str | None = None) -> None:
    """Render every output; stdout ones go through ``echo`` (skipped when ``quiet``)."""
    environ = dict(os.environ if environ is None else environ)
    for output in outputs:
        if output.to_stdout and quiet:
            continue
        options = RenderOptions(color=color and output.to_stdout, environ=environ, report_url=report_url)
        text = output.reporter.render(report, options)
        if output.to_stdout:
            echo(text)
        else:
            write_file(output.path, text)
        side: SideOutput
        for side in output.reporter.side_outputs(report, options):
            write_file(side.path, side.text, append=side.append)


# The formats a reader can open to see every finding, in order of preference.
_FULL_REPORT_FORMATS = ("html", "sarif", "json", "markdown", "text")


def full_report_path(outputs: list[Output]) -> str | None:
    """The file among ``outputs`` that holds the whole run (HTML first), for formats that must cut."""
    for name in _FULL_REPORT_FORMATS:
        for output in outputs:
            if output.reporter.name == name and not output.to_stdout:
                return output.path
    return None

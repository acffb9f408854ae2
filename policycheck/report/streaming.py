"""Writing a run's outputs while it goes, so memory stays flat in the number of contracts.

When every output's format can stream (``Reporter.stream``), each checked document goes to
every output at once and is then dropped: the report keeps only counts (``RunReport.streamed``)
and the unreadable inputs. When one cannot (SARIF, JUnit, HTML... need the whole run), the
documents are kept and ``write_outputs`` renders everything at the end, as before. Either way
the bytes written are the same.

Streamed report files are written under a temporary name beside the target and renamed when
complete, so an interrupted run never leaves half a report where a complete one is expected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import Callable, Mapping

from policycheck.errors import UsageError
from policycheck.findings.model import DocumentResult
from policycheck.report.base import RenderOptions, ReportStream
from policycheck.report.model import RunReport, Tally
from policycheck.report.outputs import Output, write_outputs
from policycheck.textfile import new_file_mode


class _ReportFile:
    """A report file written under a temporary name in its directory, renamed when complete."""

    def __init__(self, path: str) -> None:
        self.path = path
        directory = os.path.dirname(path) or "."
        try:
            os.makedirs(directory, exist_ok=True)
            import tempfile     # here, not at the top: a run that writes no file starts quicker

            handle, self._temporary = tempfile.mkstemp(prefix=".policycheck-", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        self._handle = os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n")

    def write(self, text: str) -> None:
        self._handle.write(text)

    def commit(self) -> None:
        try:
            self._handle.close()
            os.chmod(self._temporary, new_file_mode())
            os.replace(self._temporary, self.path)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write {self.path}: {exc.strerror}") from None

    def discard(self) -> None:
        self._handle.close()
        try:
            os.unlink(self._temporary)
        except OSError:
            pass


@dataclass(frozen=True)
class RenderedDocument:
    """A checked document already rendered for every streamed output, with its counts.

    Rendering is most of what a run does after checking; done where the document was checked
    (a --jobs worker), it leaves the run's own process only text to write, so adding workers
    keeps paying off."""

    path: str
    texts: tuple[str, ...]
    tally: Tally


def _render(streams: tuple[ReportStream, ...], fail_on: str, result: DocumentResult) -> RenderedDocument:
    tally = Tally()
    tally.add(result, fail_on)
    return RenderedDocument(result.path, tuple(stream.render(result) for stream in streams), tally)


class StreamingOutputs:
    """All outputs of one run. Use as a context manager; ``add`` each result, then ``finish``."""

    def __init__(self, outputs: list[Output], *, color: bool, quiet: bool, echo: Callable[[str], None],
                 environ: Mapping[str, str] | None = None, report_url: str | None = None) -> None:
        self._outputs = outputs
        self._report_url = report_url
        self._color, self._quiet, self._echo = color, quiet, echo
        self._environ = dict(os.environ if environ is None else environ)
        self._files: list[_ReportFile] = []
        self._streams: list[ReportStream] | None = None
        self._fail_on = "error"

    @property
    def streaming(self) -> bool:
        return self._streams is not None

    def start(self, fail_on: str, allowed: bool = True) -> None:
        """Open a stream per output, or none at all when one output (or the caller) needs the whole run."""
        if not allowed:
            return
        self._fail_on = fail_on
        active = [output for output in self._outputs if not (output.to_stdout and self._quiet)]
        streams: list[ReportStream] = []
        for output in active:
            options = RenderOptions(color=self._color and output.to_stdout, environ=self._environ,
                                    report_url=self._report_url)
            if output.to_stdout:
                write = self._echo
            else:
                report_file = _ReportFile(output.path)
                self._files.append(report_file)
                write = report_file.write
            stream = output.reporter.stream(write, options, fail_on)
            if stream is None:
                self._discard()
                return
            streams.append(stream)
        self._streams = streams

    def renderer(self) -> Callable[[DocumentResult], RenderedDocument] | None:
        """What to do with each result where it was checked (None: keep the results for the end)."""
        if self._streams is None:
            return None
        return partial(_render, tuple(self._streams), self._fail_on)

    def add(self, report: RunReport, result: DocumentResult | RenderedDocument) -> None:
        if self._streams is None:
            assert isinstance(result, DocumentResult), "results were rendered but no output streams"
            report.documents.append(result)
            return
        if isinstance(result, DocumentResult):
            result = _render(tuple(self._streams), self._fail_on, result)
        for stream, text in zip(self._streams, result.texts):
            stream.write(text)
        report.streamed.merge(result.tally)

    def finish(self, report: RunReport) -> None:
        if self._streams is None:
            write_outputs(report, self._outputs, color=self._color, quiet=self._quiet, echo=self._echo,
                          environ=self._environ, report_url=self._report_url)
            return
        for stream in self._streams:
            stream.close(report)
        files, self._files = self._files, []
        for report_file in files:
            report_file.commit()

    def _discard(self) -> None:
        for report_file in self._files:
            report_file.discard()
        self._files = []

    def __enter__(self) -> "StreamingOutputs":
        return self

    def __exit__(self, *exc_info) -> None:
        self._discard()

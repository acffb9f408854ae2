"""Where a finding is, said the way each reader needs it.

A span's line and column are in the file the contract was read from, with two exceptions:

* evidence from an office file (``page`` or ``paragraph`` in the span) has the line and column
  of the text extracted from it, which no editor can open; a reader is told the page (PDF) or
  paragraph (DOCX), and machine formats point at the file without a line;
* evidence given with ``run --facts`` (``facts_file`` in the span) is a value written in the
  facts file: its line and column are in that file, and reports point there and say so.

Every format takes positions from here, so they say the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

OFFICE_KEYS = ("page", "paragraph")


@dataclass(frozen=True)
class Place:
    """One span's position: ``path`` is the file that ``line`` and ``column`` are in."""

    path: str
    line: int | None = None         # None: the file has no lines to point at (an office file)
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    office: str | None = None       # "page 2", "paragraph 12"
    in_facts_file: bool = False

    @property
    def link(self) -> str:
        """``path:line:col`` (or just ``path``), which terminals and editors open."""
        return f"{self.path}:{self.line}:{self.column}" if self.line is not None else self.path

    @property
    def heading(self) -> str:
        """What a finding's first line shows: the link, with the page or paragraph of an office file."""
        return f"{self.path} ({self.office})" if self.office else self.link

    @property
    def label(self) -> str:
        """For people: "line 5:42", "page 2", "line 3:26 of the facts file facts.yaml"."""
        if self.office:
            return self.office
        where = f"line {self.line}:{self.column}"
        return f"{where} of the facts file {self.path}" if self.in_facts_file else where


def place_of(document_path: str, span: dict | None) -> Place:
    """The position of ``span`` (a span's dict) in the report of ``document_path``."""
    if span is None:
        return Place(document_path)
    for key in OFFICE_KEYS:
        if key in span:
            return Place(document_path, office=f"{key} {span[key]}")
    if span.get("facts_file"):
        return Place(span["facts_file"], span["line"], span["column"], span["end_line"], span["end_column"],
                     in_facts_file=True)
    return Place(document_path, span["line"], span["column"], span["end_line"], span["end_column"])


def describe(document_path: str, span: dict) -> tuple[str, str, str]:
    """``(file, where, link)`` of a span: what the context adds to every span (see annotate)."""
    if "page" in span or "paragraph" in span or "facts_file" in span:
        place = place_of(document_path, span)
        return place.path, place.label, place.link
    # The common case, kept short: every span of every report passes here.
    line, column = span["line"], span["column"]
    return document_path, f"line {line}:{column}", f"{document_path}:{line}:{column}"


def annotate(document_path: str, finding: dict) -> None:
    """Add ``file``, ``where`` and ``link`` to each evidence span of a finding's context, and the
    finding's own ``where``, ``link`` and ``heading`` (its first span's, or the contract's for none)."""
    for span in finding["evidence"]:
        span["file"], span["where"], span["link"] = describe(document_path, span)
    if not finding["evidence"]:
        finding["link"] = finding["heading"] = document_path
        finding["where"] = None
        return
    first = finding["evidence"][0]
    finding["where"], finding["link"] = first["where"], first["link"]
    finding["heading"] = f"{document_path} ({first['where']})" if first["link"] == document_path else first["link"]

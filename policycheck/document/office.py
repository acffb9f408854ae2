"""Office documents through optional extras: ``.docx`` (python-docx) and ``.pdf`` (pypdf).

The extracted text becomes an ordinary Document, so extraction and evidence work unchanged;
each line also remembers where a reader finds it in the original: the paragraph number of a
.docx (counted in reading order, tables included) or the page of a .pdf. Evidence carries that
as ``"paragraph": N`` or ``"page": N`` next to the line and column of the extracted text.

A missing extra, a damaged file, an encrypted PDF or a zip bomb is a DocumentError naming the
file, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import zipfile

from policycheck.document.load import MAX_CONTRACT_BYTES, document_from_text, too_large
from policycheck.document.model import Document
from policycheck.errors import DocumentError

# (module to import, extra that installs it, distribution) per suffix.
EXTRAS = {".docx": ("docx", "docx", "python-docx"), ".pdf": ("pypdf", "pdf", "pypdf")}
MAX_OFFICE_BYTES = 100 * 1024 * 1024          # the file itself (PDFs carry images)
MAX_UNPACKED_BYTES = 256 * 1024 * 1024        # a .docx is a zip: refuse bombs before parsing
MAX_PDF_PAGES = 5000


def _library(suffix: str, shown: str):
    module, extra, distribution = EXTRAS[suffix]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise DocumentError(f"is a {suffix} file; reading it needs the optional extra '{extra}' "
                            f"({distribution}): pip install 'policycheck[{extra}]'", path=shown) from None


def load_office(path: str, shown: str) -> Document:
    suffix = os.path.splitext(path)[1].lower()
    library = _library(suffix, shown)
    size = os.path.getsize(path)
    if size > MAX_OFFICE_BYTES:
        raise DocumentError(f"is {size // (1024 * 1024)} MB, more than the {MAX_OFFICE_BYTES // (1024 * 1024)} MB "
                            f"a {suffix} contract may have", path=shown)
    reader = _docx_lines if suffix == ".docx" else _pdf_lines
    lines, locations = reader(library, path, shown)
    text = "\n".join(lines)
    if len(text) > MAX_CONTRACT_BYTES:
        raise too_large(len(text.encode("utf-8")), shown)
    return document_from_text(text, shown, suffix[1:], line_locations=locations)


# -- .docx ---------------------------------------------------------------------------------------

def _check_zip(path: str, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError("is not a valid .docx file (not a zip archive)", path=shown) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(f"unpacks to {unpacked // (1024 * 1024)} MB, more than a .docx contract may hold",
                            path=shown)


def _docx_paragraphs(container):
    """Paragraphs in reading order, descending into table cells (row by row)."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen_cells = set()
                for cell in row.cells:
                    if id(cell._tc) in seen_cells:       # a merged cell appears once per grid column
                        continue
                    seen_cells.add(id(cell._tc))
                    yield from _docx_paragraphs(cell)
        else:
            yield block


def _docx_lines(library, path: str, shown: str):
    _check_zip(path, shown)
    try:
        document = library.Document(path)
        paragraphs = [p.text for p in _docx_paragraphs(document)]
    except Exception as exc:  # noqa: BLE001 - any parser failure on a hostile file is the file's problem
        raise DocumentError(f"is not a readable .docx file ({type(exc).__name__})", path=shown) from exc
    lines: list[str] = []
    locations: list[tuple] = []
    for number, text in enumerate(paragraphs, start=1):
        # A soft line break inside a paragraph is not a new paragraph.
        text = " ".join(text.replace("\r", "\n").split("\n")).strip()
        if not text:
            continue
        if lines:
            lines.append("")
            locations.append((("paragraph", number),))
        lines.append(text)
        locations.append((("paragraph", number),))
    return lines, locations


# -- .pdf ----------------------------------------------------------------------------------------

def _pdf_lines(library, path: str, shown: str):
    # pypdf reports damaged-but-readable files through logging; the user sees our message only.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = library.PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - missing crypto backend or a damaged key
                opened = 0
            if not opened:
                raise DocumentError("is an encrypted PDF; save an unencrypted copy to check it", path=shown)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentError(f"has {len(reader.pages)} pages, more than the {MAX_PDF_PAGES} "
                                "a contract may have", path=shown)
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on a hostile file is the file's problem
        raise DocumentError(f"is not a readable PDF file ({type(exc).__name__})", path=shown) from exc
    lines: list[str] = []
    locations: list[tuple] = []
    for number, page_text in enumerate(pages, start=1):
        page_lines = page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if not any(line.strip() for line in page_lines):
            continue
        if lines:
            lines.append("")
            locations.append((("page", number),))
        for line in page_lines:
            lines.append(line.rstrip())
            locations.append((("page", number),))
    if not lines:
        raise DocumentError("holds no extractable text (a scanned PDF needs text recognition first)", path=shown)
    return lines, locations

"""path -> Document: read, decode, normalise line ends, segment.

Every way a path can fail to be a contract ends in a DocumentError whose message is one line
that completes the sentence "<path> ...": missing, a broken or looping link, a directory, a
device or pipe, unreadable, too large, empty, binary, or text in an encoding we do not read.
Office files (.docx, .pdf) go through policycheck.document.office and its optional extras.
"""

from __future__ import annotations

import errno
import os
import stat

from policycheck.document.decode import decode, normalise_newlines
from policycheck.document.model import Document
from policycheck.document.segment import segment
from policycheck.errors import DocumentError

TEXT_SUFFIXES = (".txt", ".md")
OFFICE_SUFFIXES = (".docx", ".pdf")
CONTRACT_SUFFIXES = TEXT_SUFFIXES + OFFICE_SUFFIXES
# A long contract with schedules is a few hundred kilobytes of text; 20 MB is far above any real
# one and keeps a run's memory bounded when a log file or a dump lands among the contracts.
MAX_CONTRACT_BYTES = 20 * 1024 * 1024


def document_from_text(text: str, path: str = "<text>", encoding: str = "utf-8",
                       line_locations: list | None = None) -> Document:
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(path=path, text=text, encoding=encoding, segments=segment(text),
                    line_locations=line_locations)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def too_large(size: int, shown: str) -> DocumentError:
    return DocumentError(f"is {_megabytes(size)}, more than the {_megabytes(MAX_CONTRACT_BYTES)} "
                         "a contract may have", path=shown)


def os_problem(exc: OSError, path: str) -> str:
    """The end of the sentence "<path> ..." for an OSError met while opening or reading a path."""
    if exc.errno == errno.ENOENT:
        return "is a broken symbolic link" if os.path.islink(path) else "no such file"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "has a name that is too long"
    return f"cannot be read: {(exc.strerror or str(exc)).lower()}"


def _checked_size(path: str, shown: str) -> int:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DocumentError(os_problem(exc, path), path=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("is a directory", path=shown)
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device (/dev/zero) would block or never end.
        raise DocumentError("is not a regular file (a device, pipe or socket)", path=shown)
    return info.st_size


def read_bytes(path: str, shown: str, limit: int = MAX_CONTRACT_BYTES) -> bytes:
    """The file's bytes, refusing anything larger than ``limit`` (checked before and while reading)."""
    size = _checked_size(path, shown)
    if size > limit:
        raise too_large(size, shown)
    try:
        with open(path, "rb") as handle:
            # The size stat gave, and one byte more to see a file that has grown since: asking
            # for limit + 1 bytes at once allocates that much for every file.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise DocumentError(os_problem(exc, path), path=shown) from None
    if len(data) > limit:
        raise too_large(len(data), shown)
    return data


def load_document(path: str, display_path: str | None = None) -> Document:
    shown = display_path or path
    if not path.lower().endswith(OFFICE_SUFFIXES):
        return document_from_bytes(read_bytes(path, shown), shown)
    from policycheck.document.office import load_office

    _checked_size(path, shown)
    document = load_office(path, shown)
    if not document.segments:
        raise DocumentError("holds no text", path=shown)
    return document


def document_from_bytes(data: bytes, shown: str) -> Document:
    """A text contract (.txt, .md) from its bytes; ``shown`` names it in messages."""
    if not data.strip():
        raise DocumentError("is empty", path=shown)
    text, encoding = decode(data, shown)
    document = document_from_text(text, shown, encoding)
    if not document.segments:
        raise DocumentError("holds no text", path=shown)
    return document

"""path -> Document: read, decode, normalise line ends, segment."""

from __future__ import annotations

import os

from policycheck.document.decode import decode, normalise_newlines
from policycheck.document.model import Document
from policycheck.document.segment import segment
from policycheck.errors import DocumentError

CONTRACT_SUFFIXES = (".txt", ".md")
MAX_CONTRACT_BYTES = 64 * 1024 * 1024


def document_from_text(text: str, path: str = "<text>", encoding: str = "utf-8") -> Document:
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(path=path, text=text, encoding=encoding, segments=segment(text))


def load_document(path: str, display_path: str | None = None) -> Document:
    shown = display_path or path
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise DocumentError("no such file", path=shown) from None
    except OSError as exc:
        raise DocumentError(f"cannot be read: {exc.strerror}", path=shown) from None
    if os.path.isdir(path):
        raise DocumentError("is a directory", path=shown)
    if size > MAX_CONTRACT_BYTES:
        raise DocumentError(f"is {size // (1024 * 1024)} MB, larger than the {MAX_CONTRACT_BYTES // (1024 * 1024)} MB "
                            "a contract may have", path=shown)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise DocumentError(f"cannot be read: {exc.strerror}", path=shown) from None
    if not data.strip():
        raise DocumentError("is empty", path=shown)
    text, encoding = decode(data, shown)
    document = document_from_text(text, shown, encoding)
    if not document.segments:
        raise DocumentError("holds no text", path=shown)
    return document

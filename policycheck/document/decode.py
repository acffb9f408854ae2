"""Bytes -> text: UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 (a superset of GBK).

No guessing library: the encodings a contract repository holds are few, and each test here is
exact. UTF-8 is tried first because valid UTF-8 is almost never accidental; GB18030 is accepted
only when the decoded text is mostly CJK, so Latin-1 or binary data is refused instead of being
read as nonsense.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from policycheck.errors import DocumentError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2A6DF)


def _in_gb2312(ch: str) -> bool:
    """Both bytes in 0xA1-0xFE: the GB2312 area that nearly all real GBK Chinese text stays in.

    Latin-1 or Windows-1252 text read as GB18030 pairs an accented letter with the ASCII letter
    after it ("é" + "n"), which lands outside that area; so does most Shift-JIS.
    """
    encoded = ch.encode("gb18030")
    return len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1


_ASCII_RUN = re.compile("[\x00-\x7f]+")


def _looks_like_gb_text(text: str) -> bool:
    non_ascii = _ASCII_RUN.sub("", text[:200_000])
    if not non_ascii:
        return True
    # A contract uses a few thousand distinct characters: each is classified once, by count.
    counts = Counter(non_ascii)
    cjk = sum(count for ch, count in counts.items() if _is_cjk(ch) or ch in "“”‘’—…·")
    common = sum(count for ch, count in counts.items() if _in_gb2312(ch))
    return cjk >= 0.9 * len(non_ascii) and common >= 0.9 * len(non_ascii)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raise DocumentError for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding.replace("-le", "").replace("-be", "") + (
                    "-sig" if encoding == "utf-8" else "")
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start})", path=path) from None
    if b"\x00" in data:
        raise DocumentError("looks like a binary file (it contains NUL bytes); "
                            "contracts must be text (.txt, .md) or an office format", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        if utf8_error.end == len(data) and utf8_error.reason == "unexpected end of data":
            raise DocumentError("ends in the middle of a UTF-8 character (the file looks truncated)",
                                path=path) from None
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and _looks_like_gb_text(text):
            return text, "gb18030"
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise DocumentError(
            f"is not valid UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at line "
            f"{line}, offset {utf8_error.start}) and not GB18030 "
            "Chinese text; save it as UTF-8", path=path) from None


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; line numbers stay what an editor shows."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")

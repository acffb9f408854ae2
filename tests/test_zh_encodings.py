"""The same Chinese contract saved in each supported encoding and line ending gives identical facts."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES

from policycheck.document.decode import _in_gb2312, _is_cjk, _looks_like_gb_text, decode
from policycheck.document.load import load_document
from policycheck.errors import DocumentError
from policycheck.facts.engine import extractor

CONTRACT = EXAMPLES / "contracts" / "zh" / "qingyun-crm-subscription.txt"

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "utf-8-crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "gbk-crlf": lambda text: text.replace("\n", "\r\n").encode("gbk"),
    "utf-8-cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
}


def _facts(path) -> list[tuple]:
    facts = extractor().extract(load_document(str(path))).facts
    return [(f.name, f.shown(), f.language, f.evidence.line, f.evidence.column, f.evidence.end_line,
             f.evidence.end_column, f.evidence.text, tuple(sorted(f.qualifiers))) for f in facts]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_gives_the_same_facts(name, tmp_path):
    text = CONTRACT.read_text(encoding="utf-8")
    reference = _facts(CONTRACT)
    assert len(reference) > 20
    saved = tmp_path / f"contract-{name}.txt"
    saved.write_bytes(ENCODINGS[name](text))
    assert _facts(saved) == reference


@pytest.mark.parametrize("data, encoding", [
    ("协议".encode("gbk"), "gb18030"),
    (codecs.BOM_UTF8 + "协议".encode(), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + "协议".encode("utf-16-le"), "utf-16"),
])
def test_detected_encoding_is_named(data, encoding):
    assert decode(data, "x.txt") == ("协议", encoding)


def test_latin1_bytes_are_not_read_as_chinese():
    with pytest.raises(DocumentError, match="not valid UTF-8"):
        decode("Café déjà vu, naïve façade".encode("latin-1"), "x.txt")


def test_utf16_without_bom_is_refused_clearly():
    with pytest.raises(DocumentError):
        decode("本协议适用中华人民共和国法律".encode("utf-16-le"), "x.txt")


def _plain_looks_like_gb_text(text: str) -> bool:
    """The check as first written, one character at a time."""
    non_ascii = [ch for ch in text[:200_000] if ord(ch) > 0x7F]
    if not non_ascii:
        return True
    cjk = sum(1 for ch in non_ascii if _is_cjk(ch) or ch in "“”‘’—…·")
    common = sum(1 for ch in non_ascii if _in_gb2312(ch))
    return cjk >= 0.9 * len(non_ascii) and common >= 0.9 * len(non_ascii)


# Common and rare CJK, GB punctuation, accents, kana, full-width forms, a supplementary character.
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="协议丂亍“”—…·éüçあア，。Ａa 1\n𠀀", max_size=60))
def test_gb_text_check_counts_as_the_plain_one(text):
    assert _looks_like_gb_text(text) == _plain_looks_like_gb_text(text)

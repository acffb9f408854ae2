"""Segmentation's fast forms find exactly what their plain definitions find.

Sentence ends are found by a scanner that is linear where the plain regex is not, language
detection counts runs of characters, and a sentence's surrounding whitespace is found by a
regex; each is checked here against the plain definition.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from policycheck.document.segment import _TRIMMED, _sentence_ends, detect_language, segment

# The definitions, written the plain way.
PLAIN_SENTENCE_END = re.compile(
    r"[。！？!?]+[”’\"』」)）]*"
    r"|[.!?]+[\"”’)]*(?=\s+(?:[\"“(\[]?[A-Z0-9\u4e00-\u9fff]|\(?[a-z][.)]\s))"
)


def plain_language(text: str) -> str:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
              or "\uf900" <= ch <= "\ufaff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if cjk and cjk * 3 >= latin else "en"


# Few characters besides the marks, so runs of marks followed by a space and a capital are common.
PUNCTUATION_AND_NEIGHBOURS = st.text(alphabet="。！？!?.”’\"』」)）“([ \nAzd1中", max_size=40)
MIXED_TEXT = st.text(alphabet="abcXYZ 中文字，。.1\u3400\uf900\u9fff\u4e00é", max_size=80)


@settings(max_examples=1500, deadline=None)
@given(PUNCTUATION_AND_NEIGHBOURS)
@example(".? X")
@example("?. X")
@example('.!)" 1')
@example("..。 中")
@example(".!.!.? A")
@example("...!... a")
@example("breach. d. The")
@example("x. (a) y")
def test_sentence_ends_are_the_plain_ones(text):
    assert _sentence_ends(text) == [m.span() for m in PLAIN_SENTENCE_END.finditer(text)]


def test_sentence_ends_by_hand():
    text = 'He said "stop." Then 2 more... And 中文。」 Next!? "Quoted." e.g. x'
    # "Quoted." and "e.g." are followed by lower case: not sentence ends
    assert [text[start:end] for start, end in _sentence_ends(text)] == ['."', "...", "。」", "!?"]


@settings(max_examples=400, deadline=None)
@given(MIXED_TEXT, st.integers(0, 10), st.integers(0, 10))
def test_language_is_the_plain_one(text, cut_start, cut_end):
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert detect_language(text, start, end) == plain_language(text[start:end])


def test_language_by_hand():
    assert detect_language("Fees are due in 30 days.", 0, 24) == "en"
    assert detect_language("本协议适用中华人民共和国法律。", 0, 15) == "zh"
    # 3 CJK characters against 9 Latin letters: a third, still Chinese; one letter more is English
    assert detect_language("甲方乙 abcdefghi", 0, 13) == "zh"
    assert detect_language("甲方乙 abcdefghij", 0, 14) == "en"
    assert [s.language for s in segment("The Service is provided as is.\n服务方保存数据三十日。\n")] == ["en", "zh"]


def plain_trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
    return (start + lead, end - trail) if start + lead < end - trail else None


# Spaces Python's str.strip() and the regex \s must agree on, and one (U+200B) both keep.
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u3000\u2028\u200ba中", max_size=30),
       st.integers(0, 5), st.integers(0, 5))
def test_a_sentence_is_trimmed_as_str_strip_trims(text, cut_start, cut_end):
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    trimmed = _TRIMMED.search(text, start, end)
    assert (trimmed.span() if trimmed else None) == plain_trimmed(text, start, end)

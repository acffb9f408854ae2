"""Every extraction case, written another way that means the same, gives the same facts.

Contracts are typed in many ways: upper-case headings and whole clauses, hard line wraps
(anywhere in a Chinese sentence, and before a number), full-width digits, traditional
characters, a defined term after a noun, "will" for "shall", an aside in commas between the
modal and its verb. For each case of
``tests/extraction`` and each way of writing it that applies, the facts the case names must come
out with the same values, on the line where the original evidence now stands; and a near miss
stays a near miss. The expectations are the original text's own facts, which the case files
check by hand: this test only asks that the way of typing changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policycheck.document import document_from_text
from policycheck.facts.engine import extractor

CASES_ROOT = Path(__file__).resolve().parent / "extraction"
VARIANTS_FILE = Path(__file__).resolve().parent.parent / "policycheck" / "facts" / "zh_variants.txt"


# -- ways of writing the same text: each returns (new text, old offset -> new offset) or None ---

def _same_offsets(text: str, new: str):
    return (new, lambda offset: offset) if new != text else None


def upper_case(text: str):
    new = text.upper()
    return _same_offsets(text, new) if len(new) == len(text) else None


def full_width_digits(text: str):
    return _same_offsets(text, text.translate(str.maketrans("0123456789", "０１２３４５６７８９")))


def will_for_shall(text: str):
    return _same_offsets(text, re.sub(r"\bshall\b", "will", text))


def aside_after_modal(text: str):
    """An aside in commas after the first modal verb: "may, in each case, terminate"."""
    match = re.search(r"\b(shall|will|may|must)\b(?![,;])", text)
    return _inserted(text, match.end(), ", in each case,") if match else None


def dotted_capital_i(text: str):
    """A letter whose lower case is two characters ("İ") at the end of the first sentence with a
    modal verb: that sentence is then read as written, ignoring case, rather than lower-cased."""
    match = re.search(r"\b(shall|will|may|must)\b.*?(?=\.(?:\s|$))", text, re.DOTALL)
    return _inserted(text, match.end(), " İ") if match else None


def _inserted(text: str, at: int, insertion: str):
    return text[:at] + insertion + text[at:], (lambda offset: offset + len(insertion) if offset >= at else offset)


def defined_term(text: str):
    """A defined-term parenthetical after the first "Agreement" or "Terms" (协议 in Chinese)."""
    match = re.search(r"\b(Agreement|Terms)\b", text)
    if match:
        return _inserted(text, match.end(), f' (the "{match.group(1)}")')
    match = re.search(r"协议", text)
    if match:
        return _inserted(text, match.end(), "（以下简称“本协议”）")
    return None


def hard_wrap(text: str, width: int = 64):
    """English lines longer than ``width`` broken at spaces, as a text editor or a PDF export does."""
    chars = list(text)
    line_start = 0
    last_space = None
    changed = False
    for index, ch in enumerate(text):
        if ch == "\n":
            line_start, last_space = index + 1, None
            continue
        if ch == " ":
            last_space = index
        if index - line_start >= width and last_space is not None and last_space - line_start >= 40:
            chars[last_space] = "\n"
            line_start, last_space, changed = last_space + 1, None, True
    return _same_offsets(text, "".join(chars)) if changed else None


def chinese_wrap(text: str, width: int = 18):
    """Chinese lines cut every ``width`` characters wherever that falls, as text copied from a web
    page is: inside words, and before numbers."""
    out, inserted, mapping_points = [], 0, []
    column = 0
    for index, ch in enumerate(text):
        if ch == "\n":
            column = 0
        elif column >= width and "\u4e00" <= text[index - 1] <= "\u9fff" and ch not in "。；！？，、：）”":
            out.append("\n")
            inserted += 1
            mapping_points.append(index)
            column = 0
        out.append(ch)
        column += ch != "\n"
    if not inserted:
        return None
    return "".join(out), (lambda offset: offset + sum(1 for point in mapping_points if point <= offset))


def _traditional_table() -> dict[int, str]:
    lines = [line for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    table: dict[int, str] = {}
    for traditional, simplified in zip(lines[0], lines[1]):
        table.setdefault(ord(simplified), traditional)
    return table


def traditional(text: str):
    return _same_offsets(text, text.translate(_traditional_table()))


VARIANTS = {
    "en": [upper_case, full_width_digits, will_for_shall, defined_term, hard_wrap, aside_after_modal,
           dotted_capital_i],
    "zh": [full_width_digits, defined_term, chinese_wrap, traditional],
}


def _cases():
    for path in sorted(CASES_ROOT.glob("*/*.yaml")):
        language = path.parent.name
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            for variant in VARIANTS[language]:
                # A case may name a way of writing it that is known not to be read, with the
                # reason in a comment beside it.
                if variant(case["text"]) is not None and variant.__name__ not in case.get("variants_not_read", ()):
                    yield pytest.param(case, variant, id=f"{language}/{path.stem}/{case['id']}/{variant.__name__}")


def _facts(text: str, names: set[str]):
    document = document_from_text(text)
    return document, [f for f in extractor().extract(document).facts if f.name in names]


@pytest.mark.parametrize("case,variant", list(_cases()))
def test_variant_gives_the_same_facts(case, variant):
    names = {e["name"] for e in case.get("facts") or []} | set(case.get("absent") or [])
    original_document, original = _facts(case["text"], names)
    new_text, new_offset = variant(case["text"])
    new_document, found = _facts(new_text, names)
    expected = sorted((f.name, f.shown(), new_document.position(new_offset(_offset(original_document, f)))[0])
                      for f in original)
    got = sorted((f.name, f.shown(), f.evidence.line) for f in found)
    assert got == expected, f"{variant.__name__}:\n{new_text}"


def _offset(document, fact) -> int:
    return document._line_starts[fact.evidence.line - 1] + fact.evidence.column - 1


def test_variants_change_the_text_they_apply_to():
    assert upper_case("within 30 days")[0] == "WITHIN 30 DAYS"
    assert hard_wrap("word " * 30)[0].count("\n") >= 1
    assert "\n" in chinese_wrap("甲方应当在合同终止后三十日内删除全部数据并出具证明。")[0]
    assert traditional("数据应当删除")[0] != "数据应当删除"
    assert defined_term("This Agreement ends.")[0] == 'This Agreement (the "Agreement") ends.'
    assert dotted_capital_i("We may end it. Then more.")[0] == "We may end it İ. Then more."

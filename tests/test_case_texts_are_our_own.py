"""Extraction and topic cases are written in our own words: none repeats a long run of the real
contracts and terms the rules are measured on (../shared/corpora, ../shared/seeds), so the
figures on those texts say how the rules read text nobody here wrote.

Legal drafting repeats short formulas ("Either party may terminate this Agreement upon thirty
(30) days' written notice"), so only long runs count: 90 characters of English, 30 of Chinese.
The case text is looked at in windows of that length, half a window apart, so any repeated run
of one and a half windows is always found. Skipped where ../shared is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CASE_FILES = sorted((ROOT / "tests" / "extraction").rglob("*.yaml")) + [ROOT / "tests" / "topics" / "cases.yaml"]
_SPACES = re.compile(r"\s+")
_CHINESE = re.compile(r"[\u3400-\u9fff]")
WINDOW = {"en": 90, "zh": 30}


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


@pytest.fixture(scope="module")
def real_text() -> str:
    sources = [path for folder in (SHARED / "corpora", SHARED / "seeds") if folder.is_dir()
               for path in folder.rglob("*") if path.suffix in (".txt", ".jsonl", ".md")]
    if not sources:
        pytest.skip("../shared/corpora is not here")
    return "\n".join(_flat(path.read_text(encoding="utf-8", errors="ignore")) for path in sources)


def _case_texts():
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data.get("cases", []) if isinstance(data, dict) else data
        for number, case in enumerate(cases or []):
            if isinstance(case, dict) and isinstance(case.get("text"), str):
                yield f"{path.relative_to(ROOT)}: {case.get('id') or case.get('name') or number}", case["text"]


def _repeated_run(text: str, real: str) -> str | None:
    text = _flat(text)
    window = WINDOW["zh" if _CHINESE.search(text) else "en"]
    for start in range(0, max(1, len(text) - window + 1), window // 2):
        piece = text[start:start + window]
        if len(piece) == window and piece in real:
            return piece
    return None


def test_no_case_repeats_a_long_run_of_the_real_texts(real_text):
    copied = [(where, run) for where, text in _case_texts() if (run := _repeated_run(text, real_text))]
    assert not copied, "cases that repeat the real texts word for word (rewrite them in your own words):\n" + \
        "\n".join(f"  {where}: {run!r}" for where, run in copied)


def test_the_check_finds_a_repeated_run(real_text):
    # A run taken from the real texts themselves is found, in either language.
    english = next(match.group() for match in re.finditer(r"[A-Za-z ,.'()]{200}", real_text))
    assert _repeated_run(f"Preamble. {english} Closing words.", real_text) is not None
    chinese = re.search(r"[\u4e00-\u9fff，、]{60}", real_text)
    if chinese:
        assert _repeated_run(f"前言。{chinese.group()}结尾。", real_text) is not None
    assert _repeated_run("A sentence of our own that no contract has ever said, word for word, about "
                         "marmalade deliveries to the lighthouse keeper on alternate Tuesdays.", real_text) is None

"""The TextMate grammar in editors/ keeps up with grammar/policy.lark (no editor needed)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO

EXTENSION = REPO / "editors" / "vscode"
TM = json.loads((EXTENSION / "syntaxes" / "policy.tmLanguage.json").read_text(encoding="utf-8"))


def _patterns(name: str) -> list[dict]:
    entry = TM["repository"][name]
    return entry.get("patterns", [entry])


def _scope(group: str, word: str) -> str | None:
    """The scope the first pattern of a repository group gives ``word`` matched on its own."""
    for pattern in _patterns(group):
        if re.fullmatch(pattern["match"], word):
            return pattern.get("name") or pattern["captures"]["1"]["name"]
    return None


def _lark_keywords() -> set[str]:
    grammar = (REPO / "grammar" / "policy.lark").read_text(encoding="utf-8")
    return set(re.findall(r'"([a-z]+)"', grammar)) - {"mo", "bd", "d", "h", "w", "y"}


def test_every_keyword_of_the_language_is_highlighted():
    keywords = _lark_keywords()
    assert {"require", "rule", "severity", "present"} <= keywords
    unhighlighted = [word for word in sorted(keywords)
                     if not (_scope("keywords", word) or word in ("rule", "let"))]
    assert unhighlighted == []
    assert re.match(TM["repository"]["rule-header"]["match"], "rule saas.uptime-99 {")


@pytest.mark.parametrize("text, scope", [
    ("90d", "constant.numeric.duration.policycheck"),
    ("3mo", "constant.numeric.duration.policycheck"),
    ("99.9%", "constant.numeric.percent.policycheck"),
    ("USD 1000000", "constant.numeric.money.policycheck"),
    ("18", "constant.numeric.number.policycheck"),
    ("US-NY", "constant.other.jurisdiction.policycheck"),
    ("true", "constant.language.boolean.policycheck"),
])
def test_literals(text, scope):
    assert _scope("literals", text) == scope


def test_strings_mark_placeholders_and_comments_run_to_the_end_of_the_line():
    placeholder = TM["repository"]["string"]["patterns"][1]["match"]
    assert re.search(placeholder, 'message "Seat is {arbitration_venue}"').group() == "{arbitration_venue}"
    assert re.search(TM["repository"]["comment"]["match"], 'flag x  # why').group() == "# why"


def test_the_vscode_extension_names_files_that_exist():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".policy"] and grammar["scopeName"] == TM["scopeName"]
    assert (EXTENSION / language["configuration"]).is_file() and (EXTENSION / grammar["path"]).is_file()
    json.loads((EXTENSION / language["configuration"]).read_text(encoding="utf-8"))

"""The literal pre-check may skip a pattern's regex only when the regex cannot match."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.document import document_from_text
from policycheck.facts.required import possible_patterns, required_literals
from policycheck.facts.rules import build_rulebook

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("source, language, expected", [
    ("{jurisdiction} (shall|will) be the seat of arbitration", "en",
     [{"arbitration"}, {"shall", "will"}, {"seat"}, {"the"}, {"be"}, {"of"}]),
    ("non-?payment (of|for) fees?", "en", [{"payment"}, {"non"}, {"fee"}, {"of", "for"}]),
    ("{institution}", "en", []),
    ("(a (b|c)|d) x", "en", [{"x"}, {"a", "d"}]),
    ("Governing LAW", "en", [{"governing"}, {"law"}]),          # case-folded
    ("终止后{duration}内删除", "zh", [{"终止后"}, {"内删除"}]),
    ("x? y (z)?", "en", [{"y"}]),
    ("(unbalanced", "en", []),                                    # malformed: no claim at all
])
def test_required_literals(source, language, expected):
    assert sorted(map(set, required_literals(source, language)), key=sorted) == sorted(expected, key=sorted)


def _sentences() -> list[tuple[str, str]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").rglob("*.txt"))]
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    found = []
    for text in texts:
        document = document_from_text(text)
        found += [(document.segment_text(s), s.language) for s in document.segments]
    return found


def test_precheck_never_skips_a_match():
    """Every shipped pattern on every sentence of the examples (and seeds): a match implies the check passes."""
    sentences = _sentences()
    matched = 0
    for rule in build_rulebook().rules:
        for pattern in rule.patterns:
            for text, language in sentences:
                if language != rule.language:
                    continue
                if pattern.regex.search(text):
                    matched += 1
                    haystack = text.casefold() if rule.language == "en" else text
                    assert possible_patterns([pattern], haystack) == [pattern], (rule.id, pattern.source, text)
    assert matched > 20

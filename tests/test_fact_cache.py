"""The fact cache: exact round trip of facts, and invalidation by version and extraction data."""

from __future__ import annotations

import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from policycheck import cache as cache_module
from policycheck.cache import FactCache, default_directory, extraction_fingerprint, in_ci, open_cache
from policycheck.document import document_from_text
from policycheck.document.model import Span
from policycheck.facts.engine import extract_facts
from policycheck.facts.model import DocumentFacts, Fact
from policycheck.values.types import Duration, EnumValue, Jurisdiction, Money, Percent

REPO = Path(__file__).resolve().parent.parent

CONTRACT = (
    "This Agreement is governed by the laws of the State of New York.\n\n"
    "Provider will delete Customer Data sixty (60) days after termination of this Agreement.\n\n"
    "本协议适用中华人民共和国法律。\n"
)


def _facts_with_every_value_type() -> DocumentFacts:
    span = Span(3, 5, 4, 9, "quoted text", (("page", 2),), before="left", after="right")
    values = [Duration(Fraction(3, 2), "mo"), Percent(Decimal("99.90")), Money("USD", Decimal("5000")),
              Jurisdiction("US-NY"), EnumValue("arbitration"), True, Decimal("18"), "free text"]
    facts = [Fact(f"fact{index}", "string", value, "en", span, "en/x#y",
                  {"range": {"low": Duration(Fraction(4), "h"), "high": Duration(Fraction(48), "h")},
                   "comparator": "at_most", "count": 3, "share": 0.5, "flags": [None, False], "pair": ("a", 1)})
             for index, value in enumerate(values)]
    return DocumentFacts("a.txt", ["en", "zh"], facts, ["a note"])


def test_round_trip_is_exact(tmp_path):
    cache = FactCache.open(tmp_path)
    original = _facts_with_every_value_type()
    cache.put("ab" * 32, original)
    again = cache.get("ab" * 32, "renamed.txt")
    assert again is not None and again.path == "renamed.txt"
    assert again.languages == original.languages and again.notes == original.notes
    for before, after in zip(original.facts, again.facts, strict=True):
        assert after == before
        assert after.qualifiers == before.qualifiers          # compare=False fields, checked too
        assert (after.evidence.before, after.evidence.after) == ("left", "right")
        assert type(after.value) is type(before.value)
        assert type(after.qualifiers["pair"]) is tuple
        assert str(after.value) == str(before.value)           # Decimal("99.90") keeps its digits


def test_real_extraction_round_trips(tmp_path):
    facts = extract_facts(document_from_text(CONTRACT, "c.txt"))
    assert {f.name for f in facts.facts} >= {"governing_law", "data_deletion_after"}
    cache = FactCache.open(tmp_path)
    cache.put("cd" * 32, facts)
    again = cache.get("cd" * 32, "c.txt")
    assert [f.as_dict() for f in again.facts] == [f.as_dict() for f in facts.facts]


def test_unknown_values_are_not_cached(tmp_path):
    cache = FactCache.open(tmp_path)
    facts = _facts_with_every_value_type()
    facts.facts[0].qualifiers["odd"] = object()
    cache.put("ef" * 32, facts)
    assert cache.get("ef" * 32, "a.txt") is None


def test_version_change_invalidates(tmp_path, monkeypatch):
    before = FactCache.open(tmp_path)
    before.put("12" * 32, _facts_with_every_value_type())
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    after = FactCache.open(tmp_path)
    assert after.directory != before.directory
    assert after.get("12" * 32, "a.txt") is None
    monkeypatch.undo()
    assert FactCache.open(tmp_path).get("12" * 32, "a.txt") is not None


def test_user_extractor_change_invalidates(tmp_path):
    rules = tmp_path / "extractors"
    rules.mkdir()
    (rules / "escrow.yaml").write_text("rules: []\n")
    first = extraction_fingerprint((str(rules),))
    assert extraction_fingerprint((str(rules),)) == first
    (rules / "escrow.yaml").write_text("rules: []  # changed\n")
    second = extraction_fingerprint((str(rules),))
    (rules / "more.yaml").write_text("rules: []\n")
    third = extraction_fingerprint((str(rules),))
    assert len({first, second, third, extraction_fingerprint()}) == 4


def test_shipped_rule_change_invalidates(tmp_path, monkeypatch):
    """The shipped rule files are part of the fingerprint: edit one (in a copy) and it changes."""
    package = tmp_path / "policycheck"
    import shutil
    shutil.copytree(REPO / "policycheck", package, ignore=shutil.ignore_patterns("__pycache__"))

    monkeypatch.setattr(cache_module, "_package_root", lambda: package)
    first = extraction_fingerprint()
    rule_file = sorted((package / "facts" / "rules" / "en").glob("*.yaml"))[0]
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = extraction_fingerprint()
    assert edited != first
    # Reports are not part of it (nor are policies: findings are evaluated afresh on every run).
    (package / "report" / "new.txt").write_text("unrelated")
    assert extraction_fingerprint() == edited


def test_stale_fingerprints_are_pruned(tmp_path, monkeypatch):
    old = FactCache.open(tmp_path)
    old.put("34" * 32, _facts_with_every_value_type())
    import os
    os.utime(old.directory, (0, 0))
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    FactCache.open(tmp_path)
    assert not old.directory.exists()


def test_settings(tmp_path):
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"}) and not in_ci({}) and not in_ci({"CI": "false"})
    if sys.platform.startswith("linux"):
        assert default_directory({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "policycheck"
        assert default_directory({}) == Path.home() / ".cache" / "policycheck"
    assert open_cache(None, True) is None
    assert open_cache(None, False, environ={"CI": "true"}) is None
    assert open_cache(str(tmp_path / "c"), False, environ={"CI": "true"}) is not None
    warnings = []
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    assert open_cache(None, False, warn=warnings.append, environ={"XDG_CACHE_HOME": str(blocker)}) is None
    assert warnings and "fact cache off" in warnings[0]
    with pytest.raises(cache_module.CacheError):
        open_cache(str(blocker), False)


def test_every_shipped_pattern_compiles():
    """Shipped patterns compile on first use (see CompiledPattern); here every one is compiled."""
    from policycheck.facts.rules import build_rulebook

    book = build_rulebook()
    for rule in book.rules:
        for pattern in rule.patterns:
            assert pattern.check().regex is not None, rule.id
        for phrases in (rule.negation, rule.exclude, rule.context):
            if phrases is not None:
                phrases.compiled()

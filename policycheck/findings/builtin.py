"""Built-in checks that need no policy: they use the finding shape with their own rule ids."""

from __future__ import annotations

from policycheck.facts.model import Fact
from policycheck.findings.model import Finding

CONFLICTING_FACTS = "conflicting-facts"


def conflicting_facts(facts: list[Fact]) -> list[Finding]:
    """A bilingual contract whose English and Chinese versions give a fact different values."""
    by_name: dict[str, dict[str, list[Fact]]] = {}
    for fact in facts:
        by_name.setdefault(fact.name, {}).setdefault(fact.language, []).append(fact)
    findings = []
    for name, by_language in sorted(by_name.items()):
        if len(by_language) < 2:
            continue
        english = by_language.get("en", [])
        chinese = by_language.get("zh", [])
        if not english or not chinese:
            continue            # only the two language versions of one contract can disagree
        en_values = {f.shown() for f in english}
        zh_values = {f.shown() for f in chinese}
        if en_values == zh_values:
            continue
        first_en, first_zh = english[0], chinese[0]
        message = (f"the English and Chinese versions disagree on {name}: "
                   f"{', '.join(sorted(en_values))} (English, line {first_en.evidence.line}) vs "
                   f"{', '.join(sorted(zh_values))} (Chinese, line {first_zh.evidence.line})")
        evidence = tuple(sorted({f.evidence for f in english + chinese}, key=lambda s: (s.line, s.column)))
        values = sorted({f.shown() for f in english + chinese})
        findings.append(Finding(CONFLICTING_FACTS, "check", "warning", "failed", message, {name: values}, evidence,
                                title="The language versions of the contract disagree"))
    return findings

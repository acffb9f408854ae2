"""Built-in checks that need no policy: they use the finding shape with their own rule ids."""

from __future__ import annotations

from policycheck.catalogue import Catalogue, default_catalogue
from policycheck.facts.model import Fact
from policycheck.findings.model import Finding
from policycheck.values.types import display

CONFLICTING_FACTS = "conflicting-facts"

# Qualifiers that say which statement a value belongs to: a deletion period after termination and
# one after non-payment are two statements, not a disagreement.
_SCOPE_QUALIFIERS = ("anchor", "party")


def conflicting_facts(facts: list[Fact], catalogue: Catalogue | None = None) -> list[Finding]:
    """conflicting-facts: the English and the Chinese version of a bilingual contract give a
    single-valued fact values that have nothing in common (governing law CN in one, HK in the
    other; data deleted 30 days after termination in one, 60 days in the other).

    Only facts whose both versions were found are compared, so a clause one language states and
    the other leaves out is not a conflict. Facts the catalogue marks ``multi_valued`` (support
    tiers, kinds of data, plans) are never compared. Values are compared by their main value (a
    range by its upper end); the ``anchor`` and ``party`` qualifiers keep separate statements
    apart. The warning names the fact, both values and both lines.
    """
    catalogue = catalogue or default_catalogue()
    groups: dict[tuple, dict[str, list[Fact]]] = {}
    for fact in facts:
        if fact.language not in ("en", "zh"):
            continue
        spec = catalogue.get(fact.name)
        if spec is not None and spec.multi_valued:
            continue
        scope = tuple((key, str(fact.qualifiers[key])) for key in _SCOPE_QUALIFIERS if key in fact.qualifiers)
        groups.setdefault((fact.name, scope), {}).setdefault(fact.language, []).append(fact)
    findings = []
    for (name, scope), by_language in sorted(groups.items()):
        english, chinese = by_language.get("en", []), by_language.get("zh", [])
        if not english or not chinese:
            continue            # only the two language versions of one contract can disagree
        en_values = _values(english)
        zh_values = _values(chinese)
        if en_values & zh_values:
            continue
        first_en, first_zh = english[0], chinese[0]
        where = "".join(f" ({key} {value})" for key, value in scope)
        message = (f"the English and Chinese versions disagree on {name}{where}: "
                   f"{', '.join(sorted(en_values))} (English, line {first_en.evidence.line}) vs "
                   f"{', '.join(sorted(zh_values))} (Chinese, line {first_zh.evidence.line})")
        evidence = tuple(sorted({f.evidence for f in english + chinese}, key=lambda s: (s.line, s.column)))
        findings.append(Finding(CONFLICTING_FACTS, "check", "warning", "failed", message,
                                {name: sorted(en_values | zh_values)}, evidence,
                                title="The language versions of the contract disagree"))
    return findings


def _values(facts: list[Fact]) -> set[str]:
    return {display(fact.value) for fact in facts}

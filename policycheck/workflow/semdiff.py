"""What changed between two versions of a contract, in terms of facts and findings.

Facts are compared by name: a value present in both versions (in the same language) is
unchanged wherever it moved; what is left on each side is paired into changes
(``data_deletion_after: 90d -> 10d``), same language first, and the rest is added or removed.
Findings are compared by rule (built-in checks also by the facts they are about): a rule that
fires only in the new version is a finding that appears, one that fires only in the old version
disappears. Line moves and reflowed text therefore never show up as changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from policycheck.facts.model import Fact
from policycheck.findings.model import DocumentResult, Finding
from policycheck.report.model import fails, ordered_findings

DIFF_SCHEMA = "policycheck/diff/v1"


@dataclass(frozen=True)
class FactChange:
    name: str
    kind: str                      # added | removed | changed
    old: Fact | None = None
    new: Fact | None = None

    def as_dict(self) -> dict:
        def side(fact: Fact | None):
            if fact is None:
                return None
            data = fact.as_dict()
            return {"value": data["value"], "shown": fact.shown(), "language": fact.language,
                    "qualifiers": data["qualifiers"], "evidence": data["evidence"]}
        return {"name": self.name, "change": self.kind, "old": side(self.old), "new": side(self.new)}


@dataclass(frozen=True)
class FindingChange:
    kind: str                      # appeared | disappeared
    finding: Finding

    def as_dict(self, fail_on: str) -> dict:
        data = self.finding.as_dict()
        data["change"] = self.kind
        data["fails"] = self.kind == "appeared" and fails(self.finding, fail_on)
        return data


@dataclass
class ContractDiff:
    path: str                      # the new path (the old one when the contract was removed)
    old_path: str | None
    status: str                    # added | removed | modified | renamed
    facts: list[FactChange] = field(default_factory=list)
    findings: list[FindingChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.facts or self.findings or self.errors or self.status != "modified")

    def as_dict(self, fail_on: str) -> dict:
        return {"path": self.path, "old_path": self.old_path, "status": self.status,
                "facts": [change.as_dict() for change in self.facts],
                "findings": [change.as_dict(fail_on) for change in self.findings],
                "errors": list(self.errors)}


def _by_name(facts: list[Fact]) -> dict[str, list[Fact]]:
    index: dict[str, list[Fact]] = {}
    for fact in facts:
        index.setdefault(fact.name, []).append(fact)
    return index


def _fact_key(fact: Fact) -> tuple[str, str]:
    return fact.shown(), fact.language


def compare_facts(old: list[Fact], new: list[Fact]) -> list[FactChange]:
    changes: list[FactChange] = []
    old_index, new_index = _by_name(old), _by_name(new)
    for name in sorted(set(old_index) | set(new_index)):
        before, after = list(old_index.get(name, [])), list(new_index.get(name, []))
        common = Counter(map(_fact_key, before)) & Counter(map(_fact_key, after))
        left_old, left_new = _without(before, common), _without(after, common)
        for language in ("en", "zh", None):
            for old_fact in list(left_old):
                match = next((f for f in left_new if language is None or (f.language == old_fact.language == language)),
                             None)
                if match is not None:
                    changes.append(FactChange(name, "changed", old_fact, match))
                    left_old.remove(old_fact)
                    left_new.remove(match)
        changes.extend(FactChange(name, "removed", old=fact) for fact in left_old)
        changes.extend(FactChange(name, "added", new=fact) for fact in left_new)
    return changes


def _without(facts: list[Fact], common: Counter) -> list[Fact]:
    remaining = Counter(common)
    kept = []
    for fact in facts:
        key = _fact_key(fact)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(fact)
    return kept


def _finding_key(finding: Finding) -> tuple:
    if finding.verb == "check":     # built-in checks fire once per fact they are about
        return finding.rule, tuple(sorted(finding.facts))
    return (finding.rule,)


def compare_findings(old: list[Finding], new: list[Finding]) -> list[FindingChange]:
    active = ("failed", "missing", "unread")
    old_keys = {_finding_key(f) for f in old if f.status in active}
    new_keys = {_finding_key(f) for f in new if f.status in active}
    changes = [FindingChange("appeared", f) for f in ordered_findings(new)
               if f.status in active and _finding_key(f) not in old_keys]
    changes.extend(FindingChange("disappeared", f) for f in ordered_findings(old)
                   if f.status in active and _finding_key(f) not in new_keys)
    return changes


def compare(old: DocumentResult | None, new: DocumentResult | None, path: str, old_path: str | None,
            status: str | None = None) -> ContractDiff:
    if old is None and new is None:
        raise ValueError("nothing to compare")
    if status is not None:
        pass
    elif old is None:
        status = "added"
    elif new is None:
        status = "removed"
    else:
        status = "renamed" if old_path and old_path != path else "modified"
    diff = ContractDiff(path, old_path, status)
    diff.facts = compare_facts(old.facts if old else [], new.facts if new else [])
    diff.findings = compare_findings(old.findings if old else [], new.findings if new else [])
    return diff


def summary(diffs: list[ContractDiff], fail_on: str) -> dict:
    counts = Counter()
    for diff in diffs:
        counts["contracts"] += 1
        counts.update(f"facts_{change.kind}" for change in diff.facts)
        counts.update(f"findings_{change.kind}" for change in diff.findings)
        counts["failing"] += sum(1 for c in diff.findings if c.kind == "appeared" and fails(c.finding, fail_on))
        counts["errors"] += len(diff.errors)
    keys = ("contracts", "facts_added", "facts_removed", "facts_changed", "findings_appeared",
            "findings_disappeared", "failing", "errors")
    return {key: counts[key] for key in keys} | {"fail_on": fail_on}

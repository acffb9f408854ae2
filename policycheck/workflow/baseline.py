"""Baselines: accept the findings a repository already has, fail only on new ones.

A finding is recorded by a content fingerprint: the rule id, the names of the facts involved
and the evidence text, normalised (Unicode NFKC, case folded, all white space removed). Line
numbers are not part of it, so moving a clause or reflowing a paragraph keeps the finding in
the baseline, while a changed value ("90 days" -> "10 days") makes it new. Entries are kept
per contract (path relative to the baseline file) and counted, so a second copy of a baselined
clause in the same contract is still new.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from policycheck.errors import ConfigError, UsageError
from policycheck.findings.model import DocumentResult, Finding
from policycheck.policy.model import PolicySet
from policycheck.textfile import lone_surrogate, read_text_file, write_file_atomically
from policycheck.workflow.globs import relative_to
from policycheck.workflow.ruleids import closest, known_rule_ids

MAX_BASELINE_BYTES = 64 * 1024 * 1024

BASELINE_SCHEMA = "policycheck/baseline/v1"
ACTIVE_STATUSES = ("failed", "missing", "unread")


def normalise_evidence(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def fingerprint(finding: Finding) -> str:
    parts = [finding.rule, ",".join(sorted(finding.facts)),
             "\x1e".join(normalise_evidence(span.text) for span in finding.evidence)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class BaselineEntry:
    contract: str          # relative to the baseline file, '/'-separated
    rule: str
    fingerprint: str
    message: str = ""

    def as_dict(self) -> dict:
        return {"contract": self.contract, "rule": self.rule, "fingerprint": self.fingerprint,
                "message": self.message}


@dataclass(frozen=True)
class Baseline:
    path: str
    entries: tuple[BaselineEntry, ...]

    @property
    def base(self) -> str:
        return os.path.dirname(self.path) or "."


def load_baseline(path: str, *, missing_ok: bool = False, known_rules: PolicySet | None = None) -> Baseline:
    """Read a baseline; with ``known_rules``, an entry naming no loaded rule is an error."""
    if not os.path.lexists(path):
        if missing_ok:
            return Baseline(path, ())
        raise ConfigError("baseline file not found (create it with --update-baseline)", path=path)
    text = read_text_file(path, kind="baseline", max_bytes=MAX_BASELINE_BYTES, error=ConfigError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline file is not valid JSON: {exc.msg}", path=path, line=exc.lineno,
                          column=exc.colno) from None
    except ValueError as exc:          # an integer of more digits than Python converts
        raise ConfigError(f"baseline file is not usable JSON: {str(exc).split(';')[0]}", path=path) from None
    except RecursionError:
        raise ConfigError("baseline file nests too deeply to be read", path=path) from None
    surrogate = lone_surrogate(data)
    if surrogate is not None:
        raise ConfigError(f"baseline file holds a lone surrogate \\u{ord(surrogate):04x}, which is not text; "
                          "recreate it with --update-baseline", path=path)
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA or not isinstance(data.get("findings"), list):
        raise ConfigError(f"not a policycheck baseline (expected {{\"schema\": \"{BASELINE_SCHEMA}\", "
                          "\"findings\": [...]}; recreate it with --update-baseline)", path=path)
    entries = []
    for index, item in enumerate(data["findings"]):
        if not (isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("contract", "rule", "fingerprint"))):
            raise ConfigError(f"baseline entry {index + 1} needs string 'contract', 'rule' and 'fingerprint'",
                              path=path)
        entries.append(BaselineEntry(item["contract"], item["rule"], item["fingerprint"], str(item.get("message", ""))))
    if known_rules is not None:
        known = known_rule_ids(known_rules)
        for index, entry in enumerate(entries):
            if entry.rule not in known:
                raise ConfigError(f"baseline entry {index + 1} ({entry.contract}) names the rule '{entry.rule}', which "
                                  "no loaded policy has", path=path, line=_entry_line(text, index),
                                  hint=f"{closest(entry.rule, known)} (or record the baseline again with "
                                       "--update-baseline)")
    return Baseline(path, tuple(entries))


def _entry_line(text: str, index: int) -> int | None:
    """The line of the ``"rule"`` key of entry ``index`` in a baseline as --update-baseline writes it."""
    seen = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith('"rule"'):
            seen += 1
            if seen == index:
                return number
    return None


def apply_baseline(documents: list[DocumentResult], baseline: Baseline) -> int:
    """Mark findings the baseline holds as ``baselined`` (they no longer fail); return how many."""
    remaining = Counter((entry.contract, entry.fingerprint) for entry in baseline.entries)
    marked = 0
    for document in documents:
        contract = relative_to(document.path, baseline.base)
        updated = []
        for finding in document.findings:
            key = (contract, fingerprint(finding))
            if finding.status in ACTIVE_STATUSES and remaining[key] > 0:
                remaining[key] -= 1
                finding = replace(finding, baselined=True)
                marked += 1
            updated.append(finding)
        document.findings = updated
    return marked


def updated_baseline(documents: list[DocumentResult], previous: Baseline, *, exclude: set[str] = frozenset()) -> Baseline:
    """The baseline after this run: the active findings of the checked contracts, plus the
    previous entries of contracts this run did not check (and which still exist)."""
    checked: set[str] = set()
    entries: list[BaselineEntry] = []
    for document in documents:
        if document.path in exclude:
            continue
        contract = relative_to(document.path, previous.base)
        if contract is None:
            raise UsageError(f"{document.path} lies outside the directory of the baseline {previous.path}; "
                             "keep the baseline at the top of the repository")
        checked.add(contract)
        for finding in document.findings:
            if finding.status in ACTIVE_STATUSES:
                entries.append(BaselineEntry(contract, finding.rule, fingerprint(finding), finding.message))
    for entry in previous.entries:
        if entry.contract not in checked and os.path.exists(os.path.join(previous.base, entry.contract)):
            entries.append(entry)
    entries.sort(key=lambda e: (e.contract, e.rule, e.fingerprint, e.message))
    return Baseline(previous.path, tuple(entries))


def write_baseline(baseline: Baseline) -> None:
    data = {"schema": BASELINE_SCHEMA, "findings": [entry.as_dict() for entry in baseline.entries]}
    write_file_atomically(baseline.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                          what=f"the baseline {baseline.path}")

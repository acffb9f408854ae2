"""Waivers: a reviewed, recorded exception for one rule on some contracts.

``waivers.yaml`` holds a list (or a mapping with one key, ``waivers``) of entries::

    - rule: china.require-arbitration_venue-1a2b3c   # a rule id; * and ? match several
      contract: contracts/legacy/*.txt               # a path or glob, relative to this file
      reason: "Signed before the 2026 playbook; renegotiated at renewal"
      approved_by: "Legal (J. Chen)"
      expires: 2027-03-31

A waived finding stays in every report with status ``waived`` and the waiver beside it; it
never fails a run. An expired waiver waives nothing and is itself an error finding
(``expired-waiver``); a waiver that matched no finding is a warning (``unused-waiver``). Both
point at the waiver's line. A waiver without a reason is a configuration error.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, replace

from policycheck.document.model import Span
from policycheck.errors import ConfigError
from policycheck.findings.model import DocumentResult, Finding
from policycheck.policy.model import PolicySet
from policycheck.workflow.globs import Glob, GlobError, compile_glob, name_pattern, relative_to
from policycheck.workflow.ruleids import closest, known_rule_ids, matches_a_rule
from policycheck.textfile import read_text_file
from policycheck.yamlpos import MAX_YAML_BYTES, read_yaml, where

EXPIRED_WAIVER = "expired-waiver"
UNUSED_WAIVER = "unused-waiver"
WAIVER_KEYS = ("rule", "contract", "reason", "approved_by", "expires")


@dataclass(frozen=True)
class Waiver:
    rule: str
    contract: Glob
    reason: str
    approved_by: str | None
    expires: _dt.date | None
    line: int                     # of the entry in the waivers file
    source_line: str
    expires_line: int | None = None

    def covers(self, rule_id: str, relative_path: str | None) -> bool:
        return (relative_path is not None and self.contract.matches(relative_path)
                and name_pattern(self.rule).matches(rule_id))

    def expired(self, today: _dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def as_dict(self, path: str) -> dict:
        data = {"reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat() if self.expires else None,
                "source": f"{path}:{self.line}"}
        return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class WaiverFile:
    path: str
    waivers: tuple[Waiver, ...]

    @property
    def base(self) -> str:
        return os.path.dirname(self.path) or "."


def _date(value, entry, path: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    line, column = where(entry, "expires")
    raise ConfigError(f"'expires' must be a date written YYYY-MM-DD, not {value!r}", path=path, line=line,
                      column=column)


def load_waivers(path: str, known_rules: PolicySet | None = None) -> WaiverFile:
    """Read and validate a waivers file; with ``known_rules``, a rule id that names no loaded
    rule (nor a built-in check) is an error with the closest id."""
    data = read_yaml(path, "waivers file")
    if data is None:
        return WaiverFile(path, ())
    entries = data
    if isinstance(data, dict):
        unknown = [key for key in data if key != "waivers"]
        if unknown:
            line, column = where(data, unknown[0])
            raise ConfigError(f"unknown key '{unknown[0]}' in the waivers file (it holds a list, or 'waivers:' "
                              "with a list)", path=path, line=line, column=column)
        entries = data.get("waivers") or []
    if not isinstance(entries, list):
        raise ConfigError("a waivers file holds a list of waivers", path=path, line=getattr(entries, "line", 1))
    lines = _waiver_lines(path)
    waivers = tuple(_waiver(entries, index, path, lines) for index in range(len(entries)))
    if known_rules is not None:
        known = known_rule_ids(known_rules)
        for index, waiver in enumerate(waivers):
            if not matches_a_rule(waiver.rule, known):
                line, column = where(entries[index], "rule")
                raise ConfigError(f"waiver {index + 1} names the rule '{waiver.rule}', which no loaded policy has",
                                  path=path, line=line, column=column, hint=closest(waiver.rule, known))
    return WaiverFile(path, waivers)


def _waiver(entries, index: int, path: str, lines: list[str]) -> Waiver:
    entry = entries[index]
    line, column = where(entries, index)
    number = f"waiver {index + 1}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{number} must be a mapping with {', '.join(WAIVER_KEYS)}", path=path, line=line,
                          column=column)
    for key in entry:
        if key not in WAIVER_KEYS:
            key_line, key_column = where(entry, key)
            raise ConfigError(f"unknown key '{key}' in {number}", path=path, line=key_line, column=key_column,
                              hint=f"allowed keys: {', '.join(WAIVER_KEYS)}")

    def text(key: str, required: bool) -> str | None:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problem = "has no reason: every waiver must say why" if key == "reason" else f"has no '{key}'"
                raise ConfigError(f"{number} {problem}", path=path, line=line, column=column)
            return None
        if not isinstance(value, str):
            key_line, key_column = where(entry, key)
            raise ConfigError(f"'{key}' of {number} must be text", path=path, line=key_line, column=key_column)
        return value.strip()

    rule = text("rule", True)
    contract_text = text("contract", True)
    reason = text("reason", True)
    try:
        contract = compile_glob(contract_text)
    except GlobError as exc:
        key_line, key_column = where(entry, "contract")
        raise ConfigError(f"bad glob in 'contract' of {number}: {exc}", path=path, line=key_line,
                          column=key_column) from None
    expires = _date(entry["expires"], entry, path) if entry.get("expires") is not None else None
    source = lines[line - 1].strip() if line and 0 < line <= len(lines) else f"rule: {rule}"
    return Waiver(rule, contract, reason, text("approved_by", False), expires, line or 0, source,
                  where(entry, "expires")[0] if expires else None)


def apply_waivers(documents: list[DocumentResult], waiver_file: WaiverFile, *, complete: bool,
                  today: _dt.date | None = None) -> DocumentResult | None:
    """Mark waived findings in place; return the waivers file's own findings (expired, unused), if any.

    ``complete`` says the run checked every contract, so a waiver whose contracts were not
    checked at all can still be called unused.
    """
    today = today or _dt.datetime.now(_dt.timezone.utc).date()
    used: set[int] = set()
    touched: set[int] = set()
    for document in documents:
        relative = relative_to(document.path, waiver_file.base)
        for index, waiver in enumerate(waiver_file.waivers):
            if relative is not None and waiver.contract.matches(relative):
                touched.add(index)
        waived = []
        for finding in document.findings:
            if finding.status in ("failed", "missing", "unread"):
                for index, waiver in enumerate(waiver_file.waivers):
                    if waiver.covers(finding.rule, relative):
                        used.add(index)
                        if not waiver.expired(today):
                            finding = replace(finding, status="waived", waiver=waiver.as_dict(waiver_file.path))
                            break
            waived.append(finding)
        document.findings = waived
    findings = []
    for index, waiver in enumerate(waiver_file.waivers):
        if not (complete or index in touched):
            continue
        if waiver.expired(today):
            findings.append(_waiver_finding(
                waiver, waiver_file.path, EXPIRED_WAIVER, "error",
                f"the waiver of {waiver.rule} for {waiver.contract.pattern} expired on {waiver.expires.isoformat()}; "
                "renew it with a new review, or fix the contracts", "An expired waiver"))
        elif index not in used:
            findings.append(_waiver_finding(
                waiver, waiver_file.path, UNUSED_WAIVER, "warning",
                f"the waiver of {waiver.rule} for {waiver.contract.pattern} matched no finding; remove it",
                "A waiver that waives nothing"))
    return DocumentResult(waiver_file.path, [], [], findings, [], is_contract=False) if findings else None


def _waiver_finding(waiver: Waiver, path: str, rule: str, severity: str, message: str, title: str) -> Finding:
    line = waiver.expires_line if rule == EXPIRED_WAIVER and waiver.expires_line else waiver.line
    lines = _waiver_lines(path)
    raw = lines[line - 1] if 0 < line <= len(lines) else waiver.source_line
    column = len(raw) - len(raw.lstrip()) + 1
    span = Span(line, column, line, max(column, len(raw.rstrip())), raw.strip())
    return Finding(rule, "check", severity, "failed", message, {}, (span,), title=title)


def _waiver_lines(path: str) -> list[str]:
    """The lines of the waivers file, to quote a waiver; none when it cannot be read again."""
    try:
        return read_text_file(path, kind="waivers", max_bytes=MAX_YAML_BYTES, error=ConfigError).split("\n")
    except ConfigError:
        return []

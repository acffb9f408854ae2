"""SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps) and SARIF viewers.

Built as data and dumped. One reporting descriptor per rule (policy rules in load order, then
built-in checks such as ``conflicting-facts`` that reported something); one result per finding,
located at its first evidence span (the others are related locations; an office file is
located as a whole, with its page or paragraph in the location's message; a value from a
``--facts`` file is located in that file); waived findings carry an
accepted external suppression with the waiver's reason; unreadable contracts are tool
execution notifications. Columns count Unicode code points (``columnKind``), as everywhere in
policycheck; SARIF's end column is exclusive, policycheck's inclusive, hence the ``+ 1``.
"""

from __future__ import annotations

import json
import os
from hashlib import sha256
from urllib.parse import quote

from policycheck.report.base import RenderOptions, Reporter
from policycheck.report.context import build_context
from policycheck.report.escaping import safe_url
from policycheck.report.model import RunReport
from policycheck.report.positions import OFFICE_KEYS, place_of

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "policycheckFinding/v1"


def artifact_location(path: str) -> dict:
    """A relative path stays relative to the checkout (``%SRCROOT%``); an absolute one is a file URI."""
    if os.path.isabs(path):
        return {"uri": "file://" + quote(os.path.abspath(path).replace(os.sep, "/"), safe="/:")}
    normal = os.path.normpath(path).replace(os.sep, "/")
    return {"uri": quote(normal, safe="/"), "uriBaseId": "%SRCROOT%"}


def _region(span: dict) -> dict:
    return {
        # SARIF lines and columns start at 1: a given fact's place is checked when read, and
        # this keeps the log valid whatever a position says.
        "startLine": max(span["line"], 1),
        "startColumn": max(span["column"], 1),
        "endLine": max(span["end_line"], span["line"], 1),
        "endColumn": max(span["end_column"] + 1, 1),
        "snippet": {"text": span["text"]},
    }


def _location(document_path: str, span: dict | None, location_id: int | None = None) -> dict:
    place = place_of(document_path, span)
    physical = {"artifactLocation": artifact_location(place.path)}
    location = {"physicalLocation": physical}
    if span is None:
        # A finding with no evidence (a required fact that is missing) concerns the whole
        # contract; code scanning needs a line, so it is shown at the top of the file.
        physical["region"] = {"startLine": 1}
    elif place.line is None:
        # An office file: its extracted text has lines, the file has none. The location is the
        # file, and the page or paragraph is said in words, with the quote.
        location["message"] = {"text": f"{place.office}: \"{span['text']}\""}
        location["properties"] = {key: span[key] for key in OFFICE_KEYS if key in span}
    else:
        physical["region"] = _region(span)
        if place.in_facts_file:
            location["message"] = {"text": f"the value given for {document_path} in the facts file"}
    if location_id is not None:
        location["id"] = location_id
    return location


def _descriptor(rule: dict) -> dict:
    descriptor = {
        "id": rule["id"],
        "shortDescription": {"text": rule["description"]},
        "fullDescription": {"text": rule["text"] or rule["description"]},
        "defaultConfiguration": {"level": LEVELS[rule["severity"]]},
        "properties": {"tags": list(rule["tags"]), "verb": rule["verb"], "builtin": rule["builtin"]},
    }
    if rule["policy"]:
        place = f"{rule['policy']['path']}:{rule['policy']['line']}"
        descriptor["help"] = {"text": f"{rule['text'] or rule['description']} (policy {place})"}
        descriptor["properties"]["policy"] = dict(rule["policy"])
    help_uri = safe_url(rule["see"])          # http(s) only: a viewer may open it
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _fingerprint(path: str, finding: dict) -> str:
    """Stable while the finding is the same: rule, contract, facts and quoted text, not line numbers."""
    parts = [finding["rule"], os.path.normpath(path).replace(os.sep, "/"),
             "missing" if finding["status"] == "missing" else "found"]
    parts += sorted(finding["facts"])
    parts += [" ".join(span["text"].lower().split()) for span in finding["evidence"]]
    return sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _result(path: str, finding: dict, rule_index: dict[str, int]) -> dict:
    spans = finding["evidence"]
    result = {
        "ruleId": finding["rule"],
        "ruleIndex": rule_index[finding["rule"]],
        "level": LEVELS[finding["severity"]],
        "kind": "fail",
        "message": {"text": finding["message"]},
        "locations": [_location(path, spans[0] if spans else None)],
        "partialFingerprints": {FINGERPRINT: _fingerprint(path, finding)},
        "properties": {"status": finding["status"], "verb": finding["verb"], "facts": finding["facts"]},
    }
    if len(spans) > 1:
        result["relatedLocations"] = [_location(path, span, number) for number, span in enumerate(spans[1:], 1)]
    if finding["policy"]:
        result["properties"]["policy"] = finding["policy"]
    if finding["baselined"]:
        result["baselineState"] = "unchanged"
    if finding["status"] == "waived":
        waiver = finding["waiver"] or {}
        suppression = {"kind": "external", "status": "accepted"}
        if waiver.get("reason"):
            suppression["justification"] = str(waiver["reason"])
        extra = {key: str(value) for key, value in sorted(waiver.items()) if key != "reason" and value is not None}
        if extra:
            suppression["properties"] = extra
        result["suppressions"] = [suppression]
    return result


def sarif_log(report: RunReport) -> dict:
    context = build_context(report)
    rules = context["rules"]
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    results = [_result(document["path"], finding, rule_index)
               for document in context["documents"] for finding in document["findings"]]
    notifications = [{
        "level": "error",
        "message": {"text": f"could not read {error['path']}: {error['message']}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(error["path"])}}],
        "descriptor": {"id": "unreadable-contract"},
    } for error in context["errors"]]
    invocation = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    version = context["tool"]["version"]
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "policycheck", "version": version, "semanticVersion": version,
                                "rules": [_descriptor(rule) for rule in rules]}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for code scanning"

    def render(self, report: RunReport, options: RenderOptions) -> str:
        return json.dumps(sarif_log(report), ensure_ascii=False, indent=2) + "\n"

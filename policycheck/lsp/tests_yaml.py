"""A ``*.tests.yaml`` in the editor: the rule under the cursor, and completion of its keys.

Completion follows the file's layout (policytest/cases.py): under ``expect:`` the rule ids of
the tested policy and then the expectation words; under ``facts:`` and ``extracts:`` the fact
names and then values of that fact.
"""

from __future__ import annotations

import re

from lsprotocol import types

from policycheck.catalogue import Catalogue
from policycheck.lsp.completion import fact_item, value_items
from policycheck.lsp.project import Project, real
from policycheck.lsp.tokens import token_at
from policycheck.policy.model import PolicySet
from policycheck.policytest.cases import EXPECTATION_WORDS

_KEY_BEING_TYPED = re.compile(r"^(\s+)([A-Za-z0-9_.\-]*)$")
_VALUE_BEING_TYPED = re.compile(r"^(\s+)([A-Za-z0-9_.\-]+):\s+([A-Za-z0-9_.%\-]*)$")
_SECTION = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_]+):\s*(?:#.*)?$")


def rule_reference(project: Project, path: str, text: str, line: int, character: int):
    """(rule, token, catalogue, policy source) for a rule id under the cursor, else None."""
    token = token_at(text, line, character)
    if token is None or token.kind != "word":
        return None
    _errors, test_file, policy_set = project.check_tests(path)
    if test_file is None or policy_set is None:
        return None
    rule = policy_set.rule(token.text)
    if rule is None:
        return None
    _paths, catalogue, _problems = project.scope(path)
    source = next((f.source for f in policy_set.files if real(f.path) == real(rule.path)), "")
    return rule, token, catalogue, source


def _section(lines: list[str], line: int, indent: int) -> str | None:
    """The key of the nearest line above ``line`` indented less than ``indent`` that opens a
    mapping (``expect:``, ``facts:``, ``extracts:``)."""
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        match = _SECTION.match(text)
        own = len(text) - len(text.lstrip(" -")) if match else len(text) - len(text.lstrip())
        if own < indent:
            return match.group(2) if match else None
    return None


def complete_tests(text: str, line: int, character: int, policy_set: PolicySet | None,
                   catalogue: Catalogue) -> list[types.CompletionItem]:
    lines = text.split("\n")
    typed = lines[line][:character] if line < len(lines) else ""
    key = _KEY_BEING_TYPED.match(typed)
    value = _VALUE_BEING_TYPED.match(typed)
    if key:
        section = _section(lines, line, len(key.group(1)))
        prefix = key.group(2)
        if section == "expect" and policy_set is not None:
            items = [types.CompletionItem(label=rule.id, kind=types.CompletionItemKind.Reference,
                                          detail=rule.description) for rule in policy_set.rules]
        elif section in ("facts", "extracts"):
            items = [fact_item(catalogue.get(name)) for name in catalogue.names()]
        else:
            return []
    elif value:
        section = _section(lines, line, len(value.group(1)))
        prefix = value.group(3)
        if section == "expect":
            items = [types.CompletionItem(label=word, kind=types.CompletionItemKind.EnumMember, detail="expectation")
                     for word in EXPECTATION_WORDS]
        elif section in ("facts", "extracts"):
            items = value_items(catalogue.get(value.group(2)), prefix)
        else:
            return []
    else:
        return []
    return [item for item in items if item.label.startswith(prefix)]

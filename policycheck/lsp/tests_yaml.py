"""Rule ids in a ``*.tests.yaml``: which rule of the tested policy the cursor is on."""

from __future__ import annotations

from policycheck.lsp.project import Project, real
from policycheck.lsp.tokens import token_at


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

"""Rule ids that waivers and baselines may name: the loaded rules and the built-in checks.

A waiver or a baseline entry naming a rule that does not exist waives or records nothing, so
a misspelt id would let the finding it meant to cover fail a run with no hint why (or, worse,
hide that the waiver was never needed). Such an id is an error with the closest known id.
"""

from __future__ import annotations

import difflib

from policycheck.findings.builtin import CONFLICTING_FACTS
from policycheck.policy.model import PolicySet
from policycheck.workflow.globs import name_pattern

# Findings of built-in checks carry these ids (waivers.py adds its own two).
BUILTIN_RULE_IDS = (CONFLICTING_FACTS, "unread-clause", "expired-waiver", "unused-waiver")


def known_rule_ids(policy_set: PolicySet) -> list[str]:
    return [rule.id for rule in policy_set.rules] + list(BUILTIN_RULE_IDS)


def matches_a_rule(pattern: str, known: list[str]) -> bool:
    """Whether the id (``*`` and ``?`` match several) names at least one known rule."""
    # The waivers' own matcher: linear in the id's length whatever the pattern.
    matcher = name_pattern(pattern)
    return any(matcher.matches(rule_id) for rule_id in known)


def closest(pattern: str, known: list[str]) -> str:
    """A hint for an id that matched nothing."""
    close = difflib.get_close_matches(pattern, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else "see the rule ids with `policycheck validate` or in a report"

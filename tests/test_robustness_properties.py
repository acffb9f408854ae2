"""Property tests over the inputs a repository controls: generated policy files go through the
loader, the static checker and ``fmt``; generated config and waivers files through their
loaders; generated JSON through the facts reader. Whatever the input, the only exception is a
PolicycheckError (a message and exit 2), and formatting a loadable policy is stable.

The budget here is small so the suite stays quick; ``python bench/fuzz_campaign.py`` runs the
same properties with thousands of examples.
"""

from __future__ import annotations

import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycheck.catalogue import default_catalogue
from policycheck.config import load_config
from policycheck.errors import PolicycheckError
from policycheck.facts.given import parse_given_facts
from policycheck.policy.checker import check_policies
from policycheck.policy.layout import format_policy_text
from policycheck.policy.loader import load_policies
from policycheck.workflow.waivers import load_waivers

# bench/fuzz_campaign.py raises the budget through this variable.
BUDGET = settings(max_examples=int(os.environ.get("POLICYCHECK_FUZZ_EXAMPLES", "30")), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Pieces of policies, both well-formed and hostile: long numbers, dates, control characters,
# workflow-command text, includes that leave the directory, unbalanced brackets.
POLICY_TOKENS = st.sampled_from([
    "require", "forbid", "flag", "rule", "let", "include", "when", "unless", "and", "or", "not", "in",
    "is present", "is missing", "severity error", "severity info", "message", "tags [a, b]", "see",
    "governing_law", "arbitration_venue", "data_deletion_after", "uptime_commitment", "minimum_age",
    "liability_cap_amount", "auto_renewal", "dispute_forum", "CN", "HK", "US-NY", "EU", "arbitration",
    "90d", "3mo", "1.5y", "99.9%", "USD 1000", "18", "-2", "true", "false", "[CN, HK]", "GREATER_CHINA",
    "<", "<=", ">", ">=", "==", "!=", "(", ")", "{", "}", "[", "]", ",", "=", "\n", "\n\n", "  ",
    "# comment", '"text"', '"x\\n::error::forged"', '"\\u001b[31m"', '"../../etc/passwd"', '"/etc/passwd"',
    "1" * 30 + "d", "9" * 5000, "2026-02-30", "99." + "9" * 40 + "%", "\x1b", "\x00", "\u202e", "é", "合同",
])
POLICY_TEXT = st.lists(POLICY_TOKENS, max_size=40).map(" ".join)

YAML_PIECES = st.sampled_from([
    "policies: [policies]", "policies: [/etc]", "policies: [../..]", "policies: 3", "policies:",
    "contracts: ['**/*.txt']", "contracts: ['*a*a*a*a*a*a*b.txt']", "contracts: ['[']", "contracts: ['/abs']",
    "formats: [text, 'json:out/r.json']", "formats: ['json:../../x.json']", "formats: ['nope']",
    "fail_on: warning", "fail_on: 2026-02-30", "fail_on: " + "9" * 5000, "fail_on: [1, 2]",
    "waivers: w.yaml", "baseline: b.json", "extractors: [facts]", "overrides: [{paths: ['x/**'], policies: [policies]}]",
    "unknown: 1", "- rule: '*'", "  contract: '**'", "  reason: because", "  expires: 2026-13-01",
    "  expires: 2026-02-28", "  approved_by: someone", "waivers:", "- 1", "  - [a, b]", "? [a]", ": b",
    "&a [*a]", "!!python/object/apply:os.system ['true']", "\t", "'", '"\\ud800"', "{", "}", "x: &y 1",
])
YAML_TEXT = st.lists(YAML_PIECES, max_size=12).map("\n".join)

JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=8), st.sampled_from(["minimum_age", "governing_law", "18", "CN", "90d", "\ud800"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["name", "value", "type", "language", "evidence",
                                                                "qualifiers", "range", "low", "high", "line",
                                                                "column", "end_line", "end_column", "text",
                                                                "path", "facts", "documents", "schema"]),
                                               children, max_size=6)),
    max_leaves=20)


def _facts_document(documents) -> str:
    return json.dumps({"schema": "policycheck/facts/v1", "documents": documents})


@BUDGET
@given(POLICY_TEXT)
def test_loading_generated_policies_raises_only_our_errors(text):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "generated.policy")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
        policy_set, errors = load_policies([directory])
        assert all(isinstance(error, PolicycheckError) for error in errors)
        if errors:
            return
        assert all(isinstance(error, PolicycheckError) for error in check_policies(policy_set, default_catalogue()))
        formatted = format_policy_text(text, path)
        assert format_policy_text(formatted, path) == formatted


@BUDGET
@given(YAML_TEXT)
def test_loading_generated_config_and_waivers_raises_only_our_errors(text):
    with tempfile.TemporaryDirectory() as directory:
        os.mkdir(os.path.join(directory, ".git"))
        os.mkdir(os.path.join(directory, "policies"))
        for name, loader in (("policycheck.yaml", load_config), ("waivers.yaml", load_waivers)):
            path = os.path.join(directory, name)
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
                handle.write(text)
            try:
                loader(path)
            except PolicycheckError:
                pass


@BUDGET
@given(st.lists(JSON_VALUES, max_size=3))
def test_reading_generated_facts_json_raises_only_our_errors(documents):
    try:
        parse_given_facts(_facts_document(documents), "facts.json", default_catalogue())
    except PolicycheckError:
        pass

"""The language's commands and loading: fmt, explain, validate, includes, rule ids, findings."""

from __future__ import annotations

import io
import json
import os

from conftest import POLICIES
from policycheck.catalogue import default_catalogue
from policycheck.facts.given import parse_given_facts
from policycheck.findings.evaluate import evaluate_rules
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import load_policies

CATALOGUE = default_catalogue()

MESSY = 'require   arbitration_venue in CN   # seat\nrule a {flag auto_renewal severity info}\n'
CANONICAL = 'require arbitration_venue in CN  # seat\nrule a {\n    flag auto_renewal\n    severity info\n}\n'


# --- fmt --------------------------------------------------------------------------------------

def test_fmt_rewrites_in_place_and_is_then_canonical(cli, tmp_path):
    policy = tmp_path / "p.policy"
    policy.write_text(MESSY, encoding="utf-8")
    result = cli("fmt", policy)
    assert result.code == 0 and result.err == f"reformatted {policy}\n"
    assert policy.read_text(encoding="utf-8") == CANONICAL
    again = cli("fmt", "--check", policy)
    assert again.code == 0 and again.out == "" and again.err == ""


def test_fmt_check_exits_1_and_changes_nothing(cli, tmp_path):
    policy = tmp_path / "p.policy"
    policy.write_text(MESSY, encoding="utf-8")
    result = cli("fmt", "--check", tmp_path)
    assert result.code == 1 and result.err == f"would reformat {policy}\n"
    assert policy.read_text(encoding="utf-8") == MESSY


def test_fmt_check_sees_crlf_line_ends(cli, tmp_path):
    policy = tmp_path / "p.policy"
    policy.write_bytes(CANONICAL.replace("\n", "\r\n").encode("utf-8"))
    assert cli("fmt", "--check", policy).code == 1


def test_fmt_diff_and_stdout(cli, tmp_path):
    policy = tmp_path / "p.policy"
    policy.write_text(MESSY, encoding="utf-8")
    diff = cli("fmt", "--diff", policy)
    assert diff.code == 0 and "-require   arbitration_venue in CN   # seat" in diff.out
    assert "+require arbitration_venue in CN  # seat" in diff.out
    assert cli("fmt", "--stdout", policy).out == CANONICAL
    assert policy.read_text(encoding="utf-8") == MESSY


def test_fmt_stdin(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(MESSY))
    result = cli("fmt", "-")
    assert result.code == 0 and result.out == CANONICAL


def test_fmt_syntax_error_exit_2_other_files_still_formatted(cli, tmp_path):
    (tmp_path / "a.policy").write_text("require arbitration_venue CN\n", encoding="utf-8")
    (tmp_path / "b.policy").write_text(MESSY, encoding="utf-8")
    result = cli("fmt", tmp_path)
    assert result.code == 2
    assert "a.policy:1:27: missing operator between arbitration_venue and CN" in result.err
    assert (tmp_path / "b.policy").read_text(encoding="utf-8") == CANONICAL
    assert "Traceback" not in result.err


def test_fmt_shipped_policies_are_canonical(cli):
    assert cli("fmt", "--check", POLICIES).code == 0


# --- explain ----------------------------------------------------------------------------------

RULES = '''rule arbitration-seat "Disputes are arbitrated in Greater China" {
    require arbitration_venue in [CN, HK] when governing_law == CN
    message "Seat is {arbitration_venue}"
    tags [disputes]
    see "https://example.com/playbook#seat"
}
flag data_deletion_after < 90d
'''


def test_explain_rule(cli, tmp_path):
    (tmp_path / "china.policy").write_text(RULES, encoding="utf-8")
    result = cli("explain", "arbitration-seat", "-p", tmp_path)
    assert result.code == 0, result
    assert result.out == (
        'rule arbitration-seat  "Disputes are arbitrated in Greater China"\n'
        f"  defined at:  {tmp_path / 'china.policy'}:1\n"
        "  rule:        require arbitration_venue in [CN, HK] when governing_law == CN\n"
        "  checks:      passes when arbitration_venue in [CN, HK] holds for every value found; it fails when "
        "it does not, and reports the finding as missing when a fact it needs was not found; it applies only "
        "when governing_law == CN is true\n"
        "  severity:    error\n"
        "  message:     Seat is {arbitration_venue}\n"
        "  tags:        disputes\n"
        "  see:         https://example.com/playbook#seat\n"
        "  facts:\n"
        "    arbitration_venue: jurisdiction; seat/place of arbitration; from the institution's location "
        "when no seat is named\n"
        "    governing_law: jurisdiction; law that governs the contract\n")


def test_explain_fact_lists_the_rules_that_use_it(cli, tmp_path):
    (tmp_path / "china.policy").write_text(RULES, encoding="utf-8")
    result = cli("explain", "data_deletion_after", "-p", tmp_path)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "fact data_deletion_after"
    assert lines[1] == "  type:        duration"
    assert "  in a policy:" in lines and "    flag data_deletion_after < 90d" in lines
    used_by = lines.index("  used by:")          # the topic cues follow
    assert lines[used_by:used_by + 2] == ["  used by:",
                                          f"    china.flag-data_deletion_after-fc8a80 ({tmp_path / 'china.policy'}:7)"]


def test_explain_enum_fact_without_policies(cli, tmp_path):
    result = cli("explain", "dispute_forum", cwd=tmp_path)
    assert result.code == 0
    assert "  type:        enum (arbitration, court, arbitration_or_court, negotiation_only)" in result.out
    assert "    require dispute_forum == arbitration" in result.out


def test_explain_unknown_name(cli, tmp_path):
    result = cli("explain", "arbitration_venu", cwd=tmp_path)
    assert result.code == 2
    assert result.err == ("policycheck: arbitration_venu is neither a fact nor a rule id in any shipped pack "
                          "(give your policies with -p PATH)\n    did you mean arbitration_venue?\n")


# --- validate, includes, ids -------------------------------------------------------------------

def _write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_validate_ok_and_exit_codes(cli, tmp_path):
    _write(tmp_path, {"p.policy": RULES})
    result = cli("validate", tmp_path)
    assert result.code == 0 and result.out == "1 policy file, 2 rules: ok\n"
    _write(tmp_path, {"q.policy": "flag data_deletion_after < 99%\n"})
    bad = cli("validate", tmp_path)
    assert bad.code == 2 and bad.err.endswith("1 problem found\n")


def test_include_is_relative_to_the_including_file_and_loaded_once(tmp_path):
    _write(tmp_path, {"main.policy": 'include "common/sets.policy"\nrequire arbitration_venue in CHINA\n',
                      "common/sets.policy": "let CHINA = [CN, HK]\nflag auto_renewal\n"})
    policy_set, errors = load_policies([str(tmp_path)])
    assert errors == []
    assert sorted(rule.id for rule in policy_set.rules) == ["main.require-arbitration_venue-" + _digest(
        "require arbitration_venue in CHINA"), "sets.flag-auto_renewal-4be662"]
    assert len(policy_set.files) == 2
    assert check_policies(policy_set, CATALOGUE) == []


def _digest(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def test_include_cycle_through_two_files(cli, tmp_path):
    _write(tmp_path, {"a.policy": 'include "b.policy"\n', "b.policy": '# b\ninclude "a.policy"\n'})
    result = cli("validate", tmp_path / "a.policy")
    assert result.code == 2
    a, b = tmp_path / "a.policy", tmp_path / "b.policy"
    assert result.err.splitlines()[:4] == [
        f"{b}:2:1: include cycle: {a} -> {b} -> {a}",
        '    include "a.policy"',
        "    ^",
        "    a file may not include itself, directly or through other files"]


def test_include_outside_the_tree_even_through_a_symlink(cli, tmp_path):
    _write(tmp_path, {"outside.policy": "flag auto_renewal\n", "tree/p.policy": 'include "link.policy"\n'})
    os.symlink(tmp_path / "outside.policy", tmp_path / "tree" / "link.policy")
    result = cli("validate", tmp_path / "tree" / "p.policy")
    assert result.code == 2
    assert 'include "link.policy" leaves the policy directory' in result.err


def test_include_absolute_path_is_refused(cli, tmp_path):
    _write(tmp_path, {"p.policy": f'include "{tmp_path / "x.policy"}"\n'})
    result = cli("validate", tmp_path)
    assert result.code == 2 and "is an absolute path; includes are relative to the including file" in result.err


def test_duplicate_rule_id_across_files_names_both_places(cli, tmp_path):
    _write(tmp_path, {"a.policy": "rule seat { require arbitration_venue in CN }\n",
                      "b.policy": "\n\nrule seat { require arbitration_venue in HK }\n"})
    result = cli("validate", tmp_path)
    assert result.code == 2
    assert f"{tmp_path / 'b.policy'}:3:1: duplicate rule id seat: also defined at {tmp_path / 'a.policy'}:1" \
        in result.err


def test_derived_ids_are_stable_when_lines_move_or_wrap(tmp_path):
    _write(tmp_path, {"x/card.policy": "require arbitration_venue in CN\nflag data_deletion_after < 90d\n",
                      "y/card.policy": "# a new first line\n\nflag data_deletion_after   <\n   90d # wrapped\n"
                                       "forbid auto_renewal\nrequire  arbitration_venue  in  CN\n"})
    before, _ = load_policies([str(tmp_path / "x")])
    after, _ = load_policies([str(tmp_path / "y")])
    ids_before = {rule.text: rule.id for rule in before.rules}
    ids_after = {rule.text: rule.id for rule in after.rules}
    assert ids_before["require arbitration_venue in CN"] == ids_after["require arbitration_venue in CN"] \
        == "card.require-arbitration_venue-4bf96b"
    assert ids_before["flag data_deletion_after < 90d"] == ids_after["flag data_deletion_after < 90d"] \
        == "card.flag-data_deletion_after-fc8a80"


def test_derived_id_changes_when_the_statement_changes(tmp_path):
    _write(tmp_path, {"card.policy": "flag data_deletion_after < 60d\n"})
    policy_set, _ = load_policies([str(tmp_path)])
    assert policy_set.rules[0].id != "card.flag-data_deletion_after-fc8a80"
    assert policy_set.rules[0].id.startswith("card.flag-data_deletion_after-")


# --- findings ---------------------------------------------------------------------------------

def _evaluate(tmp_path, policy: str, facts: str):
    _write(tmp_path, {"rules.policy": policy})
    policy_set, errors = load_policies([str(tmp_path / "rules.policy")])
    assert not errors and not check_policies(policy_set, CATALOGUE)
    (document,) = parse_given_facts(facts, "facts.yaml", CATALOGUE)
    return evaluate_rules(policy_set, CATALOGUE, document.facts)


def test_finding_carries_rule_facts_evidence_and_place(tmp_path):
    (outcome,) = _evaluate(tmp_path, "\n" + RULES.split("flag")[0],
                           "doc:\n  governing_law: CN\n  arbitration_venue: [HK, SG]\n")
    finding = outcome.finding
    assert outcome.status == "failed"
    assert (finding.rule, finding.verb, finding.severity, finding.status) == ("arbitration-seat", "require",
                                                                             "error", "failed")
    assert finding.message == "Seat is HK, SG"
    assert finding.facts == {"arbitration_venue": ["HK", "SG"], "governing_law": ["CN"]}
    assert [(span.line, span.column, span.text) for span in finding.evidence] == [
        (2, 18, "CN"), (3, 23, "HK"), (3, 27, "SG")]
    assert (finding.policy_path, finding.policy_line) == (str(tmp_path / "rules.policy"), 2)
    assert finding.see == "https://example.com/playbook#seat" and finding.tags == ("disputes",)


def test_placeholder_of_a_fact_not_found(tmp_path):
    (outcome,) = _evaluate(tmp_path, 'require uptime_commitment >= 99.9% message "uptime is {uptime_commitment}"',
                           "doc:\n  auto_renewal: true\n")
    assert outcome.status == "missing" and outcome.finding.message == "uptime is not found"


def test_placeholder_renders_a_range(tmp_path):
    (outcome,) = _evaluate(tmp_path, 'flag support_response_time > 24h message "response in {support_response_time}"',
                           "doc:\n  support_response_time: {low: 4h, high: 48h}\n")
    assert outcome.finding.message == "response in 4h..48h"


def test_default_messages(tmp_path):
    outcomes = _evaluate(tmp_path, "require liability_cap_amount >= USD 1000000\n"
                                   "require uptime_commitment >= 99.9%\nforbid auto_renewal\n",
                         "doc:\n  liability_cap_amount: CNY 50000\n  auto_renewal: true\n")
    assert [o.finding.message for o in outcomes] == [
        "cannot decide liability_cap_amount >= USD 1000000: found liability_cap_amount = CNY 50000; "
        "amounts in different currencies are not compared",
        "uptime_commitment not found (required: uptime_commitment >= 99.9%)",
        "forbidden: auto_renewal (found auto_renewal = true)"]
    assert [o.finding.severity for o in outcomes] == ["error", "error", "error"]


def test_default_severity_of_flag_is_warning(tmp_path):
    (outcome,) = _evaluate(tmp_path, "flag auto_renewal", "doc:\n  auto_renewal: true\n")
    assert outcome.finding.severity == "warning"


def test_run_json_report_with_given_facts(cli, tmp_path):
    _write(tmp_path, {"p.policy": RULES, "facts.yaml": "doc.txt:\n  governing_law: CN\n  arbitration_venue: SG\n"})
    result = cli("run", tmp_path / "p.policy", "--facts", tmp_path / "facts.yaml", "-f", "json")
    assert result.code == 1
    (finding,) = json.loads(result.out)["documents"][0]["findings"]
    assert finding["rule"] == "arbitration-seat" and finding["message"] == "Seat is SG"


# --- validate and explain read the config ------------------------------------------------------

ESCROW_FACTS = """facts:
  escrow_release_period: {type: duration, description: Time until source code leaves escrow, examples: [30d]}
rules: []
"""


def test_validate_and_explain_know_the_configs_facts_and_policies(cli, tmp_path):
    _write(tmp_path, {"facts/escrow.yaml": ESCROW_FACTS,
                      "policies/escrow.policy": "rule escrow { flag escrow_release_period > 30d }\n",
                      "policycheck.yaml": "policies: [policies/]\nextractors: [facts/]\n"})
    result = cli("validate", cwd=tmp_path)
    assert result.code == 0 and result.out == "1 policy file, 1 rule: ok\n", result
    explained = cli("explain", "escrow_release_period", cwd=tmp_path)
    assert explained.code == 0
    assert explained.out.splitlines()[:3] == ["fact escrow_release_period", "  type:        duration",
                                              "  meaning:     Time until source code leaves escrow"]
    assert "    escrow (policies/escrow.policy:1)" in explained.out
    assert cli("explain", "escrow", cwd=tmp_path).out.startswith("rule escrow\n  defined at:  policies/escrow.policy:1\n")


def test_validate_without_paths_or_config_is_a_usage_error(cli, tmp_path):
    result = cli("validate", cwd=tmp_path)
    assert result.code == 2 and "give the policies to check" in result.err

"""``policycheck test``: test cases next to policies, expected vs actual, coverage, exit codes."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from conftest import EXAMPLES, POLICIES

POLICY = textwrap.dedent("""\
    rule seat-in-china "Disputes are arbitrated in mainland China" {
        require arbitration_venue in CN
        message "Arbitration seat is {arbitration_venue}"
    }
    rule early-deletion {
        flag data_deletion_after < 30d
    }
    rule chinese-text-prevails {
        require prevailing_language == zh when governing_law == CN
        severity warning
    }
    """)

CASES = textwrap.dedent("""\
    cases:
      - name: mainland seat, deletion after two months
        facts:
          arbitration_venue: CN
          data_deletion_after: 60d
          governing_law: CN
          prevailing_language: zh
        expect:
          seat-in-china: passes
          early-deletion: passes
          chinese-text-prevails: passes
      - name: Singapore seat, immediate deletion
        facts:
          arbitration_venue: SG
          data_deletion_after: [0d, 90d]
        expect:
          seat-in-china: {fires: failed, severity: error, message: "Arbitration seat is SG"}
          early-deletion: {fires: failed, severity: warning}
          chinese-text-prevails: not_applicable
      - name: Chinese law, English prevails
        facts:
          governing_law: CN
          prevailing_language: en
        expect:
          seat-in-china: missing
          chinese-text-prevails: fails
    """)


def write_pack(directory, policy: str = POLICY, cases: str = CASES, stem: str = "pack"):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stem}.policy").write_text(policy, encoding="utf-8")
    (directory / f"{stem}.tests.yaml").write_text(cases, encoding="utf-8")
    return directory


def test_shipped_packs_pass_with_full_coverage(cli):
    result = cli("test", POLICIES, "--min-coverage", "100")
    assert result.code == 0, result.out + result.err
    assert ", 0 failed" in result.out
    assert "rule coverage: 100% " in result.out


def test_a_broken_expectation_in_a_shipped_pack_exits_1(cli, tmp_path):
    packs = tmp_path / "policies"
    shutil.copytree(POLICIES, packs)
    tests = packs / "design-card.tests.yaml"
    text = tests.read_text(encoding="utf-8")
    broken = text.replace("design-card.require-arbitration_venue-4bf96b: {fires: failed, severity: error}",
                          "design-card.require-arbitration_venue-4bf96b: passes")
    assert broken != text
    tests.write_text(broken, encoding="utf-8")
    result = cli("test", packs)
    assert result.code == 1, result
    assert "FAIL " in result.out and "Hong Kong seat is not mainland China" in result.out
    assert "      expected: passes\n" in result.out
    assert "      actual:   fires (failed, error): expected arbitration_venue in CN, found arbitration_venue = HK" \
        in result.out
    assert ", 1 failed" in result.out


def test_all_cases_pass(cli, tmp_path):
    write_pack(tmp_path)
    result = cli("test", tmp_path, "-v")
    assert result.code == 0, result
    assert result.out.splitlines() == [
        f"ok   {tmp_path / 'pack.tests.yaml'}:2: mainland seat, deletion after two months",
        f"ok   {tmp_path / 'pack.tests.yaml'}:12: Singapore seat, immediate deletion",
        f"ok   {tmp_path / 'pack.tests.yaml'}:20: Chinese law, English prevails",
        "",
        "3 passed, 0 failed",
        "rule coverage: 100% (3 of 3 rules seen both firing and passing)",
    ]


@pytest.mark.parametrize("change, expected, actual", [
    ("seat-in-china: passes", "passes",
     "fires (failed, error): Arbitration seat is SG"),
    ("seat-in-china: {fires: failed, severity: warning}", "fires (failed, warning)",
     "fires (failed, error): Arbitration seat is SG"),
    ("seat-in-china: {fires: failed, message: \"seat is HK\"}", 'fires (failed) with a message containing "seat is HK"',
     "fires (failed, error): Arbitration seat is SG"),
    ("seat-in-china: missing", "fires (missing)", "fires (failed, error): Arbitration seat is SG"),
    ("seat-in-china: not_applicable", "not applicable", "fires (failed, error): Arbitration seat is SG"),
])
def test_failing_expectation_shows_expected_and_actual(cli, tmp_path, change, expected, actual):
    cases = CASES.replace('seat-in-china: {fires: failed, severity: error, message: "Arbitration seat is SG"}',
                          change)
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 1, result
    assert f"FAIL {tmp_path / 'pack.tests.yaml'}:12: Singapore seat, immediate deletion" in result.out
    assert "    seat-in-china (line 17)\n" in result.out
    assert f"      expected: {expected}\n      actual:   {actual}\n" in result.out
    assert "2 passed, 1 failed" in result.out


def test_guard_false_is_not_applicable_not_passed(cli, tmp_path):
    cases = CASES.replace("chinese-text-prevails: not_applicable", "chinese-text-prevails: passes")
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 1
    assert "      expected: passes\n      actual:   not applicable\n" in result.out


def test_coverage_counts_rules_never_fired_or_passed(cli, tmp_path):
    cases = "\n".join(CASES.splitlines()[:19]) + "\n"       # drop the third case
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 0, result
    assert "rule coverage: 66.7% (2 of 3 rules seen both firing and passing)" in result.out
    assert "    chinese-text-prevails: no firing case\n" in result.out
    below = cli("test", tmp_path, "--min-coverage", "100")
    assert below.code == 1
    assert "rule coverage 66.7% is below --min-coverage 100%" in below.out
    assert cli("test", tmp_path, "--min-coverage", "60").code == 0


def test_a_failed_expectation_does_not_count_for_coverage(cli, tmp_path):
    cases = CASES.replace("early-deletion: {fires: failed, severity: warning}", "early-deletion: passes")
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 1
    assert "    early-deletion: no firing case\n" in result.out


def test_policy_without_tests_lowers_coverage(cli, tmp_path):
    write_pack(tmp_path)
    (tmp_path / "extra.policy").write_text("rule uptime { require uptime_commitment >= 99.9% }\n",
                                           encoding="utf-8")
    result = cli("test", tmp_path, "--min-coverage", "100")
    assert result.code == 1
    assert "rule coverage: 75% (3 of 4 rules seen both firing and passing)" in result.out
    assert "    uptime: no firing and no passing case\n" in result.out


def test_text_and_file_cases_are_extracted(cli, tmp_path):
    (tmp_path / ".git").mkdir()                     # the repository root: test files may read below it
    contract = tmp_path / "contracts" / "terms.txt"
    contract.parent.mkdir()
    shutil.copy(EXAMPLES / "contracts" / "cloudnote-saas-terms.txt", contract)
    cases = textwrap.dedent("""\
        cases:
          - name: English example contract, New York seat
            file: ../contracts/terms.txt
            expect:
              seat-in-china: {fires: failed, message: "Arbitration seat is US-NY"}
              early-deletion: passes
          - name: Chinese clause
            text: |
              因本协议引起的争议提交武汉仲裁委员会仲裁。服务终止后,服务方可立即删除用户数据。
            expect:
              seat-in-china: passes
        """)
    write_pack(tmp_path / "policies", cases=cases)
    result = cli("test", tmp_path / "policies" / "pack.policy")
    assert result.code == 0, result.out + result.err
    assert "2 passed, 0 failed" in result.out


def test_policy_key_names_the_policy(cli, tmp_path):
    write_pack(tmp_path, stem="china")
    (tmp_path / "china.tests.yaml").rename(tmp_path / "more.tests.yaml")
    (tmp_path / "more.tests.yaml").write_text("policy: china.policy\n" + CASES, encoding="utf-8")
    result = cli("test", tmp_path / "more.tests.yaml")
    assert result.code == 0, result
    assert "3 passed, 0 failed" in result.out


@pytest.mark.parametrize("cases, message", [
    (CASES.replace("early-deletion: passes", "early-deletoin: passes"),
     ":10:7: case \"mainland seat, deletion after two months\" names rule early-deletoin, which "),
    (CASES.replace("early-deletion: passes", "early-deletion: pases"), ":10:23: unknown expectation 'pases' for early-deletion"),
    (CASES.replace("data_deletion_after: 60d", "data_deletion_after: 60"),
     ":5:28: data_deletion_after is a duration, 60 is a number"),
    (CASES.replace("arbitration_venue: CN", "arbitraton_venue: CN"), ":4:7: unknown fact arbitraton_venue"),
    (CASES.replace("    expect:\n      seat-in-china: passes", "    text: hello\n    expect:\n      seat-in-china: passes"),
     "must give exactly one of 'text', 'file' or 'facts' (it gives text and facts)"),
    (CASES.replace("Singapore seat, immediate deletion", "Chinese law, English prevails"),
     "case name \"Chinese law, English prevails\" is used twice"),
    (CASES.replace("  - name: mainland seat", "  - nmae: mainland seat"), "unknown key 'nmae' in a case"),
    ("cases: [\n", "is not valid YAML"),
    ("", "is empty; a test file needs 'cases:'"),
    (CASES.replace("severity: error", "severity: fatal"), "unknown severity 'fatal'"),
])
def test_bad_test_file_exits_2_with_position(cli, tmp_path, cases, message):
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 2, result
    assert message in result.err
    assert "Traceback" not in result.err


def test_unknown_rule_gets_a_suggestion_and_a_caret(cli, tmp_path):
    write_pack(tmp_path, cases=CASES.replace("early-deletion: passes", "early-deletoin: passes"))
    result = cli("test", tmp_path)
    assert "          early-deletoin: passes\n          ^\n    did you mean early-deletion?" in result.err


def test_missing_policy_and_missing_contract_file(cli, tmp_path):
    (tmp_path / "orphan.tests.yaml").write_text(CASES, encoding="utf-8")
    result = cli("test", tmp_path / "orphan.tests.yaml")
    assert result.code == 2
    assert "tests a policy that does not exist" in result.err
    write_pack(tmp_path / "p", cases="cases:\n  - name: gone\n    file: nope.txt\n    expect: {seat-in-china: passes}\n")
    result = cli("test", tmp_path / "p")
    assert result.code == 2
    assert 'case "gone": ' in result.err and "no such file" in result.err


def test_one_broken_file_does_not_hide_the_others(cli, tmp_path):
    write_pack(tmp_path, stem="good")
    write_pack(tmp_path, stem="bad", policy=POLICY.replace("seat-in-china", "seat-b").replace(
        "early-deletion", "early-b").replace("chinese-text-prevails", "chinese-b"), cases="cases: nope\n")
    result = cli("test", tmp_path)
    assert result.code == 2
    assert "3 passed, 0 failed" in result.out
    assert "'cases' must be a non-empty list" in result.err


def test_duplicate_rule_ids_across_policies_exit_2(cli, tmp_path):
    write_pack(tmp_path, stem="one")
    write_pack(tmp_path, stem="two")
    result = cli("test", tmp_path)
    assert result.code == 2
    assert "duplicate rule id seat-in-china" in result.err


def test_paths_that_hold_no_tests(cli, tmp_path):
    assert "holds no *.tests.yaml test files" in cli("test", tmp_path).err
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = cli("test", tmp_path / "notes.txt")
    assert result.code == 2 and "is neither a *.policy policy nor a *.tests.yaml test file" in result.err
    assert cli("test", tmp_path / "absent").code == 2


def test_default_path_is_policies(cli, tmp_path):
    write_pack(tmp_path / "policies")
    assert cli("test", cwd=tmp_path).code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("test", cwd=empty)
    assert result.code == 2 and "no policies/ here" in result.err


TEXT_CASES = textwrap.dedent("""\
    cases:
      - name: Chinese clause
        text: |
          因本协议引起的争议提交武汉仲裁委员会仲裁。
        extracts:
          arbitration_venue: CN
          arbitration_body: WHAC
          data_deletion_after: ~
        expect:
          seat-in-china: passes
    """)


def test_extracts_holds(cli, tmp_path):
    write_pack(tmp_path, cases=TEXT_CASES)
    result = cli("test", tmp_path)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("old, new, subject, expected, actual", [
    ("arbitration_body: WHAC", "arbitration_body: CIETAC", "extracts arbitration_body (line 7)", "CIETAC", "WHAC"),
    ("data_deletion_after: ~", "data_deletion_after: 30d", "extracts data_deletion_after (line 8)", "30d",
     "not found"),
    ("arbitration_venue: CN", "arbitration_venue: ~", "extracts arbitration_venue (line 6)", "not found", "CN"),
])
def test_extracts_mismatch_fails_the_case(cli, tmp_path, old, new, subject, expected, actual):
    write_pack(tmp_path, cases=TEXT_CASES.replace(old, new))
    result = cli("test", tmp_path)
    assert result.code == 1, result
    assert f"    {subject}\n      expected: {expected}\n      actual:   {actual}\n" in result.out


def test_extracts_compares_values_as_policies_do(cli, tmp_path):
    cases = TEXT_CASES.replace("因本协议引起的争议提交武汉仲裁委员会仲裁。",
                               "服务终止满三十天后,服务方有权删除用户的全部数据。").replace(
        "data_deletion_after: ~", "data_deletion_after: 1mo").replace(
        "arbitration_venue: CN\n      arbitration_body: WHAC\n", "").replace("seat-in-china: passes", "early-deletion: passes")
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("cases, message", [
    (TEXT_CASES.replace("arbitration_body: WHAC", "arbitration_bdy: WHAC"), ":7:7: unknown fact arbitration_bdy"),
    (TEXT_CASES.replace("arbitration_body: WHAC", "arbitration_body: NOPE"), "bad value for arbitration_body"),
    (CASES.replace("    expect:\n      seat-in-china: passes", "    extracts: {governing_law: CN}\n    expect:\n"
                   "      seat-in-china: passes", 1), "a case with 'facts' has nothing to extract"),
])
def test_bad_extracts_exit_2(cli, tmp_path, cases, message):
    write_pack(tmp_path, cases=cases)
    result = cli("test", tmp_path)
    assert result.code == 2, result
    assert message in result.err


def _case_line(tests_file, name: str) -> int:
    lines = tests_file.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.strip() == f"- name: {name}")


def test_explain_shows_rationale_and_examples_from_the_tests(cli):
    tests_file = POLICIES / "china.tests.yaml"
    firing_line = _case_line(tests_file, "final right of interpretation, deletion at any time, slow recovery")
    result = cli("explain", "china.final-interpretation-right", "-p", POLICIES)
    assert result.code == 0, result
    out = result.out
    assert "  rationale:\n    \"The company reserves the final right to interpret these terms\" (最终解释权)" in out
    assert "Civil Code Art. 498" in out
    assert "  see:         https://www.gov.cn/xinwen/2020-06/01/content_5516649.htm" in out
    assert ('    passes: "PRC law, CIETAC arbitration in Beijing, Chinese text prevails" '
            f"({POLICIES / 'china.tests.yaml'}:3)\n      facts: final_interpretation_right: false\n") in out
    assert ('    fires: "final right of interpretation, deletion at any time, slow recovery" '
            f"({tests_file}:{firing_line})\n      facts: final_interpretation_right: true\n"
            "      -> error: The provider reserves the final right to interpret the terms") in out


def test_explain_example_from_a_text_case_and_a_rule_without_tests(cli, tmp_path):
    cases = textwrap.dedent("""\
        cases:
          - name: Hong Kong seat
            facts: {arbitration_venue: HK}
            expect: {seat-in-china: fails}
          - name: Wuhan commission
            text: |
              争议提交武汉仲裁委员会仲裁。
            expect: {seat-in-china: passes}
        """)
    write_pack(tmp_path, cases=cases)
    result = cli("explain", "seat-in-china", "-p", tmp_path)
    assert result.code == 0, result
    assert "      text: 争议提交武汉仲裁委员会仲裁。\n" in result.out
    assert "      facts: arbitration_venue: HK\n      -> error: Arbitration seat is HK\n" in result.out
    (tmp_path / "pack.tests.yaml").unlink()
    result = cli("explain", "seat-in-china", "-p", tmp_path)
    assert result.code == 0 and "examples" not in result.out


def test_default_paths_come_from_the_config(cli, tmp_path):
    write_pack(tmp_path / "rules")
    (tmp_path / "policycheck.yaml").write_text("policies: [rules/]\n", encoding="utf-8")
    result = cli("test", cwd=tmp_path)
    assert result.code == 0, result
    assert "3 passed, 0 failed" in result.out


def test_readme_example_runs(cli, tmp_path):
    readme = (POLICIES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing policies", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shutil.copy(POLICIES / "china.policy", tmp_path / "china.policy")
    (tmp_path / "china.tests.yaml").write_text(example, encoding="utf-8")
    result = cli("test", tmp_path / "china.tests.yaml")
    assert result.code == 0, result.out + result.err
    assert "2 passed, 0 failed" in result.out


def test_all_packs_load_together_and_run_over_examples_and_seeds(cli, seeds):
    """Rule ids are unique across every shipped pack, and the packs check real contracts."""
    validated = cli("validate", POLICIES)
    assert validated.code == 0, validated.err
    result = cli("run", POLICIES, EXAMPLES / "contracts", seeds, "-f", "json")
    assert result.code == 1, result.err            # the seeds break several error rules
    assert "Traceback" not in result.err
    report = json.loads(result.out)
    assert not report["errors"]
    rules = {finding["rule"] for document in report["documents"] for finding in document["findings"]}
    assert {"china.final-interpretation-right", "saas.early-deletion"} <= rules


def test_json_output(cli, tmp_path):
    write_pack(tmp_path, cases=CASES.replace("early-deletion: passes", "early-deletion: fires"))
    result = cli("test", tmp_path, "-f", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["schema"] == "policycheck/test/v1"
    assert data["summary"] == {"passed": 2, "failed": 1, "errors": 0, "rules": 3, "covered": 2, "coverage": 66.7}
    failing = [case for case in data["cases"] if not case["passed"]]
    assert failing == [{"file": str(tmp_path / "pack.tests.yaml"), "line": 2,
                        "name": "mainland seat, deletion after two months", "passed": False,
                        "mismatches": [{"subject": "early-deletion", "line": 10, "expected": "fires",
                                        "actual": "passed"}]}]
    assert data["uncovered"] == [{"rule": "early-deletion", "lacks": "no passing case"}]   # its one passing case failed
    assert data["errors"] == []


def test_contract_files_stay_inside_the_repository(cli, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("The seat of arbitration shall be Beijing.", encoding="utf-8")
    cases = "cases:\n  - name: escape\n    file: ../../secret.txt\n    expect: {seat-in-china: passes}\n"
    write_pack(tmp_path / "repo" / "policies", cases=cases)
    result = cli("test", tmp_path / "repo" / "policies")
    assert result.code == 2
    assert "contract path ../../secret.txt leads outside" in result.err
    (tmp_path / ".git").mkdir()
    assert cli("test", tmp_path / "repo" / "policies").code == 0


def test_installed_packs_carry_their_tests(cli, tmp_path):
    """The packs inside the installed package come with their tests, and those pass there too."""
    from policycheck.resources import packs_dir

    installed = packs_dir()
    names = {entry.name for entry in installed.iterdir()}
    for pack in ("saas-baseline", "china", "consumer-fairness", "data-protection", "design-card"):
        assert {f"{pack}.policy", f"{pack}.tests.yaml"} <= names, pack
    copy = tmp_path / "packs"
    copy.mkdir()
    for name in names:
        if name.endswith((".policy", ".tests.yaml")):
            (copy / name).write_text(installed.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("test", copy, "--min-coverage", "100")
    assert result.code == 0, result.out + result.err

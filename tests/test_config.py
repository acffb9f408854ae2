"""policycheck.yaml: discovery, strict validation, and what a bare ``policycheck run`` checks."""

from __future__ import annotations

import json

import pytest

from workflow_repo import LONDON_TERMS, make_repo, terms


@pytest.fixture
def repo(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.write("contracts/cn.txt", terms())
    repo.write("contracts/uk/london.txt", terms(**LONDON_TERMS))
    repo.write("README.md", "# Contracts\n\nThis repository keeps our signed service agreements.\n")
    return repo


def test_bare_run_checks_the_configured_contracts(cli, repo):
    result = cli("run", cwd=repo.root)
    assert result.code == 1, result
    # London: venue GB-ENG is not in CN (error) and 10d < 90d (warning); the CN contract passes.
    assert "contracts/uk/london.txt (en): 1 error, 1 warning" in result.out
    assert "found arbitration_venue = GB-ENG" in result.out
    assert "Checked 2 contracts" in result.out
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    assert [d["path"] for d in report["documents"]] == ["contracts/cn.txt", "contracts/uk/london.txt"]


def test_config_is_found_from_a_subdirectory(cli, repo):
    result = cli("run", "-f", "json", cwd=repo.root / "contracts" / "uk")
    assert result.code == 1, result
    paths = [document["path"] for document in json.loads(result.out)["documents"]]
    assert paths == ["../cn.txt", "london.txt"]


def test_search_stops_at_the_git_root(cli, tmp_path):
    (tmp_path / "policycheck.yaml").write_text("policies: [nowhere/]\n", encoding="utf-8")
    inner = make_repo(tmp_path / "inner", config="")
    (inner.root / "policycheck.yaml").unlink()
    result = cli("run", cwd=inner.root)
    assert result.code == 2
    assert "give a policy file or directory" in result.err      # the outer file was not read


def test_dot_name_and_explicit_config(cli, repo, tmp_path):
    (repo.root / "policycheck.yaml").rename(repo.root / ".policycheck.yaml")
    assert cli("run", cwd=repo.root).code == 1
    other = tmp_path / "elsewhere.yaml"
    other.write_text(f"policies: [{repo.root / 'policies'}]\ncontracts: [contracts/cn.txt]\n", encoding="utf-8")
    result = cli("run", "--config", str(other), cwd=repo.root)
    # contracts globs are relative to the config file's directory, where no contracts exist
    assert result.code == 2 and f"{other}:2:13: the contracts glob 'contracts/cn.txt' selects no contract" \
        in result.err, result
    allowed = cli("run", "--config", str(other), "--allow-empty", cwd=repo.root)
    assert allowed.code == 0 and "no contracts to check" in allowed.err


def test_both_config_names_is_an_error(cli, repo):
    (repo.root / ".policycheck.yaml").write_text("fail_on: error\n", encoding="utf-8")
    result = cli("run", cwd=repo.root)
    assert result.code == 2 and "keep one" in result.err


def test_positional_paths_are_contracts_and_others_are_skipped(cli, repo):
    result = cli("run", "contracts/uk/london.txt", "README.md", cwd=repo.root)
    assert result.code == 1
    assert "london.txt" in result.out and "Checked 1 contract " in result.out
    assert "skipped 1 file outside the contracts of policycheck.yaml" in result.err


def test_positional_policy_file_rechecks_everything_it_applies_to(cli, repo):
    result = cli("run", "policies/base.policy", "-f", "json", cwd=repo.root)
    paths = [document["path"] for document in json.loads(result.out)["documents"]]
    assert paths == ["contracts/cn.txt", "contracts/uk/london.txt"]


def test_overrides_add_policies_for_matching_paths(cli, repo):
    repo.write("policies/uk.policy", "rule uk-law { require governing_law == GB-EAW }\n")
    repo.write("policycheck.yaml", "policies: [policies/base.policy]\ncontracts: [contracts/]\n"
               "overrides:\n  - paths: [contracts/uk/**]\n    policies: [policies/uk.policy]\n")
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    rules = {document["path"]: sorted(f["rule"] for f in document["findings"]) for document in report["documents"]}
    assert rules["contracts/cn.txt"] == []          # uk-law would fail here, but does not apply
    assert "uk-law" not in rules["contracts/uk/london.txt"]   # governed by English law: passes
    repo.write("contracts/uk/other.txt", terms())    # Chinese law in the UK folder: uk-law fires
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    rules = {document["path"]: [f["rule"] for f in document["findings"]] for document in report["documents"]}
    assert rules["contracts/uk/other.txt"] == ["uk-law"]
    assert report["summary"]["rules"] == 3


def test_formats_and_fail_on_from_config_and_cli_override(cli, repo):
    repo.write("policycheck.yaml", "policies: [policies/]\ncontracts: [contracts/cn.txt]\nfail_on: warning\n"
               "formats: [text, \"json:out/report.json\"]\n")
    repo.write("contracts/cn.txt", terms(days="thirty (30)"))
    result = cli("run", cwd=repo.root)
    assert result.code == 1                     # the < 90d warning fails at fail_on: warning
    assert json.loads((repo.root / "out" / "report.json").read_text())["summary"]["by_severity"]["warning"] == 1
    assert cli("run", "--fail-on", "error", "-q", cwd=repo.root).code == 0


def test_extractors_add_custom_facts(cli, repo):
    repo.write("facts/escrow.yaml", """facts:
  escrow_release_period: {type: duration, description: Time until source code leaves escrow}
rules:
  - fact: escrow_release_period
    id: release-within
    language: en
    triggers: [escrow]
    patterns: ["escrow ~ released within {duration}"]
""")
    repo.write("policies/escrow.policy", "flag escrow_release_period > 30d\n")
    repo.write("contracts/cn.txt", terms() + "\n3. Escrow\n3.1 The escrow deposit is released within sixty (60) days.\n")
    repo.write("policycheck.yaml", "policies: [policies/]\ncontracts: [contracts/cn.txt]\nextractors: [facts/]\n")
    result = cli("run", "--fail-on", "warning", cwd=repo.root)
    assert result.code == 1, result
    assert "escrow_release_period > 30d (found escrow_release_period = 60d)" in result.out


BAD_CONFIGS = [
    ("polices: [policies/]\n", "policycheck.yaml:1:1: unknown key 'polices' in the config", "did you mean 'policies'?"),
    ("policies: [policies/]\ncontracts: [\"contracts/[ab.txt\"]\n", "policycheck.yaml:2:13: bad glob in 'contracts'",
     "never closed"),
    ("policies: [policies/]\ncontracts: [/abs/**]\n", "policycheck.yaml:2:13: bad glob in 'contracts'", "is absolute"),
    ("policies: [policies/\n", "policycheck.yaml:2:1: config file is not valid YAML", None),
    ("policies: [policies/]\n  fail_on: error\n", "policycheck.yaml:2:3: config file is not valid YAML", None),
    ("policies: [policies/]\nfail_on: sometimes\n", "policycheck.yaml:2:1: 'fail_on' must be one of", None),
    ("policies: [policies/]\nformats: [txt]\n", "policycheck.yaml:2:11: unknown format 'txt' in 'formats'",
     "did you mean 'text'?"),
    ("policies: [policies/missing.policy]\n", "policycheck.yaml:1:12: 'policies': policies/missing.policy does not exist",
     None),
    ("policies: [policies/]\noverrides:\n  - paths: [a/**]\n    policy: [policies/]\n",
     "policycheck.yaml:4:5: unknown key 'policy' in overrides item 1", "did you mean 'policies'?"),
    ("policies: [policies/]\noverrides:\n  - paths: [a/**]\n", "policycheck.yaml:3:5: overrides item 1 has no 'policies'",
     None),
    ("policies: [policies/]\ncontracts: 7\n", "policycheck.yaml:2:1: 'contracts' must be a non-empty list of strings",
     None),
    ("policies: [policies/]\nwaivers:\n", "policycheck.yaml:2:1: 'waivers' has no value", None),
    ("- policies\n", "policycheck.yaml:1: a config file must be a mapping", None),
    ("policies: [policies/]\npolicies: [x]\n", "policycheck.yaml:2:1: config file is not valid YAML: duplicate key", None),
    ("policies: !!python/object/apply:os.system [echo hi]\n", "policycheck.yaml:1:11: config file is not valid YAML",
     None),
]


@pytest.mark.parametrize("text, message, hint", BAD_CONFIGS, ids=[m.split(": ", 1)[1][:40] for _, m, _ in BAD_CONFIGS])
def test_bad_config_is_a_clear_error(cli, repo, text, message, hint):
    repo.write("policycheck.yaml", text)
    result = cli("run", cwd=repo.root)
    assert result.code == 2, result
    assert result.err.startswith(f"policycheck: {message}"), result.err
    if hint:
        assert hint in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_unreadable_config_bytes(cli, repo):
    (repo.root / "policycheck.yaml").write_bytes(b"policies: [\xff\xfe]\n")
    result = cli("run", cwd=repo.root)
    assert result.code == 2 and "policycheck.yaml:1: config file is not UTF-8" in result.err


def test_missing_explicit_config(cli, repo):
    result = cli("run", "--config", "nope.yaml", cwd=repo.root)
    assert result.code == 2 and "nope.yaml: config file not found" in result.err


def test_without_config_a_contract_first_is_a_usage_error(cli, repo):
    (repo.root / "policycheck.yaml").unlink()
    result = cli("run", "contracts/cn.txt", cwd=repo.root)
    assert result.code == 2
    assert "contracts/cn.txt is a contract, but the first path names the policies" in result.err


def test_other_commands_know_the_configured_facts(cli, repo):
    repo.write("facts/escrow.yaml", "facts:\n  escrow_release_period: {type: duration, description: Escrow release}\n"
               "rules: []\n")
    repo.write("policies/escrow.policy", "flag escrow_release_period > 30d\n")
    repo.write("policycheck.yaml", "policies: [policies/]\ncontracts: [contracts/]\nextractors: [facts/]\n")
    assert cli("validate", "policies/", cwd=repo.root).code == 0
    (repo.root / "policycheck.yaml").unlink()
    assert cli("validate", "policies/", cwd=repo.root).code == 2


def test_facts_file_with_config_matches_overrides_by_document_name(cli, repo):
    repo.write("policies/uk.policy", "rule uk-law { require governing_law == GB-EAW }\n")
    repo.write("policycheck.yaml", "policies: [policies/base.policy]\ncontracts: [contracts/]\n"
               "overrides:\n  - paths: [contracts/uk/**]\n    policies: [policies/uk.policy]\n")
    repo.write("facts.yaml", "contracts/uk/a.txt: {governing_law: CN, arbitration_venue: CN}\n"
               "contracts/b.txt: {governing_law: CN, arbitration_venue: CN}\n")
    report = json.loads(cli("run", "--facts", "facts.yaml", "-f", "json", cwd=repo.root).out)
    rules = {d["path"]: [f["rule"] for f in d["findings"]] for d in report["documents"]}
    assert rules == {"contracts/uk/a.txt": ["uk-law"], "contracts/b.txt": []}
    result = cli("run", "contracts/b.txt", "--facts", "facts.yaml", cwd=repo.root)
    assert result.code == 2 and "with --facts and 'policies:' in the config, give no contracts" in result.err

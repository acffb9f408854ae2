"""--changed-since on real git repositories: branches, merge bases, policy changes, renames."""

from __future__ import annotations

import json

import pytest

from workflow_repo import LONDON_TERMS, make_repo, terms


def checked(result) -> list[str]:
    return [document["path"] for document in json.loads(result.out)["documents"]]


@pytest.fixture
def repo(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.write("policies/uk.policy", "rule uk-law { require governing_law == GB-EAW }\n")
    repo.write("policycheck.yaml", "policies: [policies/base.policy]\ncontracts: [contracts/]\n"
               "overrides:\n  - paths: [contracts/uk/**]\n    policies: [policies/uk.policy]\n")
    repo.write("contracts/a.txt", terms())
    repo.write("contracts/b.txt", terms())
    repo.write("contracts/uk/london.txt", terms(**LONDON_TERMS))
    repo.write("contracts/uk/leeds.txt", terms(**LONDON_TERMS))
    repo.commit("contracts as signed")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def test_only_contracts_changed_on_the_branch(cli, repo):
    repo.write("contracts/b.txt", terms(days="ten (10)"))
    repo.commit("shorten deletion in b")
    # main moves on after the branch started: its changes are not the branch's
    repo.git("checkout", "-q", "main")
    repo.write("contracts/a.txt", terms(days="five (5)"))
    repo.commit("change a on main")
    repo.git("checkout", "-q", "feature")
    repo.write("contracts/new.txt", terms())          # untracked: part of the pull request too
    result = cli("run", "--changed-since", "main", "-f", "json", "--fail-on", "warning", cwd=repo.root)
    assert checked(result) == ["contracts/b.txt", "contracts/new.txt"]
    assert result.code == 1           # b.txt: 10d < 90d


def test_no_changes_checks_nothing_and_passes(cli, repo):
    result = cli("run", "--changed-since", "main", cwd=repo.root)
    assert result.code == 0
    assert "no contracts changed since main" in result.err


def test_uncommitted_change_counts(cli, repo):
    repo.write("contracts/uk/leeds.txt", terms(**{**LONDON_TERMS, "days": "twenty (20)"}))
    assert checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root)) == ["contracts/uk/leeds.txt"]


def test_changed_override_policy_rechecks_only_its_contracts(cli, repo):
    repo.write("policies/uk.policy", "rule uk-law { require governing_law in [GB-EAW, GB-SCT] }\n")
    repo.commit("accept Scots law")
    assert checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root)) == [
        "contracts/uk/leeds.txt", "contracts/uk/london.txt"]


def test_changed_base_policy_or_config_rechecks_everything(cli, repo):
    repo.write("policies/base.policy", "require arbitration_venue in CN\nflag data_deletion_after < 60d\n")
    repo.commit("relax deletion")
    assert len(checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root))) == 4
    repo.git("reset", "-q", "--hard", "main")
    repo.write("policycheck.yaml", (repo.root / "policycheck.yaml").read_text() + "fail_on: warning\n")
    assert len(checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root))) == 4


def test_included_policy_change_rechecks_its_users(cli, repo):
    repo.write("policies/uk-common.policy", "flag data_deletion_after < 30d\n")
    repo.write("policies/uk.policy", 'include "uk-common.policy"\nrule uk-law { require governing_law == GB-EAW }\n')
    repo.write("policycheck.yaml", "policies: [policies/base.policy]\ncontracts: [contracts/]\n"
               "overrides:\n  - paths: [contracts/uk/**]\n    policies: [policies/uk.policy]\n")
    repo.commit("split the UK policy")
    repo.git("branch", "-q", "-f", "main", "HEAD")
    repo.write("policies/uk-common.policy", "flag data_deletion_after < 7d\n")
    assert checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root)) == [
        "contracts/uk/leeds.txt", "contracts/uk/london.txt"]


def test_renamed_contract_is_checked_under_its_new_name(cli, repo):
    repo.git("mv", "contracts/a.txt", "contracts/alpha.txt")
    repo.commit("rename")
    assert checked(cli("run", "--changed-since", "main", "-f", "json", cwd=repo.root)) == ["contracts/alpha.txt"]


def test_deleted_contract_is_not_checked(cli, repo):
    repo.git("rm", "-q", "contracts/b.txt")
    repo.commit("drop b")
    result = cli("run", "--changed-since", "main", cwd=repo.root)
    assert result.code == 0 and "no contracts changed" in result.err


def test_with_explicit_policies_and_no_config(cli, repo):
    (repo.root / "policycheck.yaml").unlink()
    repo.commit("no config")
    repo.write("contracts/b.txt", terms(days="ten (10)"))
    result = cli("run", "policies/base.policy", "contracts/", "--changed-since", "main", "-f", "json",
                 cwd=repo.root)
    assert checked(result) == ["contracts/b.txt"]


def test_unknown_ref_and_not_a_repository(cli, repo, tmp_path):
    result = cli("run", "--changed-since", "origin/nope", cwd=repo.root)
    assert result.code == 2
    assert "unknown git revision 'origin/nope'" in result.err and "Traceback" not in result.err
    result = cli("run", "--changed-since", "--upload-pack=evil", cwd=repo.root)
    assert result.code == 2 and "is not a git revision" in result.err
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "p.policy").write_text("flag data_deletion_after < 90d\n", encoding="utf-8")
    (plain / "c.txt").write_text(terms(), encoding="utf-8")
    result = cli("run", "p.policy", "c.txt", "--changed-since", "main", cwd=plain)
    assert result.code == 2 and "is not inside a git repository" in result.err

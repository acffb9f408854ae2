"""policycheck diff: two files, and --base REF on a real git repository."""

from __future__ import annotations

import json

import pytest

from workflow_repo import LONDON_TERMS, make_repo, terms

BILINGUAL = """Harbor Storage Terms / 海港存储条款

1. Provider will delete Customer Data ninety (90) days after termination of this agreement.
服务方在本协议终止满九十天后删除客户数据。
"""


@pytest.fixture
def repo(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.write("contracts/a.txt", terms())
    repo.write("contracts/b.txt", terms())
    repo.write("contracts/gone.txt", terms(**LONDON_TERMS))
    repo.write("notes/readme.md", "Internal notes.\n")
    repo.commit("signed")
    repo.git("checkout", "-q", "-b", "renegotiation")
    return repo


def test_two_files_text(cli, tmp_path):
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(terms(), encoding="utf-8")
    new.write_text(terms(days="ten (10)", seat="Singapore"), encoding="utf-8")
    policy = tmp_path / "p.policy"
    policy.write_text("require arbitration_venue in CN\nflag data_deletion_after < 90d\n", encoding="utf-8")
    result = cli("diff", old, new, "--policies", policy)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == f"{old} -> {new} (modified)"
    assert '    ~ arbitration_venue: CN -> SG      line 8 "seat of arbitration shall be Singapore"' in lines
    assert '    ~ data_deletion_after: 90d -> 10d  line 4 "delete Customer Data ten (10) days after termination"' in lines
    assert any(line.startswith("    + error    p.require-arbitration_venue-") for line in lines)
    assert lines[-1] == "1 contract compared; facts: 2 changed, 0 added, 0 removed; findings: 2 appeared, 0 disappeared."
    assert cli("diff", old, new, "--policies", policy, "--fail-on", "error").code == 1
    assert cli("diff", new, old, "--policies", policy, "--fail-on", "error").code == 0   # findings disappear


def test_moved_text_is_not_a_change(cli, tmp_path):
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(terms(), encoding="utf-8")
    new.write_text("Preamble\n\nThe parties agree as follows.\n\n" + terms().replace(" days after termination",
                                                                                    " days after\ntermination"),
                   encoding="utf-8")
    result = cli("diff", old, new)
    assert "no change in facts or findings" in result.out
    assert "comparing facts only" in result.err


def test_bilingual_change_pairs_by_language(cli, tmp_path):
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(BILINGUAL, encoding="utf-8")
    new.write_text(BILINGUAL.replace("终止满九十天后", "终止满十天后"), encoding="utf-8")
    data = json.loads(cli("diff", old, new, "--format", "json").out)
    [change] = data["contracts"][0]["facts"]
    assert (change["name"], change["change"], change["old"]["shown"], change["new"]["shown"]) == (
        "data_deletion_after", "changed", "90d", "10d")
    assert change["new"]["language"] == "zh" and change["new"]["evidence"]["line"] == 4


def test_base_ref_compares_every_changed_contract(cli, repo):
    repo.write("contracts/a.txt", terms(days="ten (10)"))
    repo.commit("shorter deletion in a")
    repo.git("mv", "contracts/b.txt", "contracts/b-2027.txt")
    repo.git("rm", "-q", "contracts/gone.txt")
    repo.commit("rename b, drop gone")
    repo.write("contracts/new.txt", terms(**LONDON_TERMS))      # untracked
    repo.write("notes/readme.md", "Changed notes.\n")            # not a contract (config globs)
    result = cli("diff", "--base", "main", "--format", "json", cwd=repo.root)
    assert result.code == 0, result
    data = json.loads(result.out)
    by_path = {c["path"]: c for c in data["contracts"]}
    assert sorted(by_path) == ["contracts/a.txt", "contracts/b-2027.txt", "contracts/gone.txt", "contracts/new.txt"]
    assert by_path["contracts/b-2027.txt"]["status"] == "renamed"
    assert by_path["contracts/b-2027.txt"]["facts"] == [] and by_path["contracts/b-2027.txt"]["findings"] == []
    a = by_path["contracts/a.txt"]
    assert [(f["name"], f["old"]["value"], f["new"]["value"]) for f in a["facts"]] == [("data_deletion_after", "90d", "10d")]
    assert [f["change"] for f in a["findings"]] == ["appeared"]
    gone = by_path["contracts/gone.txt"]
    assert gone["status"] == "removed" and {f["change"] for f in gone["facts"]} == {"removed"}
    assert {f["change"] for f in gone["findings"]} == {"disappeared"}
    new = by_path["contracts/new.txt"]
    assert new["status"] == "added" and len(new["findings"]) == 2
    assert data["summary"]["findings_appeared"] == 3


def test_base_ref_markdown_escapes_contract_text(cli, repo):
    repo.write("contracts/a.txt", terms(days="<script>alert(1)</script> | *all* ten (10)"))
    result = cli("diff", "--base", "main", "--format", "markdown", cwd=repo.root)
    assert result.code == 0, result
    assert "<script>" not in result.out
    assert "&lt;script&gt;" in result.out and "\\|" in result.out
    assert result.out.startswith("## policycheck: what changed in the contracts\n")


def test_base_ref_with_paths_and_no_changes(cli, repo):
    repo.write("contracts/a.txt", terms(days="ten (10)"))
    data = json.loads(cli("diff", "--base", "main", "contracts/b.txt", "--format", "json", cwd=repo.root).out)
    assert data["contracts"] == []
    repo.git("checkout", "-q", "--", ".")
    result = cli("diff", "--base", "main", cwd=repo.root)
    assert result.code == 0 and "no contracts changed since main" in result.err


def test_diff_errors(cli, repo, tmp_path):
    assert "give the OLD and NEW contract files" in cli("diff", "only-one.txt", cwd=repo.root).err
    result = cli("diff", "--base", "nope", cwd=repo.root)
    assert result.code == 2 and "unknown git revision 'nope'" in result.err
    (repo.root / "empty.txt").write_text("", encoding="utf-8")
    result = cli("diff", "empty.txt", "contracts/a.txt", cwd=repo.root)
    assert result.code == 2 and "old version: is empty" in result.err and "Traceback" not in result.err
    bad = tmp_path / "bad.policy"
    bad.write_text("require nonsense_fact\n", encoding="utf-8")
    result = cli("diff", "contracts/a.txt", "contracts/b.txt", "--policies", bad, cwd=repo.root)
    assert result.code == 2 and "unknown fact nonsense_fact" in result.err

"""policycheck init: the scaffold works as written and never overwrites."""

from __future__ import annotations

import yaml

from workflow_repo import make_repo, terms


def test_init_scaffolds_a_working_setup(cli, tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo.root / "policycheck.yaml").unlink()
    (repo.root / "policies" / "base.policy").unlink()
    result = cli("init", cwd=repo.root)
    assert result.code == 0, result
    for path in ("policycheck.yaml", "policies/contract-policy.policy", "policies/contract-policy.tests.yaml",
                 ".pre-commit-config.yaml", ".github/workflows/policycheck.yml"):
        assert f"created  {path}" in result.out
        assert (repo.root / path).is_file()
    assert cli("test", "--min-coverage", "100", cwd=repo.root).code == 0
    repo.write("contracts/vendor.txt", terms(days="seven (7)"))
    run = cli("run", "--fail-on", "warning", cwd=repo.root)
    assert run.code == 1 and "may be deleted 7d after the contract ends" in run.out
    hooks = yaml.safe_load((repo.root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [hook["id"] for hook in hooks] == ["policycheck", "policycheck-test"]
    workflow = yaml.safe_load((repo.root / ".github/workflows/policycheck.yml").read_text())
    steps = workflow["jobs"]["policycheck"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any("policycheck run" in step.get("run", "") and "sarif:policycheck.sarif" in step["run"] for step in steps)
    assert 'pip install "policycheck[office]==' in (repo.root / ".github/workflows/policycheck.yml").read_text()


def test_init_never_overwrites(cli, tmp_path):
    (tmp_path / "policycheck.yaml").write_text("policies: [mine/]\n", encoding="utf-8")
    result = cli("init", str(tmp_path), "--contracts", "agreements")
    assert result.code == 0
    assert "policycheck.yaml  (exists; not changed)" in result.out
    assert (tmp_path / "policycheck.yaml").read_text() == "policies: [mine/]\n"
    assert "agreements/" not in (tmp_path / "policycheck.yaml").read_text()
    assert "not the top of a git repository" in result.err
    again = cli("init", str(tmp_path))
    assert again.out.count("(exists; not changed)") == 5


def test_init_rejects_paths_outside(cli, tmp_path):
    assert cli("init", str(tmp_path), "--contracts", "../elsewhere").code == 2
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli("init", str(tmp_path / "file")).code == 2

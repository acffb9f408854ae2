"""The example contract repository (examples/repo) as a real git repository: a full run, a pull
request branch, the composite GitHub Action's script, and the pre-commit hooks through the real
pre-commit framework (``pre-commit try-repo``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, REPO
from precommit_repo import hook_repository as _hook_repository
from precommit_repo import pre_commit as _pre_commit
from workflow_repo import Repo

EXAMPLE = EXAMPLES / "repo"
BLUEPEAK = "contracts/vendors/bluepeak-analytics.txt"


@pytest.fixture
def example(tmp_path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "contracts-repo"
    shutil.copytree(EXAMPLE, root)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("contracts, policies and the policycheck setup")
    return repo


def findings(report: dict) -> dict[str, list[tuple[str, str, bool]]]:
    return {d["path"]: sorted((f["rule"], f["status"], bool(f.get("baseline"))) for f in d["findings"])
            for d in report["documents"]}


def test_full_run_uses_every_part_of_the_config(cli, example):
    result = cli("run", "-f", "json", cwd=example.root)
    assert result.code == 0, result
    report = json.loads(result.out)
    assert findings(report) == {
        "contracts/china/yunhai-cloud.txt": [],
        "contracts/legacy/old-reseller.md": [("data-export-window", "failed", True)],     # baseline
        BLUEPEAK: [("arbitration-seat", "waived", False)],                                # waiver
        "contracts/vendors/northwind-hosting.txt": [],
    }                                                                  # drafts/ is ignored
    assert report["summary"]["rules"] == 4                             # house (3) + china override (1)
    assert cli("test", "--min-coverage", "100", cwd=example.root).code == 0


def test_default_formats_write_sarif(cli, example):
    result = cli("run", cwd=example.root)
    assert result.code == 0 and "1 waived; 1 in the baseline" in result.out
    sarif = json.loads((example.root / "reports" / "policycheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"


def test_pull_request_branch(cli, example):
    example.git("checkout", "-q", "-b", "shorter-retention")
    path = example.root / BLUEPEAK
    path.write_text(path.read_text(encoding="utf-8").replace("thirty (30) days", "seven (7) days"), encoding="utf-8")
    example.commit("BluePeak: 7 days to export")
    result = cli("run", "--changed-since", "main", "-f", "json", cwd=example.root)
    assert result.code == 1                                           # fail_on: warning
    assert findings(json.loads(result.out)) == {BLUEPEAK: [("arbitration-seat", "waived", False),
                                                           ("data-export-window", "failed", False)]}
    diff = cli("diff", "--base", "main", cwd=example.root)
    assert f"{BLUEPEAK} (modified)" in diff.out
    assert "~ data_deletion_after: 30d -> 7d" in diff.out
    assert "+ warning  data-export-window: Customer data may be deleted 7d after the contract ends" in diff.out


def test_expired_waiver_fails_the_run(cli, example):
    waivers = example.root / "waivers.yaml"
    waivers.write_text(waivers.read_text(encoding="utf-8").replace("2027-06-30", "2025-06-30"), encoding="utf-8")
    report = json.loads(cli("run", "-f", "json", cwd=example.root).out)
    assert findings(report)[BLUEPEAK] == [("arbitration-seat", "failed", False)]
    assert findings(report)["waivers.yaml"] == [("expired-waiver", "failed", False)]


# -- the composite GitHub Action ----------------------------------------------------------------

def _action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_action_is_a_composite_that_installs_runs_uploads_and_fails_by_exit_code():
    action = _action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/setup-python@")
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs must reach scripts through env, not be pasted in"
    assert set(action["inputs"]) == {"args", "changed-only", "sarif", "upload-sarif", "python-version"}


def _run_action_step(example: Repo, tmp_path: Path, base_ref: str) -> tuple[int, str, str]:
    step = next(step for step in _action()["runs"]["steps"] if step.get("id") == "run")
    output, summary = tmp_path / f"github_output_{base_ref or 'push'}", tmp_path / f"step_summary_{base_ref or 'push'}"
    env = dict(os.environ, ARGS="", SARIF="policycheck.sarif", CHANGED_ONLY="true", BASE_REF=base_ref,
               GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=example.root, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    code = int(output.read_text().strip().split("=", 1)[1])
    return code, done.stdout, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_action_run_step_on_a_pull_request(example, tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    if not (Path(sys.executable).parent / "policycheck").exists():
        pytest.skip("the policycheck console script is not installed beside this Python")
    example.git("update-ref", "refs/remotes/origin/main", "main")     # what actions/checkout fetches
    example.git("checkout", "-q", "-b", "pr")
    path = example.root / BLUEPEAK
    path.write_text(path.read_text(encoding="utf-8").replace("thirty (30) days", "seven (7) days"), encoding="utf-8")
    example.commit("shorter retention")
    code, stdout, summary = _run_action_step(example, tmp_path, base_ref="main")
    assert code == 1
    assert f"file={BLUEPEAK},line=7" in stdout and stdout.startswith("::")
    assert "data-export-window" in summary
    sarif = json.loads((example.root / "policycheck.sarif").read_text(encoding="utf-8"))
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert set(locations) == {BLUEPEAK}
    example.git("checkout", "-q", "main")
    code, _, summary = _run_action_step(example, tmp_path, base_ref="")      # a push to main: every contract
    assert code == 0 and "northwind-hosting.txt" in summary


# -- pre-commit -----------------------------------------------------------------------------------

def test_hook_manifest():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"policycheck", "policycheck-test"}
    assert hooks["policycheck"]["entry"] == "policycheck run" and hooks["policycheck"]["language"] == "python"
    assert hooks["policycheck-test"]["pass_filenames"] is False
    import re
    files = re.compile(hooks["policycheck"]["files"])
    assert all(files.search(p) for p in ("contracts/a.txt", "x/terms.md", "policies/a.policy", "policycheck.yaml"))
    assert not files.search("src/main.py")


def test_pre_commit_try_repo_runs_the_hooks(example, tmp_path):
    """One try-repo call (each installs the hooks into a fresh environment from PyPI): a changed
    contract and a changed policy, so both hooks run."""
    pytest.importorskip("pre_commit")
    hook_repo, rev = _hook_repository(tmp_path)
    example.git("checkout", "-q", "-b", "change")
    path = example.root / BLUEPEAK
    path.write_text(path.read_text(encoding="utf-8").replace("thirty (30) days", "seven (7) days"), encoding="utf-8")
    policy = example.root / "policies" / "china.policy"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    example.git("add", "-A")
    done = _pre_commit(["try-repo", str(hook_repo), "--ref", rev, "--verbose", "--files", BLUEPEAK,
                        "policies/china.policy"],
                       example.root, tmp_path / "pre-commit-home")
    output = done.stdout + done.stderr
    if done.returncode == 3 and ("pip" in output or "network" in output.lower()):
        pytest.skip(f"pre-commit could not install the hook environment (offline?): {output[-400:]}")
    assert done.returncode == 1, output
    lines = output.splitlines()
    assert any(line.startswith("policycheck.") and line.endswith("Failed") for line in lines), output
    assert any(line.startswith("policycheck test") and line.endswith("Passed") for line in lines), output
    # the changed contract, plus every contract the changed china.policy applies to
    assert f"{BLUEPEAK} (en): 1 warning, 1 waived" in output
    assert "Customer data may be deleted 7d after the contract ends" in output
    assert "Checked 2 contracts against 4 rules" in output
    assert "7 passed, 0 failed" in output

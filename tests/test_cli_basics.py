"""End-to-end behaviour of the command line: exit codes, messages, installed resources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, POLICIES

EN_EXAMPLE = EXAMPLES / "contracts" / "cloudnote-saas-terms.txt"
ZH_EXAMPLE = EXAMPLES / "contracts" / "yunduan-service-agreement.txt"


def test_exit_1_when_an_error_finding(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE)
    assert result.code == 1
    assert "expected arbitration_venue in CN, found arbitration_venue = US-NY" in result.out
    assert '17:57  "seat of arbitration shall be New York"' in result.out


def test_exit_0_when_only_warnings(cli):
    result = cli("run", POLICIES / "design-card.policy", ZH_EXAMPLE)
    assert result.code == 0, result
    assert "flagged: data_deletion_after < 90d (found data_deletion_after = 60d)" in result.out


def test_fail_on_warning(cli):
    assert cli("run", POLICIES / "design-card.policy", ZH_EXAMPLE, "--fail-on", "warning").code == 1
    assert cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "--fail-on", "never").code == 0


def test_unreadable_contract_is_reported_and_others_still_checked(cli, tmp_path):
    report_path = tmp_path / "report.json"
    result = cli("run", POLICIES / "design-card.policy", tmp_path / "nope.txt", ZH_EXAMPLE,
                 "-f", f"json:{report_path}")
    assert result.code == 2
    assert "nope.txt: no such file" in result.err
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert [d["path"].rsplit("/", 1)[-1] for d in report["documents"]] == [ZH_EXAMPLE.name]
    assert report["errors"][0]["message"] == "no such file"


def test_policy_syntax_error_exit_2_with_caret(cli, tmp_path):
    policy = tmp_path / "bad.policy"
    policy.write_text("require arbitration_venue CN\n", encoding="utf-8")
    result = cli("run", policy, ZH_EXAMPLE)
    assert result.code == 2
    assert result.err.splitlines()[:4] == [
        f"{policy}:1:27: missing operator between arbitration_venue and CN",
        "    require arbitration_venue CN",
        "                              ^",
        "    write FACT OP VALUE (OP: < <= > >= == !=), FACT in [..], FACT is present / is missing",
    ]
    assert "Traceback" not in result.err


def test_unknown_fact_suggests(cli, tmp_path):
    policy = tmp_path / "typo.policy"
    policy.write_text("flag data_deletion_afterr < 90d\n", encoding="utf-8")
    result = cli("validate", policy)
    assert result.code == 2
    assert "unknown fact data_deletion_afterr" in result.err
    assert "did you mean data_deletion_after?" in result.err


def test_json_report_shape(cli):
    result = cli("run", POLICIES / "design-card.policy", EN_EXAMPLE, "-f", "json")
    report = json.loads(result.out)
    assert report["schema"] == "policycheck/report/v1"
    finding = report["documents"][0]["findings"][0]
    assert set(finding) >= {"rule", "verb", "severity", "status", "message", "facts", "evidence", "policy"}
    assert finding["policy"] == {"path": str(POLICIES / "design-card.policy"), "line": 3}
    assert finding["evidence"][0] == {"line": 17, "column": 57, "end_line": 17, "end_column": 93,
                                      "text": "seat of arbitration shall be New York"}


def test_installed_command_runs_outside_checkout(tmp_path):
    """The console script finds its grammar and data wherever it runs from."""
    beside_python = Path(sys.executable).parent / "policycheck"
    executable = str(beside_python) if beside_python.exists() else shutil.which("policycheck")
    assert executable, "the policycheck console script is not installed"
    shutil.copy(POLICIES / "design-card.policy", tmp_path / "p.policy")
    shutil.copy(ZH_EXAMPLE, tmp_path / "c.txt")
    env = dict(os.environ, NO_COLOR="1")
    completed = subprocess.run([executable, "run", "p.policy", "c.txt"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "c.txt (zh)" in completed.stdout
    module = subprocess.run([sys.executable, "-m", "policycheck", "--version"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert module.returncode == 0 and "policycheck" in module.stdout

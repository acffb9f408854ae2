"""Waivers (reported as waived, expired = error, unused = warning, reason required), the
baseline (content fingerprints on a real git history) and .policycheckignore."""

from __future__ import annotations

import json

import pytest

from workflow_repo import LONDON_TERMS, VENUE_RULE_PREFIX, signed_repo, terms, venue_rule


@pytest.fixture
def repo(tmp_path):
    return signed_repo(tmp_path / "repo")


def waivers_file(repo, rule: str, *, expires: str = "2999-12-31", contract: str = "contracts/legacy/*.txt",
                 reason: str | None = "Signed before the 2026 playbook; renegotiate at renewal") -> None:
    lines = ["waivers:", f"  - rule: {rule}", f"    contract: {contract}"]
    if reason is not None:
        lines.append(f'    reason: "{reason}"')
    lines += ['    approved_by: "Legal (M. Okafor)"', f"    expires: {expires}"]
    repo.write("waivers.yaml", "\n".join(lines) + "\n")


def test_waived_finding_is_reported_as_waived_and_does_not_fail(cli, repo):
    waivers_file(repo, venue_rule(cli, repo))
    result = cli("run", "--waivers", "waivers.yaml", "-f", "text", "-f", "json:report.json", cwd=repo.root)
    assert result.code == 0, result
    assert "contracts/legacy/london.txt (en): 1 warning, 1 waived" in result.out
    assert "waived by Legal (M. Okafor) until 2999-12-31: Signed before the 2026 playbook; renegotiate at " \
           "renewal" in result.out
    report = json.loads((repo.root / "report.json").read_text())
    finding = [f for d in report["documents"] for f in d["findings"] if f["rule"].startswith(VENUE_RULE_PREFIX)][0]
    assert finding["status"] == "waived"
    assert finding["waiver"] == {"reason": "Signed before the 2026 playbook; renegotiate at renewal",
                                 "approved_by": "Legal (M. Okafor)", "expires": "2999-12-31",
                                 "source": "waivers.yaml:2"}
    assert report["summary"]["by_status"]["waived"] == 1


def test_waivers_from_config_and_rule_globs(cli, repo):
    waivers_file(repo, "base.require-*")
    repo.write("policycheck.yaml", (repo.root / "policycheck.yaml").read_text() + "waivers: waivers.yaml\n")
    assert cli("run", cwd=repo.root).code == 0


def test_expired_waiver_is_an_error_and_waives_nothing(cli, repo):
    waivers_file(repo, venue_rule(cli, repo), expires="2020-01-31")
    report = json.loads(cli("run", "--waivers", "waivers.yaml", "-f", "json", cwd=repo.root).out)
    statuses = [f["status"] for d in report["documents"] for f in d["findings"] if f["rule"].startswith(VENUE_RULE_PREFIX)]
    assert statuses == ["failed"]
    waiver_doc = report["documents"][-1]
    assert waiver_doc["path"] == "waivers.yaml"
    [finding] = waiver_doc["findings"]
    assert finding["rule"] == "expired-waiver" and finding["severity"] == "error"
    assert "expired on 2020-01-31" in finding["message"]
    assert finding["evidence"] == [{"line": 6, "column": 5, "end_line": 6, "end_column": 23,
                                    "text": "expires: 2020-01-31"}]


def test_unused_waiver_is_a_warning(cli, repo):
    # cn.txt keeps data 90 days: the deletion rule does not fire there, so the waiver waives nothing
    waivers_file(repo, "base.flag-data_deletion_after-*", contract="contracts/cn.txt")
    result = cli("run", "--waivers", "waivers.yaml", "-f", "json", cwd=repo.root)
    findings = json.loads(result.out)["documents"][-1]["findings"]
    assert [(f["rule"], f["severity"], f["evidence"][0]["line"]) for f in findings] == [("unused-waiver", "warning", 2)]


def test_unused_waiver_for_contracts_outside_a_partial_run_is_not_reported(cli, repo):
    waivers_file(repo, "base.flag-data_deletion_after-*")
    result = cli("run", "contracts/cn.txt", "--waivers", "waivers.yaml", "-f", "json", cwd=repo.root)
    assert [d["path"] for d in json.loads(result.out)["documents"]] == ["contracts/cn.txt"]


@pytest.mark.parametrize("change, message", [
    (dict(reason=None), "waivers.yaml:2:5: waiver 1 has no reason: every waiver must say why"),
    (dict(reason=" "), "waivers.yaml:2:5: waiver 1 has no reason"),
    (dict(expires="next year"), "waivers.yaml:6:5: 'expires' must be a date written YYYY-MM-DD"),
    (dict(contract="contracts/[x"), "waivers.yaml:3:5: bad glob in 'contract' of waiver 1"),
])
def test_bad_waiver_is_a_config_error(cli, repo, change, message):
    waivers_file(repo, "some-rule", **change)
    result = cli("run", "--waivers", "waivers.yaml", cwd=repo.root)
    assert result.code == 2, result
    assert result.err.startswith(f"policycheck: {message}"), result.err
    assert result.out == ""


def test_unknown_waiver_key(cli, repo):
    repo.write("waivers.yaml", "- rule: x\n  contract: a.txt\n  reason: r\n  approver: me\n")
    result = cli("run", "--waivers", "waivers.yaml", cwd=repo.root)
    assert result.code == 2 and "waivers.yaml:4:3: unknown key 'approver' in waiver 1" in result.err


# -- baseline ---------------------------------------------------------------------------------

def test_baseline_accepts_existing_findings_and_survives_moves_and_reflow(cli, repo):
    repo.write("policycheck.yaml", (repo.root / "policycheck.yaml").read_text() + "baseline: .policycheck-baseline.json\n")
    assert cli("run", cwd=repo.root).code == 2       # configured baseline missing: a clear error first
    result = cli("run", "--update-baseline", cwd=repo.root)
    assert result.code == 0, result
    assert "wrote 2 findings to the baseline .policycheck-baseline.json" in result.err
    data = json.loads((repo.root / ".policycheck-baseline.json").read_text())
    assert data["schema"] == "policycheck/baseline/v1"
    assert [e["contract"] for e in data["findings"]] == ["contracts/legacy/london.txt"] * 2
    repo.commit("baseline")

    # Move the clauses down and reflow the deletion sentence over two lines: nothing is new.
    moved = terms(**LONDON_TERMS).replace("1. Data\n", "0. Definitions\n0.1 Words have their usual meaning.\n\n1. Data\n")
    moved = moved.replace("ten (10) days after termination", "ten (10) days after\n    termination")
    repo.write("contracts/legacy/london.txt", moved)
    repo.commit("reflow")
    result = cli("run", "-f", "json", cwd=repo.root)
    assert result.code == 0, result
    report = json.loads(result.out)
    assert report["summary"]["baselined"] == 2
    assert all(f.get("baseline") for d in report["documents"] for f in d["findings"])
    deletion = [f for d in report["documents"] for f in d["findings"] if "data_deletion_after" in f["facts"]][0]
    assert (deletion["evidence"][0]["line"], deletion["evidence"][0]["end_line"]) == (7, 8)   # was line 4

    # A new value is a new finding; the venue finding stays baselined.
    repo.write("contracts/legacy/london.txt", moved.replace("seat of arbitration shall be London",
                                                            "seat of arbitration shall be Paris"))
    repo.commit("move the seat")
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    fresh = [f["rule"] for d in report["documents"] for f in d["findings"] if not f.get("baseline")]
    assert len(fresh) == 1 and fresh[0].startswith(VENUE_RULE_PREFIX)
    assert cli("run", cwd=repo.root).code == 1
    # The same clause copied into another contract is new there.
    repo.write("contracts/copy.txt", terms(**LONDON_TERMS))
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    copy = [d for d in report["documents"] if d["path"] == "contracts/copy.txt"][0]
    assert copy["findings"] and not any(f.get("baseline") for f in copy["findings"])


def test_partial_update_keeps_entries_of_unchecked_contracts(cli, repo):
    cli("run", "--baseline", "b.json", "--update-baseline", cwd=repo.root)
    repo.write("contracts/cn.txt", terms(days="ten (10)"))
    result = cli("run", "contracts/cn.txt", "--baseline", "b.json", "--update-baseline", cwd=repo.root)
    assert result.code == 0
    contracts = [e["contract"] for e in json.loads((repo.root / "b.json").read_text())["findings"]]
    assert contracts == ["contracts/cn.txt", "contracts/legacy/london.txt", "contracts/legacy/london.txt"]


def test_broken_baseline_is_a_config_error(cli, repo):
    repo.write("b.json", "{not json")
    result = cli("run", "--baseline", "b.json", cwd=repo.root)
    assert result.code == 2 and "b.json:1:2: baseline file is not valid JSON" in result.err
    repo.write("b.json", '{"findings": []}')
    assert "not a policycheck baseline" in cli("run", "--baseline", "b.json", cwd=repo.root).err
    result = cli("run", "--update-baseline", cwd=repo.root)
    assert result.code == 2 and "--update-baseline needs --baseline" in result.err


# -- .policycheckignore -----------------------------------------------------------------------

def test_policycheckignore(cli, repo):
    repo.write("contracts/drafts/wip.txt", terms(**LONDON_TERMS))
    repo.write("contracts/old.bak.txt", terms(**LONDON_TERMS))
    repo.write("contracts/keep.bak.txt", terms())
    repo.write(".policycheckignore", "# work in progress\ndrafts/\n*.bak.txt\n!keep.bak.txt\n")
    paths = [d["path"] for d in json.loads(cli("run", "-f", "json", cwd=repo.root).out)["documents"]]
    assert paths == ["contracts/cn.txt", "contracts/keep.bak.txt", "contracts/legacy/london.txt"]
    # a file named on the command line (as a pre-commit hook does) obeys it too
    result = cli("run", "contracts/drafts/wip.txt", cwd=repo.root)
    assert result.code == 0 and "nothing to check: no contract among the files given" in result.err
    assert "skipped 1 file ignored by .policycheckignore (-v names them)" in result.err


def test_policycheckignore_without_config(cli, repo):
    (repo.root / "policycheck.yaml").unlink()
    repo.write(".policycheckignore", "legacy/\n")
    paths = [d["path"] for d in json.loads(cli("run", "policies/", "contracts/", "-f", "json", cwd=repo.root).out)["documents"]]
    assert paths == ["contracts/cn.txt"]

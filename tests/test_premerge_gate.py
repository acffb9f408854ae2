"""The pre-merge gate cannot be switched off by accident: eight ways a bad contract used to get
through, or a user got stuck, each checked end to end (the pre-commit cases with the real
pre-commit framework in a temporary git repository)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from office_files import make_docx
from precommit_repo import git_commit, hook_repository, offline, pre_commit
from workflow_repo import LONDON_TERMS, VENUE_RULE_PREFIX, make_repo, signed_repo, terms, venue_rule


@pytest.fixture
def repo(tmp_path):
    return signed_repo(tmp_path / "repo")


def write_waiver(repo, rule: str, expires: str) -> None:
    repo.write("waivers.yaml", f"- rule: {rule}\n  contract: contracts/legacy/*.txt\n"
                               f"  reason: Signed before the current playbook\n  expires: {expires}\n")


# -- 1. a contracts glob or a path that selects nothing is exit 2 ---------------------------------

@pytest.mark.parametrize("config, args, message", [
    ('contracts: ["contract/**/*.txt"]', (),
     "policycheck.yaml:2:13: the contracts glob 'contract/**/*.txt' selects no contract"),
    # a hook passing a changed contract meets the mistyped glob too
    ('contracts: ["contract/**/*.txt"]', ("contracts/cn.txt",),
     "policycheck.yaml:2:13: the contracts glob 'contract/**/*.txt' selects no contract"),
    ('contracts: ["contracts/**/*.txt", "agreements/**/*.txt"]', (),
     "policycheck.yaml:2:35: the contracts glob 'agreements/**/*.txt' selects no contract"),
    ('contracts: ["contracts/**/*.txt"]', ("contracts/empty/",),
     "contracts/empty/ selects no contract (only 1 file policycheck cannot read"),
], ids=["typo-full-run", "typo-hook-run", "one-glob-of-two", "directory-of-unreadable-files"])
def test_empty_selection_is_an_error_naming_it(cli, repo, config, args, message):
    repo.write("policycheck.yaml", f"policies: [policies/base.policy]\n{config}\n")
    repo.write("contracts/empty/notes.rtf", "{\\rtf1 not a contract policycheck reads}")
    result = cli("run", *args, cwd=repo.root)
    assert result.code == 2, result
    assert message in result.err, result.err
    assert "Result: passed" not in result.out


def test_allow_empty_is_the_way_to_mean_it(cli, repo):
    repo.write("policycheck.yaml", 'policies: [policies/base.policy]\ncontracts: ["contract/**/*.txt"]\n')
    refused = cli("run", cwd=repo.root)
    assert "its folder contract/ does not exist; did you mean contracts/?" in refused.err
    result = cli("run", "--allow-empty", cwd=repo.root)
    assert result.code == 0 and "no contracts to check" in result.err, result


def test_a_glob_waiting_for_its_first_file_beside_a_matching_one_is_fine(cli, repo):
    # contracts/**/*.md selects nothing yet, but contracts/**/*.txt over the same folder does
    repo.write("policycheck.yaml", 'policies: [policies/base.policy]\n'
                                   'contracts: ["contracts/**/*.txt", "contracts/**/*.md"]\n')
    assert cli("run", cwd=repo.root).code == 1


# -- 2. a change to waivers, baseline, extractors or .policycheckignore re-checks the contracts ---

def test_run_given_only_the_changed_waivers_file_rechecks_and_fails(cli, repo):
    rule = venue_rule(cli, repo)
    write_waiver(repo, rule, "2020-01-31")
    repo.write("policycheck.yaml", (repo.root / "policycheck.yaml").read_text() + "waivers: waivers.yaml\n")
    result = cli("run", "waivers.yaml", cwd=repo.root)      # what a hook passes
    assert result.code == 1, result
    assert "expired on 2020-01-31" in result.out
    assert "Checked 2 contracts" in result.out


def test_changed_ignore_file_rechecks_every_contract(cli, repo):
    repo.write(".policycheckignore", "drafts/\n")
    result = cli("run", ".policycheckignore", "-f", "json", cwd=repo.root)
    paths = [d["path"] for d in json.loads(result.out)["documents"]]
    assert paths == ["contracts/cn.txt", "contracts/legacy/london.txt"], result


def test_without_globs_a_hook_passing_other_yaml_reads_no_contract_from_it(cli, repo):
    repo.write("policycheck.yaml", "policies: [policies/base.policy]\n")
    repo.write(".github/workflows/build.yml", "on: push\n")
    result = cli("run", "-v", ".github/workflows/build.yml", "contracts/cn.txt", cwd=repo.root)
    assert result.code == 0, result
    assert "skipped .github/workflows/build.yml: not a contract file" in result.err
    assert "Checked 1 contract" in result.out


@pytest.mark.parametrize("hooks_from", ["published", "init"])
def test_commit_changing_only_the_waivers_file_is_refused(cli, repo, tmp_path, hooks_from, hook_env):
    rule = venue_rule(cli, repo)
    write_waiver(repo, rule, "2999-12-31")
    repo.write("policycheck.yaml", (repo.root / "policycheck.yaml").read_text() + "waivers: waivers.yaml\n")
    if hooks_from == "published":
        hook_repo, rev, home = hook_env
        repo.write(".pre-commit-config.yaml", f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n"
                                              "    hooks:\n      - id: policycheck\n")
    else:
        home = tmp_path / "pre-commit-home"
        assert cli("init", cwd=repo.root).code == 0       # keeps policycheck.yaml, writes the hooks
        (repo.root / "policies" / "contract-policy.policy").unlink()
        (repo.root / "policies" / "contract-policy.tests.yaml").unlink()
    installed = pre_commit(["install"], repo.root, home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    repo.git("add", "-A")
    first = git_commit(repo.root, "waive the London seat until renegotiation", home)
    assert first.returncode == 0, first.stdout + first.stderr
    head = repo.git("rev-parse", "HEAD")

    write_waiver(repo, rule, "2020-01-31")           # the expiry set in the past
    repo.git("add", "waivers.yaml")
    refused = git_commit(repo.root, "only the waivers change", home)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "no files to check" not in output.lower()
    assert "expired on 2020-01-31" in output
    assert repo.git("rev-parse", "HEAD") == head


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory):
    """The published hooks installed once by pre-commit (from PyPI) for every test of this module."""
    pytest.importorskip("pre_commit")
    base = tmp_path_factory.mktemp("published-hooks")
    hook_repo, rev = hook_repository(base)
    home = base / "pre-commit-home"
    probe = make_repo(base / "probe")
    probe.write(".pre-commit-config.yaml", f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n"
                                           "    hooks:\n      - id: policycheck\n")
    done = pre_commit(["install-hooks"], probe.root, home)
    if offline(done):
        pytest.skip(f"pre-commit could not install the hook environment (offline?): {done.stderr[-400:]}")
    assert done.returncode == 0, done.stdout + done.stderr
    return hook_repo, rev, home


# -- 3. office contracts in the published hook's own environment ---------------------------------

def test_published_hook_reads_a_docx_contract(repo, hook_env):
    pytest.importorskip("docx")
    hook_repo, rev, home = hook_env
    repo.write("policycheck.yaml", 'policies: [policies/base.policy]\ncontracts: ["contracts/"]\n')
    repo.write(".pre-commit-config.yaml", f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n"
                                          "    hooks:\n      - id: policycheck\n")
    make_docx(repo.root / "contracts" / "vendor.docx", terms(**LONDON_TERMS).splitlines())
    repo.git("add", "-A")
    done = pre_commit(["run", "--files", "contracts/vendor.docx"], repo.root, home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "pip install" not in output
    assert "contracts/vendor.docx (en): 1 error, 1 warning" in output
    assert "found arbitration_venue = GB-ENG" in output


def test_published_hook_manifest_installs_the_office_readers():
    from conftest import REPO

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    requirements = " ".join(hooks["policycheck"]["additional_dependencies"])
    assert "python-docx" in requirements and "pypdf" in requirements


# -- 4. shipped packs by name, wherever policycheck is installed ---------------------------------

def test_pack_by_name_on_the_command_line(cli, tmp_path):
    (tmp_path / "vendor.txt").write_text("The Service is available 99.5% of the time in each month.\n",
                                         encoding="utf-8")
    result = cli("run", "pack:saas-baseline", "vendor.txt", "-f", "json", cwd=tmp_path)
    rules = {f["rule"] for d in json.loads(result.out)["documents"] for f in d["findings"]}
    assert "saas.uptime" in rules, result
    misspelt = cli("run", "pack:saas-basline", "vendor.txt", cwd=tmp_path)
    assert misspelt.code == 2 and "did you mean pack:saas-baseline?" in misspelt.err


def test_pack_by_name_in_the_config(cli, repo):
    repo.write("policycheck.yaml", 'policies: [pack:china, policies/]\ncontracts: ["contracts/"]\n')
    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    london = next(d for d in report["documents"] if d["path"].endswith("london.txt"))
    rules = {f["rule"] for f in london["findings"]}
    assert "china.arbitration-seat" in rules and any(r.startswith(VENUE_RULE_PREFIX) for r in rules)
    repo.write("policycheck.yaml", 'policies: [pack:chna]\ncontracts: ["contracts/"]\n')
    result = cli("run", cwd=repo.root)
    assert result.code == 2 and "policycheck.yaml:1:12: 'policies': no shipped policy pack named 'chna'" \
        in result.err and "did you mean pack:china?" in result.err


def test_packs_are_listed_and_explained_outside_a_checkout(cli, tmp_path):
    listed = cli("packs", cwd=tmp_path)
    assert listed.code == 0
    lines = {line.split()[0]: line for line in listed.out.splitlines()}
    assert set(lines) >= {"pack:saas-baseline", "pack:china", "pack:consumer-fairness", "pack:data-protection"}
    assert "SaaS baseline: what a customer's reviewer checks first" in lines["pack:saas-baseline"]
    from policycheck.packs import pack_path
    from policycheck.policy.loader import load_policies
    count = len(load_policies([pack_path("china")])[0].rules)
    assert f" {count} rules " in lines["pack:china"]
    explained = cli("explain", "saas.uptime", cwd=tmp_path)
    assert explained.code == 0 and "require uptime_commitment >= 99.9%" in explained.out


# -- 5. init: a starter policy that can fail a commit; the hooks for an existing config -----------

def test_init_starter_policy_fails_a_bad_contract_with_default_settings(cli, tmp_path):
    repo = make_repo(tmp_path / "fresh")
    (repo.root / "policycheck.yaml").unlink()
    (repo.root / "policies" / "base.policy").unlink()
    assert cli("init", cwd=repo.root).code == 0
    assert cli("test", "--min-coverage", "100", cwd=repo.root).code == 0
    repo.write("contracts/vendor.txt", terms(days="seven (7)"))
    result = cli("run", cwd=repo.root)                  # fail_on: error, as init writes it
    assert result.code == 1, result
    assert "contracts/vendor.txt (en): 1 error" in result.out
    assert "Customer data may be deleted 7d after the contract ends" in result.out
    cases = yaml.safe_load((repo.root / "policies" / "contract-policy.tests.yaml").read_text())["cases"]
    severities = [case["expect"]["data-deletion-period"] for case in cases]
    assert "passes" in severities and {"fires": "failed", "severity": "error",
                                       "message": "deleted 7d after"} in severities


def test_init_shows_the_hooks_to_add_to_an_existing_pre_commit_config(cli, tmp_path):
    existing = "repos:\n  - repo: https://example.com/other-hooks\n    rev: v1\n    hooks: [{id: lint}]\n"
    (tmp_path / ".pre-commit-config.yaml").write_text(existing, encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == existing
    snippet = result.out[result.out.index("  - repo: local"):]
    hooks = yaml.safe_load(snippet)[0]["hooks"]
    assert [hook["id"] for hook in hooks] == ["policycheck", "policycheck-test"]
    written = yaml.safe_load(Path(tmp_path / "policycheck.yaml").read_text())
    assert written["contracts"] == ["contracts/"]


# -- 6. misspelt rule ids in waivers and the baseline; the summary counts contracts ---------------

def test_misspelt_waiver_rule_is_an_error_with_the_closest_id(cli, repo):
    rule = venue_rule(cli, repo)
    write_waiver(repo, rule.replace("arbitration_venue", "arbitraton_venue"), "2999-12-31")
    result = cli("run", "--waivers", "waivers.yaml", cwd=repo.root)
    assert result.code == 2, result
    assert f"waivers.yaml:1:3: waiver 1 names the rule '{rule.replace('arbitration_venue', 'arbitraton_venue')}'" \
           in result.err
    assert f"did you mean {rule}?" in result.err


def test_misspelt_baseline_rule_is_an_error_with_the_closest_id(cli, repo):
    assert cli("run", "--baseline", "baseline.json", "--update-baseline", cwd=repo.root).code == 0
    path = repo.root / "baseline.json"
    rule = venue_rule(cli, repo)
    path.write_text(path.read_text().replace(rule, "base.require-arbitration-venue"), encoding="utf-8")
    result = cli("run", "--baseline", "baseline.json", cwd=repo.root)
    assert result.code == 2, result
    assert "names the rule 'base.require-arbitration-venue', which no loaded policy has" in result.err
    assert f"did you mean {rule}?" in result.err


def test_the_waivers_file_is_not_counted_as_a_contract(cli, repo):
    write_waiver(repo, venue_rule(cli, repo), "2020-01-31")
    result = cli("run", "--waivers", "waivers.yaml", "-f", "text", "-f", "json:report.json", cwd=repo.root)
    assert "waivers.yaml: 1 error" in result.out
    assert "Checked 2 contracts against 2 rules" in result.out, result.out
    assert json.loads((repo.root / "report.json").read_text())["summary"]["documents"] == 2


# -- 7. formats policycheck cannot read are named, never read as text ----------------------------

UNSUPPORTED = [
    ("terms.rtf", b"{\\rtf1\\ansi The Provider may delete data at any time.}", ".rtf"),
    ("terms.html", b"<html><body><p>The Provider may delete data at any time.</p></body></html>", ".html"),
    ("terms.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), ".doc"),
    ("terms.odt", b"PK\x03\x04" + bytes(64), ".odt"),
]


@pytest.mark.parametrize("name, data, suffix", UNSUPPORTED, ids=[case[0] for case in UNSUPPORTED])
def test_unsupported_format_named_on_the_command_line(cli, tmp_path, name, data, suffix):
    (tmp_path / "base.policy").write_text("require arbitration_venue in CN\n", encoding="utf-8")
    (tmp_path / "london.txt").write_text(terms(**LONDON_TERMS), encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    result = cli("run", "base.policy", name, "london.txt", cwd=tmp_path)
    assert result.code == 2, result
    assert f"policycheck: {name}: is in an unsupported format ({suffix}); convert it to .txt, .md, .docx, .pdf" \
        in result.err
    # the other contract is still checked and reported
    assert "london.txt (en): 1 error" in result.out and "Checked 1 contract" in result.out
    facts = cli("facts", name, cwd=tmp_path)
    assert facts.code == 2 and f"is in an unsupported format ({suffix})" in facts.err


def test_directory_scan_names_what_it_skipped(cli, repo):
    for name, data, _ in UNSUPPORTED:
        (repo.root / "contracts" / name).write_bytes(data)
    repo.write("policycheck.yaml", 'policies: [policies/base.policy]\ncontracts: ["contracts/"]\n')
    result = cli("run", cwd=repo.root)
    assert result.code == 1, result                    # the London seat; nothing unreadable was read
    for name, _, suffix in UNSUPPORTED:
        assert f"policycheck: skipped contracts/{name}: it is in an unsupported format ({suffix})" in result.err
    assert "Checked 2 contracts" in result.out


# -- 8. standard input, the fetch hint, skipped files named ---------------------------------------

def _policycheck(args: list[str], cwd: Path, stdin: bytes) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "policycheck", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300, env=env)


def test_contract_from_standard_input(repo):
    text = terms(**LONDON_TERMS).encode("utf-8")
    done = _policycheck(["run", "-", "-f", "json", "--no-cache"], repo.root, text)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)["documents"][0]
    assert document["path"] == "<stdin>"
    assert {f["facts"].get("arbitration_venue", [None])[0] for f in document["findings"]} >= {"GB-ENG"}
    # named, it stands where '-' was given among the contracts
    named = _policycheck(["run", "contracts/cn.txt", "--stdin-name", "contracts/legacy/new.txt", "-",
                          "contracts/legacy/london.txt", "-f", "json"], repo.root, text)
    paths = [d["path"] for d in json.loads(named.stdout)["documents"]]
    assert paths == ["contracts/cn.txt", "contracts/legacy/new.txt", "contracts/legacy/london.txt"], named.stderr
    empty = _policycheck(["run", "-"], repo.root, b"")
    assert empty.returncode == 2 and b"<stdin>: is empty" in empty.stderr


def test_fetch_hint_for_a_remote_branch(cli, repo, tmp_path):
    repo.git("remote", "add", "origin", str(tmp_path / "nowhere.git"))
    result = cli("run", "--changed-since", "origin/main", cwd=repo.root)
    assert result.code == 2
    assert "unknown git revision 'origin/main'" in result.err
    assert "fetch it first: git fetch origin main" in result.err
    assert "git fetch origin origin/main" not in result.err


def test_skipped_files_are_named_with_verbose(cli, repo):
    repo.write("notes/meeting.txt", terms())
    quiet = cli("run", "notes/meeting.txt", "contracts/cn.txt", cwd=repo.root)
    assert "skipped 1 file outside the contracts of policycheck.yaml (-v names them)" in quiet.err
    named = cli("run", "-v", "notes/meeting.txt", "contracts/cn.txt", cwd=repo.root)
    assert "policycheck: skipped notes/meeting.txt: outside the contracts of policycheck.yaml" in named.err

"""The files ``policycheck init`` writes into a contract repository.

Every file is written only when absent: init never overwrites, so running it again (or in a
repository that already has some of these files) is safe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

CONFIG = """\
# policycheck configuration. Paths and globs are relative to this file.
policies: [policies/]
# Every .txt, .md, .docx and .pdf file below {contracts}/ (a glob that selects no contract
# is an error, so a typo cannot switch the check off; .doc, .odt, .rtf and .html files there
# are named as unsupported).
contracts: ["{contracts}/"]
fail_on: error
# formats: [text, "sarif:policycheck.sarif"]
# overrides:                       # extra policies for some contracts
#   - paths: ["{contracts}/china/**"]
#     policies: [policies/china.policy]
# waivers: waivers.yaml            # reviewed exceptions: rule, contract, reason, approved_by, expires
# baseline: .policycheck-baseline.json   # create with: policycheck run --update-baseline
# extractors: [facts/]             # your own facts and extraction patterns (YAML)
"""

STARTER_POLICY = """\
# The contract policy of this repository. Check it with `policycheck validate policies/`,
# test it with `policycheck test`, and see what a rule means with `policycheck explain RULE_ID`.
policy "Contract policy" version "1"

# An error fails the commit and the pull request (fail_on: error in policycheck.yaml).
rule data-deletion-period "Customer data survives the end of the contract long enough to export it" {
    forbid data_deletion_after < 30d
    severity error
    message "Customer data may be deleted {data_deletion_after} after the contract ends; we need at least 30 days"
    tags [data]
}

rule governing-law-named "The contract names the law that governs it" {
    require governing_law is present
    severity warning
    message "No governing law found; say which law governs the contract"
    tags [disputes]
}
"""

STARTER_TESTS = """\
# Tests for contract-policy.policy: run with `policycheck test`.
cases:
  - name: deletion 90 days after the end, English law
    facts:
      data_deletion_after: 90d
      governing_law: GB-EAW
    expect:
      data-deletion-period: passes
      governing-law-named: passes

  - name: deletion a week after termination, no governing law
    facts:
      data_deletion_after: 7d
    expect:
      data-deletion-period: {fires: failed, severity: error, message: "deleted 7d after"}
      governing-law-named: {fires: failed, severity: warning, message: "No governing law found"}

  - name: the same, from contract text
    text: |
      The Provider will delete Customer Data seven (7) days after termination of this agreement.
      This agreement is governed by the laws of England and Wales.
    expect:
      data-deletion-period: fires
      governing-law-named: passes
"""

# What the hooks look at: contracts in every format policycheck reads or names as unsupported,
# policies and their tests, and every other input of a run (policycheck.yaml, waivers,
# baseline, extractor files, .policycheckignore). policycheck itself decides which of the files
# passed are contracts (the 'contracts:' globs) and which contracts a changed input re-checks.
HOOK_FILES = r"(\.(txt|md|docx|pdf|doc|odt|rtf|html?|policy|ya?ml|json)|(^|/)\.policycheckignore)$"
TEST_HOOK_FILES = r"\.(policy|ya?ml)$"

PRE_COMMIT_HOOKS = """\
  - repo: local
    hooks:
      - id: policycheck
        name: policycheck (contracts)
        entry: policycheck run
        language: system
        files: {files}
        require_serial: true
      - id: policycheck-test
        name: policycheck test (policies)
        entry: policycheck test
        language: system
        files: {test_files}
        pass_filenames: false
""".format(files=HOOK_FILES, test_files=TEST_HOOK_FILES)

PRE_COMMIT_CONFIG = """\
# pre-commit hooks (https://pre-commit.com): `pre-commit install`, then every commit that
# touches a contract, a policy, its tests, policycheck.yaml, the waivers, the baseline, an
# extractor file or .policycheckignore is checked. These hooks use the policycheck installed
# in your environment; to let pre-commit install it, use the hooks of the policycheck
# repository instead (repo: <its URL>, rev: <a tag>, hooks: policycheck, policycheck-test).
repos:
""" + PRE_COMMIT_HOOKS

WORKFLOW = """\
# Checks the contracts of every pull request with policycheck: findings as annotations and a
# job summary, SARIF for code scanning. On pull requests only changed contracts (and contracts
# whose policies changed) are checked; on the main branch, all of them.
name: policycheck

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  security-events: write    # upload SARIF to code scanning

jobs:
  policycheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0    # --changed-since needs the merge base with the target branch
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install policycheck
        run: python -m pip install "{install}"
      - name: Policy tests
        run: policycheck test
      - name: Check contracts
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: |
          changed=()
          if [ -n "$BASE_REF" ]; then changed=(--changed-since "origin/$BASE_REF"); fi
          policycheck run "${{changed[@]}}" -f github -f sarif:policycheck.sarif
      - name: Upload SARIF
        if: always() && hashFiles('policycheck.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: policycheck.sarif
          category: policycheck
"""


@dataclass(frozen=True)
class Planned:
    path: str           # relative to the target directory
    text: str


def planned_files(contracts_dir: str, install: str) -> list[Planned]:
    contracts = contracts_dir.strip("/") or "contracts"
    return [
        Planned("policycheck.yaml", CONFIG.format(contracts=contracts)),
        Planned("policies/contract-policy.policy", STARTER_POLICY),
        Planned("policies/contract-policy.tests.yaml", STARTER_TESTS),
        Planned(".pre-commit-config.yaml", PRE_COMMIT_CONFIG),
        Planned(".github/workflows/policycheck.yml", WORKFLOW.format(install=install)),
    ]


def write_missing(directory: str, files: list[Planned]) -> list[tuple[str, bool]]:
    """Write each file that does not exist yet; return (path, written) for every file."""
    results = []
    for item in files:
        target = os.path.join(directory, item.path)
        if os.path.lexists(target):
            results.append((item.path, False))
            continue
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        # "x" mode: never replace a file that appeared in the meantime
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(item.text)
        results.append((item.path, True))
    return results

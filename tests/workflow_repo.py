"""A small contract repository in a temporary directory, driven with the real ``git``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}

# Original contract text written for these tests. {days}, {law} and {seat} vary per contract.
TERMS = """Harbor Storage Terms

1. Data
1.1 Provider will delete Customer Data {days} days after termination of this agreement.

2. Disputes
2.1 This agreement is governed by the laws of {law}.
2.2 Disputes shall be finally resolved by arbitration. The seat of arbitration shall be {seat}.
"""

CN_TERMS = dict(days="ninety (90)", law="the People's Republic of China", seat="Beijing")
LONDON_TERMS = dict(days="ten (10)", law="England and Wales", seat="London")

BASE_POLICY = "require arbitration_venue in CN\nflag data_deletion_after < 90d\n"
CONFIG = """policies: [policies/base.policy]
contracts: ["contracts/**/*.txt", "contracts/**/*.md"]
"""


def terms(**values: str) -> str:
    return TERMS.format(**{**CN_TERMS, **values})


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def make_repo(root: Path, *, config: str = CONFIG) -> Repo:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    root.mkdir(parents=True, exist_ok=True)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.write("policycheck.yaml", config)
    repo.write("policies/base.policy", BASE_POLICY)
    return repo


def signed_repo(root: Path) -> Repo:
    """A repository with two signed contracts committed: one that passes, one (in legacy/) that
    breaks the arbitration-venue rule."""
    repo = make_repo(root)
    repo.write("contracts/cn.txt", terms())
    repo.write("contracts/legacy/london.txt", terms(**LONDON_TERMS))
    repo.commit("signed contracts")
    return repo


VENUE_RULE_PREFIX = "base.require-arbitration_venue-"


def venue_rule(cli, repo) -> str:
    """The id of the one arbitration-venue finding of a run in ``repo``."""
    import json

    report = json.loads(cli("run", "-f", "json", cwd=repo.root).out)
    rules = [f["rule"] for d in report["documents"] for f in d["findings"] if f["rule"].startswith(VENUE_RULE_PREFIX)]
    assert len(rules) == 1
    return rules[0]


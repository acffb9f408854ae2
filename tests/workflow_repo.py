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

"""Shared fixtures: the CLI as a function, example and seed paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policycheck.cli.main import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
POLICIES = REPO / "policies"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Runs in tests use a fresh fact cache of their own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


def seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} is not present")
    return matches[0]


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[:400]!r}, err={self.err[:400]!r})"


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``policycheck ARGS`` in-process; returns exit code, stdout and stderr."""
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, cwd: str | os.PathLike | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


# A user's extractor file declaring a fact of its own (the example of docs/extractors.md, shortened):
# the extractor-file tests, the library API and the Dask workers all read contracts with it.
ESCROW_RULES = """\
facts:
  escrow_release_period:
    type: duration
    description: time after which the source-code escrow is released to the customer
    examples: [30d]
rules:
  - fact: escrow_release_period
    id: release-after
    language: en
    triggers: [escrow]
    patterns:
      - "(escrow|deposit) ~ released ~ (within|after) {duration}"
    negation: [not, never]
"""

"""Where shipped data lives: the grammar and the policy packs.

In an installed wheel they are the packages ``policycheck.grammar`` and ``policycheck.packs``
(mapped from the repository's top-level ``grammar/`` and ``policies/``). In a source checkout
used in place, those directories are read directly.
"""

from __future__ import annotations

from pathlib import Path

_SOURCE_DIRS = {"policycheck.grammar": "grammar", "policycheck.packs": "policies"}


def data_dir(package: str):
    """The directory of shipped data ``package`` (policycheck.grammar or policycheck.packs)."""
    # Read from the file system when the package is there (importlib.resources alone costs
    # more to import than a small run takes); through importlib.resources otherwise.
    here = Path(__file__).resolve().parent
    installed = here / package.rpartition(".")[2]
    if installed.is_dir():
        return installed
    checkout = here.parent / _SOURCE_DIRS[package]
    if checkout.is_dir():
        return checkout
    from importlib import resources

    return resources.files(package)


def grammar_text() -> str:
    return data_dir("policycheck.grammar").joinpath("policy.lark").read_text(encoding="utf-8")


def packs_dir():
    return data_dir("policycheck.packs")

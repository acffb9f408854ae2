"""Where shipped data lives: the grammar and the policy packs.

In an installed wheel they are the packages ``policycheck.grammar`` and ``policycheck.packs``
(mapped from the repository's top-level ``grammar/`` and ``policies/``). In a source checkout
used in place, those directories are read directly.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

_SOURCE_DIRS = {"policycheck.grammar": "grammar", "policycheck.packs": "policies"}


def data_dir(package: str) -> Traversable:
    """The directory of shipped data ``package`` (policycheck.grammar or policycheck.packs)."""
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parent.parent / _SOURCE_DIRS[package]
        if checkout.is_dir():
            return checkout
        raise


def grammar_text() -> str:
    return data_dir("policycheck.grammar").joinpath("policy.lark").read_text(encoding="utf-8")


def packs_dir() -> Traversable:
    return data_dir("policycheck.packs")

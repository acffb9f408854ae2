"""Collect the two versions of each contract for ``policycheck diff`` and compare them.

``diff OLD NEW`` compares two files. ``diff --base REF`` takes every contract added, modified,
renamed or deleted since the merge base of REF and HEAD (the working tree included), reads its
old version from git, and compares. Which files are contracts follows the config (``contracts:``
globs, ``.policycheckignore``); without a config, every contract file type counts. Policies are
``--policies`` or the config's (with its overrides), so findings are those ``run`` would give.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from policycheck.config import Config, resolve_config
from policycheck.document import CONTRACT_SUFFIXES, load_document
from policycheck.workflow.ignore import find_ignore_rules
from policycheck.errors import PolicycheckError, UsageError
from policycheck.findings.model import DocumentResult
from policycheck.pipeline import Checker, RunSettings, read_document
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import load_policies
from policycheck.policy.model import PolicySet
from policycheck.report.model import fails
from policycheck.workflow import git
from policycheck.workflow.selection import is_configured_contract, selected_policies
from policycheck.workflow.semdiff import ContractDiff, compare


@dataclass(frozen=True)
class DiffOptions:
    paths: tuple[str, ...] = ()
    base: str | None = None
    policies: tuple[str, ...] = ()
    config: str | None = None
    fail_on: str = "never"


@dataclass
class DiffResult:
    diffs: list[ContractDiff] = field(default_factory=list)
    policy_errors: list[PolicycheckError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failing: bool = False


class _Checkers:
    """One Checker per combination of policies, built on first use."""

    def __init__(self, config: Config | None, base_policies: tuple[str, ...]) -> None:
        self.config, self.base_policies = config, base_policies
        self.settings = RunSettings(extractor_paths=tuple(config.extractors) if config else ())
        self._built: dict[tuple[str, ...], Checker] = {}

    def policies_for(self, path: str) -> tuple[str, ...]:
        return selected_policies(self.config, self.base_policies, path)

    def all_policies(self) -> tuple[str, ...]:
        return selected_policies(self.config, self.base_policies)

    def for_path(self, path: str) -> Checker:
        paths = self.policies_for(path)
        if paths not in self._built:
            policy_set = load_policies(list(paths))[0] if paths else PolicySet()
            self._built[paths] = Checker.create(policy_set, self.settings)
        return self._built[paths]


def _check_file(checkers: _Checkers, path: str, display: str, policy_path: str) -> DocumentResult:
    checker = checkers.for_path(policy_path)
    return checker.check_facts(read_document(load_document(path, display), checker.extractor))


def _check_bytes(checkers: _Checkers, data: bytes, name: str, display: str, policy_path: str) -> DocumentResult:
    suffix = os.path.splitext(name)[1]
    with tempfile.TemporaryDirectory(prefix="policycheck-diff-") as directory:
        temporary = os.path.join(directory, "old" + suffix)
        with open(temporary, "wb") as handle:
            handle.write(data)
        return _check_file(checkers, temporary, display, policy_path)


def _compare_guarded(diff_path: str, old_path: str | None, load_old, load_new,
                     status: str | None = None) -> ContractDiff:
    errors = []
    old = new = None
    if load_old is not None:
        try:
            old = load_old()
        except PolicycheckError as exc:
            errors.append(f"old version: {exc.message}")
    if load_new is not None:
        try:
            new = load_new()
        except PolicycheckError as exc:
            errors.append(f"new version: {exc.message}")
    if errors or (old is None and new is None):
        status = status or ("added" if load_old is None else "removed" if load_new is None else "modified")
        return ContractDiff(diff_path, old_path, status, errors=errors)
    return compare(old, new, diff_path, old_path, status)


def run_diff(options: DiffOptions) -> DiffResult:
    config = resolve_config(options.config)
    base_policies = tuple(options.policies) or (tuple(config.policies) if config else ())
    checkers = _Checkers(config, base_policies)
    result = DiffResult()
    if checkers.all_policies():
        catalogue = Checker.create(PolicySet(), checkers.settings).catalogue
        union, errors = load_policies(list(checkers.all_policies()))
        result.policy_errors = errors or list(check_policies(union, catalogue))
        if result.policy_errors:
            return result
    else:
        result.notes.append("no policies given (--policies or 'policies:' in the config): comparing facts only")

    if options.base is None:
        if len(options.paths) != 2:
            raise UsageError("give the OLD and NEW contract files (policycheck diff OLD NEW), "
                             "or --base REF to compare every contract changed since REF")
        old, new = options.paths
        for path in (old, new):
            if os.path.isdir(path):
                raise UsageError(f"{path} is a directory; diff compares two files (or use --base REF)")
        result.diffs.append(_compare_guarded(
            new, old, lambda: _check_file(checkers, old, old, new), lambda: _check_file(checkers, new, new, new),
            status="modified"))
    else:
        result.diffs = _diff_since(options, config, checkers, result)
    result.failing = any(change.kind == "appeared" and fails(change.finding, options.fail_on)
                         for diff in result.diffs for change in diff.findings)
    return result


def _diff_since(options: DiffOptions, config: Config | None, checkers: _Checkers, result: DiffResult) -> list[ContractDiff]:
    root = git.repository_root(".")
    base = git.merge_base(options.base, root)
    ignore = find_ignore_rules(config.root if config else ".")
    limits = [os.path.abspath(path) for path in options.paths]
    diffs = []
    for change in git.changes_since(base, root):
        new_abs = os.path.join(root, change.path)
        old_abs = os.path.join(root, change.old_path)
        display = _shown(new_abs if change.status != "D" else old_abs)
        if not change.path.lower().endswith(CONTRACT_SUFFIXES):
            continue
        if config and config.contracts and not is_configured_contract(config, new_abs):
            continue
        if ignore is not None and ignore.ignores(new_abs):
            continue
        if limits and not any(new_abs == limit or new_abs.startswith(limit.rstrip(os.sep) + os.sep)
                              for limit in limits):
            continue
        old_display = _shown(old_abs) if change.status != "A" else None
        label = f"{old_display}@{base[:12]}" if old_display else None
        load_old = None if change.status == "A" else (
            lambda c=change, label=label, display=display: _check_bytes(
                checkers, git.file_at(base, c.old_path, root), c.old_path, label, display))
        load_new = None if change.status == "D" else (
            lambda path=new_abs, display=display: _check_file(checkers, path, display, display))
        diffs.append(_compare_guarded(display, old_display, load_old, load_new))
    if not diffs:
        result.notes.append(f"no contracts changed since {options.base}")
    return diffs


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.count(os.pardir + os.sep) > 3 else relative

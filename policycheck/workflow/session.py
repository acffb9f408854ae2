"""What one ``policycheck run`` checks: the config, the policies per contract, the contract list,
and what happens after the checks (waivers, baseline).

The command stays thin: it asks ``plan_run`` for a RunPlan, checks each group of contracts with
the policies that apply to it, and hands the results to ``finish_run``.

Which contracts are checked:

* with ``policies:`` in the config, positional paths are contracts only (a pre-commit hook passes
  the changed files); files outside the configured ``contracts:`` globs are skipped, and a policy
  file, the config, the waivers or an extractor file among them re-checks every contract it
  applies to;
* without positional paths, the contracts are the configured ``contracts:`` globs;
* ``--changed-since REF`` keeps the contracts added or modified since the merge base of REF and
  HEAD (committed, staged, unstaged or untracked), plus every contract whose policies changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from policycheck.findings.unread import DEFAULT_UNREAD
from policycheck.config import Config, resolve_config, selected_policies
from policycheck.document import CONTRACT_SUFFIXES
from policycheck.document.discover import IgnoreRules, discover, find_ignore_rules
from policycheck.errors import PolicycheckError, UsageError
from policycheck.facts.engine import extractor
from policycheck.findings.model import DocumentResult, InputError
from policycheck.pipeline import RunSettings
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import POLICY_SUFFIX, load_policies
from policycheck.policy.model import PolicySet
from policycheck.report.model import RunReport

if TYPE_CHECKING:
    from policycheck.workflow.waivers import WaiverFile

# Waivers, the baseline and git are imported where a run uses them: a plain run (a pre-commit
# hook on one contract) should not pay for them.


@dataclass(frozen=True)
class RunOptions:
    """The options of ``policycheck run`` that decide what is checked and how."""

    paths: tuple[str, ...] = ()
    config: str | None = None
    changed_since: str | None = None
    waivers: str | None = None
    baseline: str | None = None
    update_baseline: bool = False
    fail_on: str | None = None
    formats: tuple[str, ...] = ()
    facts_only: bool = False                   # --facts: the documents come from a facts file
    unread: str | None = None                  # --unread: severity of unread-clause findings, or off


@dataclass
class ContractGroup:
    """Contracts that share one combination of policies."""

    policy_paths: tuple[str, ...]
    policy_set: PolicySet
    contracts: list[str] = field(default_factory=list)


@dataclass
class RunPlan:
    """What a run will check: contract groups with their policies, outputs, waivers, baseline."""

    policy_set: PolicySet                      # every rule in play, for the report
    groups: list[ContractGroup]
    settings: RunSettings
    fail_on: str
    formats: tuple[str, ...]
    config: Config | None = None
    waivers: WaiverFile | None = None
    baseline_path: str | None = None
    update_baseline: bool = False
    complete: bool = False                     # every configured contract is checked
    errors: list[PolicycheckError] = field(default_factory=list)   # policy errors: exit 2
    notes: list[str] = field(default_factory=list)
    planner: "_Planner | None" = field(default=None, repr=False)
    input_errors: list[InputError] = field(default_factory=list)    # paths that cannot be contracts
    contract_order: list[str] = field(default_factory=list)         # every path selected, in order
    unread: str = DEFAULT_UNREAD               # severity of unread-clause findings, or "off"

    def policy_set_for(self, document_path: str) -> PolicySet:
        """The policies for a document that is not on disk (--facts): overrides match its name."""
        if self.planner is None:
            return self.policy_set
        return self.planner.policy_set(self.planner.policies_for(document_path))

    @property
    def contract_count(self) -> int:
        return sum(len(group.contracts) for group in self.groups)

    def order(self) -> dict[str, int]:
        return {path: index for index, path in enumerate(self.contract_order)}


def _real(path: str) -> str:
    return os.path.realpath(path)


def _under(path: str, directory: str) -> bool:
    real, base = _real(path), _real(directory)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


class _Planner:
    def __init__(self, options: RunOptions, config: Config | None) -> None:
        self.options, self.config = options, config
        self.root = config.root if config else "."
        self.ignore: IgnoreRules | None = find_ignore_rules(self.root)
        self.settings = RunSettings(extractor_paths=tuple(config.extractors) if config else ())
        self.catalogue = extractor(self.settings.extractor_paths).catalogue
        self.policy_sets: dict[tuple[str, ...], PolicySet] = {}
        self.notes: list[str] = []
        self.problems: dict[str, str] = {}     # path -> why it cannot be a contract

        configured_policies = bool(config and config.policies)
        if configured_policies:
            self.base_policies, given = tuple(config.policies), list(options.paths)
        elif options.paths:
            first = options.paths[0]
            if os.path.isfile(first) and not first.endswith(POLICY_SUFFIX) and first.lower().endswith(
                    CONTRACT_SUFFIXES):
                raise UsageError(f"{first} is a contract, but the first path names the policies (a .policy file "
                                 "or a directory of them); or put 'policies:' in policycheck.yaml, after which "
                                 "every path given is a contract")
            self.base_policies, given = (first,), list(options.paths[1:])
        else:
            raise UsageError("give a policy file or directory and the contracts "
                             "(policycheck run POLICIES CONTRACTS...), or set 'policies:' and 'contracts:' "
                             "in policycheck.yaml (policycheck init writes one)")
        if options.facts_only and given:
            raise UsageError("with --facts and 'policies:' in the config, give no contracts" if configured_policies
                             else "with --facts, give exactly one policy file or directory and no contracts "
                                  "(policycheck run POLICIES --facts FILE)")
        self.triggers = [path for path in given if self._is_input_file(path)] if configured_policies else []
        self.contract_args = [path for path in given if path not in self.triggers]
        self.positional = bool(given)

    # -- which files are inputs of the run other than contracts
    def _global_inputs(self) -> list[str]:
        if not self.config:
            return [p for p in (self.options.waivers, self.options.baseline) if p]
        return [p for p in (self.config.path, self.options.waivers or self.config.waivers,
                            self.options.baseline or self.config.baseline) if p]

    def _is_input_file(self, path: str) -> bool:
        if path.endswith(POLICY_SUFFIX):
            return True
        if any(os.path.exists(p) and _real(p) == _real(path) for p in self._global_inputs()):
            return True
        return any(_under(path, extractor_path) for extractor_path in self.settings.extractor_paths)

    # -- policies
    def policies_for(self, contract: str) -> tuple[str, ...]:
        return selected_policies(self.config, self.base_policies, contract)

    def all_policy_paths(self) -> tuple[str, ...]:
        return selected_policies(self.config, self.base_policies)

    def policy_set(self, paths: tuple[str, ...]) -> PolicySet:
        if paths not in self.policy_sets:
            self.policy_sets[paths] = load_policies(list(paths))[0]
        return self.policy_sets[paths]

    # -- contracts
    def _discover(self, paths: list[str]) -> list[str]:
        found = []
        for item in discover(paths, ignore=self.ignore):
            if item.problem:
                self.problems[item.path] = item.problem
            found.append(item.path)
        return found

    def universe(self) -> list[str]:
        if self.config and self.config.contracts:
            bases = sorted({_literal_base(glob.pattern) for glob in self.config.contracts})
            roots = [os.path.normpath(os.path.join(self.root, base)) for base in bases]
            found = self._discover([r for r in roots if os.path.isdir(r)])
            return [_shortest(path) for path in found if self.config.is_contract(path)]
        return self._discover(self.contract_args)

    def selected(self) -> list[str]:
        if not self.positional:
            if self.config and self.config.contracts:
                return self.universe()
            raise UsageError("no contracts to check: name them on the command line or in 'contracts:' of "
                             f"{self.config.path if self.config else 'policycheck.yaml'}")
        found = self._discover(self.contract_args)
        if self.config and self.config.contracts:
            kept = [path for path in found if self.config.is_contract(path) or not os.path.exists(path)]
            skipped = len(found) - len(kept)
            if skipped:
                self.notes.append(f"skipped {skipped} file{'s' if skipped != 1 else ''} outside the contracts "
                                  f"of {self.config.path}")
            found = kept
        return found

    def touched_by(self, triggers: list[str], contract: str) -> bool:
        if any(any(os.path.exists(p) and _real(p) == _real(t) for p in self._global_inputs()) for t in triggers):
            return True
        if any(_under(t, e) for t in triggers for e in self.settings.extractor_paths):
            return True
        paths = self.policies_for(contract)
        files = {_real(f.path) for f in self.policy_set(paths).files}
        for trigger in triggers:
            if _real(trigger) in files or any(os.path.isdir(p) and _under(trigger, p) for p in paths):
                return True
        return False


def _shortest(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.count(os.pardir + os.sep) > 3 else relative


def _literal_base(pattern: str) -> str:
    """The directory part of a glob before its first wildcard: the only place worth walking."""
    parts = []
    text = pattern.strip()
    text = text[2:] if text.startswith("./") else text
    for segment in text.split("/")[:-1]:
        if any(char in segment for char in "*?["):
            break
        parts.append(segment)
    return "/".join(parts) or "."


def plan_run(options: RunOptions) -> RunPlan:
    config = resolve_config(options.config)
    planner = _Planner(options, config)
    fail_on = options.fail_on or (config.fail_on if config else None) or "error"
    unread = options.unread or (config.unread if config else None) or DEFAULT_UNREAD
    formats = options.formats or (config.formats if config else ())
    waivers_path = options.waivers or (config.waivers if config else None)
    baseline_path = options.baseline or (config.baseline if config else None)
    if options.update_baseline and not baseline_path:
        raise UsageError("--update-baseline needs --baseline FILE (or 'baseline:' in policycheck.yaml)")

    union, errors = load_policies(list(planner.all_policy_paths()))
    if not errors:
        errors = list(check_policies(union, planner.catalogue))
    plan = RunPlan(union, [], planner.settings, fail_on, tuple(formats), config, errors=errors,
                   baseline_path=baseline_path, update_baseline=options.update_baseline, planner=planner,
                   unread=unread)
    if errors:
        return plan
    if waivers_path:
        from policycheck.workflow.waivers import load_waivers

        plan.waivers = load_waivers(waivers_path)
    if baseline_path and not options.update_baseline:
        from policycheck.workflow.baseline import load_baseline

        load_baseline(baseline_path)     # a broken baseline is a config error before any check

    if options.facts_only:
        return plan
    contracts = planner.selected()
    triggers = list(planner.triggers)
    if options.changed_since:
        from policycheck.workflow import git

        root = git.repository_root(planner.root)
        base = git.merge_base(options.changed_since, root)
        changes = git.changes_since(base, root)
        changed = {_real(os.path.join(root, c.path)) for c in changes if c.status != "D"}
        contracts = [path for path in contracts if _real(path) in changed]
        triggers.extend(os.path.join(root, c.path) for c in changes)
        triggers.extend(os.path.join(root, c.old_path) for c in changes if c.old_path != c.path)
    if triggers:
        for path in planner.universe():
            if path not in contracts and planner.touched_by(triggers, path):
                contracts.append(path)

    groups: dict[tuple[str, ...], ContractGroup] = {}
    plan.contract_order = list(contracts)
    plan.input_errors = [InputError(path, planner.problems[path]) for path in contracts if path in planner.problems]
    contracts = [path for path in contracts if path not in planner.problems]
    for path in contracts:
        paths = planner.policies_for(path)
        group = groups.get(paths)
        if group is None:
            group = groups[paths] = ContractGroup(paths, planner.policy_set(paths))
        group.contracts.append(path)
    plan.groups = list(groups.values())
    plan.complete = bool(config and config.contracts) and not planner.positional and not options.changed_since
    plan.notes = planner.notes
    if not contracts and not plan.input_errors:
        plan.notes.append(f"no contracts changed since {options.changed_since}" if options.changed_since
                          else "no contracts to check")
    return plan


def finish_run(plan: RunPlan, report: RunReport) -> None:
    """Order the results, apply waivers and the baseline, and update the baseline when asked."""
    order = plan.order()
    report.documents.sort(key=lambda document: order.get(document.path, len(order)))
    report.errors.sort(key=lambda error: order.get(error.path, len(order)))
    waiver_document: DocumentResult | None = None
    if plan.waivers is not None:
        from policycheck.workflow.waivers import apply_waivers

        waiver_document = apply_waivers(report.documents, plan.waivers, complete=plan.complete)
    if plan.baseline_path:
        from policycheck.workflow.baseline import apply_baseline, load_baseline, updated_baseline, write_baseline

        if plan.update_baseline:
            previous = load_baseline(plan.baseline_path, missing_ok=True)
            baseline = updated_baseline(report.documents, previous)
            write_baseline(baseline)
            click.echo(f"policycheck: wrote {len(baseline.entries)} finding"
                       f"{'s' if len(baseline.entries) != 1 else ''} to the baseline {baseline.path}", err=True)
        else:
            baseline = load_baseline(plan.baseline_path)
        apply_baseline(report.documents, baseline)
    if waiver_document is not None:
        report.documents.append(waiver_document)

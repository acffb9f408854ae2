"""What one ``policycheck run`` checks and what happens after the checks.

``plan_run`` reads the config, asks ``workflow.selection`` which contracts to check with which
policies, loads and checks those policies, the waivers and the baseline, and groups the
contracts by their policies. ``finish_run`` orders the results and applies the waivers and the
baseline. The command stays thin between the two.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from policycheck.config import Config, resolve_config
from policycheck.findings.unread import DEFAULT_UNREAD
from policycheck.logtext import log_lines
from policycheck.errors import PolicycheckError, UsageError
from policycheck.findings.model import DocumentResult, InputError
from policycheck.pipeline import RunSettings, catalogue_for
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import load_policies
from policycheck.policy.model import PolicySet
from policycheck.report.model import RunReport
from policycheck.workflow.selection import STDIN, Selection, SelectionRequest, Skipped, select

if TYPE_CHECKING:
    from policycheck.workflow.waivers import WaiverFile

STDIN_LIMIT = 100 * 1024 * 1024      # the largest office file a contract may be

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
    allow_empty: bool = False                  # an empty selection is not an error
    stdin_name: str | None = None              # the name of the contract read from standard input
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
    selection: Selection | None = field(default=None, repr=False)
    input_errors: list[InputError] = field(default_factory=list)    # paths that cannot be contracts
    contract_order: list[str] = field(default_factory=list)         # every path selected, in order
    skipped: list[Skipped] = field(default_factory=list)            # files left out, and why
    unread: str = DEFAULT_UNREAD               # severity of unread-clause findings, or "off"

    def policy_set_for(self, document_path: str) -> PolicySet:
        """The policies for a document that is not on disk (--facts): overrides match its name."""
        if self.selection is None:
            return self.policy_set
        return self.selection.policy_set(self.selection.policies_for(document_path))

    @property
    def contract_count(self) -> int:
        return sum(len(group.contracts) for group in self.groups)

    def order(self) -> dict[str, int]:
        return {path: index for index, path in enumerate(self.contract_order)}


def plan_run(options: RunOptions) -> RunPlan:
    config = resolve_config(options.config)
    fail_on = options.fail_on or (config.fail_on if config else None) or "error"
    unread = options.unread or (config.unread if config else None) or DEFAULT_UNREAD
    formats = options.formats or (config.formats if config else ())
    waivers_path = options.waivers or (config.waivers if config else None)
    baseline_path = options.baseline or (config.baseline if config else None)
    if options.update_baseline and not baseline_path:
        raise UsageError("--update-baseline needs --baseline FILE (or 'baseline:' in policycheck.yaml)")
    selection = select(SelectionRequest(options.paths, options.changed_since, waivers_path, baseline_path,
                                        options.facts_only, options.allow_empty, options.stdin_name), config)
    settings = RunSettings(extractor_paths=tuple(config.extractors) if config else ())
    catalogue = catalogue_for(settings)

    union, errors = load_policies(list(selection.all_policy_paths()))
    if not errors:
        errors = list(check_policies(union, catalogue))
    plan = RunPlan(union, [], settings, fail_on, tuple(formats), config, errors=errors,
                   baseline_path=baseline_path, update_baseline=options.update_baseline, selection=selection,
                   unread=unread)
    if errors:
        return plan
    if waivers_path:
        from policycheck.workflow.waivers import load_waivers

        plan.waivers = load_waivers(waivers_path, known_rules=union)
    if baseline_path and not options.update_baseline:
        from policycheck.workflow.baseline import load_baseline

        # a broken baseline, or one naming rules that do not exist, fails before any check
        load_baseline(baseline_path, known_rules=union)

    groups: dict[tuple[str, ...], ContractGroup] = {}
    # the order of the report: standard input stands where '-' was given, under its name
    plan.contract_order = [selection.stdin_name if path == STDIN else path for path in selection.contracts]
    plan.input_errors = [InputError(path, selection.problems[path]) for path in selection.contracts
                         if path in selection.problems]
    for path in selection.contracts:
        if path in selection.problems:
            continue
        paths = selection.policies_for(path)
        group = groups.get(paths)
        if group is None:
            group = groups[paths] = ContractGroup(paths, selection.policy_set(paths))
        group.contracts.append(path)
    plan.groups = list(groups.values())
    plan.complete = selection.complete
    plan.notes = selection.notes
    plan.skipped = selection.skipped
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
            click.echo(log_lines(f"policycheck: wrote {len(baseline.entries)} finding"
                                 f"{'s' if len(baseline.entries) != 1 else ''} to the baseline {baseline.path}"),
                       err=True)
        else:
            baseline = load_baseline(plan.baseline_path)
        apply_baseline(report.documents, baseline)
    if waiver_document is not None:
        report.documents.append(waiver_document)


def check_standard_input(checker, name: str, stream=None) -> DocumentResult | InputError:
    """The contract on standard input (``-``), checked under ``name`` (``--stdin-name``).

    Its bytes go through a private temporary file named like ``name``, so a .docx or .pdf piped
    in is read as such and the same size limits and decoding apply as to any file.
    """
    import sys
    import tempfile

    from policycheck.document import load_document
    from policycheck.errors import DocumentError
    from policycheck.workflow.selection import unsupported_format

    problem = unsupported_format(name)
    if problem:
        return InputError(name, problem)
    stream = stream if stream is not None else sys.stdin.buffer
    suffix = os.path.splitext(name)[1].lower() or ".txt"
    with tempfile.TemporaryDirectory(prefix="policycheck-stdin-") as directory:
        path = os.path.join(directory, "contract" + suffix)
        try:
            with open(path, "wb") as handle:
                # at most one byte past the largest contract: the reader names a file too large
                remaining = STDIN_LIMIT + 1
                while remaining > 0:
                    chunk = stream.read(min(remaining, 1 << 20))
                    if not chunk:
                        break
                    handle.write(chunk)
                    remaining -= len(chunk)
        except OSError as exc:
            return InputError(name, f"cannot be read from standard input: {exc.strerror}")
        try:
            document = load_document(path, display_path=name)
        except DocumentError as exc:
            return InputError(name, exc.message)
    return checker.check_document(document)

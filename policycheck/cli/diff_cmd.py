"""``policycheck diff``: what changed in the facts and findings between two versions of contracts."""

from __future__ import annotations

import click

from policycheck.cli.common import echo_err, echo_errors, write_output
from policycheck.report.model import FAIL_ON_LEVELS
from policycheck.workflow.diffing import DiffOptions, run_diff
from policycheck.workflow.diff_render import RENDERERS


@click.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--base", "base_ref", metavar="REF",
              help="Compare every contract changed since the merge base of REF and HEAD (working tree "
                   "included) with its version there.")
@click.option("-p", "--policies", "policies", multiple=True, type=click.Path(), metavar="PATH",
              help="Policies whose findings are compared (repeatable); default: 'policies:' of the config.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Use this config file instead of the policycheck.yaml found from here up to the git root.")
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json (policycheck/diff/v1).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="never", show_default=True,
              help="Exit 1 when a finding at or above this severity appears.")
def command(paths: tuple[str, ...], base_ref: str | None, policies: tuple[str, ...], config_path: str | None,
            output_format: str, output: str | None, fail_on: str) -> int:
    """Show what changed between two versions of contracts: facts and findings.

    \b
    policycheck diff OLD NEW                 two files (e.g. a vendor's old and new terms)
    policycheck diff --base main [PATHS...]  every contract changed on this branch

    For each contract: facts added, removed or changed (data_deletion_after: 90d -> 10d), and
    the findings that appear or disappear under the policies. Moved or reflowed text is not a
    change. Exit 0 (or 1 with --fail-on when a finding at that level appears); 2 on bad input.
    """
    result = run_diff(DiffOptions(paths, base_ref, policies, config_path, fail_on))
    if result.policy_errors:
        echo_errors(result.policy_errors)
        return 2
    for note in result.notes:
        echo_err(f"policycheck: {note}")
    write_output(RENDERERS[output_format](result.diffs, fail_on), output, output_format)
    for diff in result.diffs:
        for error in diff.errors:
            echo_err(f"policycheck: {diff.path}: {error}")
    if any(diff.errors for diff in result.diffs):
        return 2
    return 1 if result.failing else 0

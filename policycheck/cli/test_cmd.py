"""``policycheck test``: run the test cases kept next to policies."""

from __future__ import annotations

import json
import os

import click

from policycheck.cli.common import configured_extractor, echo_errors
from policycheck.config import resolve_config
from policycheck.logtext import guarded_output, log_lines
from policycheck.policytest import run_suite
from policycheck.policytest.report import as_json, render

DEFAULT_PATH = "policies"


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Exit 1 when fewer than PERCENT of the rules were seen both firing and passing.")
@click.option("-v", "--verbose", is_flag=True, help="List every case, not only the failing ones.")
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json (policycheck/test/v1) for tools.")
def command(paths: tuple[str, ...], min_coverage: float | None, verbose: bool, output_format: str) -> int:
    """Run policy tests: the cases in *.tests.yaml files next to the policies.

    \b
    policycheck test [PATHS...]
      PATHS  directories (searched recursively), *.policy files (their <name>.tests.yaml is
             used) or *.tests.yaml files; default: the config's policies, else policies/

    A case gives contract text (`text:` or `file:`) or facts (`facts:`, values written as policy
    literals) and, per rule id, what the rule must do: passes, fires, fails, missing,
    not_applicable, or {fires: failed|missing|any, severity: LEVEL, message: "..."}. A text or
    file case may also list `extracts:`, the facts the contract must yield (~: must not be
    found), so that a rule cannot pass only because nothing was extracted.

    Prints each failing case with expected and actual outcome, "N passed, M failed", and the rule
    coverage: the share of rules seen both firing and passing in some case.

    Exit 0 when every case passes (and coverage reaches --min-coverage), 1 when a case fails or
    coverage is too low, 2 when a test file or policy is invalid.
    """
    if not paths:
        config = resolve_config(None)
        if config is not None and config.all_policy_paths():
            paths = config.all_policy_paths()
        elif os.path.isdir(DEFAULT_PATH):
            paths = (DEFAULT_PATH,)
        else:
            raise click.UsageError(f"give the policies or test files to run (no {DEFAULT_PATH}/ here, "
                                   "and no config naming policies)")
    suite = run_suite(list(paths), configured_extractor())
    if output_format == "json":
        click.echo(guarded_output("json", json.dumps(as_json(suite), ensure_ascii=False, indent=2)))
    else:
        click.echo(log_lines(render(suite, min_coverage, verbose)), nl=False)
    if suite.errors:
        echo_errors(suite.errors)
        count = len(suite.errors)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in test files or policies", err=True)
        return 2
    if suite.failed:
        return 1
    if min_coverage is not None and suite.coverage() < min_coverage:
        return 1
    return 0




"""``policycheck validate``: static checks only."""

from __future__ import annotations

import click

from policycheck.cli.common import echo_errors, load_checked_policies
from policycheck.facts.engine import extractor


@click.command("validate")
@click.argument("policies", nargs=-1, required=True, type=click.Path())
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when the policies are valid.")
def command(policies: tuple[str, ...], quiet: bool) -> int:
    """Check policies without reading any contract.

    Reports syntax errors (with line, column and a caret), unknown facts, type errors, unknown
    enum values, jurisdiction codes and sets, duplicate rule ids and include cycles.
    Exit 0 when every policy is valid, 2 otherwise.
    """
    catalogue = extractor().catalogue
    policy_set, errors = load_checked_policies(list(policies), catalogue)
    if errors:
        echo_errors(errors)
        click.echo(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found", err=True)
        return 2
    if not quiet:
        files = len(policy_set.files)
        rules = len(policy_set.rules)
        click.echo(f"{files} policy file{'s' if files != 1 else ''}, {rules} rule{'s' if rules != 1 else ''}: ok")
    return 0

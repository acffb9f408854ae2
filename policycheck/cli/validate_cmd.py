"""``policycheck validate``: static checks only."""

from __future__ import annotations

import click

from policycheck.cli.common import echo_errors, load_checked_policies
from policycheck.config import resolve_config
from policycheck.facts.engine import extractor
from policycheck.packs import resolve_policy_path


@click.command("validate")
@click.argument("policies", nargs=-1, type=click.Path(readable=False))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when the policies are valid.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Use this config file instead of the policycheck.yaml found from here up to the git root.")
def command(policies: tuple[str, ...], quiet: bool, config_path: str | None) -> int:
    """Check POLICIES (files or directories) without reading any contract.

    Reports syntax errors (with line, column and a caret), unknown facts, type errors, unknown
    enum values, jurisdiction codes and sets, duplicate rule ids and include cycles.
    Without POLICIES, checks the config's `policies:`. Facts defined by the config's
    `extractors:` are known. Exit 0 when every policy is valid, 2 otherwise.
    """
    config = resolve_config(config_path)
    if not policies:
        if config is None or not config.policies:
            raise click.UsageError("give the policies to check (no config naming policies was found)")
        policies = config.policies
    catalogue = extractor(tuple(config.extractors) if config else ()).catalogue
    policy_set, errors = load_checked_policies([resolve_policy_path(path) for path in policies], catalogue)
    if errors:
        echo_errors(errors)
        click.echo(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found", err=True)
        return 2
    if not quiet:
        files = len(policy_set.files)
        rules = len(policy_set.rules)
        click.echo(f"{files} policy file{'s' if files != 1 else ''}, {rules} rule{'s' if rules != 1 else ''}: ok")
    return 0

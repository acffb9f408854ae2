"""``policycheck packs``: the shipped policy packs, to use as ``pack:NAME``."""

from __future__ import annotations

import click

from policycheck.cli.common import echo_errors
from policycheck.packs import shipped_packs
from policycheck.policy.loader import load_policies


@click.command("packs")
def command() -> int:
    """List the policy packs shipped with policycheck: name, rule count, what each checks.

    \b
    Use one by name wherever a policy path goes:
      policycheck run pack:saas-baseline contract.txt
      policies: [pack:china, policies/]        (policycheck.yaml)
      policycheck explain saas.uptime          (finds the packs' rules)
    """
    packs = shipped_packs()
    rows = []
    for pack in packs:
        policy_set, errors = load_policies([pack.path])
        if errors:
            echo_errors(errors)
            return 2
        count = len(policy_set.rules)
        rows.append((f"pack:{pack.name}", f"{count} rule{'s' if count != 1 else ''}", pack.description))
    name_width = max(len(row[0]) for row in rows)
    count_width = max(len(row[1]) for row in rows)
    for name, count, description in rows:
        click.echo(f"{name:<{name_width}}  {count:>{count_width}}  {description}")
    return 0

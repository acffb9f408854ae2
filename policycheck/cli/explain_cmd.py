"""``policycheck explain``: what a rule or a fact means."""

from __future__ import annotations

import difflib
import os

import click

from policycheck.cli.common import echo_errors, load_checked_policies
from policycheck.logtext import log_lines
from policycheck.config import resolve_config
from policycheck.errors import UsageError
from policycheck.facts.engine import extractor
from policycheck.facts.topics import topic_reader
from policycheck.packs import resolve_policy_path
from policycheck.policy.explain import fact_explanation, render_explanation, rule_explanation
from policycheck.policy.model import PolicySet
from policycheck.policytest.examples import add_rationale_and_examples
from policycheck.resources import packs_dir

DEFAULT_POLICY_DIR = "policies"


@click.command("explain")
@click.argument("name")
@click.option("-p", "--policies", "policy_paths", multiple=True, type=click.Path(),
              help="Policy file or directory to find rules in (repeatable). Default: the config's "
                   "policies, else ./policies if it exists.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Use this config file instead of the policycheck.yaml found from here up to the git root.")
def command(name: str, policy_paths: tuple[str, ...], config_path: str | None) -> int:
    """Explain NAME: a rule id from the policies, or a fact from the catalogue.

    \b
    For a rule: where it is defined, what it checks, its severity, message, tags and link, the
    rationale written above it, and one passing and one firing example from its tests file.
    For a fact: its type, what it means, example values, and which loaded rules use it.
    Rules are looked for in -p, else the config's policies or ./policies, then in the
    shipped packs (policycheck packs).

    \b
    policycheck explain data_deletion_after
    policycheck explain arbitration-seat -p policies/
    """
    config = resolve_config(config_path)
    engine = extractor(tuple(config.extractors) if config else ())
    catalogue = engine.catalogue
    paths = [resolve_policy_path(path) for path in policy_paths] \
        or (list(config.all_policy_paths()) if config and config.policies else []) \
        or ([DEFAULT_POLICY_DIR] if os.path.isdir(DEFAULT_POLICY_DIR) else [])
    policy_set = PolicySet()
    if paths:
        policy_set, errors = load_checked_policies(paths, catalogue)
        if errors:
            echo_errors(errors)
            return 2
    rule = policy_set.rule(name)
    pack_rules: list[str] = []
    if rule is None and not policy_paths:
        # the shipped packs are known wherever policycheck is installed
        packs, errors = load_checked_policies([str(packs_dir())], catalogue)
        if not errors:
            pack_rules = [r.id for r in packs.rules]
            if packs.rule(name) is not None:
                policy_set, rule = packs, packs.rule(name)
    if rule is not None:
        explanation = rule_explanation(rule, catalogue)
        source = next((f.source for f in policy_set.files if f.path == rule.path), "")
        add_rationale_and_examples(explanation, rule, source, engine)
        click.echo(log_lines(render_explanation(explanation)), nl=False)
        return 0
    spec = catalogue.get(name)
    if spec is not None:
        cues = topic_reader(engine.book).cues(name)
        click.echo(log_lines(render_explanation(fact_explanation(spec, policy_set.rules, cues))), nl=False)
        return 0
    known = [r.id for r in policy_set.rules] + pack_rules + catalogue.names()
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    where = (f"the policies in {', '.join(paths)} nor the shipped packs" if paths
             else "any shipped pack (give your policies with -p PATH)")
    raise UsageError(f"{name} is neither a fact nor a rule id in {where}",
                     hint=f"did you mean {guess[0]}?" if guess else "see `policycheck facts --list` for the facts")

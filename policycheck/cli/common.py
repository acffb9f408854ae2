"""Helpers shared by subcommands: loading and checking policies, colour, writing outputs."""

from __future__ import annotations

import os
import sys

import click

from policycheck.catalogue import Catalogue
from policycheck.errors import PolicycheckError
from policycheck.logtext import guarded_output, log_lines
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import load_policies
from policycheck.policy.model import PolicySet
from policycheck.textfile import write_file_atomically


def echo_err(text: str) -> None:
    """A line (or several) on stderr, which a CI log shows: no line of it can start a workflow
    command and no control character passes, whatever file names or messages it quotes."""
    click.echo(log_lines(text), err=True)


def echo_errors(errors: list[PolicycheckError]) -> None:
    for error in errors:
        echo_err(error.render())


def load_checked_policies(paths: list[str], catalogue: Catalogue) -> tuple[PolicySet, list[PolicycheckError]]:
    """Load and statically check policies; a non-empty error list means exit 2, nothing evaluated."""
    policy_set, errors = load_policies(paths)
    if not errors:
        errors = list(check_policies(policy_set, catalogue))
    return policy_set, errors


def use_color(no_color: bool, stream=None) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def write_output(text: str, path: str | None, format_name: str = "text") -> None:
    """Write to a file (creating its directory) or to stdout (guarded as a CI log shows it)."""
    if not path or path == "-":
        click.echo(guarded_output(format_name, text), nl=False)
        return
    write_file_atomically(path, text)


def configured_extractor():
    """The extractor with the repository's own facts (``extractors:`` of the policycheck.yaml
    found from here up to the git root), so every command knows the same facts as ``run``."""
    from policycheck.config import find_config, load_config
    from policycheck.facts.engine import extractor

    found = find_config()
    paths = load_config(found).extractors if found else ()
    return extractor(tuple(paths))

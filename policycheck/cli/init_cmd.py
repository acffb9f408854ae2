"""``policycheck init``: scaffold the configuration, a starter policy with tests, and CI hooks."""

from __future__ import annotations

import os

import click

from policycheck import __version__
from policycheck.errors import UsageError
from policycheck.workflow.scaffold import PRE_COMMIT_HOOKS, planned_files, write_missing


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--contracts", "contracts_dir", default="contracts", show_default=True, metavar="DIR",
              help="Folder (relative to DIRECTORY) that holds the contracts.")
@click.option("--install", default=f"policycheck[office]=={__version__}", show_default=True, metavar="SPEC",
              help="What the GitHub workflow installs with pip (a version, or a git URL).")
def command(directory: str, contracts_dir: str, install: str) -> int:
    """Set up policycheck in a contract repository.

    \b
    Writes, when absent (existing files are never overwritten):
      policycheck.yaml                       policies, contracts, fail_on (and commented options)
      policies/contract-policy.policy        a starter policy
      policies/contract-policy.tests.yaml    its tests (policycheck test)
      .pre-commit-config.yaml                hooks: policycheck, policycheck-test
      .github/workflows/policycheck.yml      CI: annotations, job summary, SARIF upload
    """
    if os.path.isabs(contracts_dir) or ".." in contracts_dir.replace("\\", "/").split("/"):
        raise UsageError(f"--contracts {contracts_dir}: give a folder inside the repository")
    if any(char in install for char in "\"\n\r"):
        raise UsageError("--install must be a pip requirement or URL without quotes or line breaks")
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError(f"{directory} is not a directory")
    try:
        os.makedirs(directory, exist_ok=True)
        results = write_missing(directory, planned_files(contracts_dir, install))
    except OSError as exc:
        raise UsageError(f"cannot write in {directory}: {exc.strerror}") from None
    for path, written in results:
        shown = os.path.normpath(os.path.join(directory, path))
        click.echo(f"{'created' if written else 'kept   '}  {shown}{'' if written else '  (exists; not changed)'}")
    if not os.path.exists(os.path.join(directory, ".git")):
        click.echo("note: this is not the top of a git repository; the pre-commit hooks and the workflow need one",
                   err=True)
    click.echo(f"\nNext: put contracts in {contracts_dir}/, then run `policycheck test` and `policycheck run`.")
    if dict(results).get(".pre-commit-config.yaml") is False:
        # An existing pre-commit config is the user's: show what to add instead of editing it.
        click.echo("Your .pre-commit-config.yaml was kept as it is; add these hooks under its `repos:`,\n"
                   "then `pre-commit install` turns them on:\n")
        click.echo(PRE_COMMIT_HOOKS, nl=False)
    else:
        click.echo("`pre-commit install` turns on the hooks.")
    return 0

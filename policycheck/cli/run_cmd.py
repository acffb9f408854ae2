"""``policycheck run``: check contracts against policies and write reports."""

from __future__ import annotations

import click

from policycheck.cli.common import echo_errors, load_checked_policies, use_color
from policycheck.cli.progress import Progress
from policycheck.findings.model import InputError
from policycheck.pipeline import Checker, check_contracts
from policycheck.report.base import format_names, reporter
from policycheck.report.formats import UserTemplateReporter
from policycheck.report.model import FAIL_ON_LEVELS, RunReport
from policycheck.report.outputs import Output, check_outputs, parse_output, write_outputs
from policycheck.facts.engine import extractor
from policycheck.facts.given import load_given_facts


def _outputs(formats: tuple[str, ...], template: str | None) -> list[Output]:
    """-f specs plus --template (on stdout); text on stdout when nothing else is asked there."""
    outputs = [parse_output(spec) for spec in formats]
    if template:
        outputs.append(Output(UserTemplateReporter(template)))
    if not any(output.to_stdout for output in outputs) and not formats:
        outputs.insert(0, Output(reporter("text")))
    check_outputs(outputs)
    return outputs


def _format_help() -> str:
    return ("Output format, optionally written to PATH instead of stdout; repeat for several outputs. "
            "Formats: " + "; ".join(f"{name}: {reporter(name).description}" for name in format_names()) + ".")


@click.command("run")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-f", "--format", "formats", multiple=True, metavar="FMT[:PATH]", help=_format_help())
@click.option("--template", type=click.Path(dir_okay=False), metavar="PATH",
              help="Render your own Jinja2 template (sandboxed; context in docs/report-context.md) "
                   "to stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="error", show_default=True,
              help="Lowest severity that makes the run exit 1.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stdout; rely on the exit code and files.")
@click.option("--no-color", is_flag=True, help="No colour in terminal output (also: NO_COLOR=1).")
@click.option("--facts", "facts_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Evaluate the policies against the facts in FILE (policycheck/facts/v1 JSON, or YAML "
                   "{DOCUMENT: {fact: value or [values]}}) instead of reading contracts.")
def command(paths: tuple[str, ...], formats: tuple[str, ...], template: str | None, fail_on: str, quiet: bool,
            no_color: bool, facts_file: str | None) -> int:
    """Check CONTRACTS against POLICIES.

    \b
    policycheck run POLICIES CONTRACTS...
    policycheck run POLICIES --facts FILE
      POLICIES   a .policy file or a directory of them (searched recursively)
      CONTRACTS  contract files (.txt, .md) or directories of them
      FILE       facts given instead of extracted: the JSON that `facts --format json`
                 writes, or YAML such as  {vendor.txt: {arbitration_venue: CN}}

    Exit 0 when no finding reaches --fail-on, 1 when one does, 2 when a policy is invalid or a
    contract cannot be read (every other contract is still checked and reported).
    """
    if facts_file is not None:
        if len(paths) != 1:
            raise click.UsageError("with --facts, give exactly one policy file or directory and no contracts "
                                   "(policycheck run POLICIES --facts FILE)")
    elif len(paths) < 2:
        raise click.UsageError("give a policy file or directory and at least one contract "
                               "(policycheck run POLICIES CONTRACTS...)")
    policy_paths, contract_paths = [paths[0]], list(paths[1:])
    outputs = _outputs(formats, template)

    catalogue = extractor().catalogue
    policy_set, errors = load_checked_policies(policy_paths, catalogue)
    if errors:
        echo_errors(errors)
        return 2

    checker = Checker.create(policy_set)
    report = RunReport(policy_set=policy_set, fail_on=fail_on)
    if facts_file is not None:
        given = load_given_facts(facts_file, checker.catalogue)
        results = (checker.check_facts(document) for document in given)
    else:
        results = check_contracts(checker, contract_paths)
    progress = Progress(enabled=None if not quiet else False)
    for result in progress.track(results):
        if isinstance(result, InputError):
            report.errors.append(result)
            progress.clear()
            click.echo(f"policycheck: {result.path}: {result.message}", err=True)
        else:
            report.documents.append(result)

    write_outputs(report, outputs, color=use_color(no_color), quiet=quiet,
                  echo=lambda text: click.echo(text, nl=False))
    return report.exit_code()

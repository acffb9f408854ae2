"""``policycheck run``: check contracts against policies and write reports."""

from __future__ import annotations

from contextlib import ExitStack

import click

from policycheck.cli.common import echo_err, echo_errors, use_color
from policycheck.cli.progress import Progress
from policycheck.errors import UsageError
from policycheck.findings.model import InputError
from policycheck.findings.unread import UNREAD_LEVELS
from policycheck.logtext import guarded_output
from policycheck.cache import open_cache
from policycheck.parallel import available_cores
from policycheck.pipeline import Checker, check_contracts
from policycheck.report.base import format_names, reporter
from policycheck.report.formats import UserTemplateReporter
from policycheck.report.model import FAIL_ON_LEVELS, RunReport
from policycheck.report.outputs import Output, check_outputs, full_report_path, parse_output
from policycheck.report.streaming import StreamingOutputs
from policycheck.cluster.inputs import read_ignore_file, refuse_urls
from policycheck.workflow.selection import STDIN, Skipped
from policycheck.workflow.session import RunOptions, check_standard_input, finish_run, plan_run


def _outputs(formats: tuple[str, ...], template: str | None) -> list[Output]:
    """-f specs plus --template (on stdout); text on stdout when nothing else is asked there."""
    outputs = [parse_output(spec) for spec in formats]
    if template:
        outputs.append(Output(UserTemplateReporter(template)))
    if not any(output.to_stdout for output in outputs) and not formats:
        outputs.insert(0, Output(reporter("text")))
    check_outputs(outputs)
    return outputs


def skipped_notes(skipped: list[Skipped], verbose: bool) -> list[str]:
    """What the run left out. Files in a format policycheck cannot read are always named (they
    look like contracts); files outside the contracts are counted, and named with -v."""
    notes = [f"skipped {item.path}: it {item.why}" for item in skipped if item.why.startswith("is in an")]
    others = [item for item in skipped if not item.why.startswith("is in an")]
    if verbose:
        notes.extend(f"skipped {item.path}: {item.why}" for item in others)
    else:
        reasons: dict[str, int] = {}
        for item in others:
            reasons[item.why] = reasons.get(item.why, 0) + 1
        notes.extend(f"skipped {count} file{'s' if count != 1 else ''} {why} (-v names them)"
                     for why, count in reasons.items())
    return notes


def _format_help() -> str:
    names = format_names()
    return ("Report format, written to PATH instead of stdout when given; repeat for several reports "
            f"(-f text -f sarif:out.sarif). Formats: {names[0]} (default), {', '.join(names[1:])}; "
            "see docs/reports.md.")


@click.command("run")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("-f", "--format", "formats", multiple=True, metavar="FMT[:PATH]", help=_format_help())
@click.option("--template", type=click.Path(dir_okay=False), metavar="PATH",
              help="Render your own Jinja2 template (sandboxed; context: docs/reports.md) "
                   "to stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default=None,
              help="Lowest severity that makes the run exit 1  [default: error, or fail_on of the config].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Use this config file instead of the policycheck.yaml found from here up to the git root.")
@click.option("--changed-since", metavar="REF",
              help="Check only contracts added or changed since the merge base of REF and HEAD, plus the "
                   "contracts whose policies changed.")
@click.option("--waivers", metavar="PATH", type=click.Path(dir_okay=False),
              help="Waivers file (YAML); waived findings are reported as waived and do not fail.")
@click.option("--baseline", metavar="PATH", type=click.Path(dir_okay=False),
              help="Baseline file (JSON): findings recorded in it do not fail; only new ones do.")
@click.option("--update-baseline", is_flag=True,
              help="Record the current findings in the --baseline file (entries of contracts not checked "
                   "in this run are kept).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stdout; rely on the exit code and files.")
@click.option("--no-color", is_flag=True, help="No colour in terminal output (also: NO_COLOR=1).")
@click.option("--facts", "facts_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Evaluate the policies against the facts in FILE (policycheck/facts/v1 JSON, or YAML "
                   "{DOCUMENT: {fact: value or [values]}}) instead of reading contracts.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check contracts in N processes (default: all cores). The output is the same for any N.")
@click.option("--cache", "cache_dir", metavar="DIR", default=None,
              help="Keep extracted facts in DIR by content hash, so unchanged contracts are not read "
                   "again (default: the user cache directory, e.g. ~/.cache/policycheck; off when CI is set).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the fact cache.")
@click.option("--allow-empty", is_flag=True,
              help="Run even when a 'contracts:' glob or a directory given selects no contract "
                   "(otherwise exit 2: a mistyped glob must not turn the check off).")
@click.option("--stdin-name", metavar="NAME",
              help="Name of the contract read from standard input (the path '-') in reports and for "
                   "'overrides:'; its extension says its format  [default: <stdin>, read as text].")
@click.option("-v", "--verbose", is_flag=True, help="Name every file skipped (outside the contracts, ignored).")
@click.option("--report-url", metavar="URL", default=None,
              help="Where the full report can be read (a URL or path), named by the markdown and github "
                   "formats when they leave findings out  [default: the -f html (or sarif) file].")
@click.option("--unread", type=click.Choice(UNREAD_LEVELS), default=None,
              help="Severity of the unread-clause finding (a clause about a fact that forbid/flag rules "
                   "check was found, but its value could not be read), or off  [default: info, or unread "
                   "of the config].")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Check the contracts on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786; "
                   "also 'dask:' in policycheck.yaml). Contracts are paths the workers can read or URLs "
                   "(s3://bucket/prefix/); see docs/scale-out.md.")
def command(paths: tuple[str, ...], formats: tuple[str, ...], template: str | None, fail_on: str | None,
            config_path: str | None, changed_since: str | None, waivers: str | None, baseline: str | None,
            update_baseline: bool, quiet: bool, no_color: bool, facts_file: str | None, jobs: int | None,
            cache_dir: str | None, no_cache: bool, allow_empty: bool, stdin_name: str | None,
            verbose: bool, report_url: str | None, unread: str | None,
            dask_address: str | None) -> int:
    """Check CONTRACTS against POLICIES.

    \b
    policycheck run POLICIES CONTRACTS...
    policycheck run POLICIES --facts FILE
    policycheck run [CONTRACTS...]          with 'policies:' in policycheck.yaml
      POLICIES   a .policy file, a directory of them (searched recursively), or
                 pack:NAME, a shipped pack (policycheck packs lists them)
      CONTRACTS  contract files (.txt, .md, .docx, .pdf) or directories of them;
                 '-' reads one from standard input (name it with --stdin-name)
      FILE       facts given instead of extracted: the JSON that `facts --format json`
                 writes, or YAML such as  {vendor.txt: {arbitration_venue: CN}}

    With a policycheck.yaml (found from the current directory up to the git root) that names
    'policies:' and 'contracts:', a bare 'policycheck run' checks the repository, and the paths
    given are contracts only: a pre-commit hook passes the changed files. A changed
    policy, config, waivers, baseline, extractor or .policycheckignore file among them
    re-checks every contract it applies to. A 'contracts:' glob or a directory that selects
    no contract is exit 2 (--allow-empty to run anyway).

    Exit 0 when no finding reaches --fail-on, 1 when one does, 2 when the config or a policy is
    invalid or a contract cannot be read (every other contract is still checked and reported).
    """
    if stdin_name is not None and STDIN not in paths:
        raise UsageError("--stdin-name names the contract read from standard input: give '-' among the contracts")
    plan = plan_run(RunOptions(paths, config_path, changed_since, waivers, baseline, update_baseline,
                               fail_on, formats, facts_only=facts_file is not None, allow_empty=allow_empty,
                               stdin_name=stdin_name, unread=unread))
    if plan.errors:
        echo_errors(plan.errors)
        return 2
    outputs = _outputs(plan.formats, template)
    if not quiet:
        for note in plan.notes + skipped_notes(plan.skipped, verbose):
            echo_err(f"policycheck: {note}")

    report = RunReport(policy_set=plan.policy_set, fail_on=plan.fail_on, contracts_read=facts_file is None)
    for error in plan.input_errors:
        report.errors.append(error)
        echo_err(f"policycheck: {error.path}: {error.message}")
    if facts_file is not None:
        from policycheck.facts.given import load_given_facts

        catalogue = Checker.create(plan.policy_set, plan.settings).catalogue
        for document in load_given_facts(facts_file, catalogue):
            checker = Checker.create(plan.policy_set_for(document.path), plan.settings, unread=plan.unread)
            report.documents.append(checker.check_facts(document))
    cache = None if facts_file is not None else open_cache(
        cache_dir, no_cache, plan.settings.extractor_paths,
        warn=lambda message: echo_err(f"policycheck: warning: {message}"))
    progress = Progress(enabled=None if not quiet else False)
    dask_address = dask_address or (plan.config.dask if plan.config else None)
    if facts_file is not None:
        dask_address = None
    elif not dask_address:
        refuse_urls(group.contracts for group in plan.groups)
    # Colour was decided above (terminal, --no-color, NO_COLOR); click must not strip it again.
    on_stdout = next((output.reporter.name for output in outputs if output.to_stdout), None)
    with ExitStack() as stack, StreamingOutputs(
            outputs, color=use_color(no_color), quiet=quiet,
            echo=lambda text: click.echo(guarded_output(on_stdout, text, colour=True), nl=False, color=True),
            report_url=report_url or full_report_path(outputs)) as written:
        # Results are written as they come unless something needs them all first (several
        # policy groups to put back in input order, waivers, a baseline, given facts).
        written.start(report.fail_on, allowed=len(plan.groups) <= 1 and plan.waivers is None
                      and not plan.baseline_path and not report.documents
                      and not any(STDIN in group.contracts for group in plan.groups))
        cluster = None
        if dask_address and plan.groups:
            # Imported here: a run without --dask never loads the cluster code, nor Dask.
            from policycheck.cluster.client import ClusterRun, streamed_formats

            cluster = stack.enter_context(ClusterRun(dask_address))
            ignore = read_ignore_file(plan.selection.ignore if plan.selection else None)
            streams = streamed_formats(outputs, quiet=quiet, color=use_color(no_color)) if written.streaming else None
        for group in plan.groups:
            checker = Checker.create(group.policy_set, plan.settings, cache=cache, unread=plan.unread)
            if STDIN in group.contracts:
                group.contracts.remove(STDIN)
                result = check_standard_input(checker, plan.selection.stdin_name)
                if isinstance(result, InputError):
                    report.errors.append(result)
                    echo_err(f"policycheck: {result.path}: {result.message}")
                else:
                    written.add(report, result)
            if cluster is not None:
                results = cluster.check(checker, group.contracts, streams=streams, fail_on=report.fail_on,
                                        ignore=ignore)
            else:
                results = check_contracts(checker, group.contracts, jobs=jobs or available_cores(),
                                          finish=written.renderer())
            for result in progress.track(results):
                progress.clear()
                if isinstance(result, InputError):
                    report.errors.append(result)
                    echo_err(f"policycheck: {result.path}: {result.message}")
                else:
                    written.add(report, result)
        finish_run(plan, report)
        written.finish(report)
    return report.exit_code()

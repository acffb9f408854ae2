"""The ``policycheck`` command: one click group, one module per subcommand.

``main(argv) -> int`` is the whole CLI as a function, so tests drive it end to end. Every
PolicycheckError becomes its rendered message on stderr and exit code 2; no traceback reaches a
user unless ``--debug`` asks for one.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import traceback

import click

from policycheck import __version__
from policycheck.errors import DEBUG_ENVIRONMENT, PolicycheckError, internal_error_message
from policycheck.logtext import log_lines

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


# The one list of subcommands, in the order --help shows them: name -> module in policycheck.cli.
_COMMANDS = {"run": "run_cmd", "facts": "facts_cmd", "validate": "validate_cmd", "fmt": "fmt_cmd",
             "test": "test_cmd", "diff": "diff_cmd", "explain": "explain_cmd", "init": "init_cmd",
             "packs": "packs_cmd", "lsp": "lsp_cmd"}


class _Group(click.Group):
    """Imports a subcommand's module only when it is used (``--help`` lists them all): a
    pre-commit hook running ``policycheck run`` does not pay for ``diff`` or ``explain``."""

    def list_commands(self, ctx):
        return list(_COMMANDS)

    def get_command(self, ctx, name):
        module = _COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"policycheck.cli.{module}").command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="policycheck")
@click.option("--debug", is_flag=True, help="Show a Python traceback for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Check contracts against a policy written in a small rule language.

    \b
    Typical use:
      policycheck run policies/ contracts/        check contracts, exit 1 on errors
      policycheck facts contract.txt              show the clause facts found
      policycheck validate policies/              check policies without contracts

    Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, policy or input error.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _take_debug(args: list[str]) -> tuple[list[str], bool]:
    """``--debug`` may stand anywhere before a ``--``; it is moved to the front, where the group reads it."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args, False
    rest = [arg for arg in args[:end] if arg != "--debug"] + args[end:]
    return ["--debug", *rest], True


def main(argv: list[str] | None = None) -> int:
    args, debug = _take_debug(list(sys.argv[1:] if argv is None else argv))
    previous = os.environ.get(DEBUG_ENVIRONMENT)
    if debug:
        os.environ[DEBUG_ENVIRONMENT] = "1"
    try:
        return _run(args, debug)
    finally:
        if debug:
            if previous is None:
                os.environ.pop(DEBUG_ENVIRONMENT, None)
            else:
                os.environ[DEBUG_ENVIRONMENT] = previous


def _run(args: list[str], debug: bool) -> int:
    try:
        result = cli.main(args=args, prog_name="policycheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)        # it may quote an argument: through the log guard like any message
        click.echo(log_lines(shown.getvalue()), err=True, nl=False)
        return EXIT_ERROR
    except PolicycheckError as exc:
        if debug:
            traceback.print_exc()
        click.echo(log_lines(f"policycheck: {exc.render()}"), err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_ERROR
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_ERROR
    except RecursionError:
        if debug:
            traceback.print_exc()
        click.echo("policycheck: an input nests too deeply to be read (deeper than Python's recursion limit); "
                   "rerun with --debug to see where", err=True)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            traceback.print_exc()
        click.echo(log_lines(f"policycheck: {internal_error_message(exc)}"), err=True)
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_OK


def _silence_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def entry_point() -> None:
    sys.exit(main())

"""``policycheck lsp``: the language server for .policy files, over standard input and output."""

from __future__ import annotations

import sys

import click

from policycheck.errors import UsageError


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def command(stdio: bool) -> int:
    """Run the language server for .policy files and their *.tests.yaml (editors start this).

    \b
    Diagnostics as you type (what `policycheck validate` and `policycheck test` report), quick
    fixes for "did you mean", completion of facts, values, sets and keywords, hover with
    `policycheck explain`, go to definition, document symbols and formatting (`fmt`).
    Needs the optional extra: pip install 'policycheck[lsp]'. Set-up: docs/editors.md.
    """
    try:
        from policycheck.lsp.server import serve
    except ImportError as exc:
        raise UsageError(f"the language server needs pygls ({exc.name or exc} is not installed)",
                         hint="install it with: pip install 'policycheck[lsp]'") from None
    if sys.stdin.isatty():
        # Someone typed the command: say what it waits for instead of sitting there silently.
        click.echo("policycheck lsp: a language server; it waits for an editor's LSP messages on standard "
                   "input (Ctrl-D ends it). Set-up for editors: docs/editors.md", err=True)
    serve()
    return 0

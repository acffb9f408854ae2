"""``policycheck fmt``: rewrite policies in canonical layout, or check that they are."""

from __future__ import annotations

import difflib
import os
import sys

import click

from policycheck.cli.common import echo_err, echo_errors
from policycheck.errors import PolicycheckError, PolicyLoadError
from policycheck.policy.layout import format_policy_text
from policycheck.policy.loader import MAX_POLICY_BYTES, policy_files_under, read_policy_text
from policycheck.textfile import decode_text, read_file_bytes, write_file_atomically


def _policy_files(paths: tuple[str, ...], errors: list[PolicycheckError]) -> list[str]:
    files = []
    for given in paths:
        if os.path.isdir(given):
            found = policy_files_under(given, errors)
            if not found and not errors:
                errors.append(PolicyLoadError("holds no *.policy files", path=given))
            files.extend(found)
        elif os.path.lexists(given):          # a file, or something the reader refuses by name
            files.append(given)
        else:
            errors.append(PolicyLoadError("no such policy file or directory", path=given))
    return files


def _write(path: str, text: str) -> None:
    write_file_atomically(path, text, error=PolicyLoadError)


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file is not in canonical form.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes instead of writing.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the formatted text instead of writing files.")
def command(paths: tuple[str, ...], check: bool, show_diff: bool, to_stdout: bool) -> int:
    """Rewrite POLICIES (files or directories, searched for *.policy) in canonical layout.

    Comments are kept; only layout changes, so each file means exactly what it meant before.
    Give - to read one policy from standard input and print it formatted.

    \b
    Exit codes: 0 all files canonical (or rewritten); 1 with --check, when a file would change;
    2 when a file cannot be read or does not parse (the other files are still formatted).
    """
    errors: list[PolicycheckError] = []
    if paths == ("-",):
        try:
            binary = getattr(sys.stdin, "buffer", None)     # absent when stdin is replaced by text
            data = binary.read(MAX_POLICY_BYTES + 1) if binary is not None else \
                sys.stdin.read(MAX_POLICY_BYTES + 1).encode("utf-8", "surrogateescape")
            if len(data) > MAX_POLICY_BYTES:
                raise PolicyLoadError(f"is more than {MAX_POLICY_BYTES} bytes; a policy file may have at most "
                                      f"{MAX_POLICY_BYTES}", path="<stdin>")
            text = decode_text(data, path="<stdin>", kind="policy", error=PolicyLoadError, reject_binary=True)
            formatted = format_policy_text(text, "<stdin>")
        except PolicycheckError as exc:
            echo_errors([exc])
            return 2
        if check:
            return 0 if formatted == text else 1
        click.echo(formatted, nl=False)
        return 0
    changed = []
    for path in _policy_files(paths, errors):
        try:
            text = read_policy_text(path)
            formatted = format_policy_text(text, path)
            unchanged = read_file_bytes(path, kind="policy", max_bytes=MAX_POLICY_BYTES,
                                        error=PolicyLoadError) == formatted.encode("utf-8")
        except PolicycheckError as exc:
            errors.append(exc)
            continue
        if to_stdout:
            click.echo(formatted, nl=False)
        if unchanged:
            continue
        changed.append(path)
        if show_diff:
            click.echo("".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                    f"{path} (before)", f"{path} (formatted)")), nl=False)
        if check or show_diff or to_stdout:
            continue
        try:
            _write(path, formatted)
        except PolicycheckError as exc:
            errors.append(exc)
    for path in changed:
        verb = "would reformat" if (check or show_diff or to_stdout) else "reformatted"
        echo_err(f"{verb} {path}")
    echo_errors(errors)
    if errors:
        return 2
    return 1 if check and changed else 0

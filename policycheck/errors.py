"""The one exception hierarchy of policycheck.

Every error a user can cause is a PolicycheckError. Errors that point into a file carry the
path, line and column, and render with the source line and a caret under the column.
"""

from __future__ import annotations

import os

# Set by ``policycheck --debug`` for the whole run, worker processes included.
DEBUG_ENVIRONMENT = "POLICYCHECK_DEBUG"


def debugging() -> bool:
    """True while ``--debug`` asked for tracebacks."""
    return bool(os.environ.get(DEBUG_ENVIRONMENT))


def internal_error_message(exc: BaseException) -> str:
    """One line for an unexpected exception: what it was, and that it is our bug."""
    detail = " ".join(str(exc).split())
    return (f"internal error: {type(exc).__name__}: {detail} "
            "(a bug in policycheck; rerun with --debug for a traceback and report it)")


class PolicycheckError(Exception):
    """Base of every error policycheck reports to a user (exit code 2)."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, source_line: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.source_line = source_line
        self.hint = hint

    def location(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The message as shown to a user: location, message, source line with caret, hint."""
        head = f"{self.location()}: {self.message}" if (self.path or self.line) else self.message
        lines = [head]
        if self.source_line is not None and self.column is not None:
            shown, caret = _window(self.source_line.rstrip("\n").replace("\t", " "), self.column)
            lines.append(f"    {shown}")
            lines.append("    " + " " * (caret - 1) + "^")
        if self.hint:
            lines.append(f"    {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _window(line: str, column: int, width: int = 100) -> tuple[str, int]:
    """Cut a long source line to ``width`` characters around ``column``; return it and the caret."""
    if len(line) <= width:
        return line, max(column, 1)
    start = max(0, min(column - 1 - width // 2, len(line) - width))
    piece = line[start:start + width]
    caret = column - start
    if start > 0:
        piece = "..." + piece
        caret += 3
    if start + width < len(line):
        piece += "..."
    return piece, max(caret, 1)


class PolicySyntaxError(PolicycheckError):
    """A policy file does not follow the grammar."""


class PolicyCheckError(PolicycheckError):
    """A policy is well-formed but wrong: unknown fact, type mismatch, unknown code, duplicate id."""


class PolicyLoadError(PolicycheckError):
    """A policy file or include could not be read (missing, outside the tree, cycle)."""


class DocumentError(PolicycheckError):
    """A contract could not be read or decoded."""


class ConfigError(PolicycheckError):
    """A configuration, waiver, baseline or facts file is invalid."""


class UsageError(PolicycheckError):
    """The command line asks for something impossible."""

"""PolicycheckError -> an LSP diagnostic with the exact range of the word it is about.

The errors are those ``policycheck validate`` and ``policycheck test`` print; only the range
and, for a "did you mean X?" hint, the quick-fix replacement are worked out here.
"""

from __future__ import annotations

import re

from lsprotocol import types

from policycheck.errors import PolicycheckError, PolicySyntaxError
from policycheck.lsp.tokens import NAME, span_at

SOURCE = "policycheck"
_DID_YOU_MEAN = re.compile(r"did you mean \{?([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}?\?")
_PLACEHOLDER_ERROR = re.compile(r"message uses unknown fact \{([A-Za-z_][A-Za-z0-9_]*)\}")
_OTHER_PLACE = re.compile(r"(?:also|already) defined at (.+):(\d+)$")
_WRITE = re.compile(r"write (\S+)$")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_YAML_KEY = re.compile(r"\s*(?:-\s+)?([^:#\s][^:#]*?)\s*:")


def _code(error: PolicycheckError) -> str:
    names = {"PolicySyntaxError": "syntax", "PolicyCheckError": "check", "PolicyLoadError": "load",
             "TestFileError": "test-file", "ConfigError": "config"}
    return names.get(type(error).__name__, "error")


def error_range(error: PolicycheckError, lines: list[str]) -> types.Range:
    """Where ``error`` points, as characters of ``lines`` (the file's text split at newlines)."""
    if error.line is None or not 0 < error.line <= len(lines):
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    number = error.line - 1
    text = lines[number]
    character = max((error.column or 1) - 1, 0)
    placeholder = _PLACEHOLDER_ERROR.match(error.message)
    if placeholder:
        # The error stands on the message string; the word to fix is the name inside its braces.
        found = text.find("{" + placeholder.group(1) + "}", character)
        if found >= 0:
            start = found + 1
            return types.Range(types.Position(number, start),
                               types.Position(number, start + len(placeholder.group(1))))
    if error.path and error.path.endswith(".yaml"):
        start, end = _yaml_span(text, character)
    else:
        start, end = span_at(text, character, follow_anchor=not isinstance(error, PolicySyntaxError))
    return types.Range(types.Position(number, start), types.Position(number, end))


def _yaml_span(text: str, character: int) -> tuple[int, int]:
    """A YAML error stands on a key (to the colon) or a value (to the end of the line)."""
    rest = text[character:]
    key = _YAML_KEY.match(rest)
    if key and not rest.lstrip().startswith(("'", '"')):
        return character + key.start(1), character + key.end(1)
    if rest[:1] in ("'", '"'):
        closing = rest.find(rest[0], 1)
        return character, character + (closing + 1 if closing > 0 else len(rest.rstrip()))
    value = re.split(r"[,}\]]| #", rest)[0].rstrip()      # a flow mapping's value ends at , } ]
    return character, character + len(value)


def replacement(error: PolicycheckError, lines: list[str], where: types.Range) -> str | None:
    """The text a hint offers for the range: "did you mean X?" for a word, "write 99.9%" for a
    number where a percent belongs, "compare with ==" for a single '='."""
    hint = error.hint or ""
    if where.start.line != where.end.line or not 0 <= where.start.line < len(lines):
        return None
    current = lines[where.start.line][where.start.character:where.end.character]
    if current == "=" and hint.startswith("compare with =="):
        return "=="
    written = _WRITE.match(hint)
    if written and NUMBER.fullmatch(current) and written.group(1).startswith(current):
        return written.group(1)
    match = _DID_YOU_MEAN.search(hint)
    if not match:
        return None
    if not NAME.fullmatch(current.strip("'\"")) and not re.fullmatch(r"[A-Za-z0-9_.\-]+", current):
        return None
    suggestion = match.group(1)
    return suggestion if suggestion != current else None


def other_place(error: PolicycheckError) -> tuple[str, int] | None:
    """Where the first of two duplicates is (path, 0-based line), for a duplicate id or set."""
    match = _OTHER_PLACE.search(error.message)
    return (match.group(1), int(match.group(2)) - 1) if match else None


def to_diagnostic(error: PolicycheckError, lines: list[str]) -> types.Diagnostic:
    where = error_range(error, lines)
    message = error.message + (f"\n{error.hint}" if error.hint else "")
    data = None
    fix = replacement(error, lines, where)
    if fix is not None:
        data = {"replacement": fix}
    return types.Diagnostic(range=where, message=message, severity=types.DiagnosticSeverity.Error,
                            source=SOURCE, code=_code(error), data=data)

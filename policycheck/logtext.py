"""Text that a terminal or a CI log shows, made inert.

Names, messages and evidence come from the repository under check, which in a pre-merge check
is the pull request's author's: a file named ``x<newline>::error file=README.md::...``, a policy
message or a clause may try to start a GitHub workflow command (a line beginning with ``::``, or
``##[`` anywhere in it) or move a terminal's cursor with an escape sequence. ``terminal_text``
makes one value safe wherever it is printed; ``log_lines`` checks whole lines of output, the
last guard of everything written to the terminal.
"""

from __future__ import annotations

import re

# C0/C1 control characters except tab and line breaks, and the Unicode bidirectional controls
# that make a terminal show text in another order than it is stored ("Trojan source"), and lone
# surrogates (a file name that is not UTF-8) which no output could encode.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
# The colour codes policycheck itself adds (Select Graphic Rendition): the only escapes let through.
_COLOUR = re.compile("\x1b\\[[0-9;]*m")
# What a CI runner reads as a command: a line that starts (after white space, or a colour code
# that hides nothing from the runner) with "::" (GitHub), or "##[" / "##vso[" anywhere (GitHub's
# older syntax, Azure Pipelines).
_COMMAND_START = re.compile("^((?:\\s|\x1b\\[[0-9;]*m)*)::", re.MULTILINE)
_OLD_COMMAND = re.compile(r"##(?=(?:vso)?\[)", re.IGNORECASE)
REPLACEMENT = "\ufffd"


def _defuse(text: str) -> str:
    text = _COMMAND_START.sub(lambda match: match.group(1) + "\\::", text)
    return _OLD_COMMAND.sub("#\\\\#", text)


def terminal_text(value: object) -> str:
    """One value as one line of inert text: control characters become U+FFFD, line breaks a
    space, and a start that a CI runner would read as a command gets a backslash."""
    text = _LINE_BREAK.sub(" ", str(value))
    return _defuse(_CONTROL.sub(REPLACEMENT, text))


def log_lines(text: str, *, colour: bool = False) -> str:
    """Several lines of output with no line that starts a command and no control character
    (policycheck's own colour codes are kept when ``colour``)."""
    codes = _COLOUR.findall(text) if colour else []
    pieces = [_CONTROL.sub(REPLACEMENT, piece.replace("\r\n", "\n").replace("\r", REPLACEMENT))
              for piece in (_COLOUR.split(text) if colour else [text])]
    return _defuse(pieces[0] + "".join(code + piece for code, piece in zip(codes, pieces[1:])))


def control_free(text: str) -> str:
    """``text`` with its control characters (but not its line breaks) made U+FFFD, for a format
    that encodes line breaks itself (GitHub's workflow-command data)."""
    return _CONTROL.sub(REPLACEMENT, text)


# Formats whose own syntax keeps a quoted value from starting a line; only "##[" needs care
# there, written with an escape the format itself undoes.
_ENCODED_HASH = {"json": "#\\u0023", "sarif": "#\\u0023", "junit": "#&#35;", "html": "#&#35;"}


def guarded_output(format_name: str | None, text: str, *, colour: bool = False) -> str:
    """A report as it may go to a terminal or CI log (standard output), by its format: GitHub's
    workflow commands are meant as commands (their data is escaped where they are made); JSON,
    SARIF, JUnit and HTML keep their syntax valid; everything else is text and passes
    ``log_lines``."""
    if format_name == "github":
        return text
    if format_name in _ENCODED_HASH:
        return _OLD_COMMAND.sub(_ENCODED_HASH[format_name].replace("\\", "\\\\"), text)
    return log_lines(text, colour=colour)

"""``.policycheckignore``: gitignore patterns that keep contracts out of a run.

The syntax is gitignore's: ``#`` comments, ``!`` re-includes, a trailing ``/`` matches only
directories, a pattern with a ``/`` before its end is anchored at the file's directory (one
without matches a name at any depth), ``*``, ``?``, ``[...]`` and ``**``, a backslash escapes.
A path is ignored when one of its directories is, or when the last pattern that matches it
does not start with ``!``. Patterns are matched by the linear-time globs of
``policycheck.workflow.globs``, so no pattern in a pull request can stall a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from policycheck.errors import ConfigError
from policycheck.textfile import read_text_file
from policycheck.workflow.globs import Glob, GlobError, glob_from_segments

IGNORE_FILE = ".policycheckignore"
MAX_IGNORE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class IgnorePattern:
    glob: Glob
    negated: bool
    directories_only: bool


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "                                  # "\ " keeps one escaped space
    return stripped


def parse_pattern(line: str) -> IgnorePattern | None:
    """One line of an ignore file as a pattern, or None for a blank line or a comment."""
    text = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    if negated:
        text = text[1:]
    elif text.startswith(("\\#", "\\!")):
        text = text[1:]
    directories_only = text.endswith("/")
    text = text.rstrip("/")
    if not text:
        return None
    anchored = "/" in text
    segments = [segment for segment in text.lstrip("/").split("/") if segment]
    if not anchored:
        segments = ["**", *segments]
    return IgnorePattern(glob_from_segments(segments, line, escapes=True), negated, directories_only)


class IgnoreRules:
    """The patterns of one ``.policycheckignore``, matched against paths relative to its directory."""

    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.root = os.path.abspath(os.path.dirname(path) or ".")
        self.lines = tuple(lines)      # as read: what a Dask worker rebuilds the rules from
        patterns = []
        for number, line in enumerate(lines, start=1):
            try:
                pattern = parse_pattern(line)
            except GlobError as exc:
                raise ConfigError(f"bad pattern: {exc}", path=path, line=number) from None
            if pattern is not None:
                patterns.append(pattern)
        self.patterns = tuple(patterns)

    @classmethod
    def read(cls, path: str) -> "IgnoreRules":
        text = read_text_file(path, kind="ignore", max_bytes=MAX_IGNORE_BYTES, error=ConfigError)
        return cls(path, text.split("\n"))

    def _last_verdict(self, relative: str, is_dir: bool) -> bool | None:
        verdict = None
        for pattern in self.patterns:
            if pattern.directories_only and not is_dir:
                continue
            if pattern.glob.matches(relative):
                verdict = not pattern.negated
        return verdict

    def ignores(self, path: str, is_dir: bool = False) -> bool:
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative == os.curdir or relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return False
        parts = relative.replace(os.sep, "/").split("/")
        # A file inside an ignored directory stays ignored, as in git.
        for depth in range(1, len(parts)):
            if self._last_verdict("/".join(parts[:depth]), True):
                return True
        return bool(self._last_verdict("/".join(parts), is_dir))


def find_ignore_rules(root: str) -> IgnoreRules | None:
    """The ignore rules of the ``.policycheckignore`` in ``root``, if there is one."""
    path = os.path.join(root, IGNORE_FILE)
    return IgnoreRules.read(path) if os.path.lexists(path) else None

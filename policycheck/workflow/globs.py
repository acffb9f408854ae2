"""Path globs of the configuration: ``contracts/**/*.md``, ``contracts/china/**``.

A glob is matched against a path relative to the directory of the file that names it, with
``/`` as separator. ``*`` and ``?`` stay inside one path segment, ``**`` spans any number of
segments (including none), ``[abc]`` / ``[!abc]`` are character classes, and a glob ending in
``/`` means everything below that directory. Globs are compiled once into anchored regexes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


class GlobError(ValueError):
    """A glob that cannot mean anything: the message says why."""


@dataclass(frozen=True)
class Glob:
    """A path glob of the configuration, compiled to a regex over relative paths."""

    pattern: str
    regex: re.Pattern

    def matches(self, relative_path: str) -> bool:
        return self.regex.fullmatch(relative_path) is not None


def _segment_regex(segment: str, pattern: str) -> str:
    out = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            while index + 1 < len(segment) and segment[index + 1] == "*":
                index += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = segment.find("]", index + 2 if segment[index + 1:index + 2] in ("!", "^", "]") else index + 1)
            if end == -1:
                raise GlobError(f"'{pattern}': '[' at position {pattern.find(segment) + index + 1} is never closed")
            body = segment[index + 1:end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            if not body:
                raise GlobError(f"'{pattern}': empty character class []")
            body = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
            out.append(f"[{'^/' if negate else ''}{body}]" if negate else f"[{body}]")
            index = end
        elif char == "]":
            raise GlobError(f"'{pattern}': ']' without an opening '['")
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def compile_glob(pattern: str) -> Glob:
    """Compile a glob relative to its base directory; GlobError says what is wrong."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise GlobError("a glob must be a non-empty string")
    text = pattern.strip().replace("\\", "/") if os.sep == "\\" else pattern.strip()
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        raise GlobError(f"'{pattern}' is absolute; globs are relative to the directory of the file naming them")
    if text.startswith("./"):
        text = text[2:]
    if text.endswith("/"):
        text += "**"
    segments = text.split("/")
    if any(segment == ".." for segment in segments):
        raise GlobError(f"'{pattern}' leaves its directory ('..'); globs stay inside the repository")
    if any(segment == "" for segment in segments):
        raise GlobError(f"'{pattern}' has an empty path segment ('//')")
    parts = []
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]+/)*")
        else:
            parts.append(_segment_regex(segment, pattern) + ("" if last else "/"))
    return Glob(pattern, re.compile("".join(parts), re.DOTALL))


def relative_to(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` with ``/`` separators, or None when it lies outside ``base``."""
    absolute, root = os.path.abspath(path), os.path.abspath(base)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:
        return None
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def any_match(globs, path: str, base: str) -> bool:
    relative = relative_to(path, base)
    return relative is not None and any(glob.matches(relative) for glob in globs)

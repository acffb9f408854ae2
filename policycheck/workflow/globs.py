"""Path globs of the configuration: ``contracts/**/*.md``, ``contracts/china/**``.

A glob is matched against a path relative to the directory of the file that names it, with
``/`` as separator. ``*`` and ``?`` stay inside one path segment, ``**`` spans any number of
segments (including none), ``[abc]`` / ``[!abc]`` are character classes, and a glob ending in
``/`` means everything below that directory. Globs are compiled once into small automata that
match a path in time linear in its length, whatever the glob (no backtracking).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Callable


class GlobError(ValueError):
    """A glob that cannot mean anything: the message says why."""


# One step of a compiled glob: a predicate on one character and the state it leads to.
_Step = tuple[Callable[[str], bool], int]


def _not_slash(char: str) -> bool:
    return char != "/"


def _any(char: str) -> bool:
    return True


class _Machine:
    """A glob as a small nondeterministic automaton, run on a path by keeping the set of states
    it can be in: time linear in the path for a given glob (a backtracking regex takes 2^n steps
    on ``*a*a*a*a*b`` against a long name)."""

    def __init__(self) -> None:
        self.steps: list[list[_Step]] = [[]]
        self.empty: list[list[int]] = [[]]     # moves that read nothing

    def state(self) -> int:
        self.steps.append([])
        self.empty.append([])
        return len(self.steps) - 1

    def closure(self, states) -> frozenset[int]:
        seen = set(states)
        pending = list(states)
        while pending:
            for following in self.empty[pending.pop()]:
                if following not in seen:
                    seen.add(following)
                    pending.append(following)
        return frozenset(seen)

    def accepts(self, text: str, final: int) -> bool:
        current = self.closure([0])
        for char in text:
            moved = {target for state in current for accepts, target in self.steps[state] if accepts(char)}
            if not moved:
                return False
            current = self.closure(moved)
        return final in current


@dataclass(frozen=True)
class Glob:
    """A path glob of the configuration, compiled to an automaton over relative paths."""

    pattern: str
    machine: _Machine = field(repr=False, compare=False)
    final: int = 0

    def matches(self, relative_path: str) -> bool:
        return self.machine.accepts(relative_path, self.final)


def _class_predicate(body: str, negate: bool) -> Callable[[str], bool]:
    # One character against one bracket expression: a regex of a single class cannot backtrack.
    body = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
    single = re.compile(f"[{body}]", re.DOTALL)
    if negate:
        return lambda char: char != "/" and single.fullmatch(char) is None
    return lambda char: char != "/" and single.fullmatch(char) is not None


def _add_segment(machine: _Machine, state: int, segment: str, pattern: str, escapes: bool) -> int:
    """Add the states reading one path segment (no "/") from ``state``; return the last."""
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            while index + 1 < len(segment) and segment[index + 1] == "*":
                index += 1
            loop = machine.state()
            machine.empty[state].append(loop)
            machine.steps[loop].append((_not_slash, loop))
            state = loop
        elif char == "?":
            following = machine.state()
            machine.steps[state].append((_not_slash, following))
            state = following
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
            following = machine.state()
            machine.steps[state].append((_class_predicate(body, negate), following))
            state = following
            index = end
        elif char == "]":
            raise GlobError(f"'{pattern}': ']' without an opening '['")
        else:
            if escapes and char == "\\" and index + 1 < len(segment):
                index += 1
                char = segment[index]
            following = machine.state()
            machine.steps[state].append(((lambda wanted: lambda got: got == wanted)(char), following))
            state = following
        index += 1
    return state


def glob_from_segments(segments: list[str], pattern: str, escapes: bool = False) -> Glob:
    """The glob of path segments ("**" spans any number of segments, even none)."""
    machine = _Machine()
    state = 0
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == "**":
            if last:                                   # everything below: any characters at all
                loop = machine.state()
                machine.empty[state].append(loop)
                machine.steps[loop].append((_any, loop))
                state = loop
            else:                                      # (?:[^/]+/)*: whole segments, or none
                inside, after = machine.state(), machine.state()
                machine.empty[state].append(after)
                machine.steps[state].append((_not_slash, inside))
                machine.steps[inside].append((_not_slash, inside))
                machine.steps[inside].append(((lambda char: char == "/"), state))
                state = after
        else:
            state = _add_segment(machine, state, segment, pattern, escapes)
            if not last:
                following = machine.state()
                machine.steps[state].append(((lambda char: char == "/"), following))
                state = following
    return Glob(pattern, machine, state)


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
    return glob_from_segments(segments, pattern)


@lru_cache(maxsize=1024)
def name_pattern(pattern: str) -> Glob:
    """A pattern over a name with no path in it (a rule id): ``*`` and ``?`` match any
    characters, ``[...]`` a class; matched in linear time like the path globs."""
    if "/" in pattern:
        # A rule id holds no "/": the pattern is compared character by character.
        machine = _Machine()
        state = 0
        for char in pattern:
            following = machine.state()
            machine.steps[state].append(((lambda wanted: lambda got: got == wanted)(char), following))
            state = following
        return Glob(pattern, machine, state)
    return glob_from_segments([pattern], pattern)


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

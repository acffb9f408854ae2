"""A regular expression compiled when first used.

A rule's cue regexes (negation, exclude, context) are needed only once one of its patterns has
matched, which most rules a run selects never do; shipped rules' cues are therefore compiled at
their first search (a test compiles every one of them), users' when their file is loaded, so a
bad cue is reported with its file.
"""

from __future__ import annotations

import re

from policycheck.patternstore import compile_pattern


class LazyRegex:
    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = compile_pattern(self.pattern, self.flags)
        return self._compiled

    def search(self, *args):
        return self.compiled().search(*args)

    def finditer(self, *args):
        return self.compiled().finditer(*args)

    def fullmatch(self, *args):
        return self.compiled().fullmatch(*args)

    def match(self, *args):
        return self.compiled().match(*args)

    def sub(self, *args):
        return self.compiled().sub(*args)

    def __getstate__(self):
        return (self.pattern, self.flags)

    def __setstate__(self, state) -> None:
        self.pattern, self.flags = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r}, {self.flags!r})"

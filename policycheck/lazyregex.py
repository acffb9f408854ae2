"""A regular expression compiled when first used.

A rule's cue regexes (negation, exclude, context) are needed only once one of its patterns has
matched, which most rules a run selects never do; shipped rules' cues are therefore compiled at
their first search (a test compiles every one of them), users' when their file is loaded, so a
bad cue is reported with its file.

A regex that ignores case is, where its case means nothing, written in lower case and run on the
lower-cased text (``LazyRegex.ignoring_case``): cue regexes and the slots' value finders alike.
"""

from __future__ import annotations

import re

from policycheck.patternstore import compile_pattern


def lower_in_place(text: str) -> str | None:
    """``text`` in lower case, position for position; None when lower-casing would move
    positions (a character whose lower case is two, such as a dotted capital I)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def lower_case_regex(pattern: str) -> str | None:
    """``pattern`` for text in lower case, read case-sensitively: ``re`` runs that about twice as
    fast as the pattern ignoring case on the text as written (under IGNORECASE every
    alternative of an alternation is entered; in case it is passed over on its first letter).
    Letters are lowered outside escapes (``\\S`` stays what it is); None when the pattern's
    case means something (an inline case flag such as ``(?-i:...)``, which reads capitals) or
    it may write a letter by its number (``\\x41``, ``\\u0041``, ``\\N{...}``, octal)."""
    if "(?-i" in pattern or "(?i" in pattern:
        return None
    out: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            if char in "xuUN0123456789":
                return None
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        else:
            out.append(char.lower())
    return "".join(out)


# Rules of one fact often share their cue words (the same exclude list in each): one regex
# compiled per text and flags serves them all.
_COMPILED: dict[tuple[str, int], re.Pattern] = {}
_KEPT = 2048


class LazyRegex:
    """A regex compiled at its first use. A ``lowered`` one is written in lower case for the
    lower-cased text, which it lowers itself: ``re`` compiles and runs a case-sensitive regex
    quicker than one that ignores case. Where lowering a text would move positions (a dotted
    capital I lowers to two characters), the text is read as written, ignoring case."""

    __slots__ = ("pattern", "flags", "lowered", "_compiled", "_any_case", "_written")

    def __init__(self, pattern: str, flags: int = 0, lowered: bool = False, written: str | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.lowered = lowered
        self._compiled: re.Pattern | None = None
        self._any_case: re.Pattern | None = None
        # A lowered regex not yet compiled: the pattern as written, read ignoring case should
        # ``re`` refuse the lowered form (``ignoring_case(..., now=False)``).
        self._written = written

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            if self._written is not None:
                written, self._written = self._written, None
                try:
                    self._compiled = _compile(self.pattern, self.flags)
                except re.error:    # a class range whose ends swap when lowered ([Z-a])
                    self.pattern, self.flags, self.lowered = written, self.flags | re.IGNORECASE, False
                    self._compiled = _compile(self.pattern, self.flags)
            else:
                self._compiled = _compile(self.pattern, self.flags)
        return self._compiled

    @classmethod
    def ignoring_case(cls, pattern: str, flags: int = 0, now: bool = True) -> "LazyRegex":
        """``pattern`` ignoring case: lowered (``lower_case_regex``) where its case means
        nothing; where ``re`` refuses the lowered form (a class range whose ends swap, ``[Z-a]``),
        the pattern as written, ignoring case. ``now``: compiled at once; otherwise at its first
        use (``lowered`` is only final once the regex is compiled: ``reading`` compiles first)."""
        lowered = lower_case_regex(pattern)
        if lowered is None:
            return cls(pattern, flags | re.IGNORECASE)
        regex = cls(lowered, flags, lowered=True, written=pattern)
        if now:
            regex.compiled()
        return regex

    def reading(self, text: str, lowered: str | None) -> tuple[re.Pattern, str]:
        """The regex and the text it reads for ``text``, whose ``lower_in_place`` a caller that
        searches it with several regexes keeps and passes (unused when the regex is not lowered)."""
        compiled = self._compiled or self.compiled()
        if not self.lowered:
            return compiled, text
        if lowered is not None:
            return compiled, lowered
        if self._any_case is None:
            self._any_case = _compile(self.pattern, self.flags | re.IGNORECASE)
        return self._any_case, text

    def _reading(self, text: str) -> tuple[re.Pattern, str]:
        if self._compiled is None:
            self.compiled()
        return self.reading(text, lower_in_place(text) if self.lowered else None)

    def search(self, text: str, *args):
        regex, text = self._reading(text)
        return regex.search(text, *args)

    def fullmatch(self, text: str, *args):
        regex, text = self._reading(text)
        return regex.fullmatch(text, *args)

    def sub(self, replacement, text: str, *args):
        if self._compiled is None:
            self.compiled()
        if self.lowered:
            raise TypeError("a lowered regex does not substitute: its matches are of the lowered text")
        return self.compiled().sub(replacement, text, *args)

    def __getstate__(self):
        return (self.pattern, self.flags, self.lowered, self._written)

    def __setstate__(self, state) -> None:
        self.__init__(*state)

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r}, {self.flags!r}{', lowered=True' if self.lowered else ''})"


def _compile(pattern: str, flags: int) -> re.Pattern:
    key = (pattern, int(flags))
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) >= _KEPT:
            _COMPILED.pop(next(iter(_COMPILED)))
        found = _COMPILED[key] = compile_pattern(pattern, flags)
    return found

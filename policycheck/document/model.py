"""The Document: decoded text, positions, and segments (sentences with their language)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from policycheck.lazyregex import LazyRegex

# How far an evidence excerpt reaches beyond the quote on each side, in characters.
EXCERPT_REACH = 200
_SENTENCE_END = re.compile(r"[.!?;:](?=\s)|[。！？；]|\n[ \t]*\n")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Span:
    """A stretch of the original file: 1-based lines and columns, end column inclusive.

    ``before`` and ``after`` are the rest of the sentence around the quote (whitespace folded,
    "..." where cut), so a report can show the quote in its context without the document.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    # Where a reader finds the text in an office file: (("page", 3),) or (("paragraph", 12),).
    location: tuple[tuple[str, int], ...] = ()
    before: str = field(default="", compare=False)
    after: str = field(default="", compare=False)

    def as_dict(self) -> dict:
        data = {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "text": self.text}
        data.update(self.location)
        return data


@dataclass(frozen=True)
class Segment:
    """One sentence (or clause-sized piece) of the document, in one language."""

    start: int
    end: int
    language: str          # "en" or "zh"
    heading: str = ""      # the nearest heading above, for scoping rules to a section


@dataclass
class Document:
    """A contract's text with its sentences (segments) and the means to turn offsets into lines."""

    path: str
    text: str
    encoding: str = "utf-8"
    segments: list[Segment] = field(default_factory=list)
    # For text extracted from an office file: per line (index line - 1), where it is in the original.
    line_locations: list[tuple[tuple[str, int], ...]] | None = field(default=None, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _segment_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self._line_starts:
            starts = [0]
            find = self.text.find
            index = find("\n")
            while index != -1:
                starts.append(index + 1)
                index = find("\n", index + 1)
            self._line_starts = starts

    @property
    def languages(self) -> list[str]:
        """Languages that hold a real share of the text (not a stray word)."""
        return self.languages_except(frozenset())

    def languages_except(self, left_out: frozenset[int]) -> list[str]:
        """Languages that hold a real share of the text, the segments of these indices left out
        (text in a language policycheck does not read)."""
        sizes: dict[str, int] = {}
        total = 0
        for index, segment in enumerate(self.segments):
            total += segment.end - segment.start
            if index not in left_out:
                sizes[segment.language] = sizes.get(segment.language, 0) + (segment.end - segment.start)
        total = total or 1
        return sorted(lang for lang, size in sizes.items() if size >= 0.05 * total or size >= 200)

    def segment_text(self, segment: Segment) -> str:
        return self.text[segment.start:segment.end]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line_index = bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end]

    def span(self, start: int, end: int, segment: Segment | None = None) -> Span:
        """The Span for text[start:end] (end exclusive), with whitespace runs folded in the quote.

        ``segment`` is the sentence holding the quote when the caller has it at hand (an
        extractor does); otherwise the segmentation is searched for it."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        quote = _fold(self.text[start:end])
        location = ()
        if self.line_locations and line <= len(self.line_locations):
            location = self.line_locations[line - 1]
        sentence = (segment.start, segment.end) if segment is not None else self._sentence_bounds(start, end)
        before, after = excerpt_around(self.text, start, end, sentence)
        return Span(line, column, end_line, end_column, quote, location, before, after)


    def _sentence_bounds(self, start: int, end: int) -> tuple[int, int] | None:
        """Start and end of the sentence(s) holding text[start:end], from the segmentation."""
        if not self.segments:
            return None
        if len(self._segment_starts) != len(self.segments):
            self._segment_starts = [segment.start for segment in self.segments]
        first = bisect_right(self._segment_starts, start) - 1
        last = bisect_right(self._segment_starts, max(start, end - 1)) - 1
        if first < 0 or self.segments[first].end <= start:
            return None
        return self.segments[first].start, max(end, self.segments[last].end)


# A line break inside a Chinese sentence, or before or after a number in one, is no space in the
# sentence. One regex for the written text (full-width marks) and for the folded text rules read
# (ASCII marks): the quote of a fact joins such lines, and so does the text its rule matched.
_CJK = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
CHINESE_WRAP = (rf"(?<=[{_CJK}，、：（(:,\"“])[ \t\u3000]*\n\s*(?=[{_CJK}0-9０-９（(\"“，,、。；;：:）)])"
                rf"|(?<=[0-9０-９])[ \t\u3000]*\n\s*(?=[{_CJK}])")
_CJK_WRAP = LazyRegex(CHINESE_WRAP)     # compiled when a quote first spans a line break


def _fold(text: str) -> str:
    """Whitespace runs folded to one space, and Chinese line wraps joined."""
    if "\n" in text:
        text = _CJK_WRAP.sub("", text)
    return " ".join(text.split())


def excerpt_around(text: str, start: int, end: int, sentence: tuple[int, int] | None = None,
                   reach: int = EXCERPT_REACH) -> tuple[str, str]:
    """The sentence around text[start:end]: what precedes the quote and what follows, folded.

    ``sentence`` is the sentence's (start, end) when the segmentation knows it; otherwise the
    excerpt stops at a sentence end or a blank line. Either way it reaches at most ``reach``
    characters each side, cut at a space where there is one and marked with "...". One space
    next to the quote survives, so before + quote + after reads as the sentence.
    """
    if sentence is not None:
        head_start, tail_end = sentence
        head_cut, tail_cut = start - head_start > reach, tail_end - end > reach
        head = text[max(head_start, start - reach):start]
        tail = text[end:min(tail_end, end + reach)]
    else:
        window_start = max(0, start - reach)
        head = text[window_start:start]
        boundary = None
        for boundary in _SENTENCE_END.finditer(head):
            pass
        if boundary is not None:
            head = head[boundary.end():]
        head_cut = boundary is None and window_start > 0
        window_end = min(len(text), end + reach)
        tail = text[end:window_end]
        stop = _SENTENCE_END.search(tail)
        if stop is not None:
            tail = tail[:stop.end()] if not _PARAGRAPH_BREAK.match(tail, stop.start()) else tail[:stop.start()]
        tail_cut = stop is None and window_end < len(text)
    if head_cut:
        space = head.find(" ")
        head = "..." + (head[space + 1:] if 0 <= space < len(head) // 2 else head)
    if tail_cut:
        space = tail.rfind(" ")
        tail = (tail[:space] if space > len(tail) // 2 else tail) + "..."
    before = _fold(head) + (" " if head[-1:].isspace() and head.strip() else "")
    after = (" " if tail[:1].isspace() and tail.strip() else "") + _fold(tail)
    return before, after

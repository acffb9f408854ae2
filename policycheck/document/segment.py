"""Split a document into sentences that know their language and section heading.

Wrapped English paragraphs (one sentence over several lines) are read as one block; headings
and clause numbers (``I.``, ``一、``, ``第三条``, ``1.1``, ``(a)``) start a new block and are
left out of the sentence, so a clause number is never read as a quantity.
"""

from __future__ import annotations

import re

from policycheck.document.model import Segment
from policycheck.patternstore import compile_pattern
from policycheck.values.numbers import parse_english_words

_CLAUSE_MARKER = compile_pattern(
    r"[ \t\u3000]*(?:"
    r"第[一二三四五六七八九十百零〇两0-9０-９]{1,6}[条條章节節款部分]+[、.．:：\s\u3000]*"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[(（][一二三四五六七八九十0-9０-９a-zA-Z]{1,3}[)）][、.．]?"
    r"|[0-9０-９]{1,3}(?:[.．][0-9０-９]{1,3}){0,4}(?:[.．、)）]|(?=[ \t\u3000]))"
    r"|(?:[IVXLC]{1,6}|[ivxlc]{1,6})[.)](?=[ \t])"
    r"|[a-zA-Z][.)](?=[ \t])"
    r"|[①-⑳]|[•·▪●◦\-\*–](?=[ \t])"
    r")[ \t\u3000]*"
)
_TERMINAL = "。！？!?；;:：.\"”’)）"
_CLOSING = "\"”’)）'」』"
# A sentence ends at Chinese or English final punctuation with the closing quotes or brackets
# after it; an English full stop only before a space and a capital, digit, CJK character,
# opening quote or a list item lettered in lower case ("d." or "(d)"). As one regex:
#     [。！？!?]+[”’"』」)）]*  |  [.!?]+["”’)]*(?=\s+(?:["“(\[]?[A-Z0-9\u4e00-\u9fff]|\(?[a-z][.)]\s))
# _sentence_ends finds what that regex finds, in time linear in the text: the regex tried every
# full stop of a run of them up to the run's end (hours for a line of 100,000 dots).
_END_MARK = compile_pattern(r"[。！？!?.]")
_FINAL_MARKS = compile_pattern(r"[。！？!?]+[”’\"』」)）]*")
_STOPS = compile_pattern(r"([.!?]+)[\"”’)]*")
# ... or a list item lettered in lower case: "... to cure such breach. d. The Licensor may ..."
_NEXT_SENTENCE = compile_pattern(r"\s+(?:[\"“(\[]?[A-Z0-9\u4e00-\u9fff]|\(?[a-z][.)]\s)")
_BANG_OR_QUESTION = compile_pattern(r"[!?]")


def _sentence_ends(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence end in ``block``, left to right, as the regex above finds them."""
    ends: list[tuple[int, int]] = []
    position = 0
    failed_until = 0     # full stops before this belong to a run whose end starts no sentence
    while (mark := _END_MARK.search(block, position)) is not None:
        at = mark.start()
        if block[at] != ".":
            final = _FINAL_MARKS.match(block, at)       # always matches: ! ? 。！？ end a sentence
            ends.append(final.span())
            position = final.end()
        elif at < failed_until:
            # Another full stop of the same run: it fails as the first did. A ! or ? in the run
            # still ends a sentence on its own.
            bang = _BANG_OR_QUESTION.search(block, at, failed_until)
            position = bang.start() if bang else failed_until
        else:
            # Only the whole run (and its closing marks) can be followed by the next sentence: a
            # shorter match is followed by a mark, never by a space.
            stops = _STOPS.match(block, at)
            if _NEXT_SENTENCE.match(block, stops.end()):
                ends.append(stops.span())
                position = stops.end()
            else:
                failed_until = stops.end(1)
                position = at + 1
    return ends


_ABBREVIATION = compile_pattern(r"(?:\b(?:e\.g|i\.e|etc|inc|ltd|co|no|nos|mr|ms|dr|vs|art|sec|cf|st|corp|u\.s|p\.r)|\b[A-Z])$",
                           re.IGNORECASE)
_MAX_SEGMENT = 3000   # hostile input (a 1 MB line) is cut into pieces of at most this many chars
_WRAP_MIN_LINE = 40   # a shorter line without final punctuation is a heading, not a wrapped line
_WRAP_MAX_LINE = 130  # a longer line is a paragraph of its own (hard wraps are narrower), so the
                      # next line starting with a capital is a new paragraph, not its continuation


def _ends_with_number_word(line: str) -> bool:
    last = _LAST_WORD.search(line)
    return bool(last) and last.group(1).lower() not in ("a", "an") and parse_english_words(last.group(1)) is not None


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


# Characters are counted as runs matched by a regex, so the per-character loop stays in C and
# the Python work is per run: language detection runs on every sentence (as a Python loop per
# character, and then as a regex substitution per character, it was the largest cost of loading).
_CJK_RUN = compile_pattern("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]+")
_LATIN_RUN = compile_pattern("[A-Za-z]+")


def _count(run: re.Pattern, text: str, start: int, end: int) -> int:
    return sum(map(len, run.findall(text, start, end)))


def detect_language(text: str, start: int, end: int) -> str:
    """The language of text[start:end]: Chinese when its CJK characters are at least a third
    as many as its Latin letters."""
    cjk = _count(_CJK_RUN, text, start, end)
    if not cjk:
        return "en"
    if cjk * 4 >= end - start:
        return "zh"             # the rest cannot hold three times as many Latin letters
    return "zh" if cjk * 3 >= _count(_LATIN_RUN, text, start, end) else "en"


_BARE_NUMBER = compile_pattern(r"[ \t\u3000]*[0-9０-９]{1,3}[ \t\u3000]+")
# "not less than\n99.7 per cent", "within\n30 days": a number followed by a unit is a quantity.
_QUANTITY_AFTER = compile_pattern(r"(?:%|per\s*cent|percent|(?:calendar\s+|business\s+|working\s+)?"
                             r"(?:days?|hours?|minutes?|weeks?|months?|years?)\b)", re.IGNORECASE)
_BRACKETED_DIGITS = compile_pattern(r"[ \t]*\([0-9]{1,3}\)[ \t]*")
_LAST_WORD = compile_pattern(r"([A-Za-z]+(?:-[A-Za-z]+)?)\s*$")


# A line that only carries a page number: "12", "- 12 -", "Page 3 of 10".
_PAGE_FURNITURE = compile_pattern(r"[ \t]*(?:-\s*)?(?:[Pp]age\s+)?[0-9]{1,4}(?:\s+of\s+[0-9]{1,4})?(?:\s*-)?[ \t]*")
_ZH_QUANTITY_AFTER = compile_pattern(r"[ \t]*(?:%|％|个|個|天|日|周|週|月|年|小时|小時|分钟|分鐘|工作日|自然日)")
_ZH_WRAP_MIN_LINE = 16   # a shorter Chinese line without final punctuation is a heading
_ZH_OPEN_ENDS = "，,、：:（(“\"‘'"


def _wraps_chinese(line: str) -> bool:
    """A line of a Chinese sentence that goes on on the next line: it ends in a character, a
    digit or a mark that leaves the sentence open, and is long enough to be no heading."""
    stripped = line.strip()
    if not stripped or _ends_sentence(stripped):
        return False
    if _LABEL_LINE.match(stripped):
        return False          # "乙方（供方）：某某有限公司": a field of the heading, not a sentence
    last = stripped[-1]
    if last in _ZH_OPEN_ENDS:
        return any(_is_cjk(ch) for ch in stripped)
    return (_is_cjk(last) or last.isdigit()) and len(stripped) >= _ZH_WRAP_MIN_LINE and \
        sum(map(_is_cjk, stripped)) * 3 >= len(stripped)


_LABEL_LINE = compile_pattern(r"[^，,。；;]{1,16}[：:][^，,。；;]*$")
_ZH_NUMBER_LINE = compile_pattern(r"[ \t\u3000]*[0-9０-９]+(?:[.．][0-9０-９]+)?")


def _opens_chinese(line: str) -> bool:
    """A line of Chinese that stops without final punctuation (a number may go on from it)."""
    stripped = line.strip()
    return bool(stripped) and not _ends_sentence(stripped) and (_is_cjk(stripped[-1]) or stripped[-1] in _ZH_OPEN_ENDS)


def _starts_chinese_continuation(stripped: str) -> bool:
    first = stripped[0]
    return _is_cjk(first) or first.isdigit() or first in "（(“\"《，,、。；;：:）)”"


# Words no sentence or heading ends with: a line ending in one goes on on the next line,
# however short it is ("notify you at least\n30 days", "a term of twenty-four\n(24) months").
_OPEN_END = compile_pattern(
    r"(?<![A-Za-z])(?:least|than|of|to|for|within|by|the|a|an|and|or|at|be|is|are|in|on|with|from|after|"
    r"before|exceed|exceeding|per|up|most|under|over|about|following|shall|will|must|may)\s*$")


def _leaves_sentence_open(line: str) -> bool:
    stripped = line.rstrip()
    return bool(stripped) and (bool(_OPEN_END.search(stripped)) or _ends_with_number_word(stripped))


def _ends_with_abbreviation(line: str) -> bool:
    """Whether the line ends with an abbreviation's full stop ("Inc.", "e.g."), which a
    sentence may go on after."""
    stripped = line.rstrip()
    return stripped.endswith(".") and _ABBREVIATION.search(stripped, max(0, len(stripped) - 9),
                                                           len(stripped) - 1) is not None


def _ends_sentence(line: str) -> bool:
    """A line ends a sentence when its last mark (behind closing quotes/brackets) is final
    punctuation: "(60)" at a line end is a wrapped number, "... days.)" is an end."""
    stripped = line.rstrip().rstrip(_CLOSING)
    return not stripped or stripped[-1] in _TERMINAL


def _blocks(text: str):
    """Yield (start, end, body_start) for blocks: a paragraph or a run of wrapped lines."""
    lines = text.split("\n")
    offset = 0
    block_start = block_end = None
    body_start = None
    previous_line = ""
    # A paragraph cut by a page break: its last line runs on without final punctuation ("extended
    # for a period of 12", blank lines, "months, each ..."). It is held over the blank lines and
    # goes on if the next line opens with a small letter, as no new paragraph does, or the held
    # line ends with a word no paragraph ends with ("GOVERNED BY, THE": capitals tell nothing).
    held = None
    for line in lines:
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        stripped = line.strip()
        if not stripped:
            if block_start is not None:
                if len(previous_line.strip()) >= _WRAP_MIN_LINE and not _ends_sentence(previous_line):
                    held = (block_start, block_end, body_start, previous_line)
                else:
                    yield block_start, block_end, body_start
                block_start = None
            previous_line = ""
            continue
        resumed = False
        if held is not None:
            item = _CLAUSE_MARKER.match(line)
            if (stripped[0].islower() or _leaves_sentence_open(held[3].lower())) \
                    and not (item and item.end() > len(line) - len(line.lstrip())):
                block_start, block_end, body_start, previous_line = held
                resumed = True
            else:
                yield held[:3]
            held = None
        marker = _CLAUSE_MARKER.match(line)
        has_marker = bool(marker and marker.end() > 0 and marker.end() < len(line)
                          and not line[:marker.end()].isspace())
        if has_marker and _BARE_NUMBER.fullmatch(line[:marker.end()]) and block_start is not None \
                and _WRAP_MIN_LINE <= len(previous_line.strip()) <= _WRAP_MAX_LINE and not _ends_sentence(previous_line):
            # "notify you at least\n30 days before": a wrapped quantity, not clause 30.
            has_marker = False
        if has_marker and _QUANTITY_AFTER.match(line, marker.end()) and (
                block_start is not None and not _ends_sentence(previous_line)
                or _BARE_NUMBER.fullmatch(line[:marker.end()])):
            # "30 days before" after an open line, or "90 day warranty" opening a paragraph: a
            # quantity, not clause 30 or 90.
            has_marker = False
        if has_marker and _BRACKETED_DIGITS.fullmatch(line[:marker.end()]) and block_start is not None \
                and not _ends_sentence(previous_line) and _ends_with_number_word(previous_line):
            # "a term of twelve\n(12) months": the digits of a number in words, not clause (12).
            has_marker = False
        if block_start is not None and _PAGE_FURNITURE.fullmatch(line) and not _ends_sentence(previous_line):
            # A page number between two lines of one sentence: the sentence goes on after it.
            continue
        quantity = _ZH_NUMBER_LINE.match(line)
        wrapped_quantity = bool(quantity) and _ZH_QUANTITY_AFTER.match(line, quantity.end()) is not None \
            and _opens_chinese(previous_line)
        if wrapped_quantity:
            # "保存期限为\n30 天": a wrapped quantity, not clause 30.
            has_marker = False
        continues = resumed or block_start is not None and not has_marker and (
            # "hold Example Labs, Inc.\nharmless from ...": an abbreviation's stop ends no line.
            stripped[0].islower() and _ends_with_abbreviation(previous_line)) or \
            block_start is not None and not has_marker and not _ends_sentence(previous_line) and (
            (len(previous_line.strip()) <= _WRAP_MAX_LINE
             and (len(previous_line.strip()) >= _WRAP_MIN_LINE or stripped[0].islower())
             and not (_is_cjk(previous_line.rstrip()[-1]) and _is_cjk(stripped[0])))
            or (_leaves_sentence_open(previous_line) and (stripped[0].islower() or stripped[0].isdigit()
                                                         or stripped[0] == "("))
            or (_wraps_chinese(previous_line) and _starts_chinese_continuation(stripped))
            or wrapped_quantity
        )
        if continues:
            block_end = line_end
        else:
            if block_start is not None:
                yield block_start, block_end, body_start
            block_start, block_end = line_start, line_end
            lead = len(line) - len(line.lstrip(" \t\u3000"))
            body_start = line_start + (marker.end() if has_marker else lead)
        previous_line = line
    if held is not None:
        yield held[:3]
    if block_start is not None:
        yield block_start, block_end, body_start


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) sentence spans inside text[start:end]."""
    spans: list[tuple[int, int]] = []
    position = start
    block = text[start:end]
    for mark_start, mark_end in _sentence_ends(block):
        if block[mark_start] == "." and _ABBREVIATION.search(block, max(0, mark_start - 8), mark_start):
            continue
        stop = start + mark_end
        _cut_long(text, position, stop, spans)
        position = stop
    if position < end:
        _cut_long(text, position, end, spans)
    return spans


def _cut_long(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while end - start > _MAX_SEGMENT:
        cut = text.rfind(" ", start + _MAX_SEGMENT // 2, start + _MAX_SEGMENT)
        if cut <= start:
            cut = start + _MAX_SEGMENT
        spans.append((start, cut))
        start = cut
    spans.append((start, end))


# From the first to the last non-space character: a sentence without its surrounding whitespace.
_TRIMMED = compile_pattern(r"\S(?:.*\S)?", re.DOTALL)

# Bilingual contracts put a clause and its translation side by side, often with no final stop
# between them ("乙方应于收到发票后三十日内付款 / Party B shall pay within thirty days.",
# "...laws of China.本协议适用中国法律。"). Such a sentence is read as two, one per language: a
# Chinese clause, and an English one of at least eight words that opens or closes the sentence,
# with no CJK character or Chinese punctuation in it. An English term or name inside a Chinese
# sentence, or a Chinese name or term inside an English one ("Party A: 北京某某有限公司, a company
# incorporated ...", "the service level (服务水平) of each month"), leaves the sentence whole:
# the Chinese part must be Chinese by two CJK characters to each Latin letter, and the English
# part must reach the sentence's start or end.
_ENGLISH_STRETCH = compile_pattern(
    r"[A-Za-z][^\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20]*")
_WORD = compile_pattern(r"[A-Za-z]{2,}")
_MIN_ENGLISH_WORDS = 8
_MIN_CHINESE_CHARACTERS = 6
# What may stand between a clause and its translation: spaces, a slash or bar, brackets, stops.
_SEPARATOR_ONLY = compile_pattern(r"[\s/|()（）\[\]【】\-–—:：,，;；.。]*")
_LEADING_SEPARATORS = frozenset(" \t\n\u3000/|)）]】")
_TRAILING_SEPARATORS = frozenset(" \t\n\u3000/|(（[【")


def _language_parts(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """text[start:end] (one trimmed sentence) as (start, end, language) parts: itself, or its
    Chinese clause and its English translation."""
    whole = [(start, end, detect_language(text, start, end))]
    if not _CJK_RUN.search(text, start, end):
        return whole
    long_stretches = [stretch for stretch in _ENGLISH_STRETCH.finditer(text, start, end)
                      if len(_WORD.findall(text, *stretch.span())) >= _MIN_ENGLISH_WORDS]
    if len(long_stretches) != 1:
        return whole
    english = long_stretches[0]
    if _SEPARATOR_ONLY.fullmatch(text, english.end(), end):
        chinese = (start, english.start())
    elif _SEPARATOR_ONLY.fullmatch(text, start, english.start()):
        chinese = (english.end(), end)
    else:
        return whole
    cjk = _count(_CJK_RUN, text, *chinese)
    if cjk < _MIN_CHINESE_CHARACTERS or cjk < 2 * _count(_LATIN_RUN, text, *chinese):
        return whole
    parts = []
    for (part_start, part_end), language in ((chinese, "zh"), (english.span(), "en")):
        # Without the separator at its edges: "…付款 /" is the clause "…付款".
        while part_start < part_end and text[part_start] in _LEADING_SEPARATORS:
            part_start += 1
        while part_end > part_start and text[part_end - 1] in _TRAILING_SEPARATORS:
            part_end -= 1
        if part_start < part_end:
            parts.append((part_start, part_end, language))
    return sorted(parts)


def segment(text: str) -> list[Segment]:
    segments: list[Segment] = []
    heading = ""
    for block_start, block_end, body_start in _blocks(text):
        body = text[body_start:block_end].strip()
        if not body:
            continue
        is_heading = len(body) <= 60 and not _ends_sentence(body) and "\n" not in body and (
            body_start > block_start or len(body) <= 40)
        for sent_start, sent_end in _sentences(text, body_start, block_end):
            trimmed = _TRIMMED.search(text, sent_start, sent_end)
            if trimmed is None:
                continue
            for s, e, language in _language_parts(text, *trimmed.span()):
                segments.append(Segment(s, e, language, heading))
        if is_heading:
            heading = body
    return segments

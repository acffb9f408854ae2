"""The topic reading: which clauses speak about a fact, whatever value they state.

Extraction reads values; when it reads none, a policy cannot tell a contract that says nothing
about a fact from one whose clause on it could not be read. This pass, run after extraction on
the same document, finds the clauses (sentences) about each fact. A clause about a fact of which
the document yielded no value at all is an *unread clause* of that fact: reports say "a clause
on this was found at line N but its value could not be read" instead of staying silent.

Unread is decided per document, not per clause: once any value of a fact was read, the fact is
known and its other clauses are not flagged (a policy sees that value; a second mention of
"deletion" elsewhere is usually the same point said again, not a missed one).

A fact's topics come from what already exists, so nothing is written twice:

- a small vocabulary per fact and language (topics.yaml): groups of words, a word of each of
  which a clause must hold (and ``!`` groups it must not hold), written in the pattern language
  with the extraction engine's concept lexicons (``@delete``, ``@renew``, ...);
- ``implied_by`` in the same file: facts whose value only a clause about this fact states (a
  notice period for termination without cause); where such a value was read and this fact was
  not, that value's clause is an unread clause of this fact, unless its sentence holds one of
  this fact's ``!`` words (a notice period of a termination on force majeure);
- for a fact without a vocabulary (one a user's extractor file defines), the patterns of its
  rules: a clause holding the telling words a pattern needs (phrase.py's required words, at least
  two sets of them) but no value is a near miss; the rule's ``exclude`` words keep their meaning.

A clause is a sentence of the document's segmentation, or an item of a list a sentence runs on.
An item of a list is read with the sentence that introduces the list ("This Agreement may be
terminated:" ... "(c) by the Customer for any reason."; in Chinese also items that each open
with a list mark and end with a stop, "（1）……。（2）……。"), and the rest of a sentence a page break
cut with its first part: alone, such a piece often names neither the fact nor its cause. A Chinese
clause that lacks only a value takes it from the next sentence of its paragraph when that one
refers back to it (此, 该, 上述: "您必须在 90 天内提出此请求").
A clause naming a fact's defined term ("the Warranty Period", ``defined_terms`` in topics.yaml)
is about the fact whatever it holds: the value is stated where the term is defined.
A fact typed duration, percent or money is spoken about only where the clause also holds
something shaped like such a value (a number before a time unit, a percent sign, a currency):
a renewal clause that states no period holds no unread renewal period. A value the clause
hides (redacted, "[***]", or a blank left in a form, "____ days") is a value of any type. A
topic may name its value itself with a slot ("{duration} ~4 notice", "{hidden}"); it then asks
for no other shape. Two slots name a period no duration reader reads: ``{span}``, one told by its
ends or only as bounded ("for the period from delivery to the expiry date", "for a limited time
period"), and ``{recurring}``, one named by how often it comes round ("successive annual
periods").

Cost: one regex pass over the document finds every topic's first words (a trie of all of them,
as the extractor's trigger scan does); only the sentences holding one are tested further.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policycheck.document.model import Document, Segment
from policycheck.errors import ConfigError
from policycheck.facts.model import DocumentFacts, UnreadClause
from policycheck.facts.phrase import PhraseError, parse as parse_phrase, required_words, to_regex, trigger_words
from policycheck.facts.rules import RuleBook, rulebook
from policycheck.facts.trie import trie_regex
from policycheck.facts.view import fold
from policycheck.lazyregex import LazyRegex
from policycheck.patternstore import compile_pattern
from policycheck.values.durations import DURATION_UNIT_WORDS
from policycheck.values.numbers import EN_NUMBER_WORD
from policycheck.yamlload import load_data

TOPICS_FILE = Path(__file__).with_name("topics.yaml")
IMPLIED_BY = "implied_by"
DEFINED_TERMS = "defined_terms"
# An unread clause quotes its sentence up to this many characters (cut at a word end).
QUOTE_LIMIT = 240
# A duration is a number (digits, an English number word, "thirty (30)", or Chinese numerals)
# right before a time unit the duration reader knows ("30 days", "six months", 三个月), maybe with
# a word between that counts the period on ("one further year", "two successive months").
_ZH_NUMERALS = "0-9０-９零〇一二三四五六七八九十百千两半壹贰叁肆伍陆柒捌玖拾"
DURATION_SHAPE = (rf"(?<![A-Za-z0-9])(?:\d+(?:\.\d+)?|{EN_NUMBER_WORD})(?:\s*\(\s*\d+\s*\))?[\s-]*"
                  rf"(?:(?:additional|further|successive|consecutive|more|full|renewal)\s+)?(?:{DURATION_UNIT_WORDS})"
                  rf"|[{_ZH_NUMERALS}]+\s*(?:个|個)?\s*(?:{DURATION_UNIT_WORDS})")
# Some piece of every duration the shape above knows, lower case: a clause without one holds none.
_UNIT_HINTS = ("day", "hour", "hr", "min", "week", "month", "year",
               "天", "日", "时", "時", "钟", "鐘", "季度", "周", "週", "星期", "礼拜", "禮拜", "月", "年")
# A character every hidden value holds.
_HIDDEN_MARKS = ("*", "_", "＿", "●", "•", "[")
# A value that is in the clause but hidden: redacted in a filed copy ("[***]", "[...***...]",
# "[Redacted - Commercially Sensitive]", "*****") or left blank in a form ("within ____ days",
# "[●]"). Such a clause states a value of any type, one nobody can read: an unread clause.
HIDDEN_VALUE = (r"\[[\s.…]*[*●•][*●•\s.…]*\]|\[\s*redacted\b[^\]\n]{0,60}\]|\*{3,}|_{4,}|＿{2,}")
# A period a clause states without a figure, so no duration can be read from it: told by its two
# ends ("for the period from the date of manufacture to the expiry date", "during the period
# commencing on delivery and ending on ...") or only as bounded ("for a limited time period",
# "a finite period"). A topic names it with the slot ``{span}``. (Not "as long as necessary" or
# "without undue delay": how long a purpose or a task takes is no period a policy can compare.)
SPAN_PERIOD = (r"(?:for|during|throughout|over)\s+(?:the|a|such|that)\s+(?:whole\s+|entire\s+|full\s+)?(?:period|term|time)"
               r"\s+(?:of\s+time\s+)?(?:from|commencing|beginning|starting|running\s+from)\b[^.;]{0,80}?"
               r"\b(?:to|until|till|through|ending(?:\s+on)?)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
               r"(?:date|day|expir\w*|end|terminat\w*|completion|clos\w*|anniversary|deletion|cancel\w*)\b"
               r"|\b(?:limited|finite|restricted)\s+(?:time\s+)?(?:period|time|duration)\b"
               r"|\bfor\s+a\s+limited\s+time\b")
# A period named by how often it comes round, with no figure: "successive annual periods", "on a
# year-to-year basis", "renews monthly". A topic names it with the slot ``{recurring}``.
RECURRING_PERIOD = (r"\b(?:annual|annually|yearly|monthly|quarterly|year-to-year|month-to-month|year\s+to\s+year"
                    r"|month\s+to\s+month|year-by-year|year\s+by\s+year)\b")


@dataclass(frozen=True)
class _Group:
    """Words of which a clause must hold one: the literal ``words`` (the cheap test), then the
    exact ``regex`` when the group was written as a phrase."""

    words: frozenset[str]
    regex: LazyRegex | None = None
    absent: bool = False     # "!words": the clause must hold none of them
    valued: bool = False     # the group names a value with a slot ("{duration} ~4 notice")


@dataclass(frozen=True)
class Topic:
    """One way a clause speaks about ``fact``: it holds a word of each group."""

    fact: str
    language: str
    groups: tuple[_Group, ...]
    source: str              # "vocabulary", or the id of the rule whose pattern it is
    shown: str               # the cues as a reader sees them ("govern* | construed + law | laws")
    exclude: object = None   # the rule's exclude regex: a clause holding it is not about the fact
    shaped: bool = True      # False: a defined term, which stands for a value stated elsewhere


class TopicReader:
    """Every fact's topics, compiled once; finds the clauses about facts in any document."""

    def __init__(self, book: RuleBook, vocabulary: dict | None = None) -> None:
        vocabulary = _vocabulary() if vocabulary is None else vocabulary
        self.catalogue = book.catalogue
        slots = _slot_regexes(vocabulary.get("shapes") or {})
        topics = _vocabulary_topics(vocabulary.get("facts") or {}, book, slots)
        # A fact without a vocabulary (one a user's extractor file defines) is known by its
        # rules' patterns alone. For the shipped facts the patterns' words were measured to flag
        # far more clauses about something else than they add (bench/unread_coverage.py).
        spoken = {topic.fact for topic in topics}
        topics += [topic for topic in _rule_topics(book) if topic.fact not in spoken]
        self.topics = tuple(topics)
        self._fact_of = tuple(topic.fact for topic in topics)
        self._shapes = _shapes(vocabulary.get("shapes") or {})
        # fact -> the type whose shape its clauses must hold (duration, percent, money), if any
        self._shape_type = {topic.fact: spec.type for topic in topics
                            if (spec := self.catalogue.get(topic.fact)) is not None and spec.type in self._shapes}
        self._implied_by = _implications(vocabulary.get("facts") or {}, book)
        # (fact, language) -> the words that say a clause is not about the fact (its topics' "!"
        # groups): a value read for another fact implies nothing from a clause holding one.
        self._not_about: dict[tuple[str, str], tuple[re.Pattern, ...]] = {}
        for topic in topics:
            if topic.fact in self._implied_by:
                known = self._not_about.setdefault((topic.fact, topic.language), ())
                self._not_about[(topic.fact, topic.language)] = known + tuple(
                    group.regex for group in topic.groups if group.absent and group.regex not in known)
        self._scanners: dict[str, tuple[re.Pattern, dict[str, tuple[int, ...]]]] = {}
        for language in sorted({topic.language for topic in topics}):
            by_word: dict[str, list[int]] = {}
            for index, topic in enumerate(topics):
                if topic.language == language:
                    for word in _trigger(topic).words:
                        by_word.setdefault(word, []).append(index)
            # Words are looked for in the lower-cased text (see clauses_about).
            regex = compile_pattern(trie_regex(sorted(by_word)))
            self._scanners[language] = (regex, {word: tuple(found) for word, found in by_word.items()})
        # hit as found in a text -> the topics of every trigger it starts with, per language
        self._topics_of_hit: dict[str, dict[str, set[int]]] = {language: {} for language in self._scanners}

    def cues(self, fact: str) -> dict[str, list[str]]:
        """language -> the topics of ``fact`` as a reader sees them, vocabulary first."""
        spec = self.catalogue.get(fact)
        shaped = f" + a {spec.type} value" if spec is not None and spec.type in self._shapes else ""
        shown: dict[str, list[str]] = {}
        for topic in self.topics:
            text = topic.shown + (shaped if topic.shaped else "")
            if topic.fact == fact and text not in shown.setdefault(topic.language, []):
                shown[topic.language].append(text)
        for other in self._implied_by.get(fact, ()):
            for language in shown:
                shown[language].append(f"a clause from which {other} was read")
        return shown

    def clauses_about(self, document: Document, facts: frozenset[str] | None = None
                      ) -> list[tuple[str, Segment, tuple[int, int], tuple[str, ...]]]:
        """(fact, sentence, (start, end) of the clause in the text, cues) for every clause about a
        fact (of ``facts``, when given), in document order. A clause is a sentence, or an item of
        a list the sentence runs on ("... cure such breach. d. Either party may ...")."""
        # The fold leaves ASCII as it is (tests/test_unread.py checks it): most English
        # contracts need no pass of it.
        text = document.text if document.text.isascii() else fold(document.text)
        # Lower case keeps the offsets of almost every text; where it would not (a dotted capital
        # I, say), the scan reads the text as written and may miss a capitalised word.
        lowered_text = text.lower()
        scanned = lowered_text if len(lowered_text) == len(text) else text
        segments = document.segments
        starts = [segment.start for segment in segments]
        ends = [segment.end for segment in segments]
        languages = [segment.language for segment in segments]
        candidates: dict[int, set[int]] = {}
        present = set(languages)
        for language, (regex, by_word) in self._scanners.items():
            if language not in present:
                continue         # no sentence in the language: no pass over the text for it
            topics_of = self._topics_of_hit[language]
            for match in regex.finditer(scanned):
                start, end = match.span()
                position = bisect_right(starts, start) - 1
                if position < 0 or languages[position] != language or end > ends[position]:
                    continue
                hit = match.group()
                found = topics_of.get(hit)
                if found is None:
                    word = hit.lower()
                    # The trie reports the longest word at a place; a shorter trigger may end
                    # inside it. Chinese words start anywhere, so one may also start inside it
                    # (续费 in 自动续费). (Worked out once per word a document set holds.)
                    found = set()
                    for first in range(len(word) if language != "en" else 1):
                        for last in range(first + 1, len(word) + 1):
                            found.update(by_word.get(word[first:last], ()))
                    if len(topics_of) < 100_000:
                        topics_of[hit] = found
                if found:
                    known = candidates.get(position)
                    if known is None:
                        candidates[position] = set(found)
                    else:
                        known |= found
        # The items of a list a candidate sentence introduces, and the rest of a sentence a page
        # break cut, are read with it (see _Sentences).
        sentences = _Sentences(text, segments)
        all_topics, fact_of = self.topics, self._fact_of
        for position in list(candidates):
            if text[ends[position] - 1] not in _CLOSING:       # most sentences end with a stop
                for following in sentences.read_with(position):
                    candidates.setdefault(following, set())
        about = []
        for position in sorted(candidates):
            segment = segments[position]
            # (lead_in's own first test, here to spare the call for the many sentences after a stop)
            lead = sentences.lead_in(position) if position and (text[ends[position - 1] - 1] not in _CLOSING or (
                languages[position] != "en" and starts[position] - ends[position - 1] > 1
                and sentences.marked(position))) else None
            found = candidates[position] | candidates.get(lead, set()) if lead is not None else candidates[position]
            topics = [all_topics[index] for index in sorted(found) if facts is None or fact_of[index] in facts]
            if not topics:
                continue
            lead_text = text[segments[lead].start:segments[lead].end] + " " if lead is not None else ""
            items = _items(text, segment.start, segment.end)
            for number, (start, end) in enumerate(items):
                clause = text[start:end]
                if number and _ending(text, *items[0]) == LEAD:
                    clause = text[items[0][0]:items[0][1]] + " " + clause   # "... terminated: (c) by ..."
                clause = lead_text + clause
                lowered = clause.lower()
                in_place = lowered if len(lowered) == len(clause) else None
                cues_by_fact: dict[str, list[str]] = {}
                shaped: dict[str, bool] = {}     # type -> whether the clause holds a value of it
                # facts whose clause lacks only a value -> (type, cues): the next sentence may hold it
                wanting: dict[str, tuple[str, list[str]]] | None = None
                for topic in topics:
                    cues = _holds(topic, clause, lowered, in_place)
                    if cues is None:
                        continue
                    # Then the value's shape, searched once per type and clause (its regex is dear).
                    shape_type = self._shape_type.get(topic.fact) if topic.shaped else None
                    if shape_type is not None:
                        holds_value = shaped.get(shape_type)
                        if holds_value is None:
                            holds_value = shaped[shape_type] = self._holds_value(shape_type, clause)
                        if not holds_value:
                            if wanting is None:
                                wanting = {}
                            wanting.setdefault(topic.fact, (shape_type, cues))
                            continue
                    known = cues_by_fact.setdefault(topic.fact, [])
                    known.extend(cue for cue in cues if cue not in known)
                for fact in sorted(cues_by_fact):
                    about.append((fact, segment, (start, end), tuple(cues_by_fact[fact])))
                if wanting is not None and number == len(items) - 1:
                    following = self._value_after(text, segments, position)
                    for fact, (shape_type, cues) in sorted(wanting.items()):
                        if following is not None and fact not in cues_by_fact \
                                and self._holds_value(shape_type, following[1]):
                            about.append((fact, segment, (start, following[0]), tuple(cues)))
        return about

    @staticmethod
    def _value_after(text: str, segments: list[Segment], position: int) -> tuple[int, str] | None:
        """(end, text) of the Chinese sentence after the one at ``position`` when it goes on with
        the same point: in the same paragraph, it refers back to it ("您必须在 90 天内提出此请求"
        after the sentence on the copy of one's data). In English the words that refer back
        ("such", "this") open too many sentences on another point: measured on contracts, they
        flagged more clauses wrongly than they found."""
        if position + 1 >= len(segments):
            return None
        segment, following = segments[position], segments[position + 1]
        if segment.language != "zh" or following.language != "zh" \
                or "\n\n" in text[segment.end:following.start] or "\n \n" in text[segment.end:following.start]:
            return None
        sentence = text[following.start:following.end]
        return (following.end, sentence) if _REFERS_BACK_ZH.search(sentence) else None

    def _holds_value(self, type_name: str, clause: str) -> bool:
        """Whether the clause holds something shaped like a value of the type, or a hidden value.
        The regexes are dear; a substring test first rules out most clauses."""
        lowered = clause.lower()
        if (type_name != "duration" or any(unit in lowered for unit in _UNIT_HINTS)) \
                and self._shapes[type_name].search(clause) is not None:
            return True
        return any(mark in clause for mark in _HIDDEN_MARKS) and _HIDDEN_VALUE.search(clause) is not None

    def unread(self, document: Document, document_facts: DocumentFacts) -> list[UnreadClause]:
        """The clauses about facts of which ``document_facts`` holds no value."""
        by_name = document_facts.by_name()
        wanted = frozenset(name for name in self.catalogue.names() if name not in by_name)
        unread = []
        for fact, segment, (start, end), cues in self.clauses_about(document, wanted):
            unread.append(UnreadClause(fact, segment.language, _quote(document, segment, start, end), cues))
        # A value read for a fact that only a clause about another states (a notice period for
        # termination without cause) marks that clause as one about the other fact too.
        for fact in sorted(wanted):
            for other in self._implied_by.get(fact, ()):
                for found in by_name.get(other, ()):
                    # A notice period read from a termination for breach or force majeure is no
                    # notice of a termination for convenience.
                    excluded = self._not_about.get((fact, found.language), ())
                    if excluded:
                        evidence = found.evidence
                        sentence = f"{evidence.before} {evidence.text} {evidence.after}"
                        if any(regex.search(sentence) for regex in excluded):
                            continue
                    unread.append(UnreadClause(fact, found.language, found.evidence, (f"{other} read here",)))
        unread.sort(key=lambda c: (c.evidence.line, c.evidence.column, c.name))
        return unread


def _trigger(topic: Topic) -> _Group:
    """The group whose words select the sentences a topic is tried on: the most telling one
    (whose shortest word is longest), so that "may" or "data" do not select half a contract.
    A group that is a value alone ("{duration}") has no words and selects nothing."""
    wanted = [group for group in topic.groups if not group.absent and group.words]
    return max(wanted, key=lambda group: min(len(word) for word in group.words))


def _holds(topic: Topic, clause: str, lowered: str, in_place: str | None) -> list[str] | None:
    """The cue words of ``topic`` in the clause, one per group, or None when a group has none.
    ``in_place`` is ``lowered`` where lower case keeps every position (LazyRegex.reading)."""
    cues = []
    for group in topic.groups:
        if group.absent:
            regex, text = group.regex.reading(clause, in_place)
            if regex.search(text):
                return None
            continue
        if group.regex is not None:
            regex, text = group.regex.reading(clause, in_place)
            match = regex.search(text)
            if match is None:
                return None
            end = match.end()
            while end < len(text) and text[end].isalnum() and text[end].isascii():
                end += 1         # a stem ("govern*") is shown as the word it matched ("governed")
            cues.append(" ".join(text[match.start():end].lower().split()))
            continue
        word = next((word for word in sorted(group.words) if word in lowered), None)
        if word is None:
            return None
        cues.append(word)
    # Last, as it is the dearest test: a rule's exclude words say the clause is about something else.
    if topic.exclude is not None and topic.exclude.search(clause):
        return None
    return cues


# Words by which a sentence goes on with the point of the one before (此请求, 该期限).
_REFERS_BACK_ZH = re.compile(r"此|该|上述|前述|这些|这一|这个")

# How many items of a list after its lead-in, at most, are read with it.
_LIST_LIMIT = 12
LEAD, ITEM, OPEN, CLOSED = "lead", "item", "open", "closed"
_CLOSING = frozenset(".!?。！？)]\"'”’")


def _ending(text: str, start: int, end: int) -> str:
    """How the sentence text[start:end] ends: it introduces a list (a colon), a list goes on after
    it (";", "; and", ", or"), it is closed (a stop, a bracket, a quote) or left open (a page
    break cut it). Only its last characters are looked at."""
    tail = text[max(start, end - 8):end].rstrip()
    if not tail:
        return CLOSED
    last = tail[-1]
    if last in ":：":
        return LEAD
    if last in ";；":
        return ITEM
    if last in _CLOSING:
        return CLOSED
    for word in ("and", "or"):
        if tail[-len(word):].lower() == word:
            before = tail[:-len(word)].rstrip()
            if before[-1:] in (";", ",") and len(before) < len(tail) - len(word):
                return ITEM
    return OPEN


class _Sentences:
    """A document's sentences as the topic reading walks them: which are read with which.

    A list item is read with the sentence that introduces the list ("This Agreement may be
    terminated:" before "by Customer on ninety days' notice;"), and the rest of a sentence a page
    break cut with its first part ("... for a period of 12" before "months, each such extension
    ..."): an item alone often names neither the fact nor the cause it speaks of."""

    def __init__(self, text: str, segments: list[Segment]) -> None:
        self.text = text
        self.segments = segments
        self._endings: dict[int, str] = {}
        self._marked: dict[int, bool] = {}

    def ending(self, position: int) -> str:
        found = self._endings.get(position)
        if found is None:
            segment = self.segments[position]
            found = self._endings[position] = _ending(self.text, segment.start, segment.end)
        return found

    def cut(self, position: int) -> bool:
        """Whether the sentence after ``position`` is the rest of it: it ends open and the rest
        starts with a small letter (English only)."""
        if position + 1 >= len(self.segments):
            return False
        segment, following = self.segments[position], self.segments[position + 1]
        if segment.language != "en" or following.language != "en" \
                or not self.text[following.start:following.start + 40].lstrip()[:1].islower():
            return False
        # A heading in capitals ("TERMINATION AND SURVIVAL") before a sentence that opens with a
        # small letter ("eShop may ...") is no sentence cut in two.
        return self.ending(position) == OPEN and not self.text[segment.start:segment.end].isupper()

    def marked(self, position: int) -> bool:
        """Whether the sentence at ``position`` opens an item of a numbered list ("（3）", "(b)",
        "2.", "三、"): the mark stands between it and the sentence before."""
        found = self._marked.get(position)
        if found is None:
            found = self._marked[position] = self._find_mark(position)
        return found

    def _find_mark(self, position: int) -> bool:
        if position == 0 or position >= len(self.segments):
            return False
        start = self.segments[position].start
        gap = self.text[max(self.segments[position - 1].end, start - 12):start]
        # (Most sentences follow the one before with a space or nothing between: no mark. A mark
        # ends with a bracket or a stop.)
        return gap.rstrip()[-1:] in _MARK_ENDS and _LIST_MARK.search(gap) is not None

    def goes_on(self, index: int) -> bool:
        """Whether the list whose item is the sentence at ``index`` goes on after it: the item
        ends with ";" ("; or"), or, in a Chinese list whose items end with stops
        ("（1）……。（2）……。"), both it and the next sentence open with a list mark. (An English
        item closed by a period is mostly a section of its own, read alone.)"""
        ending = self.ending(index)
        if ending == ITEM:
            return True
        return ending == CLOSED and self.segments[index].language != "en" \
            and self.marked(index) and self.marked(index + 1)

    def lead_in(self, position: int) -> int | None:
        """The sentence the one at ``position`` is read with, if any."""
        if position == 0:
            return None
        if self.text[self.segments[position - 1].end - 1] in _CLOSING \
                and (self.segments[position].language == "en" or not self.marked(position)):
            return None      # the common case, a sentence before that ends with a stop
        if self.ending(position - 1) == OPEN:
            return position - 1 if self.cut(position - 1) else None
        language = self.segments[position].language
        for index in range(position - 1, max(position - 1 - _LIST_LIMIT, -1), -1):
            if self.segments[index].language != language:
                return None
            if self.ending(index) == LEAD:
                return index
            if not self.goes_on(index):
                return None
        return None

    def read_with(self, position: int) -> list[int]:
        """The sentences read with the one at ``position``: the items of the list it introduces,
        or the rest of it after a page break (the converse of lead_in)."""
        if self.text[self.segments[position].end - 1] in _CLOSING:
            return []
        ending = self.ending(position)
        if ending == OPEN:
            return [position + 1] if self.cut(position) else []
        if ending != LEAD:
            return []
        language = self.segments[position].language
        items = []
        for index in range(position + 1, min(position + 1 + _LIST_LIMIT, len(self.segments))):
            if self.segments[index].language != language:
                break
            items.append(index)
            if not self.goes_on(index):
                break
        return items


# A list item inside a sentence: "(d) ", "d. ", "iv) " after the end of the item before it.
_LIST_ITEM = re.compile(r"(?<=[.;:])\s+(?=\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s)", re.IGNORECASE)


# The mark of a numbered list item, at the end of the text before the item's sentence.
# Items, not sections: "（1）", "(a)", "(一)", "1.", "a)"; a heading's "二、" or "2.2" opens a section
# that is read alone.
_MARK_ENDS = frozenset(")）.．")
_LIST_MARK = re.compile(r"(?:[（(]\s*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4}|[一二三四五六七八九十]{1,3})\s*[)）]"
                        r"|(?<![\w.])\d{1,2}[.)．]|(?<![\w.])[A-Za-z][.)])\s*$")


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence text[start:end]: its list items, or the sentence whole."""
    if text.find(".", start, end - 1) == -1 and text.find(";", start, end - 1) == -1 \
            and text.find(":", start, end - 1) == -1:
        return [(start, end)]        # no stop inside the sentence: no item can start (the common case)
    cuts = [match.end() for match in _LIST_ITEM.finditer(text, start, end)]
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _quote(document: Document, segment: Segment, start: int, end: int):
    """The evidence of an unread clause: its text, cut at a word end after QUOTE_LIMIT."""
    text = document.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > QUOTE_LIMIT:
        cut = start + QUOTE_LIMIT
        space = text.rfind(" ", start + QUOTE_LIMIT // 2, cut)
        end = space if space != -1 and segment.language == "en" else cut
    return document.span(start, end, segment)


def _implications(facts: dict, book: RuleBook) -> dict[str, tuple[str, ...]]:
    """fact -> the facts whose value is stated only in a clause about it (``implied_by``)."""
    implied = {}
    for fact, languages in facts.items():
        names = (languages or {}).get(IMPLIED_BY) or []
        unknown = [name for name in names if name not in book.catalogue]
        if unknown:
            raise ConfigError(f"{TOPICS_FILE.name}: {fact}: {IMPLIED_BY} names unknown fact {unknown[0]!r}")
        if names:
            implied[fact] = tuple(names)
    return implied


def _vocabulary_topics(facts: dict, book: RuleBook, slots: dict[str, str]) -> list[Topic]:
    topics = []
    where = TOPICS_FILE.name
    for fact, languages in facts.items():
        if fact not in book.catalogue:
            raise ConfigError(f"{where}: unknown fact {fact!r}")
        for language, entries in (languages or {}).items():
            if language == IMPLIED_BY:
                continue
            if language == DEFINED_TERMS:
                # "the Warranty Period", capitalised as a defined term: its value is stated where
                # the term is defined, maybe in another document, so no value shape is asked for.
                if not entries or not isinstance(entries, list) or not all(isinstance(e, str) and e.strip()
                                                                            for e in entries):
                    raise ConfigError(f"{where}: {fact}: {DEFINED_TERMS} is a list of terms as a contract "
                                      f"capitalises them")
                group = _group("|".join(entries), "en", book.lexicon.get("en", {}), f"{where}: {fact}", {},
                               ignore_case=False)
                topics.append(Topic(fact, "en", (group,), "vocabulary", "the defined term " + " | ".join(entries),
                                    shaped=False))
                continue
            lexicon = book.lexicon.get(language, {})
            for entry in entries:
                groups = tuple(_group(text, language, lexicon, f"{where}: {fact} ({language})", slots)
                               for text in entry)
                if groups[0].absent or not groups[0].words:
                    raise ConfigError(f"{where}: {fact} ({language}): a topic starts with the words it needs, "
                                      f"not with '!' or a value alone")
                # A topic that names its value (a slot) asks for no other value shape.
                shaped = not any(group.valued for group in groups)
                topics.append(Topic(fact, language, groups, "vocabulary", " + ".join(entry), shaped=shaped))
    return topics


def _group(text: str, language: str, lexicon: dict, where: str, slots: dict[str, str],
           ignore_case: bool = True) -> _Group:
    """One group of a topic. A slot in it (``{duration}``, ``{percent}``, ``{money}``, ``{hidden}``)
    stands for something shaped like a value of the type, or a hidden value: "{duration} ~4
    notice" is a notice period, whatever the extraction makes of it."""
    absent = text.startswith("!")
    text = text[1:] if absent else text
    try:
        phrase = parse_phrase(f"({text})", language, tuple(slots), lexicon, where)
    except PhraseError as exc:
        raise ConfigError(str(exc)) from None
    words = trigger_words(phrase) or frozenset(w for ws in required_words(phrase) for w in ws)
    valued = bool(phrase.slot_names)
    if not words and not valued:
        raise ConfigError(f"{where}: the group {text!r} names no word")
    words = frozenset(word.lower() for word in words)
    # Whole words, as written: "age" is no cue in "agents"; a stem says where a word may go on.
    regex = to_regex(phrase, lambda name, number, after: slots[name], word_end=True, cue=True)
    if language == "en":
        regex += r"(?![A-Za-z0-9])"      # to_regex ends a group of words anywhere; a stem eats its word
    # Compiled when a clause first needs it: a contract meets a few of the vocabulary's
    # hundreds of groups. (Its words are escaped by the phrase language and its slots are the
    # value shapes, which _shapes compiles on loading: a group's regex cannot fail to compile.)
    if language == "en" and ignore_case:
        # Written in lower case for the lower-cased clause where its case means nothing: about
        # twice as quick as ignoring case, and most of the topic reading's time is these searches.
        compiled = LazyRegex.ignoring_case(regex, now=False)
    else:
        compiled = LazyRegex(regex)
    return _Group(words, compiled, absent, valued)


def _rule_topics(book: RuleBook) -> list[Topic]:
    topics = []
    for rule in book.rules:
        for pattern in rule.patterns:
            # Only the telling words of a pattern make a topic: "of", "or" and 的 are in every
            # clause, and a pattern that needs little else says too little about its fact.
            required = [words for words in pattern.required if _telling(words, rule.language)]
            if len(required) < _TELLING_GROUPS:
                continue
            groups = tuple(_Group(frozenset(w.lower() for w in words)) for words in required)
            topics.append(Topic(rule.fact, rule.language, groups, rule.id, pattern.source, rule.exclude))
    return topics


_TELLING_GROUPS = 2
_TELLING_LENGTH = {"en": 4, "zh": 2}


def _telling(words: frozenset[str], language: str) -> bool:
    return min(len(word.strip()) for word in words) >= _TELLING_LENGTH.get(language, 4)


_HIDDEN_VALUE = compile_pattern(HIDDEN_VALUE, re.IGNORECASE)


def _slot_regexes(written: dict) -> dict[str, str]:
    """slot name -> the regex a topic group's slot stands for: a value's shape or a hidden value."""
    slots = {"hidden": f"(?:{HIDDEN_VALUE})", "span": f"(?:{SPAN_PERIOD})", "recurring": f"(?:{RECURRING_PERIOD})"}
    for type_name, shape in _shape_texts(written).items():
        slots[type_name] = f"(?:{shape}|{HIDDEN_VALUE})"
    return slots


def _shapes(written: dict) -> dict[str, re.Pattern]:
    return {type_name: compile_pattern(shape, re.IGNORECASE) for type_name, shape in _shape_texts(written).items()}


def _shape_texts(written: dict) -> dict[str, str]:
    """type -> the regex of something shaped like a value of it: the duration's, and those
    topics.yaml writes under ``shapes``."""
    return {"duration": DURATION_SHAPE, **written}


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return load_data(TOPICS_FILE.read_text(encoding="utf-8")) or {}


_READERS: dict[int, tuple[RuleBook, TopicReader]] = {}


def topic_reader(book: RuleBook | None = None) -> TopicReader:
    """The topic reader of a rule book (the shipped one by default), built once per process."""
    book = book or rulebook()
    kept = _READERS.get(id(book))
    if kept is None or kept[0] is not book:
        kept = _READERS[id(book)] = (book, TopicReader(book))
    return kept[1]


def read_topics(document: Document, document_facts: DocumentFacts, book: RuleBook | None = None
                ) -> DocumentFacts:
    """``document_facts`` with the unread clauses of ``document`` filled in (for the facts of
    ``book``, the rule book that extracted them)."""
    document_facts.unread = topic_reader(book).unread(document, document_facts)
    return document_facts

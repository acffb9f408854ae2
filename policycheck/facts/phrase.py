"""The phrase language of extraction rules, parsed once into a small tree.

A phrase is text with:

  words        matched as written (case-insensitively in English, after the view's folding:
               full-width forms, traditional characters); a space matches any whitespace,
               `` ?`` an optional one; in English a comma may stand before any space, and a
               comma in a pattern only marks the end of a word
  word*        a stem: the word and any letters after it (``renew*``: renew, renews, renewal)
  @concept     any phrase of a shared concept lexicon (``@terms``: these terms, this agreement,
               the terms of service, ...), see ``lexicons.yaml``
  (a|b)        alternatives; ``(...)?`` or ``x?`` makes a group or a character optional
  ~            a gap of up to 80 characters (30 in Chinese) inside the clause: it does not
               cross ``;`` or a sentence end; spaces around it are optional
  ~N           a gap of at most N words (N characters in Chinese)
  {slot}       a typed value read by the slot's reader: {duration} {percent} {money}
               {jurisdiction} {institution} {number}, or a party: {party} {customer} {provider}
  \\c          the character c as written, for c one of ``@ * ~ ? ( ) | { } \\``: ``\\@`` is an
               at sign (``legal\\@example.com``), ``\\*`` an asterisk

Nothing else is special: ``.``, ``+`` and ``[`` are literal characters, and so is ``\\``
before any other character, so no phrase can nest unbounded repetition. A gap commits to the
first place where the rest of the phrase (up to the next gap) matches, so several gaps cannot
multiply their choices and every phrase runs in time linear in the clause.

From the one tree come the regex (:func:`to_regex`), the words a clause must hold for the
phrase to have a chance (:func:`required_words`, the cheap test before the regex) and the
trigger words that select candidate clauses in one pass over a document (:func:`trigger_words`):
nothing about a phrase is written twice.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping, Sequence, Union

from policycheck.errors import ConfigError
from policycheck.facts.view import fold
from policycheck.regextree import Alternatives, Atomic, Words, render

GAP = {"en": 80, "zh": 30}
# A gap does not cross a semicolon (the view folds ；！？ to ; ! ?). A sentence end (。！？!?)
# always ends a segment (document/segment.py), so in a clause it can only stand after its last
# words: 。 need not be in the class, whose one wide character would cost re a 65,536-entry map
# to compile in each of the several hundred gaps of the rule book.
_GAP_STOP = "[^;!?]"
_CONCEPT_NAME = re.compile(r"[a-z][a-z0-9_]*")
# An aside in commas: up to 60 characters that hold no other comma or clause end.
ASIDE_BODY = r",[^,;.!?]{1,60},"
_ASIDE = rf"(?:\s*(?:{ASIDE_BODY}|,))?"
# Characters with no meaning in the language, read as one literal run.
_PLAIN_RUN = re.compile(r"[^(){}|?~*@,\s\\]+")


@dataclass(frozen=True)
class Text:
    """Characters matched as written."""
    text: str


@dataclass(frozen=True)
class Stem:
    """A word and any letters after it."""
    text: str


@dataclass(frozen=True)
class Space:
    optional: bool
    comma: bool = False        # an English comma: a word ends here, a space may follow


@dataclass(frozen=True)
class Gap:
    limit: int | None          # None: the language's default number of characters
    words: bool                # limit counts words (English) rather than characters


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Group:
    alternatives: tuple[tuple["Node", ...], ...]
    optional: bool = False


Node = Union[Text, Stem, Space, Gap, Slot, Group]


@dataclass(frozen=True)
class Phrase:
    """A parsed phrase: its nodes, its language and where it was written."""
    source: str
    language: str
    nodes: tuple[Node, ...]

    @property
    def slot_names(self) -> tuple[str, ...]:
        found: list[str] = []

        def walk(nodes):
            for node in nodes:
                if isinstance(node, Slot):
                    found.append(node.name)
                elif isinstance(node, Group):
                    for alternative in node.alternatives:
                        walk(alternative)
        walk(self.nodes)
        return tuple(found)


_ESCAPED = frozenset("@*~?()|{}\\")   # the characters a backslash makes literal
_LITERAL_AT = "a literal '@' is written \\@ (legal\\@example.com)"
_LITERAL_STAR = "a literal '*' is written \\*"


class PhraseError(ConfigError):
    """A phrase that cannot be read, with the column of the problem: ``phrase`` is the text
    that failed, ``offset`` the 0-based index of the problem in it, ``reason`` the message
    without the phrase (for callers that show the place in their own file)."""

    phrase: str = ""
    offset: int = 0
    reason: str = ""


def _error(source: str, column: int, message: str, where: str) -> PhraseError:
    caret = " " * column + "^"
    error = PhraseError(f"pattern {source!r}: {message} at column {column + 1}\n    {source}\n    {caret}",
                        path=where or None)
    error.phrase, error.offset, error.reason = source, column, message
    return error


def parse(source: str, language: str, slot_names, lexicon: Mapping[str, list[str]] | None = None,
          where: str = "", _concepts: tuple[str, ...] = ()) -> Phrase:
    """Parse a phrase; PhraseError names the column of the first problem."""
    lexicon = lexicon or _NO_CONCEPTS
    slot_names = frozenset(slot_names)
    # The rule book writes the same phrase many times (a list of exclude words shared by the
    # rules of a fact, a concept in several patterns): each is parsed once per lexicon. What a
    # phrase parses to does not depend on where it is written, and one that does not parse
    # raises wherever it is, so only parsed phrases are kept. (A concept that parses has no
    # cycle through it, so the concepts it was reached by do not matter either.)
    memo = _memo_of(lexicon)
    key = (source, language, slot_names)
    found = memo.get(key)
    if found is None:
        parser = _Parser(source, language, slot_names, lexicon, where, _concepts)
        nodes = _spaces_into_options(parser.sequence(top=True))
        _refuse_ambiguous_options(nodes, source, where)
        found = memo[key] = Phrase(source, language, nodes)
    return found


_NO_CONCEPTS: Mapping[str, list[str]] = MappingProxyType({})
# lexicon identity -> (the lexicon, its parsed phrases). The lexicon is held so that its identity
# stays its own; a rule book build uses one lexicon per language, so a few are kept.
_PARSED: dict[int, tuple[Mapping, dict]] = {}
_LEXICONS_KEPT = 8


def _memo_of(lexicon: Mapping) -> dict:
    entry = _PARSED.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        if len(_PARSED) >= _LEXICONS_KEPT:
            _PARSED.pop(next(iter(_PARSED)))
        entry = _PARSED[id(lexicon)] = (lexicon, {})
    return entry[1]


def _spaces_into_options(nodes: tuple) -> tuple:
    """The space after an optional part moved into it: "may (also )?terminate" for "may (also)?
    terminate". A space on each side of an absent part would ask the text for two spaces
    ("may terminate" has one), and a phrase that opens with an optional part could not match
    at the start of a clause."""
    out: list = []
    for node in nodes:
        if isinstance(node, Group):
            node = Group(tuple(_spaces_into_options(alternative) for alternative in node.alternatives), node.optional)
        if isinstance(node, Space) and not node.comma and out and isinstance(out[-1], Group) and out[-1].optional \
                and (len(out) == 1 or isinstance(out[-2], (Space, Gap)) or _ends_with_space(out[-2])) \
                and not all(alternative and isinstance(alternative[0], Space) for alternative in out[-1].alternatives):
            # Only a part that is a word of its own: the "s" of "courts? in" ends a word. (A part
            # that opens with its space, "liable( to you)? for", already leaves one.)
            group = out[-1]
            out[-1] = Group(tuple(alternative if alternative and isinstance(alternative[-1], Space)
                                  else alternative + (node,) for alternative in group.alternatives), True)
            continue
        out.append(node)
    return tuple(out)


def _ends_with_space(node) -> bool:
    """An optional part that leaves a space after it whether it is there or not ("(b )?")."""
    return isinstance(node, Group) and node.optional and \
        all(alternative and isinstance(alternative[-1], Space) for alternative in node.alternatives)


# Optional items in a row that can match the same text (``a?a?a?...a``) make the regex try every
# subset of them before it gives up: 2^n steps. The shipped rules need at most 6 in a row.
MAX_OPTIONS_IN_A_ROW = 8
_ANY_START = ""


def _refuse_ambiguous_options(nodes: tuple, source: str, where: str) -> None:
    """Refuse a phrase with more than MAX_OPTIONS_IN_A_ROW optional items in a row (spaces
    aside) that can begin with the same character, in any group, so every phrase stays fast."""

    def starts(sequence) -> set[str]:
        found: set[str] = set()
        for node in sequence:
            if isinstance(node, Space):
                continue
            if isinstance(node, (Text, Stem)):
                text = node.text.lstrip()
                if text:
                    found.add(text[0].lower())
                    return found
                continue
            if isinstance(node, Group):
                for alternative in node.alternatives:
                    found |= starts(alternative)
                if not node.optional:
                    return found
                continue
            found.add(_ANY_START)                  # a slot or a gap may begin with anything
            return found
        return found

    def check(sequence) -> None:
        in_a_row: dict[str, int] = {}
        for node in sequence:
            if isinstance(node, Group):
                for alternative in node.alternatives:
                    check(alternative)
            if isinstance(node, Space):
                continue
            if not (isinstance(node, Group) and node.optional):
                in_a_row = {}
                continue
            for start in starts((node,)):
                in_a_row[start] = in_a_row.get(start, 0) + 1
            wildcards = in_a_row.get(_ANY_START, 0)
            for start, count in in_a_row.items():
                total = count + (wildcards if start != _ANY_START else 0)
                if total > MAX_OPTIONS_IN_A_ROW:
                    shown = f"'{start}'" if start else "any character"
                    raise _error(source, 0, f"{total} optional items in a row can begin with {shown}; at most "
                                            f"{MAX_OPTIONS_IN_A_ROW} may, as each one more doubles the time "
                                            "matching can take (write the repeated part once, or use a gap ~)",
                                 where)

    check(nodes)


class _Parser:
    def __init__(self, source, language, slot_names, lexicon, where, concepts) -> None:
        self.source, self.language, self.slot_names = source, language, slot_names
        self.lexicon, self.where, self.concepts = lexicon, where, concepts
        self.index = 0

    def fail(self, message: str, column: int | None = None) -> PhraseError:
        return _error(self.source, self.index if column is None else column, message, self.where)

    def sequence(self, top: bool = False) -> tuple[Node, ...]:
        source, nodes = self.source, []
        while self.index < len(source):
            ch = source[self.index]
            if ch == ")":
                if top:
                    raise self.fail("unbalanced ')'")
                break
            if ch == "|":
                if top:
                    raise self.fail("'|' outside a group (write the alternatives in brackets)")
                break
            if ch == "(":
                nodes.append(self.group())
                continue
            if ch == "{":
                end = source.find("}", self.index)
                if end == -1:
                    raise self.fail("'{' without '}'")
                name = source[self.index + 1:end].strip()
                if name not in self.slot_names:
                    raise self.fail(f"unknown slot {{{name}}} (known: {', '.join(sorted(self.slot_names))})")
                nodes.append(Slot(name))
                self.index = end + 1
                continue
            if ch == "\\" and self.index + 1 < len(source) and source[self.index + 1] in _ESCAPED:
                # An escaped character is a literal one: "\\@" in an e-mail address, "\\*".
                self.index += 1
                self.literal(nodes, source[self.index])
                continue
            if ch == "@":
                nodes.append(self.concept())
                continue
            if ch == "~":
                self.index += 1
                digits = re.match(r"[0-9]+", source[self.index:])
                if digits:
                    self.index += digits.end()
                    nodes.append(Gap(int(digits.group()), words=self.language == "en"))
                else:
                    nodes.append(Gap(None, words=False))
                continue
            if ch == "?":
                if not nodes or isinstance(nodes[-1], Gap) or (isinstance(nodes[-1], Group) and nodes[-1].optional):
                    raise self.fail("'?' must follow a character or a group" if not nodes or isinstance(nodes[-1], Gap)
                                    else "'??' is not allowed")
                last = nodes.pop()
                if isinstance(last, Space):
                    nodes.append(Space(optional=True))
                elif isinstance(last, Text) and len(last.text) > 1:
                    nodes.append(Text(last.text[:-1]))
                    nodes.append(Group(((Text(last.text[-1]),),), optional=True))
                elif isinstance(last, Group):
                    nodes.append(Group(last.alternatives, optional=True))
                else:
                    nodes.append(Group(((last,),), optional=True))
                self.index += 1
                continue
            if ch.isspace() or (ch == "," and self.language == "en"):
                # In English a comma in a pattern only ends a word (a space takes a comma anyway).
                optional = ch == "," and not source[self.index + 1:self.index + 2].isspace()
                while self.index + 1 < len(source) and (source[self.index + 1].isspace()
                                                        or (source[self.index + 1] == "," and self.language == "en")):
                    self.index += 1
                    optional = False
                if not (nodes and isinstance(nodes[-1], Space)):
                    nodes.append(Space(optional=optional, comma=optional and ch == ","))
                self.index += 1
                continue
            if ch == "*":
                if not nodes or not isinstance(nodes[-1], Text) or not nodes[-1].text[-1:].isalpha():
                    raise self.fail(f"'*' must end a word (a stem such as renew*); {_LITERAL_STAR}")
                last = nodes.pop()
                word = re.search(r"[^\W\d_]+$", last.text).group()
                if len(word) < len(last.text):
                    nodes.append(Text(last.text[:-len(word)]))
                nodes.append(Stem(word))
                self.index += 1
                continue
            # A run of plain characters at once, folded as the view folds the text it meets.
            run = _PLAIN_RUN.match(source, self.index)
            end = run.end() if run else self.index + 1
            text = fold(source[self.index:end])
            if nodes and isinstance(nodes[-1], Text):
                nodes[-1] = Text(nodes[-1].text + text)
            else:
                nodes.append(Text(text))
            self.index = end
        return tuple(nodes)

    def literal(self, nodes: list, ch: str) -> None:
        """Add a character matched as written, and step past it."""
        text = fold(ch)
        if nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(nodes[-1].text + text)
        else:
            nodes.append(Text(text))
        self.index += 1

    def group(self) -> Group:
        opened = self.index
        self.index += 1
        alternatives = [self.sequence()]
        while self.index < len(self.source) and self.source[self.index] == "|":
            self.index += 1
            alternatives.append(self.sequence())
        if self.index >= len(self.source):
            raise self.fail("unbalanced '('", opened)
        self.index += 1   # ')'
        return Group(tuple(alternatives))

    def concept(self) -> Group:
        at = self.index
        match = _CONCEPT_NAME.match(self.source, self.index + 1)
        if not match:
            raise self.fail(f"'@' must name a concept (@terms, @renew, ...); {_LITERAL_AT}")
        name = match.group()
        self.index = match.end()
        if name in self.concepts:
            raise self.fail(f"concept @{name} refers to itself (through {' -> '.join(self.concepts)})", at)
        phrases = self.lexicon.get(name)
        if phrases is None:
            from difflib import get_close_matches
            guess = get_close_matches(name, list(self.lexicon), n=1)
            hint = f"did you mean @{guess[0]}? " if guess else ""
            raise self.fail(f"unknown concept @{name}; {hint}{_LITERAL_AT}", at)
        alternatives = []
        for text in phrases:
            inner = parse(text, self.language, self.slot_names, self.lexicon,
                          f"{self.where} (concept @{name})" if self.where else f"concept @{name}",
                          self.concepts + (name,))
            alternatives.append(inner.nodes)
        return Group(tuple(alternatives))


# --- the regex --------------------------------------------------------------------------------

def to_regex(phrase: Phrase, slot_regex: Callable[[str, int, bool], str], word_end: bool = True,
             cue: bool = False, lower: bool = False) -> str:
    """The phrase as a regex over a clause of the view (see ``to_pieces``)."""
    return render(to_pieces(phrase, slot_regex, word_end, cue, lower))


def to_pieces(phrase: Phrase, slot_regex: Callable[[str, int, bool], str], word_end: bool = True,
              cue: bool = False, lower: bool = False) -> list:
    """The phrase as a regex over a clause of the view, in pieces (policycheck/regextree.py:
    ``render`` writes its text, ``compile_pieces`` compiles it without re-reading the pieces
    every pattern shares). ``slot_regex(name, number, after_words)`` gives the regex of the slot
    numbered ``number`` (its named group included); ``after_words`` when a word of the phrase
    stands right before it. A ``cue`` (a rule's
    negation, exclude or context word) may start after a hyphen ("renewal" in "non-renewal"),
    and with ``word_end=False`` an English phrase may end inside a word ("terminat").
    ``lower``: the phrase's words in lower case, for a case-sensitive regex over lower-cased
    text (``re`` compiles that a quarter quicker than an IGNORECASE one)."""
    language = phrase.language
    literal = (lambda text: Words(text.lower())) if lower else Words
    counter = [0]
    pieces: list = []
    gap_marks: list[int] = []

    def emit(nodes, out: list, top: bool) -> None:
        for position, node in enumerate(nodes):
            if isinstance(node, Text):
                out.append(literal(node.text))
            elif isinstance(node, Stem):
                out.append(literal(node.text))
                out.append(r"[^\W\d_]*")
            elif isinstance(node, Space):
                beside_gap = (position > 0 and isinstance(nodes[position - 1], Gap)) or \
                    (position + 1 < len(nodes) and isinstance(nodes[position + 1], Gap))
                # Beside a part that may end or start with a gap ("liable( to ~6)? for"), the gap
                # may have taken in the spaces: the space may then be empty.
                maybe_gap = not beside_gap and (
                    (position > 0 and _touches_gap(nodes[position - 1], at_end=True))
                    or (position + 1 < len(nodes) and _touches_gap(nodes[position + 1], at_end=False)))
                if language != "en" or beside_gap:
                    out.append(r"\s*")
                elif maybe_gap:
                    out.append(_ASIDE + r"\s*")
                elif node.comma:
                    out.append(r"(?![A-Za-z0-9]),?\s*")
                else:
                    # Between two words of a phrase a clause may put a comma, or an aside in
                    # commas ("may, at its option, terminate"; "is governed by, and construed
                    # under, the laws of"): up to 60 characters that hold no other comma.
                    out.append(_ASIDE + (r"\s*" if node.optional else r"\s+"))
            elif isinstance(node, Gap):
                if top:
                    gap_marks.append(len(out))
                if node.words:
                    out.append(rf"(?:[^\s;!?]+\s+){{0,{node.limit}}}?")
                else:
                    out.append(f"{_GAP_STOP}{{0,{node.limit or GAP.get(language, 80)}}}?")
            elif isinstance(node, Slot):
                # Does a word of the phrase stand right before the slot? Then words the value's
                # span may start with ("for {duration}" on "for at least 30 days") lie between.
                # Optional parts and spaces before it are passed over: what counts is a word
                # that is always there (without one, nothing fixes where lead words would start).
                back = position - 1
                while back >= 0 and (isinstance(nodes[back], Space)
                                     or (isinstance(nodes[back], Group) and nodes[back].optional)):
                    back -= 1
                previous = nodes[back] if back >= 0 else None
                after_words = isinstance(previous, (Text, Stem)) or (isinstance(previous, Group)
                                                                     and not previous.optional)
                out.append(slot_regex(node.name, counter[0], after_words))
                counter[0] += 1
            else:
                alternatives = []
                for alternative in node.alternatives:
                    inner: list = []
                    emit(alternative, inner, False)
                    alternatives.append(inner)
                out.append(Alternatives(alternatives, node.optional))

    emit(phrase.nodes, pieces, True)
    head = tail = ""
    if language == "en" and phrase.nodes:
        # Every English phrase starts at a word start, never inside a word or a hyphenated word
        # ("either party" in "Neither party", "exclusive" in "non-exclusive"); it ends at a word
        # end when it ends in a letter or digit written out (a stem ends where its word does).
        head = r"(?<![A-Za-z])" if cue else r"(?<![A-Za-z0-9-])"
        last = phrase.nodes[-1]
        if word_end and isinstance(last, Text) and last.text[-1:].isalnum():
            tail = r"(?![A-Za-z0-9])"
    return ([head] if head else []) + _commit_gaps(pieces, gap_marks, tail)


def _touches_gap(node, at_end: bool) -> bool:
    """Whether a gap may end (``at_end``) or start the text the node matches: a gap takes in
    the spaces after its words, so a space beside it may be empty ("liable( to ~6)? for")."""
    if isinstance(node, Gap):
        return True
    if isinstance(node, Group):
        for alternative in node.alternatives:
            inner = [item for item in alternative if not isinstance(item, Space)]
            if inner and _touches_gap(inner[-1] if at_end else inner[0], at_end):
                return True
    return False


def _commit_gaps(out: list, gap_marks: list[int], tail: str) -> list:
    """The regex pieces with each top-level gap and what follows it up to the next gap made
    one atomic group, so a gap commits to the first place where the rest of its piece matches.
    Without that, a phrase with k gaps over text that repeats its own words tries about
    (gap length)^k ways per start; with it, each start costs at most k x gap length tries."""
    tail_pieces = [tail] if tail else []
    if not gap_marks:
        return out + tail_pieces
    bounds = gap_marks + [len(out)]
    parts = out[:gap_marks[0]]
    for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
        piece = out[start:end] + (tail_pieces if end == len(out) else [])
        parts.append(_atomic(piece, number))
    return parts


def _atomic(piece: list, number: int):
    if sys.version_info >= (3, 11):
        return Atomic(piece)
    # Python 3.10 has no atomic groups: a lookahead that captures, then the captured text.
    return f"(?=(?P<_commit{number}>{render(piece)}))(?P=_commit{number})"


# --- what a clause must hold ------------------------------------------------------------------

def required_words(phrase: Phrase) -> tuple[frozenset[str], ...]:
    """Sets of words of which a clause must hold one each for the phrase to match, rarest
    first. English words are case-folded. Optional parts, slots and gaps require nothing; a group
    requires a word only when each of its alternatives has one of its own."""
    sets = _sequence_words(phrase.nodes)
    if phrase.language == "en":
        sets = [frozenset(word.casefold() for word in words) for words in sets]
    unique: list[frozenset[str]] = []
    for words in sets:
        if words and words not in unique:
            unique.append(words)
    # Rarest first: a clause that lacks the rarest words fails on the first test.
    unique.sort(key=_selects)
    return tuple(unique)


def _sequence_words(nodes) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    word = ""
    for node in nodes:
        if isinstance(node, Text):
            # A literal run may hold several words only through spaces, which are nodes of their
            # own; punctuation inside it is part of the word as written.
            word += node.text
            continue
        if word:
            sets.append(frozenset([word.strip()]))
            word = ""
        if isinstance(node, Stem):
            sets.append(frozenset([node.text]))
        elif isinstance(node, Group) and not node.optional:
            if len(node.alternatives) == 1:
                sets.extend(_sequence_words(node.alternatives[0]))
                continue
            # Whichever alternative matches, the clause holds a word of that alternative's most
            # telling set: the union of those sets is required.
            picks: set[str] | None = set()
            for alternative in node.alternatives:
                inner = _sequence_words(alternative)
                if not inner:
                    picks = None
                    break
                picks |= _rarest(inner)
            if picks:
                sets.append(frozenset(picks))
    if word.strip():
        sets.append(frozenset([word.strip()]))
    return [s for s in sets if all(s)]



def first_characters(phrase: Phrase) -> frozenset[str] | None:
    """The characters a match of the phrase can start with, read off its tree; None when a match
    may start anywhere (with a slot, a gap or a space) or be empty."""
    chars, nullable = _starts(phrase.nodes)
    return None if chars is None or nullable else frozenset(chars)


def _starts(nodes) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match nothing); None: they cannot be told."""
    chars: set[str] = set()
    for node in nodes:
        if isinstance(node, (Text, Stem)):
            chars.add(node.text[0])
            return chars, False
        if not isinstance(node, Group):
            return None, False              # a slot, a gap or a space may start with anything
        nullable = node.optional
        for alternative in node.alternatives:
            inner, empty = _starts(alternative)
            if inner is None:
                return None, False
            chars |= inner
            nullable = nullable or empty
        if not nullable:
            return chars, False
    return chars, True

def required_slots(phrase: Phrase) -> frozenset[str]:
    """The slots every match of the phrase fills: those outside optional parts, and those of a
    group that each of its alternatives holds. A clause without a value of one of them cannot
    match, whatever its words."""
    return _sequence_slots(phrase.nodes)


def _sequence_slots(nodes) -> frozenset[str]:
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, Slot):
            found.add(node.name)
        elif isinstance(node, Group) and not node.optional:
            found |= frozenset.intersection(*(_sequence_slots(alternative) for alternative in node.alternatives))
    return frozenset(found)

# Words in most sentences of a contract, for a word the measured table does not hold: a poor
# choice to find a clause by, however long. (Function words, and the nouns every contract repeats.)
COMMON_WORDS = frozenset("""
    the a an of to in on at by for with from and or not no nor be is are was were been being it its
    this that these those such any all each every other you your yours we our ours us they their
    shall will may must can could would should has have had do does under over before after within
    upon into than then there here which who whom what when where if as so also only more most
    agreement agreements terms term contract service services data notice party parties customer
    customers user users provider company content information use used provide provided agree
    without including include time times day days written writing right rights subject period
    本 的 和 或 与 及 在 为 对 将 应 可 本协议 协议 本合同 合同 服务 数据 信息 用户 我们 您 你 责任
    通知 所有 双方 一方 甲方 乙方 使用 提供 相关 有关 规定 约定 期限 条款 本条款
""".split())


@lru_cache(maxsize=1)
def _measured_shares() -> dict[str, float]:
    """word -> the share of contract sentences that hold it (word_frequency.txt, made by
    tools/word_frequency.py from real contracts for the words the shipped rules require)."""
    shares: dict[str, float] = {}
    for line in Path(__file__).with_name("word_frequency.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            _, word, share = line.split("\t")
            shares[word] = max(shares.get(word, 0.0), float(share))
    return shares


# A word the table does not know (a user's rules) is guessed by its length, as the measured
# words of that length mostly are: short English words are in many sentences, long ones in few.
_GUESSED_SHARE_EN = {1: 0.17, 2: 0.17, 3: 0.03, 4: 0.01, 5: 0.005}
_GUESSED_SHARE_ZH = {1: 0.06}


def _share(word: str) -> float:
    """About how many of a contract's sentences hold ``word`` (0 to 1)."""
    measured = _measured_shares().get(word)
    if measured is not None:
        return measured
    if word in COMMON_WORDS:
        return 0.5
    if word.isascii():
        return _GUESSED_SHARE_EN.get(len(word), 0.002)
    return _GUESSED_SHARE_ZH.get(len(word), 0.003)


def _selects(words: frozenset[str]) -> tuple[float, int]:
    """How many sentences a required set selects, at most (the sum of its words' shares), then
    how many words it has."""
    return sum(_share(word) for word in words), len(words)


def _rarest(sets) -> frozenset[str]:
    """Of several required sets, the one that selects the fewest sentences."""
    return min(sets, key=_selects)


def trigger_words(phrase: Phrase) -> frozenset[str]:
    """The words whose presence selects a clause for this phrase: of its required sets, the one
    that selects the fewest sentences. Empty when the phrase requires no word."""
    return triggers_among(required_words(phrase))


def triggers_among(required: Sequence[frozenset[str]]) -> frozenset[str]:
    """``trigger_words`` of a phrase whose required words (``required_words``) are at hand."""
    return _rarest(required) if required else frozenset()


def holds_required(required: Sequence[Sequence[str]], haystack: str) -> bool:
    """Whether the sentence holds a word of each of a phrase's required sets (``required_words``
    as tuples); English sentences are tested case-folded. The cheap test a sentence passes before
    the phrase's regex runs on it."""
    # Plain loops: this runs for every pattern a candidate sentence's trigger words select.
    for words in required:
        for word in words:
            if word in haystack:
                break
        else:
            return False
    return True

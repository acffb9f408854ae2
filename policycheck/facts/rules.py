"""Extraction rules as data: loading, validation and compilation.

Shipped rules live in ``policycheck/facts/rules/<language>/*.yaml``; users add their own files
(config ``extractors:``) in the same format, which may also declare new facts and concepts:

    facts:                         # optional: new catalogue entries
      escrow_release_period: {type: duration, description: "..."}
    lexicon:                       # optional: concepts for ``@name`` in patterns
      en: {escrow_event: ["insolven*", "bankrupt*"]}
    rules:
      - fact: governing_law        # the fact this rule produces
        id: laws-of                # unique within fact and language
        language: en               # en | zh (defaults to the folder name)
        patterns: ["governed by ~ laws of {jurisdiction}"]   # the phrase language (phrase.py)
        value: "{jurisdiction}"    # a slot, a slot attribute, or a literal (true, 0d, CN)
        qualifiers: {anchor: termination}
        negation: ["shall not"]    # cue before the match in its clause, or inside the match
                                   # outside its slots: no fact, or negated_value when given;
                                   # "{customer}可" names a party of that role (parties.py)
        negated_value: false
        exclude: ["violat"]        # a cue in the match's part of the sentence: no fact
        context: ["terminat"]      # the sentence or its section heading must hold one of these
        fallback: false            # only used when no other rule found the fact
        priority: 0                # of readings of one fact whose words overlap, the highest wins
        no_fact: false             # true: the rule's matches read their words as no fact

The words that select a sentence for a rule (its triggers) are derived from its patterns; an
old file's ``triggers:`` list is still read and only adds words.

Users' files are read with the place of every key and item (policycheck.yamlpos), and every
error about them names the file, line and column. Shipped files are read by the fast loader
(the compiled rule book is kept on disk), and again with places only to report an error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path

from policycheck.datastore import derived
from policycheck.catalogue import FACT_TYPES, Catalogue, FactSpec, default_catalogue, spec_from_mapping
from policycheck.errors import ConfigError
from policycheck.lazyregex import LazyRegex
from policycheck.values.literals import literal_text
from policycheck.regextree import compile_pieces
from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, ROLE_SLOTS
from policycheck.facts.phrase import (Phrase, PhraseError, first_characters, parse as parse_phrase, required_slots,
                                      required_words, to_pieces, to_regex, triggers_among)
from policycheck.facts.clause import VALUE_SLOTS, sentinel_regex
from policycheck.facts.view import fold
from policycheck import yamlload
from policycheck.yamlpos import column_in, parse_yaml, span, where as place_of

LANGUAGES = ("en", "zh")
_RULE_KEYS = {"fact", "id", "language", "triggers", "patterns", "value", "qualifiers", "negation",
              "negated_value", "exclude", "context", "fallback", "window", "priority", "no_fact"}
_NEGATION_WINDOW = {"en": 40, "zh": 12}
_SLOT_NAMES = VALUE_SLOTS + tuple(ROLE_SLOTS)


class CompiledPattern:
    """One pattern of a rule, parsed once (facts/phrase.py) into the tree its regex, its required
    words and its trigger words all come from. The regex is compiled when first needed: a run
    meets only the patterns of rules whose words occur in its contracts. ``check()`` does the
    work at once, for rules users write, so a bad pattern is reported with its file."""

    __slots__ = ("source", "language", "where", "lexicon", "_phrase", "_regex", "_slots", "_value_slots",
                 "_words_before_value", "_lowered", "_required", "_required_values")

    def __init__(self, source: str, language: str, where: str, lexicon: dict | None = None,
                 words: tuple | None = None) -> None:
        self.source, self.language, self.where = source, language, where
        self.lexicon = lexicon or {}
        self._phrase: Phrase | None = None
        self._regex: re.Pattern | None = None
        self._slots: tuple[tuple[str, str], ...] = ()
        self._value_slots: frozenset = frozenset()
        # (required words, required slots) as the rule book's store keeps them (``words``), so
        # that a run reads them without parsing the phrase; worked out from the phrase otherwise.
        self._required: tuple[frozenset[str], ...] | None = None
        self._required_values: frozenset[str] | None = None
        if words is not None:
            self._required = tuple(frozenset(group) for group in words[0])
            self._required_values = frozenset(words[1])

    @property
    def phrase(self) -> Phrase:
        if self._phrase is None:
            self._phrase = parse_phrase(self.source, self.language, _SLOT_NAMES, self.lexicon, self.where)
        return self._phrase

    def check(self) -> "CompiledPattern":
        """Compile now; ConfigError (naming the file and column) when the pattern is not valid."""
        if self._regex is None:
            groups: list[tuple[str, str]] = []
            lead_sensitive: list[str] = []

            def slot_regex(name: str, number: int, after_words: bool) -> str:
                groups.append((f"s{number}", name))
                if after_words and name in VALUE_SLOTS:
                    lead_sensitive.append(name)
                inner = sentinel_regex(name, self.language) if name in VALUE_SLOTS else PARTY_NAME_PATTERN
                return f"(?P<s{number}>{inner})"

            # An English pattern runs on the lower-cased clause, case-sensitively, unless it
            # reads a party's name: a defined name is told by its capitals ("the Customer").
            lowered = self.language == "en" and not set(self.phrase.slot_names) & set(ROLE_SLOTS)
            pieces = to_pieces(self.phrase, slot_regex, lower=lowered)
            flags = re.IGNORECASE | re.DOTALL if self.language == "en" and not lowered else re.DOTALL
            try:
                # Put together from its pieces: the spaces, gaps and slots that every pattern
                # shares are read once per process, not once per pattern (regextree.py).
                self._regex = compile_pieces(pieces, flags)
            except re.error as exc:
                raise ConfigError(f"pattern {self.source!r} does not compile: {exc}", path=self.where) from None
            self._slots = tuple(groups)
            self._value_slots = frozenset(name for _, name in groups if name in VALUE_SLOTS)
            self._words_before_value = bool(lead_sensitive)
            self._lowered = lowered
        return self

    @property
    def regex(self) -> re.Pattern:
        return self.check()._regex

    @property
    def lowered(self) -> bool:
        """Whether the regex is meant for the clause in lower case (see ``check``)."""
        return self.check()._lowered

    @property
    def slots(self) -> tuple[tuple[str, str], ...]:
        """(regex group name, slot name) for each slot in the pattern."""
        return self.check()._slots

    @property
    def words_before_value(self) -> bool:
        """A word of the pattern stands right before a typed slot ("for {duration}"): the value's
        lead words ("for at least 30 days") may stand between, so the pattern also runs on the
        clause with each value's lead words inside its sentinel."""
        return self.check()._words_before_value

    @property
    def value_slots(self) -> frozenset:
        """The typed slots whose values stand as sentinels in the clause this pattern runs on."""
        return self.check()._value_slots

    @property
    def required(self) -> tuple[frozenset[str], ...]:
        """Sets of words of which a clause must hold one each (see facts/phrase.py)."""
        if self._required is None:
            self._required = required_words(self.phrase)
        return self._required

    @property
    def required_values(self) -> frozenset[str]:
        """The typed slots (duration, percent, ...) every match fills: a clause holding no value
        of one of them is passed over before the pattern runs."""
        if self._required_values is None:
            self._required_values = required_slots(self.phrase) & frozenset(VALUE_SLOTS)
        return self._required_values

    def words(self) -> tuple:
        """``required`` and ``required_values`` as plain data, for the rule book's store."""
        return tuple(tuple(sorted(group)) for group in self.required), tuple(sorted(self.required_values))

    @property
    def triggers(self) -> frozenset[str]:
        """The words that make a clause a candidate for this pattern."""
        return triggers_among(self.required)

    def __getstate__(self):
        return (self.source, self.language, self.where, self.lexicon, self.words())

    def __setstate__(self, state) -> None:
        self.__init__(*state)

    def __repr__(self) -> str:
        return f"CompiledPattern({self.source!r}, {self.language!r})"


@dataclass(frozen=True)
class ExtractionRule:
    """One compiled extraction rule: when it is tried (triggers) and what its patterns yield."""

    id: str                    # "<language>/<fact>#<id>"
    fact: str
    language: str
    triggers: tuple[str, ...]
    patterns: tuple[CompiledPattern, ...]
    value: str | None = None
    qualifiers: dict = field(default_factory=dict, compare=False, hash=False)
    negation: LazyRegex | None = None
    negated_value: str | None = None
    exclude: LazyRegex | None = None
    context: LazyRegex | None = None
    fallback: bool = False
    window: int = 40
    # The words that select a clause for each pattern (in the order of ``patterns``): a clause
    # meets only those patterns of a rule whose own words it holds. Empty: every pattern meets
    # every clause the rule's triggers select.
    pattern_triggers: tuple[tuple[str, ...], ...] = ()
    # Of readings of one fact whose words overlap in a sentence, the one of the highest
    # priority counts (engine._prevailing); a ``no_fact`` rule's readings give no fact, so
    # that with a higher priority they take their words from a reading that would be wrong
    # there ("with your consent" is no unilateral amendment).
    priority: int = 0
    no_fact: bool = False

    @property
    def triggers_by_pattern(self) -> tuple[tuple[str, ...], ...]:
        """The words that select a clause for each pattern, in the order of ``patterns``."""
        return self.pattern_triggers or (self.triggers,) * len(self.patterns)


@dataclass(frozen=True)
class RuleBook:
    """Every extraction rule in effect, and the catalogue they produce facts for."""

    rules: tuple[ExtractionRule, ...]
    catalogue: Catalogue
    # language -> concept -> phrases: the shared concept lexicons (``@name`` in a pattern)
    lexicon: dict = field(default_factory=dict, compare=False, hash=False)


def _phrases_regex(phrases, language: str, where: str, lexicon: dict | None,
                   whole_words: bool = False) -> LazyRegex | None:
    """One regex for a rule's cue phrases (negation, exclude, context), written in the pattern
    language: "(shall|will|must) not be submitted to", "@terms", "{customer} may". English
    phrases start at a word start; negation cues also end at a word end ("not" never matches
    "notice"), while context and exclude words may be word stems ("terminat"). A party slot is
    captured as ``<role>_<cue>_<n>`` so that the engine can check the name stands for that role."""
    if not phrases:
        return None
    # Longest first, then alphabetically: the same phrases always make the same regex.
    parsed = [parse_phrase(source, language, ROLE_SLOTS, lexicon or {}, where)
              for source in sorted(set(phrases), key=lambda text: (-len(text), text))]
    # English cues without a party's name run, like patterns, on the lower-cased clause
    # (``LazyRegex.lowered``): ``re`` compiles and runs a case-sensitive regex quicker.
    lowered = language == "en" and not any(set(phrase.slot_names) & set(ROLE_SLOTS) for phrase in parsed)
    alternatives = []
    starts: set[str] | None = set()
    for number, phrase in enumerate(parsed):
        first = first_characters(phrase)
        starts = None if starts is None or first is None else starts | first

        def party(name: str, slot_number: int, after_words: bool, cue: int = number) -> str:
            return f"(?P<{name}_{cue}_{slot_number}>{PARTY_NAME_PATTERN})"

        alternatives.append(to_regex(phrase, party, word_end=whole_words, cue=True, lower=lowered))
    flags = re.IGNORECASE if language == "en" and not lowered else 0
    regex = "(?:" + "|".join(alternatives) + ")"
    if starts:
        # Behind a lookahead on the cue words' first characters (read off the phrases), most
        # places of a clause are passed over with one test.
        if lowered:
            starts = {char.lower() for char in starts}
        regex = "(?=[" + "".join(sorted(re.escape(char) for char in starts)) + "])" + regex
    return LazyRegex(regex, flags, lowered)


class _File:
    """A rule file being loaded: its name and its lines, to point an error at a place in it.
    Containers read with positions (policycheck.yamlpos) know where their keys, items and
    values stand; plain ones (a shipped file read without positions) give the file alone."""

    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.lines = text.splitlines()

    def at(self, container, key=None, value: bool = False) -> tuple[int | None, int | None]:
        """(line, column) of a key or list item (``value``: of the value at the key), or of the
        container itself when ``key`` is None or missing."""
        if value:
            place = span(container, key)
            if place is not None:
                if isinstance(container, dict) and place.line > place_of(container, key)[0]:
                    return place_of(container, key)     # a block below its key: the key says more
                return place.line, place.column
        if key is None:
            line, column = getattr(container, "line", 0), getattr(container, "column", 0)
            return (line, column) if line else (None, None)
        return place_of(container, key)

    def error(self, message: str, container=None, key=None, value: bool = False,
              line: int | None = None, column: int | None = None) -> ConfigError:
        if line is None and container is not None:
            line, column = self.at(container, key, value)
        source_line = self.lines[line - 1] if line and line <= len(self.lines) else None
        return ConfigError(message, path=self.path, line=line, column=column, source_line=source_line)

    def written(self, container, key) -> str | None:
        """The value at a key or index as written in the file, when it stands on one line."""
        place = span(container, key)
        if place is None or place.line != place.end_line or place.line > len(self.lines):
            return None
        return self.lines[place.line - 1][place.column - 1:place.end_column - 1]

    def place(self, container, key=None, value: bool = False) -> tuple[str, bool]:
        """``path:line:column`` of a place, for a message that names a second one, and whether
        its line is known."""
        line, column = self.at(container, key, value) if container is not None else (None, None)
        return ":".join([self.path] + [str(n) for n in (line, column) if n]), line is not None

    def phrase_error(self, error: PhraseError, what: str, text: str, holder, key) -> ConfigError:
        """A phrase of the file that does not parse: at the column of the problem in the file
        when the phrase is written on one line as it reads, else at the phrase with the column
        inside it."""
        line, column = self.at(holder, key, value=True)
        if error.phrase != text:
            # The problem is in a phrase of a concept this one uses.
            return self.error(f"{what} {text!r}: concept phrase {error.phrase!r}: {error.reason} "
                              f"(at column {error.offset + 1} of that phrase)", line=line, column=column)
        exact = column_in(span(holder, key), text, self.lines, error.offset)
        if exact is None:
            return self.error(f"{what} {text!r}: {error.reason} (at column {error.offset + 1} of the {what})",
                              line=line, column=column)
        return self.error(f"{what} {text!r}: {error.reason}", line=line, column=exact)


def _file(where) -> _File:
    return where if isinstance(where, _File) else _File(str(where))


def _strings(container, key, file: _File, what: str | None = None,
             strict: bool = False) -> list[tuple[str, object, object]]:
    """The string or list of strings at ``container[key]``, each with the container and key
    that locate it: [(text, holder, key), ...]. Numbers are read as their text; ``strict``
    refuses an item YAML read as a boolean (an unquoted no, yes, on, off)."""
    what = what or str(key)
    value = container.get(key) if isinstance(container, dict) else None
    if value is None:
        return []
    if isinstance(value, str):
        return [(value, container, key)]
    if isinstance(value, list):
        found = []
        for index, item in enumerate(value):
            if isinstance(item, bool) and strict:
                written = file.written(value, index) or str(item).lower()
                raise file.error(f"'{what}' item {index + 1} ({written}) is read by YAML as "
                                 f"{str(item).lower()}; quote it: '{written}'", value, index, value=True)
            if isinstance(item, (str, int, float)):
                found.append((str(item), value, index))
            else:
                raise file.error(f"'{what}' must be a string or a list of strings; item {index + 1} is "
                                 f"{_kind(item)}", value, index, value=True)
        return found
    raise file.error(f"'{what}' must be a string or a list of strings, not {_kind(value)}", container, key, value=True)


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a boolean)"
    if value is None:
        return "empty"
    return repr(value)


def _did_you_mean(name, allowed) -> str:
    guess = get_close_matches(str(name), sorted(allowed), n=1)
    return f"; did you mean '{guess[0]}'?" if guess else ""


def compile_rule(entry: dict, default_language: str | None, catalogue: Catalogue, where,
                 validate: bool = True, lexicon: dict | None = None,
                 cue_regexes: dict | None = None) -> ExtractionRule:
    """One rule from its YAML entry; ``validate=False`` leaves its regexes to compile on first use.
    ``where`` is the file's name, or the file being loaded (errors then name line and column).
    ``cue_regexes``: the cue regexes of the rules compiled before with the same ``lexicon``,
    by their words, to share (rules of a fact often list the same exclude words)."""
    file = _file(where)
    if not isinstance(entry, dict):
        raise file.error(f"each rule must be a mapping, not {_kind(entry)}")
    unknown = sorted((key for key in entry if key not in _RULE_KEYS), key=str)
    if unknown:
        raise file.error(f"unknown key '{unknown[0]}' in extraction rule{_did_you_mean(unknown[0], _RULE_KEYS)} "
                         f"(allowed: {', '.join(sorted(_RULE_KEYS))})", entry, unknown[0])
    fact = entry.get("fact")
    if fact is None or fact == "":
        raise file.error("extraction rule without 'fact' (the fact it produces)", entry)
    if not isinstance(fact, str):
        raise file.error(f"'fact' must be the name of a fact, not {_kind(fact)}", entry, "fact", value=True)
    if fact not in catalogue:
        guess = catalogue.suggest(fact)
        raise file.error(f"extraction rule for unknown fact {fact!r}" + (f"; did you mean {guess}?" if guess else ""),
                         entry, "fact", value=True)
    language = entry.get("language", default_language)
    if not isinstance(language, str) or language not in LANGUAGES:
        if "language" in entry:
            raise file.error(f"rule for {fact}: language must be one of {', '.join(LANGUAGES)}, not {_kind(language)}",
                             entry, "language", value=True)
        raise file.error(f"rule for {fact}: 'language' is required ({', '.join(LANGUAGES)})", entry)
    rule_id = entry.get("id")
    if rule_id is None or rule_id == "":
        raise file.error(f"rule for {fact}: 'id' is required", entry)
    if isinstance(rule_id, (bool, list, dict)):
        raise file.error(f"rule for {fact}: 'id' must be a name, not {_kind(rule_id)}", entry, "id", value=True)
    patterns_source = _strings(entry, "patterns", file, strict=validate)
    if not patterns_source:
        raise file.error(f"rule {fact}#{rule_id}: 'patterns' is required",
                         entry, "patterns" if "patterns" in entry else None)
    for key, check in (("qualifiers", lambda v: isinstance(v, dict)),
                       ("value", lambda v: isinstance(v, (str, int, float, bool))),
                       ("negated_value", lambda v: isinstance(v, (str, int, float, bool))),
                       ("fallback", lambda v: isinstance(v, bool)),
                       ("no_fact", lambda v: isinstance(v, bool)),
                       ("priority", lambda v: isinstance(v, int) and not isinstance(v, bool)),
                       ("window", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0)):
        if entry.get(key) is not None and not check(entry[key]):
            wanted = {"qualifiers": "a mapping", "value": "a single value", "negated_value": "a single value",
                      "fallback": "true or false", "no_fact": "true or false",
                      "priority": "a whole number (higher wins)", "window": "a whole number of characters"}[key]
            raise file.error(f"rule {fact}#{rule_id}: '{key}' must be {wanted}, not {_kind(entry[key])}",
                             entry, key, value=True)
    compiled = []
    for source, holder, key in patterns_source:
        pattern = CompiledPattern(source, language, file.path, (lexicon or {}).get(language))
        try:
            if validate:
                pattern.check()
            pattern.phrase        # parsed here in any case: its trigger words are needed now
        except PhraseError as error:
            raise file.phrase_error(error, "pattern", source, holder, key) from None
        except ConfigError as error:
            raise file.error(error.message, holder, key, value=True) from None
        compiled.append((pattern, holder, key))
    # The words that select a sentence for the rule come from its patterns. Rules written
    # before that may still list ``triggers``: they are added, never needed.
    given = [fold(t).lower() for t, _, _ in _strings(entry, "triggers", file, strict=validate)]
    cues = {key: _strings(entry, key, file, strict=validate) for key in ("negation", "exclude", "context")}
    context_words = [fold(t).lower() for t, _, _ in cues["context"]]
    pattern_triggers = []
    for pattern, holder, key in compiled:
        words = pattern.triggers
        if not words:
            if not (given or context_words):
                raise file.error(f"rule {fact}#{rule_id}: pattern {pattern.source!r} has no word of its own "
                                 "to find it by; add a word to it, or 'context' words one of which the "
                                 "sentence must hold", holder, key, value=True)
            words = frozenset(given or context_words)
        pattern_triggers.append(tuple(sorted(words | frozenset(given))))
    triggers = tuple(sorted({word for words in pattern_triggers for word in words}))
    cue_lexicon = (lexicon or {}).get(language)
    regexes = {}
    for key, items in cues.items():
        words = (tuple(sorted({text for text, _, _ in items})), language, key == "negation")
        if cue_regexes is not None and words in cue_regexes:
            regexes[key] = cue_regexes[words]
            continue
        try:
            regexes[key] = _phrases_regex([text for text, _, _ in items], language, file.path, cue_lexicon,
                                          whole_words=key == "negation")
            if cue_regexes is not None:
                cue_regexes[words] = regexes[key]
        except PhraseError as error:
            for text, holder, index in items:
                if text == error.phrase:
                    raise file.phrase_error(error, key, text, holder, index) from None
            raise file.error(error.message, entry, key, value=True) from None
    qualifiers = entry.get("qualifiers") or {}
    value = entry.get("value")
    negated_value = entry.get("negated_value")
    if entry.get("no_fact") and (entry.get("value") is not None or entry.get("negated_value") is not None):
        key = "value" if entry.get("value") is not None else "negated_value"
        raise file.error(f"rule {fact}#{rule_id}: a rule with 'no_fact: true' gives no value; remove '{key}'",
                         entry, key)
    if validate:
        slots = {name for pattern, _, _ in compiled for name in pattern.phrase.slot_names}
        for key in ("value", "negated_value"):
            if entry.get(key) is not None:
                _check_value(literal_text(entry[key]), catalogue.get(fact), slots, file, entry, key,
                             f"rule {fact}#{rule_id}")
    return ExtractionRule(
        id=f"{language}/{fact}#{rule_id}",
        fact=fact,
        language=language,
        triggers=triggers,
        patterns=tuple(pattern for pattern, _, _ in compiled),
        value=None if value is None else literal_text(value),
        qualifiers=dict(qualifiers),
        negation=regexes["negation"],
        negated_value=None if negated_value is None else literal_text(negated_value),
        exclude=regexes["exclude"],
        context=regexes["context"],
        fallback=bool(entry.get("fallback", False)),
        window=_NEGATION_WINDOW[language] if entry.get("window") is None else int(entry["window"]),
        priority=int(entry.get("priority") or 0),
        no_fact=bool(entry.get("no_fact", False)),
        pattern_triggers=tuple(pattern_triggers),
    )


def _check_value(text: str, spec: FactSpec, slots: set, file: _File, entry, key: str, rule: str) -> None:
    """A rule's value is a slot of its patterns (``{duration}``, ``{institution.venue}``) or a
    literal of the fact's type."""
    if text.startswith("{") and text.endswith("}"):
        name = text[1:-1].partition(".")[0].strip()
        if name not in slots:
            known = ", ".join("{" + slot + "}" for slot in sorted(slots)) or "none"
            raise file.error(f"{rule}: '{key}' names the slot {{{name}}}, which no pattern of the rule has "
                             f"(its patterns' slots: {known})", entry, key, value=True)
        return
    from policycheck.values.literals import parse_literal

    try:
        parse_literal(spec.type, text, spec.values)
    except ValueError as error:
        raise file.error(f"{rule}: '{key}' {text!r} is not a value of {spec.name} ({spec.type}): {error}",
                         entry, key, value=True) from None


_FILE_KEYS = ("facts", "lexicon", "rules")
_FACT_KEYS = ("type", "description", "values", "examples", "qualifiers", "multi_valued")


def _read_rule_file(text: str, file: _File, positions: bool):
    """The data of a rule file: with the place of every key and item (``positions``, for users'
    files and for reporting an error), or from the fast loader and its on-disk store."""
    if positions:
        try:
            return parse_yaml(text, file.path, "extractor file")
        except ConfigError as error:
            if "unknown escape character" in error.message:
                # A phrase's escape (\@, \*) inside YAML double quotes.
                error.hint = ("in YAML double quotes a backslash is written twice (\"legal\\\\@example.com\"); "
                              "in single quotes or unquoted, once ('legal\\@example.com')")
            raise
    try:
        return yamlload.load_data(text)
    except yamlload.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise file.error(f"invalid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise file.error("nests too deeply to be read") from None


def _load_rule_file(text: str, where, default_language: str | None, catalogue: Catalogue,
                    positions: bool = False, strict: bool = False) -> tuple[list[FactSpec], list, dict, dict]:
    """A rule file's new facts, its rules, its lexicon entries and where they stand (see
    _lexicon_entries). ``strict``: a user's file (see _strings)."""
    file = _file(where)
    data = _read_rule_file(text, file, positions)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise file.error(f"an extractor file must be a mapping with 'rules' (and optionally 'facts', 'lexicon'), "
                         f"not {_kind(data)}", line=1, column=1)
    unknown = sorted((key for key in data if key not in _FILE_KEYS), key=str)
    if unknown:
        raise file.error(f"unknown key '{unknown[0]}'{_did_you_mean(unknown[0], _FILE_KEYS)} "
                         f"(allowed: {', '.join(_FILE_KEYS)})", data, unknown[0])
    specs = []
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        raise file.error(f"'facts' must be a mapping of fact names to their entries, not {_kind(facts)}",
                         data, "facts", value=True)
    for name, entry in facts.items():
        specs.append(_fact_spec(name, entry, facts, file))
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise file.error(f"'rules' must be a list of rules, not {_kind(rules)}", data, "rules", value=True)
    places: dict = {}
    lexicon = _lexicon_entries(data.get("lexicon"), file, default_language, places, data, strict)
    return specs, rules, lexicon, places


def _fact_spec(name, entry, facts, file: _File) -> FactSpec:
    """A fact a file declares, checked key by key."""
    if not isinstance(name, str) or not name:
        raise file.error(f"a fact name must be a word, not {_kind(name)}", facts, name)
    if not isinstance(entry, dict):
        raise file.error(f"fact {name}: its entry must be a mapping with 'type' (and 'description', ...), "
                         f"not {_kind(entry)}", facts, name, value=True)
    unknown = sorted((key for key in entry if key not in _FACT_KEYS), key=str)
    if unknown:
        raise file.error(f"fact {name}: unknown key '{unknown[0]}'{_did_you_mean(unknown[0], _FACT_KEYS)} "
                         f"(allowed: {', '.join(_FACT_KEYS)})", entry, unknown[0])
    if entry.get("type") not in FACT_TYPES:
        raise file.error(f"fact {name}: 'type' must be one of {', '.join(FACT_TYPES)}",
                         entry, "type" if "type" in entry else None, value="type" in entry)
    if not isinstance(entry.get("description", ""), str):
        raise file.error(f"fact {name}: 'description' must be text", entry, "description", value=True)
    for key in ("values", "examples", "qualifiers"):
        if key in entry and not isinstance(entry[key], list):
            raise file.error(f"fact {name}: '{key}' must be a list", entry, key, value=True)
        _strings(entry, key, file)
    if not isinstance(entry.get("multi_valued", False), bool):
        raise file.error(f"fact {name}: 'multi_valued' must be true or false", entry, "multi_valued", value=True)
    return spec_from_mapping(name, entry, origin=file.path)


def _lexicon_entries(data, where, default_language: str | None, places: dict | None = None,
                     parent=None, strict: bool = False) -> dict[str, dict[str, list[str]]]:
    """``lexicon:`` of a file: ``{language: {concept: [phrases]}}``, or in a file of one language's
    folder ``{concept: [phrases]}``. ``places`` (when given) receives, for each (language,
    concept), the name's container and key and the phrases' [(text, holder, key)]."""
    file = _file(where)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise file.error("'lexicon' must be a mapping of languages (en, zh) to concepts", parent, "lexicon",
                         value=True)
    by_language = {default_language: data} if default_language and not set(data) <= set(LANGUAGES) else data
    entries: dict[str, dict[str, list[str]]] = {}
    for language, concepts in by_language.items():
        if language not in LANGUAGES:
            raise file.error(f"lexicon: unknown language {language!r} (allowed: {', '.join(LANGUAGES)})",
                             data, language)
        if not isinstance(concepts, dict):
            holder, key = (data, language) if by_language is data else (parent, "lexicon")
            raise file.error(f"lexicon.{language} must map concept names to lists of phrases",
                             holder, key, value=True)
        for name, phrases in concepts.items():
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise file.error(f"lexicon.{language}: concept name {name!r} must be lower-case letters, "
                                 "digits and '_'", concepts, name)
            items = _strings(concepts, name, file, f"lexicon.{language}.{name}", strict)
            entries.setdefault(language, {})[name] = [text for text, _, _ in items]
            if places is not None:
                places[language, name] = (concepts, name, items)
    return entries


@lru_cache(maxsize=1)
def _shipped_lexicon_text() -> str:
    return Path(__file__).with_name("lexicons.yaml").read_text(encoding="utf-8")


def _merge_lexicons(parts: list[tuple]) -> dict[str, dict[str, list[str]]]:
    """One lexicon of the parts [(file, entries, places)] (see _lexicon_entries); a concept
    defined twice is an error naming both places."""
    merged: dict[str, dict[str, list[str]]] = {language: {} for language in LANGUAGES}
    origin: dict[tuple[str, str], tuple[str, bool]] = {}
    for part in parts:
        where, entries = part[0], part[1]
        places = part[2] if len(part) > 2 else {}
        file = _file(where)
        for language, concepts in entries.items():
            for name, phrases in concepts.items():
                holder, key, _ = places.get((language, name), (None, None, None))
                if (language, name) in origin:
                    other, known = origin[language, name]
                    error = file.error(f"lexicon: concept @{name} ({language}) is defined twice "
                                       f"(also at {other}); choose another name", holder, key)
                    error.other_place_unknown = not known
                    raise error
                origin[language, name] = file.place(holder, key)
                merged[language][name] = list(phrases)
    return merged


def _shipped_rule_files() -> list[tuple[str, str, str]]:
    """(display name, text, language) of each shipped rule file, in sorted order."""
    root = Path(__file__).with_name("rules")
    found = []
    for language in LANGUAGES:
        folder = root.joinpath(language)
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                found.append((f"rules/{language}/{entry.name}", entry.read_text(encoding="utf-8"), language))
    return found


def _user_rule_files(paths: list[str]) -> list[tuple[str, str, str | None]]:
    found = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith((".yaml", ".yml")):
                        full = os.path.join(dirpath, name)
                        found.append((full, _read_text(full), None))
        else:
            found.append((path, _read_text(path), None))
    return found


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read extractor file: {exc}", path=path) from None


def build_rulebook(extra_paths: tuple[str, ...] = ()) -> RuleBook:
    shipped = _shipped_rule_files()
    files = [(where, text, language, False) for where, text, language in shipped] + \
        [(where, text, language, True) for where, text, language in _user_rule_files(list(extra_paths))]
    if extra_paths:
        return _compile_rule_files(files)
    # The shipped rule book is the same on every run: what compiling it makes is kept on disk
    # (policycheck.datastore), keyed by the rule files and the code that compiles them.
    here = Path(__file__).parent
    key = tuple(source.read_bytes() for source in (here / "rules.py", here / "parties.py", here / "phrase.py",
                                                   here / "lexicons.yaml")) + \
        tuple(f"{where}\0{language}\0{text}".encode("utf-8", "surrogatepass") for where, text, language, _ in files)
    return derived("rulebook", key, lambda: _compile_rule_files(files), encode=_book_data, decode=_book_from_data)


def _compile_rule_files(files: list[tuple[str, str, str | None, bool]], positions: bool = False) -> RuleBook:
    """The rule book of the files [(name, text, language or None, validate)]. Users' files
    (``validate``) are read with the place of every key and item; shipped files are read by
    the fast loader, and read again with places only to report an error in one of them."""
    try:
        return _compile(files, positions)
    except ConfigError as error:
        if positions or (error.line is not None and not getattr(error, "other_place_unknown", False)):
            raise
        return _compile(files, True)    # the same error, now with its line and column


def _compile(files: list[tuple[str, str, str | None, bool]], positions: bool) -> RuleBook:
    catalogue = default_catalogue()
    parsed = []
    new_specs: list[FactSpec] = []
    text = _shipped_lexicon_text()
    shipped = _File("lexicons.yaml", text if positions else "")
    data = parse_yaml(text, shipped.path, "lexicon file") if positions else yamlload.load_data(text)
    places: dict = {}
    lexicons = [(shipped, _lexicon_entries(data, shipped, None, places), places)]
    for where, text, language, validate in files:
        file = _File(where, text) if positions or validate else _File(where)
        specs, rules, lexicon, places = _load_rule_file(text, file, language, catalogue, positions or validate,
                                                        strict=validate)
        if specs and not validate:
            # Runs that use only the shipped rules take the catalogue without building the rule
            # book (pipeline.catalogue_for): every shipped fact is in catalogue/facts.yaml.
            raise ConfigError(f"shipped rule file {where} defines facts ({', '.join(s.name for s in specs)}); "
                              "shipped facts belong in catalogue/facts.yaml")
        new_specs.extend(specs)
        lexicons.append((file, lexicon, places))
        parsed.append((file, language, rules, validate))
    if new_specs:
        catalogue = catalogue.extended(new_specs)
    lexicon = _merge_lexicons(lexicons)
    for (file, entries, places), (_, _, _, validate) in zip(lexicons[1:], parsed):
        if validate:
            _check_lexicon(file, entries, places, lexicon)
    compiled: list[ExtractionRule] = []
    cue_regexes: dict = {}
    seen: dict[str, tuple[str, bool]] = {}
    for file, language, rules, validate in parsed:
        for index, entry in enumerate(rules):
            if not isinstance(entry, dict):
                raise file.error(f"each rule must be a mapping, not {_kind(entry)}", rules, index, value=True)
            rule = compile_rule(entry, language, catalogue, file, validate=validate, lexicon=lexicon,
                                cue_regexes=cue_regexes)
            if rule.id in seen:
                other, known = seen[rule.id]
                error = file.error(f"duplicate extraction rule {rule.id} (also at {other})", entry, "id", value=True)
                error.other_place_unknown = not known
                raise error
            seen[rule.id] = file.place(entry, "id", value=True)
            compiled.append(rule)
    return RuleBook(tuple(compiled), catalogue, lexicon)


def _check_lexicon(file: _File, entries: dict, places: dict, lexicon: dict) -> None:
    """Each phrase of a user's concept parses (with every concept known), reported at its place."""
    for language, concepts in entries.items():
        for name in concepts:
            for text, holder, key in places.get((language, name), (None, None, ()))[2]:
                try:
                    parse_phrase(text, language, _SLOT_NAMES, lexicon.get(language, {}), file.path, (name,))
                except PhraseError as error:
                    raise file.phrase_error(error, f"concept @{name} phrase", text, holder, key) from None


def _book_data(book: RuleBook) -> tuple:
    """The shipped rule book as plain data (its catalogue is the shipped one, rebuilt on load)."""
    if book.catalogue is not default_catalogue():
        raise TypeError("a rule book that adds facts is not kept")

    def regex(lazy: LazyRegex | None):
        return None if lazy is None else (lazy.pattern, int(lazy.flags), lazy.lowered)

    return book.lexicon, tuple((rule.id, rule.fact, rule.language, rule.triggers,
                  tuple((p.source, p.language, p.where, p.words()) for p in rule.patterns), rule.value,
                  rule.qualifiers,
                  regex(rule.negation), rule.negated_value, regex(rule.exclude), regex(rule.context),
                  rule.fallback, rule.window, rule.pattern_triggers, rule.priority, rule.no_fact)
                 for rule in book.rules)


def _book_from_data(data: tuple) -> RuleBook:
    shared: dict[tuple, LazyRegex] = {}

    def regex(value) -> LazyRegex | None:
        # Rules that share their cue words share one regex, compiled once.
        if value is None:
            return None
        value = tuple(value)
        if value not in shared:
            shared[value] = LazyRegex(*value)
        return shared[value]

    lexicon, rules_data = data
    rules = tuple(ExtractionRule(rule_id, fact, language, tuple(triggers),
                                 tuple(CompiledPattern(source, language, where, lexicon.get(language), words)
                                       for source, language, where, words in patterns),
                                 value, dict(qualifiers), regex(negation), negated_value, regex(exclude),
                                 regex(context), fallback, window, tuple(pattern_triggers), priority, no_fact)
                  for (rule_id, fact, language, triggers, patterns, value, qualifiers, negation, negated_value,
                       exclude, context, fallback, window, pattern_triggers, priority, no_fact) in rules_data)
    return RuleBook(rules, default_catalogue(), lexicon)


@lru_cache(maxsize=8)
def rulebook(extra_paths: tuple[str, ...] = ()) -> RuleBook:
    """The compiled rule book, built once per process for a given set of user extractor paths."""
    return build_rulebook(extra_paths)

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

The words that select a sentence for a rule (its triggers) are derived from its patterns; an
old file's ``triggers:`` list is still read and only adds words.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policycheck.datastore import derived
from policycheck.catalogue import FACT_TYPES, Catalogue, FactSpec, default_catalogue, spec_from_mapping
from policycheck.errors import ConfigError
from policycheck.facts.lazyregex import LazyRegex
from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, CUSTOMER, PROVIDER, ROLE_SLOTS
from policycheck.facts.phrase import Phrase, parse as parse_phrase, required_words, to_regex, trigger_words
from policycheck.facts.slots import VALUE_SLOTS, sentinel_regex
from policycheck.facts.view import fold
from policycheck import yamlload

LANGUAGES = ("en", "zh")
_RULE_KEYS = {"fact", "id", "language", "triggers", "patterns", "value", "qualifiers", "negation",
              "negated_value", "exclude", "context", "fallback", "window"}
_NEGATION_WINDOW = {"en": 40, "zh": 12}
_SLOT_NAMES = VALUE_SLOTS + tuple(ROLE_SLOTS)


class CompiledPattern:
    """One pattern of a rule, parsed once (facts/phrase.py) into the tree its regex, its required
    words and its trigger words all come from. The regex is compiled when first needed: a run
    meets only the patterns of rules whose words occur in its contracts. ``check()`` does the
    work at once, for rules users write, so a bad pattern is reported with its file."""

    __slots__ = ("source", "language", "where", "lexicon", "_phrase", "_regex", "_slots", "_value_slots",
                 "_words_before_value")

    def __init__(self, source: str, language: str, where: str, lexicon: dict | None = None) -> None:
        self.source, self.language, self.where = source, language, where
        self.lexicon = lexicon or {}
        self._phrase: Phrase | None = None
        self._regex: re.Pattern | None = None
        self._slots: tuple[tuple[str, str], ...] = ()
        self._value_slots: frozenset = frozenset()

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
                inner = sentinel_regex(name) if name in VALUE_SLOTS else PARTY_NAME_PATTERN
                return f"(?P<s{number}>{inner})"

            regex = to_regex(self.phrase, slot_regex)
            flags = re.IGNORECASE | re.DOTALL if self.language == "en" else re.DOTALL
            try:
                self._regex = re.compile(regex, flags)
            except re.error as exc:
                raise ConfigError(f"pattern {self.source!r} does not compile: {exc}", path=self.where) from None
            self._slots = tuple(groups)
            self._value_slots = frozenset(name for _, name in groups if name in VALUE_SLOTS)
            self._words_before_value = bool(lead_sensitive)
        return self

    @property
    def regex(self) -> re.Pattern:
        return self.check()._regex

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
        return required_words(self.phrase)

    @property
    def triggers(self) -> frozenset[str]:
        """The words that make a clause a candidate for this pattern."""
        return trigger_words(self.phrase)

    def __getstate__(self):
        return (self.source, self.language, self.where, self.lexicon)

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
    alternatives = []
    for number, source in enumerate(sorted(set(phrases), key=len, reverse=True)):
        phrase = parse_phrase(source, language, ROLE_SLOTS, lexicon or {}, where)

        def party(name: str, slot_number: int, after_words: bool, cue: int = number) -> str:
            return f"(?P<{name}_{cue}_{slot_number}>{PARTY_NAME_PATTERN})"

        alternatives.append(to_regex(phrase, party, word_end=whole_words, cue=True))
    flags = re.IGNORECASE if language == "en" else 0
    return LazyRegex("(?:" + "|".join(alternatives) + ")", flags)


def _as_list(value, key: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise ConfigError(f"'{key}' must be a string or a list of strings", path=where)


def compile_rule(entry: dict, default_language: str | None, catalogue: Catalogue, where: str,
                 validate: bool = True, lexicon: dict | None = None) -> ExtractionRule:
    """One rule from its YAML entry; ``validate=False`` leaves its regexes to compile on first use."""
    if not isinstance(entry, dict):
        raise ConfigError("each rule must be a mapping", path=where)
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise ConfigError(f"unknown key '{unknown[0]}' in extraction rule "
                          f"(allowed: {', '.join(sorted(_RULE_KEYS))})", path=where)
    fact = entry.get("fact")
    if not fact or fact not in catalogue:
        guess = catalogue.suggest(str(fact)) if fact else None
        raise ConfigError(f"extraction rule for unknown fact {fact!r}" + (f"; did you mean {guess}?" if guess else ""),
                          path=where)
    language = entry.get("language", default_language)
    if language not in LANGUAGES:
        raise ConfigError(f"rule for {fact}: language must be one of {', '.join(LANGUAGES)}", path=where)
    rule_id = entry.get("id")
    if not rule_id:
        raise ConfigError(f"rule for {fact}: 'id' is required", path=where)
    patterns_source = _as_list(entry.get("patterns"), "patterns", where)
    if not patterns_source:
        raise ConfigError(f"rule {fact}#{rule_id}: 'patterns' is required", path=where)
    compiled = [CompiledPattern(source, language, where, (lexicon or {}).get(language)) for source in patterns_source]
    if validate:
        for pattern in compiled:
            pattern.check()
    # The words that select a sentence for the rule come from its patterns. Rules written
    # before that may still list ``triggers``: they are added, never needed.
    given = [fold(t).lower() for t in _as_list(entry.get("triggers"), "triggers", where)]
    context_words = [fold(t).lower() for t in _as_list(entry.get("context"), "context", where)]
    triggers = set(given)
    for pattern in compiled:
        words = pattern.triggers
        if not words:
            if not (given or context_words):
                raise ConfigError(f"rule {fact}#{rule_id}: pattern {pattern.source!r} has no word of its own "
                                  "to find it by; add a word to it, or 'context' words one of which the "
                                  "sentence must hold", path=where)
            words = frozenset(given or context_words)
        triggers.update(words)
    triggers = tuple(sorted(triggers))
    cue_lexicon = (lexicon or {}).get(language)
    qualifiers = entry.get("qualifiers") or {}
    if not isinstance(qualifiers, dict):
        raise ConfigError(f"rule {fact}#{rule_id}: 'qualifiers' must be a mapping", path=where)
    value = entry.get("value")
    negated_value = entry.get("negated_value")
    return ExtractionRule(
        id=f"{language}/{fact}#{rule_id}",
        fact=fact,
        language=language,
        triggers=triggers,
        patterns=tuple(compiled),
        value=None if value is None else _literal_text(value),
        qualifiers=dict(qualifiers),
        negation=_phrases_regex(_as_list(entry.get("negation"), "negation", where), language, where, cue_lexicon,
                                whole_words=True),
        negated_value=None if negated_value is None else _literal_text(negated_value),
        exclude=_phrases_regex(_as_list(entry.get("exclude"), "exclude", where), language, where, cue_lexicon),
        context=_phrases_regex(_as_list(entry.get("context"), "context", where), language, where, cue_lexicon),
        fallback=bool(entry.get("fallback", False)),
        window=int(entry.get("window", _NEGATION_WINDOW[language])),
    )


def _literal_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _load_rule_file(text: str, where: str, default_language: str | None,
                    catalogue: Catalogue) -> tuple[list[FactSpec], list[dict]]:
    try:
        data = yamlload.load_data(text) or {}
    except yamlload.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=where,
                          line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise ConfigError("nests too deeply to be read", path=where) from None
    if not isinstance(data, dict):
        raise ConfigError("an extractor file must be a mapping with 'rules' (and optionally 'facts')", path=where)
    unknown = sorted(set(data) - {"rules", "facts", "lexicon"})
    if unknown:
        raise ConfigError(f"unknown key '{unknown[0]}' (allowed: facts, lexicon, rules)", path=where)
    specs = []
    for name, entry in (data.get("facts") or {}).items():
        if not isinstance(entry, dict) or entry.get("type") not in FACT_TYPES:
            raise ConfigError(f"fact {name}: 'type' must be one of {', '.join(FACT_TYPES)}", path=where)
        specs.append(spec_from_mapping(str(name), entry, origin=where))
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise ConfigError("'rules' must be a list", path=where)
    return specs, rules, _lexicon_entries(data.get("lexicon"), where, default_language)


def _lexicon_entries(data, where: str, default_language: str | None) -> dict[str, dict[str, list[str]]]:
    """``lexicon:`` of a file: ``{language: {concept: [phrases]}}``, or in a file of one language's
    folder ``{concept: [phrases]}``."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("'lexicon' must be a mapping of languages (en, zh) to concepts", path=where)
    if default_language and not set(data) <= set(LANGUAGES):
        data = {default_language: data}
    entries: dict[str, dict[str, list[str]]] = {}
    for language, concepts in data.items():
        if language not in LANGUAGES:
            raise ConfigError(f"lexicon: unknown language {language!r} (allowed: {', '.join(LANGUAGES)})", path=where)
        if not isinstance(concepts, dict):
            raise ConfigError(f"lexicon.{language} must map concept names to lists of phrases", path=where)
        for name, phrases in concepts.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
                raise ConfigError(f"lexicon.{language}: concept name {name!r} must be lower-case letters, "
                                  "digits and '_'", path=where)
            entries.setdefault(language, {})[str(name)] = _as_list(phrases, f"lexicon.{language}.{name}", where)
    return entries


@lru_cache(maxsize=1)
def _shipped_lexicon_text() -> str:
    return Path(__file__).with_name("lexicons.yaml").read_text(encoding="utf-8")


def _merge_lexicons(parts: list[tuple[str, dict[str, dict[str, list[str]]]]]) -> dict[str, dict[str, list[str]]]:
    merged: dict[str, dict[str, list[str]]] = {language: {} for language in LANGUAGES}
    origin: dict[tuple[str, str], str] = {}
    for where, entries in parts:
        for language, concepts in entries.items():
            for name, phrases in concepts.items():
                if (language, name) in origin:
                    raise ConfigError(f"lexicon: concept @{name} ({language}) is defined twice "
                                      f"(also in {origin[language, name]}); choose another name", path=where)
                origin[language, name] = where
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


def _compile_rule_files(files: list[tuple[str, str, str | None, bool]]) -> RuleBook:
    catalogue = default_catalogue()
    parsed = []
    new_specs: list[FactSpec] = []
    lexicons = [("lexicons.yaml", _lexicon_entries(yamlload.load_data(_shipped_lexicon_text()), "lexicons.yaml", None))]
    for where, text, language, validate in files:
        specs, rules, lexicon = _load_rule_file(text, where, language, catalogue)
        new_specs.extend(specs)
        lexicons.append((where, lexicon))
        parsed.append((where, language, rules, validate))
    if new_specs:
        catalogue = catalogue.extended(new_specs)
    lexicon = _merge_lexicons(lexicons)
    compiled: list[ExtractionRule] = []
    seen: dict[str, str] = {}
    for where, language, rules, validate in parsed:
        for entry in rules:
            rule = compile_rule(entry, language, catalogue, where, validate=validate, lexicon=lexicon)
            if rule.id in seen:
                raise ConfigError(f"duplicate extraction rule {rule.id} (also in {seen[rule.id]})", path=where)
            seen[rule.id] = where
            compiled.append(rule)
    return RuleBook(tuple(compiled), catalogue, lexicon)


def _book_data(book: RuleBook) -> tuple:
    """The shipped rule book as plain data (its catalogue is the shipped one, rebuilt on load)."""
    if book.catalogue is not default_catalogue():
        raise TypeError("a rule book that adds facts is not kept")

    def regex(lazy: LazyRegex | None):
        return None if lazy is None else (lazy.pattern, int(lazy.flags))

    return book.lexicon, tuple((rule.id, rule.fact, rule.language, rule.triggers,
                  tuple((p.source, p.language, p.where) for p in rule.patterns), rule.value, rule.qualifiers,
                  regex(rule.negation), rule.negated_value, regex(rule.exclude), regex(rule.context),
                  rule.fallback, rule.window) for rule in book.rules)


def _book_from_data(data: tuple) -> RuleBook:
    def regex(value) -> LazyRegex | None:
        return None if value is None else LazyRegex(*value)

    lexicon, rules_data = data
    rules = tuple(ExtractionRule(rule_id, fact, language, tuple(triggers),
                                 tuple(CompiledPattern(*pattern, lexicon.get(pattern[1])) for pattern in patterns),
                                 value, dict(qualifiers), regex(negation), negated_value, regex(exclude),
                                 regex(context), fallback, window)
                  for (rule_id, fact, language, triggers, patterns, value, qualifiers, negation, negated_value,
                       exclude, context, fallback, window) in rules_data)
    return RuleBook(rules, default_catalogue(), lexicon)


@lru_cache(maxsize=8)
def rulebook(extra_paths: tuple[str, ...] = ()) -> RuleBook:
    """The compiled rule book, built once per process for a given set of user extractor paths."""
    return build_rulebook(extra_paths)

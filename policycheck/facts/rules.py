"""Extraction rules as data: loading, validation and compilation.

Shipped rules live in ``policycheck/facts/rules/<language>/*.yaml``; users add their own files
(config ``extractors:``) in the same format, which may also declare new facts:

    facts:                         # optional: new catalogue entries
      escrow_release_period: {type: duration, description: "..."}
    rules:
      - fact: governing_law        # the fact this rule produces
        id: laws-of                # unique within fact and language
        language: en               # en | zh (defaults to the folder name)
        triggers: [governed by]    # keywords: only sentences holding one are tried
        patterns: ["governed by ~ laws of {jurisdiction}"]
        value: "{jurisdiction}"    # a slot, a slot attribute, or a literal (true, 0d, CN)
        qualifiers: {anchor: termination}
        negation: ["shall not"]    # whole-word cue before the match or inside it (outside its
                                   # slots): no fact, or negated_value when one is given;
                                   # "{customer}可" names a party of that role (parties.py)
        negated_value: false
        exclude: ["violat"]        # sentence holding one of these: rule not applied
        context: ["terminat"]      # the sentence or its section heading must hold one of these
        fallback: false            # only used when no other rule found the fact
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
from policycheck.facts.parties import ALIAS_PATTERN as PARTY_NAME_PATTERN, CUSTOMER, PROVIDER
from policycheck.facts.patterns import compile_pattern
from policycheck.facts.required import required_literals
from policycheck.facts.slots import slots
from policycheck.patternstore import compile_pattern as compile_pattern_cached
from policycheck import yamlload

LANGUAGES = ("en", "zh")
_RULE_KEYS = {"fact", "id", "language", "triggers", "patterns", "value", "qualifiers", "negation",
              "negated_value", "exclude", "context", "fallback", "window"}
_NEGATION_WINDOW = {"en": 40, "zh": 12}


class CompiledPattern:
    """One pattern of a rule. Its regex, slot groups and required literals are worked out when
    first needed: a run meets only the patterns of rules whose triggers occur in its contracts,
    and compiling every pattern (each embeds a slot's large alternation) would cost more than
    checking a small contract. ``check()`` does the work at once, for rules users write."""

    __slots__ = ("source", "language", "where", "_regex", "_slots", "_required")

    def __init__(self, source: str, language: str, where: str) -> None:
        self.source, self.language, self.where = source, language, where
        self._regex: re.Pattern | None = None
        self._slots: tuple[tuple[str, str], ...] = ()
        self._required: tuple[frozenset[str], ...] | None = None

    def check(self) -> "CompiledPattern":
        """Compile now; ConfigError (naming the file) when the pattern is not valid."""
        if self._regex is None:
            slot_patterns = {name: slot.pattern for name, slot in slots().items()}
            regex, self._slots = compile_pattern(self.source, self.language, slot_patterns, self.where)
            flags = re.IGNORECASE | re.DOTALL if self.language == "en" else re.DOTALL
            try:
                self._regex = compile_pattern_cached(regex, flags)
            except re.error as exc:
                raise ConfigError(f"pattern {self.source!r} does not compile: {exc}", path=self.where) from None
        return self

    @property
    def regex(self) -> re.Pattern:
        return self.check()._regex

    @property
    def slots(self) -> tuple[tuple[str, str], ...]:
        """(regex group name, slot name) for each slot in the pattern."""
        return self.check()._slots

    @property
    def required(self) -> tuple[frozenset[str], ...]:
        """Sets of literals of which a sentence must hold one each (see facts/required.py)."""
        if self._required is None:
            self._required = required_literals(self.source, self.language)
        return self._required

    def __getstate__(self):
        return (self.source, self.language, self.where)

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


def _phrases_regex(phrases, language: str, whole_words: bool = False) -> LazyRegex | None:
    """English phrases start at a word start; negation cues also end at a word end ("not"
    never matches "notice"), while context and exclude keywords may be word stems ("terminat")."""
    if not phrases:
        return None
    alternatives = "|".join(_party_groups(re.escape(p).replace(r"\ ", r"\s+"), number)
                            for number, p in enumerate(sorted(set(phrases), key=len, reverse=True)))
    if language == "en":
        end = r"(?![A-Za-z])" if whole_words else ""
        return LazyRegex(rf"{_first_character_guard(phrases)}(?<![A-Za-z])(?:{alternatives}){end}", re.IGNORECASE)
    return LazyRegex(f"(?:{alternatives})")


def _first_character_guard(phrases) -> str:
    """A lookahead on the phrases' first characters, when each starts with a plain character.

    A case-insensitive alternation behind a lookbehind gets no quick reject from the regex
    engine: it tries every phrase at every place of the sentence. A class of the first
    characters (matched case-insensitively just as those characters are) rejects most places
    with one test. A phrase starting with a space or a party slot has no such character."""
    firsts = {phrase[:1] for phrase in phrases}
    if any(not first or first.isspace() or first == "{" for first in firsts):
        return ""
    return "(?=[" + "".join(re.escape(first) for first in sorted(firsts)) + "])"


def _party_groups(escaped: str, number: int) -> str:
    """``{customer}`` / ``{provider}`` in a cue: a party name, captured so that the engine can
    check it stands for that role in the document (``customer3`` for the fourth cue)."""
    for role in (CUSTOMER, PROVIDER):
        escaped = escaped.replace(re.escape("{" + role + "}"), f"(?P<{role}{number}>{PARTY_NAME_PATTERN})")
    return escaped


def _as_list(value, key: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise ConfigError(f"'{key}' must be a string or a list of strings", path=where)


def compile_rule(entry: dict, default_language: str | None, catalogue: Catalogue, where: str,
                 validate: bool = True) -> ExtractionRule:
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
    triggers = tuple(t.lower() for t in _as_list(entry.get("triggers"), "triggers", where))
    if not triggers:
        raise ConfigError(f"rule {fact}#{rule_id}: 'triggers' is required (keywords that must appear "
                          "in a sentence before its patterns are tried)", path=where)
    compiled = [CompiledPattern(source, language, where) for source in patterns_source]
    if validate:
        for pattern in compiled:
            pattern.check()
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
        negation=_phrases_regex(_as_list(entry.get("negation"), "negation", where), language, whole_words=True),
        negated_value=None if negated_value is None else _literal_text(negated_value),
        exclude=_phrases_regex(_as_list(entry.get("exclude"), "exclude", where), language),
        context=_phrases_regex(_as_list(entry.get("context"), "context", where), language),
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
    unknown = sorted(set(data) - {"rules", "facts"})
    if unknown:
        raise ConfigError(f"unknown key '{unknown[0]}' (allowed: facts, rules)", path=where)
    specs = []
    for name, entry in (data.get("facts") or {}).items():
        if not isinstance(entry, dict) or entry.get("type") not in FACT_TYPES:
            raise ConfigError(f"fact {name}: 'type' must be one of {', '.join(FACT_TYPES)}", path=where)
        specs.append(spec_from_mapping(str(name), entry, origin=where))
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise ConfigError("'rules' must be a list", path=where)
    return specs, rules


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
    key = tuple(source.read_bytes() for source in (here / "rules.py", here / "parties.py")) + \
        tuple(f"{where}\0{language}\0{text}".encode("utf-8", "surrogatepass") for where, text, language, _ in files)
    return derived("rulebook", key, lambda: _compile_rule_files(files), encode=_book_data, decode=_book_from_data)


def _compile_rule_files(files: list[tuple[str, str, str | None, bool]]) -> RuleBook:
    catalogue = default_catalogue()
    parsed = []
    new_specs: list[FactSpec] = []
    for where, text, language, validate in files:
        specs, rules = _load_rule_file(text, where, language, catalogue)
        new_specs.extend(specs)
        parsed.append((where, language, rules, validate))
    if new_specs:
        catalogue = catalogue.extended(new_specs)
    compiled: list[ExtractionRule] = []
    seen: dict[str, str] = {}
    for where, language, rules, validate in parsed:
        for entry in rules:
            rule = compile_rule(entry, language, catalogue, where, validate=validate)
            if rule.id in seen:
                raise ConfigError(f"duplicate extraction rule {rule.id} (also in {seen[rule.id]})", path=where)
            seen[rule.id] = where
            compiled.append(rule)
    return RuleBook(tuple(compiled), catalogue)


def _book_data(book: RuleBook) -> tuple:
    """The shipped rule book as plain data (its catalogue is the shipped one, rebuilt on load)."""
    if book.catalogue is not default_catalogue():
        raise TypeError("a rule book that adds facts is not kept")

    def regex(lazy: LazyRegex | None):
        return None if lazy is None else (lazy.pattern, int(lazy.flags))

    return tuple((rule.id, rule.fact, rule.language, rule.triggers,
                  tuple((p.source, p.language, p.where) for p in rule.patterns), rule.value, rule.qualifiers,
                  regex(rule.negation), rule.negated_value, regex(rule.exclude), regex(rule.context),
                  rule.fallback, rule.window) for rule in book.rules)


def _book_from_data(data: tuple) -> RuleBook:
    def regex(value) -> LazyRegex | None:
        return None if value is None else LazyRegex(*value)

    rules = tuple(ExtractionRule(rule_id, fact, language, triggers,
                                 tuple(CompiledPattern(*pattern) for pattern in patterns), value, dict(qualifiers),
                                 regex(negation), negated_value, regex(exclude), regex(context), fallback, window)
                  for (rule_id, fact, language, triggers, patterns, value, qualifiers, negation, negated_value,
                       exclude, context, fallback, window) in data)
    return RuleBook(rules, default_catalogue())


@lru_cache(maxsize=8)
def rulebook(extra_paths: tuple[str, ...] = ()) -> RuleBook:
    """The compiled rule book, built once per process for a given set of user extractor paths."""
    return build_rulebook(extra_paths)

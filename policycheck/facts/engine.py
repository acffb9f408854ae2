"""Run the rule book over a document: keyword pre-filter, patterns, typed values, evidence.

Rules read the document's matching view (facts/view.py: folded characters, no defined-term
parentheticals, page furniture or wrapped lines in the way), never its raw text; evidence is
mapped back to the original. One pass of a single trie-shaped regex over the view finds every
trigger word (derived from the rules' own patterns); only the sentences holding one meet the
patterns of the rules it names. In such a sentence each typed slot's values are found once,
and a pattern runs on the sentence with those values standing as single sentinel characters.
Cost therefore grows with candidate sentences, not with rules x text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache

from policycheck.catalogue import FactSpec
from policycheck.document.model import Document, Segment
from policycheck.facts.model import DocumentFacts, Fact
from policycheck.facts.parties import CUSTOMER, PROVIDER, PartyRoles, ROLE_SLOTS, read_party_roles
from policycheck.facts.phrase import ASIDE_BODY, holds_required
from policycheck.facts.trie import trie_regex
from policycheck.lazyregex import LazyRegex, lower_in_place
from policycheck.patternstore import compile_pattern
from policycheck.facts.rules import ExtractionRule, RuleBook, rulebook
from policycheck.facts.clause import CLAUSE_CUT, ClauseValues, SlottedClause, words_in_place
from policycheck.facts.slots import Institution, SlotValue
from policycheck.facts.view import DocumentView, fold
from policycheck.values.durations import comparator_before
from policycheck.values.literals import parse_literal
from policycheck.values.types import Duration, EnumValue, Jurisdiction, Money, Percent, Value


_BREAKS_AS_SPACES = str.maketrans("\n\r\t", "   ")
# A selected pattern is one number, its rule's index shifted past its own index in the rule.
_PATTERN_BITS = 8
_PATTERN_MASK = (1 << _PATTERN_BITS) - 1


def pattern_key(rule_index: int, pattern_index: int) -> int:
    """The number that stands for a rule's pattern among a sentence's candidates."""
    if pattern_index > _PATTERN_MASK:
        raise ValueError(f"a rule has more than {_PATTERN_MASK + 1} patterns")
    return rule_index << _PATTERN_BITS | pattern_index


def rule_of(key: int) -> int:
    """The rule index of a candidate pattern's number."""
    return key >> _PATTERN_BITS


class Extractor:
    """A compiled rule book, ready to extract facts from any number of documents."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.catalogue = book.catalogue
        self._scanners = {language: _TriggerScanner(book.rules, language)
                          for language in sorted({rule.language for rule in book.rules})}
        self._plans: list[_RulePlan | None] = [None] * len(book.rules)
        self._pattern_plans: dict[int, _PatternPlan] = {}      # pattern_key -> its plan
        self._fallback_rules = {rule.id for rule in book.rules if rule.fallback}

    def __reduce__(self):
        # A worker process gets the rule book and compiles what it meets itself (through the
        # pattern store), rather than unpickling every regex the parent has compiled so far.
        return Extractor, (self.book,)

    # -- candidates
    def candidates(self, document: Document, folded: str | None = None
                   ) -> tuple[DocumentView, list[tuple[int, int]], dict[int, set[int]]]:
        """The document's view, each segment's bounds in it, and segment index -> its candidate
        patterns (``pattern_key``: a pattern is a candidate where one of its trigger words occurs).
        ``folded``: the document's text folded (``view.fold``), when the caller has it."""
        view = DocumentView(document.text, folded)
        bounds = [(view.view(segment.start), view.view(segment.end)) for segment in document.segments]
        return view, bounds, self._candidates(view, bounds, [segment.language for segment in document.segments])

    def _candidates(self, view: DocumentView, bounds: list[tuple[int, int]],
                    languages: list[str]) -> dict[int, set[int]]:
        """segment index -> patterns of rules of the segment's language whose triggers occur in it."""
        candidates: dict[int, set[int]] = {}
        if not bounds:
            return candidates
        starts = [start for start, _ in bounds]
        # Where lower-casing would move positions, the view is scanned as written, ignoring case.
        lowered = lower_in_place(view.text)
        for language, scanner in self._scanners.items():
            scanner.scan(view.text if lowered is None else lowered, lowered is not None, bounds, languages, starts,
                         candidates)
        return candidates

    # -- values
    def _value_from_slot(self, spec: FactSpec, reading: SlotValue, attribute: str | None) -> Value | None:
        value = reading.value
        if isinstance(value, Institution):
            if attribute == "venue" or (attribute is None and spec.type == "jurisdiction"):
                return Jurisdiction(value.code) if value.code else None
            if spec.type == "enum":
                return EnumValue(value.body) if value.body in spec.values else None
            return None
        if attribute:
            return None
        if spec.type == "enum" and isinstance(value, str):
            return EnumValue(value) if value in spec.values else None
        return value

    def _resolve(self, rule: ExtractionRule, spec: FactSpec, readings: dict[str, SlotValue],
                 negated: bool) -> tuple[Value | None, dict]:
        template = rule.negated_value if negated else rule.value
        if template is None:
            for slot_name, reading in readings.items():
                value = self._value_from_slot(spec, reading, None)
                if value is not None and _type_fits(spec, value):
                    return value, dict(reading.qualifiers)
            return None, {}
        if template.startswith("{") and template.endswith("}"):
            slot_name, _, attribute = template[1:-1].partition(".")
            reading = readings.get(slot_name)
            if reading is None:
                return None, {}
            value = self._value_from_slot(spec, reading, attribute or None)
            return value, dict(reading.qualifiers)
        return parse_literal(spec.type, template, spec.values), {}

    # -- extraction
    def _plan(self, rule_index: int) -> _RulePlan:
        plan = self._plans[rule_index]
        if plan is None:
            rule = self.book.rules[rule_index]
            plan = self._plans[rule_index] = _RulePlan(rule, self.catalogue.get(rule.fact))
        return plan

    def _apply(self, plan: _RulePlan, patterns: list, document: Document, segment: Segment, view: DocumentView,
               clause_start: int, values: ClauseValues, readings: list[_Reading], roles: PartyRoles) -> None:
        """The readings of one rule in one sentence (added to ``readings``), from those of its
        patterns whose required words the sentence holds."""
        rule, spec = plan.rule, plan.spec
        # A pattern whose typed slot has no value in the clause cannot match: most sentences a
        # rule's words select hold no duration, percent or place at all.
        patterns = [pattern for pattern in patterns if all(values.holds(name) for name in pattern.needed)]
        if not patterns:
            return
        for pattern in patterns:
            if pattern.regex is None:
                pattern.prepare()
        text = values.text
        # Every pattern's matches, earliest first: the evidence of a sentence's fact is the
        # first place the sentence says it, whichever pattern found it.
        hits = []
        for index, pattern in enumerate(patterns):
            slottings = [values.slotted(pattern.value_slots)]
            if pattern.words_before_value and values.has_leads(pattern.value_slots):
                slottings.append(values.slotted(pattern.value_slots, with_leads=True))
            for slotted in slottings:
                for match in pattern.matches(slotted, roles):
                    hits.append((slotted.clause_position(match.start()), index, pattern, slotted, match))
        if not hits:
            return
        # The context words are looked for only where a pattern matched: a pattern's regex on
        # one sentence costs less than reading the sentence as written and its heading.
        if plan.context is not None and not values.in_context(plan.context_key, plan.context, document, segment):
            return
        if len(patterns) > 1:
            hits.sort(key=lambda hit: hit[:2])
        for _, _, pattern, slotted, match in hits:
            if match.end() == match.start():
                continue
            # A value's lead words ("within" of "within 30 days") belong to the match even where
            # the pattern's slot starts it: the evidence quotes them, and no cue is seen in them.
            extents = [slotted.extent(*match.span(group)) for group, _ in pattern.slots if match.start(group) >= 0]
            match_start = min([match.start()] + [extent[0] for extent in extents])
            start = slotted.clause_position(match_start)
            end = slotted.clause_position(match.end())
            # An exclude word vetoes the clause it stands in, not the whole sentence: "may
            # terminate (a) on 30 days' notice; or (b) for breach" keeps (a).
            if plan.exclude is not None and plan.exclude(text, *values.clause_around(start, end)):
                continue
            slot_readings: dict[str, SlotValue] = {}
            unreadable = False
            for group, slot_name in pattern.slots:
                if match.start(group) < 0:
                    continue
                if slot_name in ROLE_SLOTS:
                    reading = _role_reading(match.group(group), roles)
                else:
                    found = slotted.value_in(*match.span(group))
                    reading = None
                    if found is None and words_in_place(slot_name, match.group(group)):
                        reading = values.read(slot_name, _in_place_span(slotted, match, group))
                    elif found is not None:
                        _, span = found
                        value_start, value_end = span[0], span[3]
                        reading = values.read(slot_name, span)
                        if reading is not None and slot_name == "duration":
                            reading = _read_comparator(reading, text[value_start:value_end], text[:value_start],
                                                       text[value_end:])
                if reading is None:
                    unreadable = True
                    break
                slot_readings.setdefault(slot_name, reading)
            if unreadable:
                if pattern.names_party:
                    # The clause says who acts, but not whom that name stands for here: a
                    # reading that gives no fact, so that no other rule of the fact guesses a
                    # value from the same words.
                    readings.append(_Reading(rule, start, end))
                continue
            negated = plan.negation is not None and _negated(
                plan.negation, rule.window, roles.marked(slotted.text) if plan.party_cues else slotted.text,
                match_start, match.end(), extents, roles)
            if negated and rule.negated_value is None:
                continue
            if rule.no_fact:
                readings.append(_Reading(rule, start, end))
                continue
            value, qualifiers = self._resolve(rule, spec, slot_readings, negated)
            if value is None:
                continue
            qualifiers.update(rule.qualifiers)
            if qualifiers.get("anchor") == "auto":
                anchor = _anchor(text, rule.language)
                if anchor:
                    qualifiers["anchor"] = anchor
                else:
                    del qualifiers["anchor"]
            evidence_end = end
            if rule.language == "en":
                # A pattern may stop inside a word ("terminat"); evidence quotes whole words.
                while evidence_end < len(text) and text[evidence_end].isalnum():
                    evidence_end += 1
            first, last = view.original(clause_start + start), view.original_end(clause_start + evidence_end)
            fact = Fact(rule.fact, spec.type, value, segment.language, document.span(first, last, segment), rule.id,
                        qualifiers)
            readings.append(_Reading(rule, start, end, fact))

    def extract(self, document: Document) -> DocumentFacts:
        facts: list[Fact] = []
        # Party names are read line by line as written (a defined term is how a party gets its
        # name), folded as the view is.
        folded = fold(document.text)
        roles = read_party_roles(_join_bracket_wraps(folded))
        segments = document.segments
        view, bounds, candidates = self.candidates(document, folded)
        plans = self._plans
        pattern_plans = self._pattern_plans
        for segment_index in sorted(candidates):
            segment = segments[segment_index]
            clause_start, clause_end = bounds[segment_index]
            values = ClauseValues(view.text[clause_start:clause_end], segment.language)
            # English words are case-folded; Chinese ones are tested as written (and folded).
            haystack = values.text.casefold() if segment.language == "en" else values.text
            readings: list[_Reading] = []
            # The patterns the triggers selected whose required words are all here (most have
            # none), rule by rule, each rule's in its own order: the keys sort that way.
            possible: dict[int, list[_PatternPlan]] = {}
            for key in sorted(candidates[segment_index]):
                found = pattern_plans.get(key)
                if found is None:
                    found = pattern_plans[key] = self._plan(key >> _PATTERN_BITS).patterns[key & _PATTERN_MASK]
                if holds_required(found.required, haystack):
                    possible.setdefault(key >> _PATTERN_BITS, []).append(found)
            for rule_index, patterns in possible.items():
                self._apply(plans[rule_index], patterns, document, segment, view, clause_start, values, readings,
                            roles)
            if readings:
                facts.extend(_with_implied(_prevailing(readings), self.catalogue))
        if self._fallback_rules:
            found_directly = {f.name for f in facts if f.extractor not in self._fallback_rules}
            facts = [f for f in facts if f.extractor not in self._fallback_rules or f.name not in found_directly]
        facts.sort(key=lambda f: (f.evidence.line, f.evidence.column, f.name, f.extractor))
        return DocumentFacts(document.path, document.languages, _one_per_line(facts))


class _Reading:
    """What one match of a rule says of its sentence: a fact, or none (a rule that reads words
    as no fact, ``no_fact: true``, or a party's name that stands for no known role)."""

    __slots__ = ("rule", "start", "end", "fact")

    def __init__(self, rule: ExtractionRule, start: int, end: int, fact: Fact | None = None) -> None:
        self.rule, self.start, self.end, self.fact = rule, start, end, fact


def _prevailing(readings: list[_Reading]) -> list[Fact]:
    """The facts of a sentence's readings (made rule by rule in the rule book's order, each
    rule's earliest first). Of readings of one fact whose words overlap, the one of the higher
    ``priority`` counts, and at equal priority the one made first; one fact per value ("only
    individually, not as a class member" is one class action waiver, not two)."""
    kept: dict[str, list[_Reading]] = {}
    values: dict[str, set] = {}
    facts = []
    for reading in sorted(readings, key=lambda reading: -reading.rule.priority):     # stable
        others = kept.setdefault(reading.rule.fact, [])
        if any(reading.start < other.end and other.start < reading.end for other in others):
            continue
        if reading.fact is not None:
            seen = values.setdefault(reading.rule.fact, set())
            if reading.fact.value in seen:
                continue            # said again: neither a second fact nor a claim on the words
            seen.add(reading.fact.value)
            facts.append(reading.fact)
        others.append(reading)
    return facts


class _RulePlan:
    """What extraction needs of a rule, worked out when the rule first meets a sentence."""

    __slots__ = ("rule", "spec", "patterns", "exclude", "context", "context_key", "negation", "party_cues")

    def __init__(self, rule: ExtractionRule, spec: FactSpec) -> None:
        self.rule, self.spec = rule, spec
        self.patterns = tuple(_PatternPlan(pattern, triggers)
                              for pattern, triggers in zip(rule.patterns, rule.triggers_by_pattern))
        # Cue regexes compile at their first search, which only a pattern's match calls for:
        # most rules a run selects never match.
        self.exclude = rule.exclude.search if rule.exclude is not None else None
        self.context = rule.context.search if rule.context is not None else None
        # Rules that share their context words share the answer for a sentence.
        self.context_key = rule.context.pattern if rule.context is not None else None
        self.negation = rule.negation.search if rule.negation is not None else None
        # Negation cues naming a party ("{customer}可") meet the sentence with its defined names marked.
        self.party_cues = rule.negation is not None and re.search(r"\(\?P<(?:party|customer|provider)_",
                                                                  rule.negation.pattern) is not None


class _PatternPlan:
    """One pattern of a rule: its required words at hand, its regex compiled when a clause first
    holds them all and the values the pattern needs (most patterns a rule's words select never
    get that far in a run: a small contract runs a handful of the hundred its words select)."""

    __slots__ = ("pattern", "required", "needed", "regex", "slots", "value_slots", "words_before_value",
                 "names_party", "role_groups", "value_groups", "lowered", "_any_case")

    def __init__(self, pattern, triggers: tuple[str, ...]) -> None:
        self.pattern = pattern
        # A sentence meets the pattern only where one of its trigger words was found: when those
        # are a required set of its own, the sentence is known to hold that set. (Only a test
        # before the regex: the regex has the last word.)
        selected_by = frozenset(triggers)
        # Each set of words as a tuple: holds_required tests about 360,000 words per MB of
        # contracts, and a tuple is quicker to walk than a frozenset (an eighth off that test).
        self.required = tuple(tuple(sorted(words)) for words in pattern.required if words != selected_by)
        self.needed = tuple(sorted(pattern.required_values))
        self.regex: re.Pattern | None = None

    def prepare(self) -> None:
        """Compile the pattern and note what running it needs."""
        pattern = self.pattern
        self.slots = pattern.slots
        self.value_slots = pattern.value_slots
        self.words_before_value = pattern.words_before_value
        self.names_party = any(name in ROLE_SLOTS for _, name in self.slots)
        self.role_groups = tuple((group, name) for group, name in self.slots if name in (CUSTOMER, PROVIDER))
        self.value_groups = tuple((group, name) for group, name in self.slots if name not in ROLE_SLOTS)
        self.lowered = pattern.lowered
        self._any_case: re.Pattern | None = None
        self.regex = pattern.regex

    def matches(self, slotted: SlottedClause, roles: PartyRoles):
        """The pattern's matches in the sentence (its values as sentinels), earliest first."""
        regex = self.regex
        if self.names_party:
            text = roles.marked(slotted.text)
        elif self.lowered:
            text = slotted.lowered
            if text is None:
                # A character whose lower case is longer ("İ"): the clause as written, the
                # regex ignoring case, so that positions stay the clause's own.
                text = slotted.text
                if self._any_case is None:
                    self._any_case = re.compile(regex.pattern, regex.flags | re.IGNORECASE)
                regex = self._any_case
        else:
            text = slotted.text
        if self.role_groups or self.value_groups:
            return _checked_matches(regex, self.role_groups, self.value_groups, slotted, roles, text)
        return regex.finditer(text)


class _TriggerScanner:
    """Finds the trigger keywords of one language's rules: one trie-shaped regex per language.

    Each language's rules only ever meet sentences of that language, so a hit counts only in
    a sentence of the scanner's language. Keeping the languages apart also keeps each regex
    small: with English and Chinese triggers in one alternation, the regex tries a couple of
    hundred first characters at every position of the text; apart, each scans several times
    faster.
    """

    def __init__(self, rules, language: str) -> None:
        self.language = language
        # trigger -> the patterns it selects, each as one number: rule index << 8 | pattern index
        self._rules_by_trigger: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            if rule.language == language:
                for number, triggers in enumerate(rule.triggers_by_pattern):
                    for trigger in triggers:
                        self._rules_by_trigger.setdefault(trigger, []).append(pattern_key(index, number))
        trie = trie_regex(sorted(self._rules_by_trigger))
        # Triggers are lower case: on lowered text a case-sensitive scan finds the same hits
        # about four times faster than an IGNORECASE one. That one reads only a text whose
        # lower case would move positions (a dotted capital I): compiled when one is met.
        self._lowered = compile_pattern(trie)
        self._any_case = LazyRegex(trie, re.IGNORECASE)
        self._hit_cache: dict[str, tuple[int, ...]] = {}

    def _rules_for_hit(self, hit: str) -> tuple[int, ...]:
        """Rules of every trigger the hit starts with: the trie finds the longest trigger at a
        position, and the shorter ones there ("for convenience" holds "for") count too."""
        cached = self._hit_cache.get(hit)
        if cached is None:
            words = hit.lower().translate(_BREAKS_AS_SPACES)
            found: set[int] = set()
            for end in range(1, len(words) + 1):
                found.update(self._rules_by_trigger.get(words[:end], ()))
            cached = tuple(sorted(found))
            if len(self._hit_cache) < 100_000:
                self._hit_cache[hit] = cached
        return cached

    def scan(self, text: str, lowered: bool, bounds: list[tuple[int, int]], languages: list[str],
             starts: list[int], candidates: dict[int, set[int]]) -> None:
        """Add to ``candidates`` (segment index -> rule indices) the hits in this language's
        segments (``bounds``: each segment's start and end in ``text``)."""
        language = self.language
        own = [index for index, segment_language in enumerate(languages) if segment_language == language]
        if not own or not self._rules_by_trigger:
            return
        # Only the stretch from this language's first sentence to its last can hold a hit
        # that counts: an English contract is not scanned for Chinese triggers at all.
        stop = bounds[own[-1]][1]
        search = self._lowered.search if lowered else self._any_case.compiled().search
        match = search(text, bounds[own[0]][0])
        hit_cache = self._hit_cache
        # Hits come in text order: the sentence of the last hit is looked up again only once a
        # hit lies past its end.
        end, found = -1, None
        while match is not None:
            position = match.start()
            if position >= stop:
                break
            if position >= end:
                index = bisect_right(starts, position) - 1
                end, found = bounds[index][1], None
                if position < end and languages[index] == language:
                    found = candidates.get(index)
                    if found is None:
                        candidates[index] = found = set()
            if found is not None:
                hit = match.group()
                found.update(hit_cache.get(hit) or self._rules_for_hit(hit))
            # Triggers may overlap (为准 inside 为准据法, "convenience" inside "for convenience"):
            # look again one character on, not after the hit.
            match = search(text, position + 1)


def _checked_matches(regex: re.Pattern, role_groups: tuple[tuple[str, str], ...],
                     value_groups: tuple[tuple[str, str], ...],
                     slotted: SlottedClause, roles: PartyRoles, text: str):
    """The pattern's matches in the sentence whose slots hold what they claim. A {customer} or
    {provider} slot holding a name of the other role is no match ("甲方遭受……乙方应赔偿甲方": the
    first name tried may be the wrong one), nor is a typed slot whose words before the sentinel
    are not its value's own lead words; the search then goes on one character after the
    match's start. Each start is tried once, so this stays linear like ``finditer``. ``text`` is
    the slotted sentence as the pattern reads it: lower-cased, or with the document's defined
    names marked (``PartyRoles.marked``) for a party slot."""
    position = 0
    while position <= len(text):
        match = regex.search(text, position)
        if match is None:
            return
        if all(match.group(group) is None or roles.role_of(match.group(group)) in (name, None)
               for group, name in role_groups) and \
                all(match.start(group) < 0 or slotted.value_in(*match.span(group)) is not None
                    or words_in_place(name, match.group(group)) for group, name in value_groups):
            yield match
            position = max(match.end(), match.start() + 1)
        else:
            position = match.start() + 1


# A line break inside brackets that close on the next line: "（以下简称“甲\n方”）" names 甲方.
_BRACKET_WRAP = re.compile(r"([(][^()\n]{0,40})\n[ \t]*([^()\n]{0,40}[)])")


def _join_bracket_wraps(text: str) -> str:
    """``text`` (folded: brackets are ASCII) with such line breaks removed."""
    return _BRACKET_WRAP.sub(r"\1\2", text) if "(" in text else text


def _in_place_span(slotted: SlottedClause, match: re.Match, group: str) -> tuple[int, int, int, int]:
    """The clause span of a value the pattern read in place (a number word)."""
    start, end = slotted.clause_position(match.start(group)), slotted.clause_position(match.end(group))
    return start, start, end, end


def _role_reading(name: str, roles: PartyRoles) -> SlotValue | None:
    role = roles.role_of(name)
    return SlotValue(role) if role else None


def _with_implied(facts: list[Fact], catalogue) -> list[Fact]:
    """A sentence's facts and those the catalogue says their values state as well (``implies``),
    with the same evidence, where the sentence gives none of them: a fixed cap is a cap, and a
    cap limits liability. Followed to the end of the chain; a false value implies nothing."""
    said = {fact.name for fact in facts}
    pending = list(facts)
    while pending:
        fact = pending.pop()
        spec = catalogue.get(fact.name)
        if spec is None or not spec.implies or fact.value is False:
            continue
        for name, value in spec.implies:
            if name not in said:
                said.add(name)
                implied = Fact(name, catalogue.get(name).type, value, fact.language, fact.evidence, fact.extractor)
                facts.append(implied)
                pending.append(implied)
    return facts


def _one_per_line(facts: list[Fact]) -> list[Fact]:
    """Keep the first fact of each name and value on a line: a clause that says the same thing
    twice ("不承担任何责任……亦不承担赔偿责任") is one piece of evidence, not two."""
    seen: set[tuple] = set()
    kept = []
    for fact in facts:
        key = (fact.name, fact.shown(), fact.language, fact.evidence.line)
        if key in seen:
            continue
        seen.add(key)
        kept.append(fact)
    return kept


_BEFORE_EVENT = re.compile(r"\s*(?:before|prior\s+to|in\s+advance)\b", re.IGNORECASE)
_NO_LATER_THAN = re.compile(r"^\s*(?:no|not)\s+later\s+than\b", re.IGNORECASE)
_NO_LATER_THAN_END = re.compile(r"(?:no|not)\s+later\s+than\s*$", re.IGNORECASE)


def _read_comparator(reading: SlotValue, span: str, before: str, after: str) -> SlotValue:
    """A comparator the pattern spelled before its slot ("brought within {duration}"), and
    notice read the right way round: "no later than 90 days before the end" asks for at least
    90 days of notice, not at most."""
    comparator = reading.qualifiers.get("comparator") or comparator_before(before)
    if comparator == "at_most" and _BEFORE_EVENT.match(after) and (
            _NO_LATER_THAN.match(span) or _NO_LATER_THAN_END.search(before[-30:])):
        comparator = "at_least"
    if comparator is None or comparator == reading.qualifiers.get("comparator"):
        return reading
    return SlotValue(reading.value, {**reading.qualifiers, "comparator": comparator}, reading.extra)


def _cue_between(search_cues, text: str, start: int, end: int, roles: PartyRoles) -> bool:
    """A cue in text[start:end]. A cue naming a party ("{customer}可") counts when the name
    stands for that role, or for a role the document does not tell: then the rule cannot say
    who acts and gives no fact rather than a guess."""
    position = start
    while position < end:
        # Searching up to ``end`` sees the text as if it ended there, without copying it.
        found = search_cues(text, position, end)
        if found is None:
            return False
        if all(roles.role_of(name) in (group.partition("_")[0], None)
               for group, name in found.groupdict().items() if name is not None):
            return True
        position = found.start() + 1
    return False


_ASIDES = re.compile(rf"(?=({ASIDE_BODY}))")


def _negated(search_cues, window: int, text: str, match_start: int, match_end: int, slot_spans,
             roles: PartyRoles) -> bool:
    """A negation cue (``search_cues``: the rule's compiled cues) in the ``window`` characters
    before the match, or inside the match outside its slots ("may not amend" matched by
    "may ~ amend"; but "not later than" inside a {duration} is a comparator, not a negation)."""
    # The window reaches back to the start of the match's clause at most: "we will not sell
    # your data; we keep it for 30 days" keeps its period.
    window_start = max(0, match_start - window)
    # An aside in commas ("may, in each case, withdraw") does not count against the window.
    for aside in _ASIDES.finditer(text, max(0, window_start - 64), match_start):
        start, end = aside.span(1)
        if window_start <= end <= match_start and start < window_start + (end - start):
            window_start = max(0, window_start - (end - start))
    for cut in CLAUSE_CUT.finditer(text, window_start, match_start):
        window_start = cut.end()
    if _cue_between(search_cues, text, window_start, match_start, roles):
        return True
    position = match_start
    for slot_start, slot_end in sorted(slot_spans) + [(match_end, match_end)]:
        if slot_start > position and _cue_between(search_cues, text, position, slot_start, roles):
            return True
        position = max(position, slot_end)
    return False


_EXPECTED_CLASS = {"duration": Duration, "percent": Percent, "money": Money, "jurisdiction": Jurisdiction,
                   "enum": EnumValue, "number": Decimal, "boolean": bool, "string": str}


def _type_fits(spec: FactSpec, value: Value) -> bool:
    return isinstance(value, _EXPECTED_CLASS[spec.type])


# The event a period counts from, by the words of the sentence (first match wins).
_ANCHORS = {
    "en": [(re.compile(r"non-?payment|unpaid|overdue|failure to pay|fails? to pay", re.I), "non_payment"),
           (re.compile(r"terminat|cancel|close (?:your|its|the|an) account|account closure", re.I), "termination"),
           (re.compile(r"expir|end of (?:the|this) (?:term|subscription|agreement|contract)|lapse", re.I), "expiry"),
           (re.compile(r"request", re.I), "request"),
           (re.compile(r"notice|notif", re.I), "notice")],
    "zh": [(re.compile(r"欠费|未付|逾期|未缴"), "non_payment"),
           (re.compile(r"终止|解除|注销|取消"), "termination"),
           (re.compile(r"到期|期满|届满"), "expiry"),
           (re.compile(r"申请|请求|要求"), "request"),
           (re.compile(r"通知"), "notice")],
}


def _anchor(text: str, language: str) -> str | None:
    for regex, name in _ANCHORS[language]:
        if regex.search(text):
            return name
    return None


@lru_cache(maxsize=8)
def extractor(extra_paths: tuple[str, ...] = ()) -> Extractor:
    return Extractor(rulebook(extra_paths))


def extract_facts(document: Document, extra_paths: tuple[str, ...] = ()) -> DocumentFacts:
    return extractor(extra_paths).extract(document)

"""Facts given in a file instead of extracted from a contract (``policycheck run --facts FILE``).

Two forms are read:

* ``policycheck/facts/v1`` JSON, exactly as ``policycheck facts --format json`` writes it;
* YAML mapping document names to their facts, values written as policy literals::

      vendor-terms.txt:
        arbitration_venue: CN
        data_deletion_after: [30d, 60d]        # several values (two clauses)
        support_response_time: {low: 4h, high: 48h}   # a range counts as its two ends
        governing_law: {value: CN, language: zh, place: Wuhan}

  A value is a literal, a list of values, or a mapping with ``value`` (or ``low`` and ``high``)
  and optional ``language`` (en, zh) and qualifiers (``place``, ``anchor``, ``party``,
  ``comparator``, ``body``).

Reading is strict, since a typo in a facts file would otherwise make a policy test pass for the
wrong reason: an unknown fact is an error with "did you mean", a literal of the wrong type is an
error naming the fact and both types. Errors point at the line and column in the facts file.

A given fact's evidence is the place in the facts file where its value is written (line,
column, and the literal as quoted text); its extractor is ``input``.
"""

from __future__ import annotations

import difflib
import json

import yaml

from policycheck.catalogue import Catalogue, FactSpec
from policycheck.document.model import Span
from policycheck.document.unread_language import UNREAD_SCRIPTS, UnreadText
from policycheck.errors import ConfigError
from policycheck.facts.model import DocumentFacts, Fact, UnreadClause
from policycheck.policy.types import jurisdiction_hint
from policycheck.values.literals import literal_kind, parse_literal
from policycheck.textfile import lone_surrogate, read_text_file

FACTS_SCHEMA = "policycheck/facts/v1"
GIVEN_EXTRACTOR = "input"
LANGUAGES = ("en", "zh")
UNDETERMINED_LANGUAGE = "und"
QUALIFIER_KEYS = ("place", "anchor", "party", "comparator", "body")
MAX_FACTS_BYTES = 32 * 1024 * 1024
_ARTICLE = {"duration": "a duration", "percent": "a percent", "money": "an amount of money",
            "number": "a number", "string": "a string", "jurisdiction": "a jurisdiction",
            "boolean": "a boolean", "enum": "an enum"}


class FactsFileError(ConfigError):
    """A facts file has one or more problems; ``problems`` holds each, with its position."""

    def __init__(self, problems: list[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column,
                         source_line=first.source_line, hint=first.hint)
        self.problems = problems

    def render(self) -> str:
        return "\n".join(ConfigError.render(problem) for problem in self.problems)


class _Reader:
    """Collects every problem of one facts file instead of stopping at the first."""

    def __init__(self, path: str, text: str, catalogue: Catalogue) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.catalogue = catalogue
        self.problems: list[ConfigError] = []

    def problem(self, message: str, line: int | None = None, column: int | None = None,
                hint: str | None = None) -> None:
        source = self.lines[line - 1] if line and 0 < line <= len(self.lines) else None
        self.problems.append(ConfigError(message, path=self.path, line=line, column=column,
                                         source_line=source, hint=hint))

    def spec(self, name: str, line: int | None, column: int | None) -> FactSpec | None:
        spec = self.catalogue.get(name)
        if spec is None:
            guess = self.catalogue.suggest(name)
            self.problem(f"unknown fact {name}", line, column,
                         f"did you mean {guess}?" if guess else "see `policycheck facts --list`")
        return spec

    def value(self, spec: FactSpec, text: str, line: int | None, column: int | None):
        """The typed value of literal ``text`` for fact ``spec``, or None after reporting why not."""
        try:
            return parse_literal(spec.type, text, spec.values)
        except ValueError as exc:
            expected = _ARTICLE.get(spec.type, spec.type)
            kind = literal_kind(text)
            hint = None
            if spec.type == "enum":
                guess = _closest(text, spec.values)
                hint = f"did you mean {guess}?" if guess else f"{spec.name} is one of: {', '.join(spec.values)}"
                self.problem(f"{text} is not a value of {spec.name}", line, column, hint)
            elif spec.type == "jurisdiction":
                self.problem(f"unknown jurisdiction code {text} for {spec.name}", line, column,
                             jurisdiction_hint(text))
            elif kind not in ("name", spec.type) and not (kind == "number" and spec.type == "string"):
                self.problem(f"{spec.name} is {expected}, {text} is {_ARTICLE.get(kind, kind)}", line, column)
            else:
                self.problem(f"{spec.name} is {expected}: {exc}", line, column)
            return None

    def finish(self, documents: list[DocumentFacts]) -> list[DocumentFacts]:
        if self.problems:
            raise FactsFileError(self.problems)
        return documents


def _closest(word: str, options) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return matches[0] if matches else None


# --- YAML -----------------------------------------------------------------------------------

def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar_text(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _in_facts_file(reader: _Reader) -> tuple:
    """The location of evidence written in the facts file: reports point at that file, not at a
    line of the contract the facts stand for."""
    return (("facts_file", reader.path),)


def _span(reader: _Reader, node: yaml.ScalarNode) -> Span:
    line, column = _mark(node)
    end_line, end_column = node.end_mark.line + 1, max(node.end_mark.column, 1)
    return Span(line, column, end_line, end_column, node.value, _in_facts_file(reader))


def _yaml_value(reader: _Reader, spec: FactSpec, node: yaml.Node) -> Fact | None:
    """One value node -> one Fact (a scalar, or a mapping with value/low/high and qualifiers)."""
    line, column = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        value = reader.value(spec, node.value, line, column)
        if value is None:
            return None
        return Fact(spec.name, spec.type, value, UNDETERMINED_LANGUAGE, _span(reader, node), GIVEN_EXTRACTOR)
    if not isinstance(node, yaml.MappingNode):
        reader.problem(f"{spec.name}: a value is a literal or a mapping, not a list inside a list",
                       line, column)
        return None
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _scalar_text(key_node)
        if key not in ("value", "low", "high", "language") + QUALIFIER_KEYS:
            key_line, key_column = _mark(key_node)
            reader.problem(f"{spec.name}: unknown key {key!r} in a value",
                           key_line, key_column,
                           "use value (or low and high), language, " + ", ".join(QUALIFIER_KEYS))
            return None
        if not isinstance(value_node, yaml.ScalarNode):
            reader.problem(f"{spec.name}: {key} must be a single literal", *_mark(value_node))
            return None
        fields[key] = value_node
    language = UNDETERMINED_LANGUAGE
    if "language" in fields:
        language = fields["language"].value
        if language not in LANGUAGES:
            reader.problem(f"{spec.name}: language is en or zh, not {language!r}", *_mark(fields["language"]))
            return None
    qualifiers = {key: fields[key].value for key in QUALIFIER_KEYS if key in fields}
    if ("low" in fields) != ("high" in fields) or (("low" in fields) == ("value" in fields)):
        reader.problem(f"{spec.name}: give either value, or both low and high", line, column)
        return None
    if "value" in fields:
        value = reader.value(spec, fields["value"].value, *_mark(fields["value"]))
        if value is None:
            return None
        return Fact(spec.name, spec.type, value, language, _span(reader, fields["value"]), GIVEN_EXTRACTOR, qualifiers)
    low = reader.value(spec, fields["low"].value, *_mark(fields["low"]))
    high = reader.value(spec, fields["high"].value, *_mark(fields["high"]))
    if low is None or high is None:
        return None
    qualifiers["range"] = {"low": low, "high": high}
    evidence = Span(line, column, node.end_mark.line + 1, max(node.end_mark.column, 1),
                    f"{fields['low'].value}..{fields['high'].value}", _in_facts_file(reader))
    return Fact(spec.name, spec.type, high, language, evidence, GIVEN_EXTRACTOR, qualifiers)


def document_facts_from_node(reader: _Reader, name: str, node: yaml.Node) -> DocumentFacts:
    """The facts of one document: a YAML mapping ``fact_name: value or [values]``."""
    facts: list[Fact] = []
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return DocumentFacts(name, [], [])
    if not isinstance(node, yaml.MappingNode):
        reader.problem(f"document {name}: expected a mapping of fact names to values", *_mark(node))
        return DocumentFacts(name, [], [])
    seen: set[str] = set()
    for key_node, value_node in node.value:
        fact_name = _scalar_text(key_node) or ""
        line, column = _mark(key_node)
        spec = reader.spec(fact_name, line, column)
        if spec is None:
            continue
        if fact_name in seen:
            reader.problem(f"fact {fact_name} is given twice for {name}", line, column,
                           "give several values as a list: [a, b]")
            continue
        seen.add(fact_name)
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        if not items:
            reader.problem(f"{fact_name}: an empty list gives no value (leave the fact out instead)", line, column)
        for item in items:
            fact = _yaml_value(reader, spec, item)
            if fact is not None:
                facts.append(fact)
    languages = sorted({f.language for f in facts if f.language in LANGUAGES})
    return DocumentFacts(name, languages, facts)


def _from_yaml(reader: _Reader, text: str) -> list[DocumentFacts]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reader.problem(f"not valid YAML: {exc.problem or exc.context}", line, column)
        return []
    except yaml.YAMLError as exc:
        reader.problem(f"not valid YAML: {exc}")
        return []
    except RecursionError:
        reader.problem("nests too deeply to be read")
        return []
    if root is None:
        reader.problem("is empty; expected {DOCUMENT_NAME: {fact_name: value}}")
        return []
    if not isinstance(root, yaml.MappingNode):
        reader.problem("expected a mapping {DOCUMENT_NAME: {fact_name: value or [values]}}", *_mark(root))
        return []
    documents = []
    names: set[str] = set()
    for key_node, value_node in root.value:
        name = _scalar_text(key_node)
        if not name:
            reader.problem("a document name must be a non-empty text", *_mark(key_node))
            continue
        if name in names:
            reader.problem(f"document {name} is given twice", *_mark(key_node))
            continue
        names.add(name)
        documents.append(document_facts_from_node(reader, name, value_node))
    return documents


# --- facts/v1 JSON --------------------------------------------------------------------------

def _json_span(reader: _Reader, where: str, evidence) -> Span | None:
    keys = ("line", "column", "end_line", "end_column")
    if not isinstance(evidence, dict) or not all(type(evidence.get(k)) is int for k in keys) \
            or not isinstance(evidence.get("text"), str):
        reader.problem(f"{where}: evidence needs integer line, column, end_line, end_column and a text")
        return None
    if min(evidence[k] for k in keys) < 1 or (evidence["end_line"], evidence["end_column"]) < \
            (evidence["line"], evidence["column"]):
        reader.problem(f"{where}: evidence lines and columns count from 1 and its end is not before its start "
                       f"(found {', '.join(f'{k} {evidence[k]}' for k in keys)})")
        return None
    # Where the contract's text came from is kept: the page or paragraph of an office file, or
    # the facts file an earlier --facts run read the value from.
    location = tuple((key, evidence[key]) for key in ("page", "paragraph") if isinstance(evidence.get(key), int))
    if isinstance(evidence.get("facts_file"), str):
        location += (("facts_file", evidence["facts_file"]),)
    return Span(evidence["line"], evidence["column"], evidence["end_line"], evidence["end_column"], evidence["text"],
                location)


def _json_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_fact(reader: _Reader, where: str, entry) -> Fact | None:
    if not isinstance(entry, dict):
        reader.problem(f"{where}: a fact is an object with name, type, value, language, evidence")
        return None
    name = entry.get("name")
    spec = reader.spec(str(name), None, None) if name is not None else None
    if spec is None:
        if name is None:
            reader.problem(f"{where}: a fact needs a name")
        return None
    where = f"{where} ({spec.name})"
    if entry.get("type", spec.type) != spec.type:
        reader.problem(f"{where}: type is {entry.get('type')!r}, but the catalogue says {spec.name} is "
                       f"{_ARTICLE.get(spec.type, spec.type)}")
        return None
    if "value" not in entry:
        reader.problem(f"{where}: a fact needs a value")
        return None
    value = reader.value(spec, _json_literal(entry["value"]), None, None)
    language = entry.get("language", UNDETERMINED_LANGUAGE)
    if language not in LANGUAGES + (UNDETERMINED_LANGUAGE,):
        reader.problem(f"{where}: language is en or zh, not {language!r}")
        return None
    evidence = _json_span(reader, where, entry.get("evidence"))
    qualifiers = entry.get("qualifiers") or {}
    if not isinstance(qualifiers, dict):
        reader.problem(f"{where}: qualifiers must be an object of names to values, not {type(qualifiers).__name__}")
        return None
    qualifiers = dict(qualifiers)
    odd = [key for key, item in qualifiers.items() if key != "range" and not isinstance(item, (str, int, float))]
    if odd:
        reader.problem(f"{where}: qualifier {odd[0]} must be a text or a number")
        return None
    if "range" in qualifiers:
        bounds = qualifiers["range"]
        if not isinstance(bounds, dict) or "low" not in bounds or "high" not in bounds:
            reader.problem(f"{where}: qualifier range needs low and high")
            return None
        low = reader.value(spec, _json_literal(bounds["low"]), None, None)
        high = reader.value(spec, _json_literal(bounds["high"]), None, None)
        if low is None or high is None:
            return None
        qualifiers["range"] = {"low": low, "high": high}
    if value is None or evidence is None:
        return None
    return Fact(spec.name, spec.type, value, language, evidence, str(entry.get("extractor") or GIVEN_EXTRACTOR),
                qualifiers)


def _json_unread(reader: _Reader, where: str, entry) -> UnreadClause | None:
    """An unread clause of facts/v1: {"name", "language", "evidence", "cues"}."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        reader.problem(f"{where}: an unread clause is an object with name, language, evidence")
        return None
    spec = reader.spec(entry["name"], None, None)
    if spec is None:
        return None
    language = entry.get("language", UNDETERMINED_LANGUAGE)
    if language not in LANGUAGES + (UNDETERMINED_LANGUAGE,):
        reader.problem(f"{where}: language is en or zh, not {language!r}")
        return None
    cues = entry.get("cues") or []
    if not isinstance(cues, list) or not all(isinstance(cue, str) for cue in cues):
        reader.problem(f"{where}: cues is a list of words")
        return None
    evidence = _json_span(reader, f"{where} ({spec.name})", entry.get("evidence"))
    return None if evidence is None else UnreadClause(spec.name, language, evidence, tuple(cues))


def _json_unread_text(reader: _Reader, where: str, entry) -> UnreadText | None:
    """Text in a language not read, of facts/v1: {"script", "evidence"}."""
    if not isinstance(entry, dict) or entry.get("script") not in UNREAD_SCRIPTS:
        reader.problem(f"{where}: unread text is an object with script ({' or '.join(UNREAD_SCRIPTS)}) and evidence")
        return None
    evidence = _json_span(reader, where, entry.get("evidence"))
    return None if evidence is None else UnreadText(evidence, entry["script"])


def _from_json(reader: _Reader, text: str) -> list[DocumentFacts]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reader.problem(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)
        return []
    except ValueError as exc:          # an integer of more digits than Python converts
        reader.problem(f"not usable JSON: {str(exc).split(';')[0]}")
        return []
    except RecursionError:
        reader.problem("nests too deeply to be read")
        return []
    surrogate = lone_surrogate(data)
    if surrogate is not None:
        reader.problem(f"holds a lone surrogate \\u{ord(surrogate):04x} (half of a character escape), "
                       "which is not text; write the whole character")
        return []
    if not isinstance(data, dict) or data.get("schema") != FACTS_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        reader.problem(f"expected JSON with \"schema\": \"{FACTS_SCHEMA}\""
                       + (f", found {found!r}" if found else ""),
                       hint="write it with `policycheck facts --format json`, or use the YAML form")
        return []
    documents = data.get("documents")
    if not isinstance(documents, list):
        reader.problem("\"documents\" must be a list")
        return []
    result = []
    for index, document in enumerate(documents):
        where = f"documents[{index}]"
        if not isinstance(document, dict) or not isinstance(document.get("path"), str):
            reader.problem(f"{where}: a document needs a path")
            continue
        entries = document.get("facts") or []
        if not isinstance(entries, list):
            reader.problem(f"{where}: \"facts\" must be a list")
            continue
        facts = []
        for fact_index, entry in enumerate(entries):
            fact = _json_fact(reader, f"{where}.facts[{fact_index}]", entry)
            if fact is not None:
                facts.append(fact)
        unread = []
        for clause_index, entry in enumerate(document.get("unread") or []):
            clause = _json_unread(reader, f"{where}.unread[{clause_index}]", entry)
            if clause is not None:
                unread.append(clause)
        unread_text = []
        for text_index, entry in enumerate(document.get("unread_text") or []):
            passage = _json_unread_text(reader, f"{where}.unread_text[{text_index}]", entry)
            if passage is not None:
                unread_text.append(passage)
        languages = document.get("languages")
        if not isinstance(languages, list):
            languages = sorted({f.language for f in facts if f.language in LANGUAGES})
        result.append(DocumentFacts(document["path"], [str(x) for x in languages], facts, unread=unread,
                                    unread_text=unread_text))
    return result


# --- entry points ---------------------------------------------------------------------------

def parse_given_facts(text: str, path: str, catalogue: Catalogue) -> list[DocumentFacts]:
    """Facts of every document in ``text`` (facts/v1 JSON or the YAML form); FactsFileError if bad."""
    reader = _Reader(path, text, catalogue)
    if path.endswith(".json") or _looks_like_facts_json(text):
        return reader.finish(_from_json(reader, text))
    return reader.finish(_from_yaml(reader, text))


def _looks_like_facts_json(text: str) -> bool:
    head = text.lstrip()[:200]
    return head.startswith("{") and '"schema"' in head


def facts_from_mapping_node(node: yaml.Node, name: str, path: str, text: str,
                            catalogue: Catalogue) -> DocumentFacts:
    """One document's facts from a YAML node ``{fact_name: value or [values]}`` inside a larger
    YAML file (a policy test case, say); positions in errors refer to ``path``."""
    reader = _Reader(path, text, catalogue)
    document = document_facts_from_node(reader, name, node)
    return reader.finish([document])[0]


def load_given_facts(path: str, catalogue: Catalogue) -> list[DocumentFacts]:
    """Read a facts file (facts/v1 JSON or YAML). Raises FactsFileError / ConfigError."""
    text = read_text_file(path, kind="facts", max_bytes=MAX_FACTS_BYTES, error=ConfigError)
    return parse_given_facts(text, path, catalogue)

"""Policy test files: ``<name>.tests.yaml`` next to ``<name>.policy``, read with positions.

A test file holds cases. Each case gives a contract (``text`` inline or a ``file``) or the facts
directly (``facts``, values written as policy literals, as in ``run --facts``), and what each
named rule must do with it::

    policy: china.policy            # optional; default: the .policy file with the same stem
    cases:
      - name: Chinese law, CIETAC seated in Beijing
        facts:
          governing_law: CN
          arbitration_body: CIETAC
          arbitration_venue: CN
        expect:
          china-governing-law: passes
          china-arbitration-venue: passes
      - name: foreign law
        text: |
          This Agreement is governed by the laws of the State of New York.
        extracts:                     # optional: what the text must yield, so a rule cannot
          governing_law: US-NY        # pass only because extraction found nothing
          arbitration_venue: ~        # ~: must not be found
        expect:
          china-governing-law: {fires: failed, severity: error}
          china-prevailing-language: not_applicable

Expectations: ``passes``; ``not_applicable``; ``fires`` (any status); ``fails`` (fires with
status failed); ``missing`` (fires because a required fact was not found); ``unread`` (a clause
about the rule's fact was found but its value could not be read: a require fires with status
unread, a forbid/flag could not be checked); or a mapping
``{fires: failed | missing | unread | any, severity: error | warning | info, message: "text it contains"}``.
Rules a case does not name are not checked by that case. ``extracts`` (text and file cases
only) lists facts the contract must yield: each value given must be among the values found
(compared as policies compare them, so 1mo equals 30d); ``~`` says the fact must not be found.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

import yaml

from policycheck.errors import PolicycheckError
from policycheck.config import git_root_above
from policycheck.textfile import read_text_file

TESTS_SUFFIX = ".tests.yaml"
MAX_TESTS_BYTES = 2 * 1024 * 1024
SEVERITIES = ("error", "warning", "info")
FIRE_STATUSES = ("failed", "missing", "unread", "any")
_WORDS = {
    "passes": ("passed", None),
    "passed": ("passed", None),
    "not_applicable": ("not_applicable", None),
    "not applicable": ("not_applicable", None),
    "fires": ("fires", "any"),
    "fails": ("fires", "failed"),
    "failed": ("fires", "failed"),
    "missing": ("fires", "missing"),
    # A clause about the rule's fact was found but its value could not be read: a require fires
    # with status unread, a forbid/flag cannot fire and ends unread.
    "unread": ("unread", None),
}
# The words an expectation may be, as editors offer them (the others above are synonyms).
EXPECTATION_WORDS = ("passes", "fires", "fails", "missing", "not_applicable")
_CASE_KEYS = ("name", "text", "file", "facts", "extracts", "expect")
_FILE_KEYS = ("policy", "cases")
_EXPECT_KEYS = ("fires", "severity", "message")


class TestFileError(PolicycheckError):
    """A policy test file is malformed: bad YAML, unknown keys, unknown rule ids or facts."""

    __test__ = False          # a library class, not a pytest test class


@dataclass(frozen=True)
class Position:
    path: str
    line: int
    column: int
    source_line: str | None = field(default=None, compare=False, repr=False)

    def error(self, message: str, hint: str | None = None) -> "TestFileError":
        return TestFileError(message, path=self.path, line=self.line, column=self.column,
                             source_line=self.source_line, hint=hint)


@dataclass(frozen=True)
class Expectation:
    """What one rule must do with a case: pass, be not applicable, or fire (with status/severity)."""

    rule: str
    outcome: str                     # passed | not_applicable | unread | fires
    status: str | None = None        # for fires: failed | missing | unread | any
    severity: str | None = None
    message: str | None = None
    position: Position | None = field(default=None, compare=False)

    def describe(self) -> str:
        if self.outcome == "passed":
            return "passes"
        if self.outcome == "not_applicable":
            return "not applicable"
        if self.outcome == "unread":
            return "unread (a clause on its fact could not be read)"
        details = [d for d in (None if self.status == "any" else self.status, self.severity) if d]
        text = "fires" + (f" ({', '.join(details)})" if details else "")
        if self.message:
            text += f' with a message containing "{self.message}"'
        return text


@dataclass(frozen=True)
class Extracted:
    """A fact a text or file case must yield: these values (all among those found), or none at all."""

    fact: str
    literals: tuple[str, ...]          # empty: the fact must not be found
    position: Position

    def describe(self) -> str:
        return ", ".join(self.literals) if self.literals else "not found"


@dataclass(frozen=True)
class Case:
    name: str
    position: Position
    expectations: tuple[Expectation, ...]
    text: str | None = None
    file: str | None = None            # resolved path of a contract file
    facts: yaml.Node | None = field(default=None, compare=False, repr=False)   # {fact: literal or [literals]}
    extracts: tuple[Extracted, ...] = ()


@dataclass(frozen=True)
class TestFile:
    __test__ = False

    path: str
    policy_paths: tuple[str, ...]
    cases: tuple[Case, ...]
    text: str = field(default="", compare=False, repr=False)


class _Reader:
    """Walks the composed YAML node tree of one test file, keeping positions for every error."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")

    def position(self, node: yaml.Node) -> Position:
        line = node.start_mark.line + 1
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return Position(self.path, line, node.start_mark.column + 1, source)

    def error(self, node: yaml.Node | None, message: str, hint: str | None = None) -> TestFileError:
        if node is None:
            return TestFileError(message, path=self.path, hint=hint)
        return self.position(node).error(message, hint)

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...] | None = None) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping")
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, f"keys of {what} must be plain text")
            key = key_node.value
            if allowed is not None and key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                raise self.error(key_node, f"unknown key '{key}' in {what}",
                                 f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(allowed)}")
            if key in result:
                raise self.error(key_node, f"'{key}' appears twice in {what}")
            result[key] = (key_node, value_node)
        return result

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.error(node, f"{what} must be a single value")
        return node.value

    def read(self, node: yaml.Node | None) -> TestFile:
        if node is None:
            raise self.error(None, "is empty; a test file needs 'cases:'")
        top = self.mapping(node, "a test file", _FILE_KEYS)
        if "cases" not in top:
            raise self.error(node, "has no 'cases:'")
        policy_paths = self.policy_paths(top.get("policy"))
        cases_node = top["cases"][1]
        if not isinstance(cases_node, yaml.SequenceNode) or not cases_node.value:
            raise self.error(cases_node, "'cases' must be a non-empty list")
        cases = [self.case(item) for item in cases_node.value]
        names: dict[str, Case] = {}
        for case in cases:
            if case.name in names:
                earlier = names[case.name].position
                raise case.position.error(f"case name \"{case.name}\" is used twice (also at line {earlier.line})")
            names[case.name] = case
        return TestFile(self.path, policy_paths, tuple(cases), "\n".join(self.lines))

    def policy_paths(self, entry: tuple[yaml.Node, yaml.Node] | None) -> tuple[str, ...]:
        base = os.path.dirname(self.path)
        if entry is None:
            stem = os.path.basename(self.path)[:-len(TESTS_SUFFIX)]
            return (os.path.join(base, stem + ".policy"),)
        value = entry[1]
        nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
        paths = []
        for item in nodes:
            text = self.scalar(item, "'policy'")
            if os.path.isabs(text):
                raise self.error(item, f"policy path {text} is absolute; write it relative to the test file")
            paths.append(os.path.normpath(os.path.join(base, text)))
        if not paths:
            raise self.error(value, "'policy' names no file")
        return tuple(paths)

    def case(self, node: yaml.Node) -> Case:
        fields = self.mapping(node, "a case", _CASE_KEYS)
        position = self.position(node)
        if "name" not in fields:
            raise self.error(node, "a case needs a 'name'")
        name = self.scalar(fields["name"][1], "'name'")
        sources = [key for key in ("text", "file", "facts") if key in fields]
        if len(sources) != 1:
            raise self.error(node, f"case \"{name}\" must give exactly one of 'text', 'file' or 'facts'"
                             + (f" (it gives {' and '.join(sources)})" if sources else ""))
        if "expect" not in fields:
            raise self.error(node, f"case \"{name}\" has no 'expect'")
        expectations = self.expectations(fields["expect"][1], name)
        source = sources[0]
        value_node = fields[source][1]
        extracts = ()
        if "extracts" in fields:
            if source == "facts":
                raise self.error(fields["extracts"][0], "'extracts' checks what a contract yields; "
                                 "a case with 'facts' has nothing to extract")
            extracts = self.extracts(fields["extracts"][1])
        if source == "text":
            text = self.scalar(value_node, "'text'")
            if not text.strip():
                raise self.error(value_node, "'text' is empty")
            return Case(name, position, expectations, text=text, extracts=extracts)
        if source == "file":
            return Case(name, position, expectations, file=self.contract_path(value_node), extracts=extracts)
        if not isinstance(value_node, yaml.MappingNode):
            raise self.error(value_node, "'facts' must be a mapping of fact names to values")
        return Case(name, position, expectations, facts=value_node)

    def contract_path(self, node: yaml.Node) -> str:
        text = self.scalar(node, "'file'")
        if os.path.isabs(text):
            raise self.error(node, f"contract path {text} is absolute; write it relative to the test file")
        base = os.path.dirname(self.path)
        resolved = os.path.normpath(os.path.join(base, text))
        root = _repository_root(base)
        if not _inside(resolved, root):
            raise self.error(node, f"contract path {text} leads outside {root}",
                             "a test reads contracts of its own repository (or, outside git, of its own directory)")
        return resolved

    def extracts(self, node: yaml.Node) -> tuple[Extracted, ...]:
        result = []
        for fact, (key_node, value_node) in self.mapping(node, "'extracts'").items():
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:null":
                literals: tuple[str, ...] = ()
            else:
                items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                literals = tuple(_literal_text(item, self.scalar(item, f"the value of {fact}")) for item in items)
                if not literals:
                    raise self.error(value_node, f"{fact} lists no value; write ~ to say it must not be found")
            result.append(Extracted(fact, literals, self.position(key_node)))
        return tuple(result)

    def expectations(self, node: yaml.Node, case_name: str) -> tuple[Expectation, ...]:
        entries = self.mapping(node, f"'expect' of case \"{case_name}\"")
        if not entries:
            raise self.error(node, f"case \"{case_name}\" expects nothing")
        return tuple(self.expectation(rule, key_node, value_node)
                     for rule, (key_node, value_node) in entries.items())

    def expectation(self, rule: str, key_node: yaml.Node, node: yaml.Node) -> Expectation:
        position = self.position(key_node)
        if isinstance(node, yaml.ScalarNode):
            word = node.value.strip()
            if word not in _WORDS:
                guess = difflib.get_close_matches(word, list(_WORDS), n=1, cutoff=0.5)
                raise self.error(node, f"unknown expectation '{word}' for {rule}",
                                 f"did you mean '{guess[0]}'?" if guess else
                                 "write passes, fires, fails, missing, unread, not_applicable or {fires: ..., severity: ...}")
            outcome, status = _WORDS[word]
            return Expectation(rule, outcome, status, position=position)
        fields = self.mapping(node, f"the expectation for {rule}", _EXPECT_KEYS)
        status = "any"
        if "fires" in fields:
            status = self.scalar(fields["fires"][1], "'fires'")
            if status == "true":
                status = "any"
            if status not in FIRE_STATUSES:
                raise self.error(fields["fires"][1], f"'fires' is {status}; write one of {', '.join(FIRE_STATUSES)}")
        severity = None
        if "severity" in fields:
            severity = self.scalar(fields["severity"][1], "'severity'")
            if severity not in SEVERITIES:
                raise self.error(fields["severity"][1], f"unknown severity '{severity}'",
                                 f"write one of {', '.join(SEVERITIES)}")
        message = self.scalar(fields["message"][1], "'message'") if "message" in fields else None
        return Expectation(rule, "fires", status, severity, message, position)


def _repository_root(directory: str) -> str:
    """The git work tree holding ``directory``, or the directory itself outside git."""
    start = os.path.realpath(directory or ".")
    return git_root_above(start) or start


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([os.path.realpath(path), root]) == root
    except ValueError:
        return False


def _literal_text(node: yaml.ScalarNode, text: str) -> str:
    return text.lower() if node.tag == "tag:yaml.org,2002:bool" else text


def read_test_file(path: str) -> TestFile:
    """Read and check the shape of one test file; raise TestFileError with a position."""
    return parse_test_text(read_text_file(path, kind="test", max_bytes=MAX_TESTS_BYTES, error=TestFileError),
                           path)


def parse_test_text(text: str, path: str) -> TestFile:
    """A test file from its text (``path`` places it: its policy and contract files are relative
    to it); raise TestFileError with a position."""
    reader = _Reader(path, text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is None:
            raise TestFileError(f"is not valid YAML: {problem}", path=path) from None
        line = mark.line + 1
        source = reader.lines[line - 1] if 0 < line <= len(reader.lines) else None
        raise TestFileError(f"is not valid YAML: {problem}", path=path, line=line, column=mark.column + 1,
                            source_line=source) from None
    except RecursionError:
        raise TestFileError("nests too deeply to be read", path=path) from None
    return reader.read(node)

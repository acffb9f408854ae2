"""The policies an editor has open, checked the way ``policycheck validate`` checks them.

A ``.policy`` file is checked together with the policies it belongs to, so a rule id used twice
across the workspace is reported: the config's ``policies:`` when the file is one of them, else
the workspace folder holding it, else the file alone (with its includes). Open files are read
from the editor's text, every other file from disk. Loading and checking are the loader and
checker of ``validate``; two things differ because an editor shows problems while the author
types: the checker runs even when a file does not parse (so the other files keep their
diagnostics), and a file that does not parse takes part through its last text that did (so a
half-typed line in one file does not turn the sets it defines into "unknown set" elsewhere).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from policycheck.catalogue import Catalogue, default_catalogue
from policycheck.config import Config, find_config, load_config
from policycheck.errors import PolicycheckError, PolicySyntaxError
from policycheck.facts.given import FactsFileError, facts_from_mapping_node
from policycheck.policy import ast
from policycheck.policy.checker import check_policies
from policycheck.policy.loader import POLICY_SUFFIX, load_policies, read_policy_file
from policycheck.policy.model import PolicySet
from policycheck.lsp.incremental import PieceParser
from policycheck.policytest.cases import TESTS_SUFFIX, TestFile, TestFileError, parse_test_text
from policycheck.policytest.runner import expected_values, unknown_rule_ids


def real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


@dataclass
class Checked:
    """The outcome of checking the policies one file belongs to."""

    policy_set: PolicySet
    catalogue: Catalogue
    errors: dict[str, list[PolicycheckError]] = field(default_factory=dict)   # real path -> errors
    # Every file in the check: real path -> the path as the editor or the folder walk names it
    # (a URI must be the editor's own, even where a symbolic link leads elsewhere).
    files: dict[str, str] = field(default_factory=dict)

    def file(self, path: str) -> ast.PolicyFile | None:
        wanted = real(path)
        return next((f for f in self.policy_set.files if real(f.path) == wanted), None)


class Project:
    """Workspace folders and open files; everything the server answers comes from here."""

    def __init__(self) -> None:
        self.roots: list[str] = []
        self.open: dict[str, str] = {}                          # real path -> editor text
        self.names: dict[str, str] = {}                         # real path -> the editor's path
        # Bumped by every change an editor reports: a check stays valid while it is the same,
        # so completion, hover and symbols right after a change reuse the check it made.
        self.generation = 0
        self._checked: dict[str, tuple[int, Checked]] = {}
        self._good: dict[str, ast.PolicyFile] = {}              # real path -> last text that parsed
        self._catalogues: dict[tuple[str, ...], Catalogue] = {}
        self._configs: dict[str, tuple[float, Config]] = {}

    # --- open files --------------------------------------------------------------------------
    def set_text(self, path: str, text: str) -> None:
        self.open[real(path)] = lf_lines(text)
        self.names[real(path)] = path
        self.touch()

    def close(self, path: str) -> None:
        self.open.pop(real(path), None)
        self.names.pop(real(path), None)
        self.touch()

    def touch(self) -> None:
        """Something changed (an edit, a save, a closed file): check again."""
        self.generation += 1
        self._checked.clear()

    def open_paths(self) -> list[str]:
        """The open files, as the editor names them."""
        return [self.names[key] for key in self.open]

    def text_of(self, path: str) -> str | None:
        key = real(path)
        if key in self.open:
            return self.open[key]
        try:
            with open(key, encoding="utf-8-sig") as handle:
                return lf_lines(handle.read())
        except (OSError, UnicodeDecodeError):
            return None

    # --- scope -------------------------------------------------------------------------------
    def config_for(self, path: str) -> Config | None:
        """The policycheck.yaml that applies to ``path`` (ConfigError when it is invalid)."""
        # Outside a git repository find_config looks in one directory only; an editor knows
        # the workspace folder, so the search goes up to it.
        directory = os.path.dirname(real(path))
        top = next((real(root) for root in sorted(self.roots, key=len, reverse=True)
                    if _holds(real(root), directory)), directory)
        found = find_config(directory)
        while found is None and directory != top and _holds(top, directory):
            directory = os.path.dirname(directory)
            found = find_config(directory)
        if found is None:
            return None
        stamp = os.path.getmtime(found)
        cached = self._configs.get(found)
        if cached is None or cached[0] != stamp:
            cached = self._configs[found] = (stamp, load_config(found))
        return cached[1]

    def catalogue_for(self, config: Config | None) -> Catalogue:
        extractors = tuple(config.extractors) if config else ()
        if not extractors:
            return default_catalogue()
        if extractors not in self._catalogues:
            from policycheck.facts.engine import extractor

            self._catalogues[extractors] = extractor(extractors).catalogue
        return self._catalogues[extractors]

    def scope(self, path: str) -> tuple[list[str], Catalogue, list[PolicycheckError]]:
        """The policy paths ``path`` is checked with, the catalogue, and config problems (an
        invalid config, or extractors that cannot be read: the shipped catalogue stands in)."""
        problems: list[PolicycheckError] = []
        try:
            config = self.config_for(path)
        except PolicycheckError as exc:
            config, problems = None, [exc]
        try:
            catalogue = self.catalogue_for(config)
        except PolicycheckError as exc:
            catalogue, problems = default_catalogue(), problems + [exc]
        target = real(path)
        if config is not None:
            configured = [p for p in config.all_policy_paths() if _holds(real(p), target)]
            if configured:
                return list(config.all_policy_paths()), catalogue, problems
        for root in sorted(self.roots, key=len, reverse=True):
            if _holds(real(root), target):
                return [root], catalogue, problems
        return [path], catalogue, problems

    # --- checking ----------------------------------------------------------------------------
    def _reader(self, syntax: list[PolicySyntaxError], broken: set[str]):
        """The loader's ``read_file``: open files from the editor, the rest from disk."""
        def read_file(name: str) -> ast.PolicyFile:
            key = real(name)
            if key not in self.open:
                parsed = read_policy_file(name)
                self._good[key] = parsed
                return parsed
            try:
                parsed = _parse_buffer(self.open[key], name)
            except PolicySyntaxError as exc:
                syntax.append(exc)
                broken.add(key)
                previous = self._good.get(key)
                if previous is None:
                    raise
                return ast.PolicyFile(name, previous.items, previous.source)
            self._good[key] = parsed
            return parsed
        return read_file

    def _governed_elsewhere(self, paths: list[str]):
        """For a walk of ``paths``: is a file under a config other than the one of ``paths``?
        Such a file belongs with that config's policies (its own facts, its own ids)."""
        def config_path(name: str) -> str | None:
            try:
                config = self.config_for(name)
            except PolicycheckError:
                return None
            return real(config.path) if config else None

        mine = {config_path(p if not os.path.isdir(p) else os.path.join(p, "_")) for p in paths}
        return lambda name: config_path(name) not in mine

    def load(self, paths: list[str], catalogue: Catalogue) -> tuple[PolicySet, list[PolicycheckError], set[str]]:
        """Load and check ``paths``: the policy set, every problem, and the files that do not parse."""
        syntax: list[PolicySyntaxError] = []
        broken: set[str] = set()
        policy_set, errors = load_policies(paths, self._reader(syntax, broken), self._governed_elsewhere(paths))
        # A broken file's last good text stood in for it: its problems are the syntax error
        # alone, and positions of anything else in it would point into text no longer there.
        found = list(syntax) + [e for e in errors if not any(e is s for s in syntax)]
        found += check_policies(policy_set, catalogue)
        kept = [e for e in found
                if isinstance(e, PolicySyntaxError) or not (e.path and real(e.path) in broken)]
        return policy_set, kept, broken

    def check(self, path: str) -> Checked:
        """Load and check the policies ``path`` belongs to; errors grouped by file."""
        kept = self._checked.get(real(path))
        if kept is not None and kept[0] == self.generation:
            return kept[1]
        checked = self._check(path)
        self._checked[real(path)] = (self.generation, checked)
        return checked

    def _check(self, path: str) -> Checked:
        paths, catalogue, problems = self.scope(path)
        # The file itself is named too: an editor's new file is not on disk for a folder walk.
        policy_set, errors, _broken = self.load(paths + [path], catalogue)
        checked = Checked(policy_set, catalogue)
        here = real(path)
        checked.files[here] = path
        for policy_file in policy_set.files:
            checked.files.setdefault(real(policy_file.path), self.names.get(real(policy_file.path), policy_file.path))
        for error in errors + problems:
            key = real(error.path) if error.path else here
            if key != here and not os.path.isfile(key):
                key = here          # about a folder ("holds no *.policy files"): show it here
            checked.errors.setdefault(key, []).append(error)
            checked.files.setdefault(key, self.names.get(key, error.path))
        return checked

    def tested_policy_set(self, path: str) -> tuple[PolicySet | None, Catalogue]:
        """The policies a test file tests, loaded (None when they cannot be), and the catalogue."""
        _paths, catalogue, _problems = self.scope(path)
        text = self.text_of(path) or ""
        try:
            policy_paths = list(parse_test_text(text, path).policy_paths)
        except PolicycheckError:
            policy_paths = _named_policies(path, text)
        if not all(os.path.isfile(p) or real(p) in self.open for p in policy_paths):
            return None, catalogue
        policy_set, _errors, _broken = self.load(policy_paths, catalogue)
        return policy_set, catalogue

    def check_tests(self, path: str) -> tuple[list[PolicycheckError], TestFile | None, PolicySet | None]:
        """The problems of a ``*.tests.yaml`` found without running a case: its shape and
        expectations (the reader of ``policycheck test``), its policy, rule ids the policy does
        not define, and facts and values the catalogue does not know."""
        text = self.text_of(path)
        if text is None:
            return [], None, None
        try:
            test_file = parse_test_text(text, path)
        except PolicycheckError as exc:
            return [exc], None, None
        _paths, catalogue, problems = self.scope(path)
        where = _policy_key_position(text)
        missing = [p for p in test_file.policy_paths if not (os.path.isfile(p) or real(p) in self.open)]
        if missing:
            return problems + [TestFileError(
                f"tests a policy that does not exist: {', '.join(missing)}", path=path, line=where[0],
                column=where[1], hint="name it with 'policy:' or keep <name>.policy next to <name>.tests.yaml")], \
                test_file, None
        policy_set, errors, _broken = self.load(list(test_file.policy_paths), catalogue)
        found: list[PolicycheckError] = list(problems)
        if errors:
            first = errors[0]
            found.append(TestFileError(
                f"the policy it tests has {len(errors)} problem{'s' if len(errors) != 1 else ''}; "
                f"first: {first.location()}: {first.message}", path=path, line=where[0], column=where[1]))
        else:
            found += unknown_rule_ids(test_file, policy_set)
        for case in test_file.cases:
            if case.facts is not None:
                try:
                    facts_from_mapping_node(case.facts, case.name, path, text, catalogue)
                except FactsFileError as exc:
                    found += exc.problems
            for item in case.extracts:
                try:
                    expected_values(item, catalogue)
                except PolicycheckError as exc:
                    found.append(exc)
        return found, test_file, policy_set


def _named_policies(path: str, text: str) -> list[str]:
    """The policy files a test file tests, read even while it is not valid YAML (as one is,
    half-typed): its ``policy:`` line (one path), else ``<name>.policy`` beside it."""
    base = os.path.dirname(path)
    for line in text.split("\n"):
        match = re.match(r"policy:\s*[\"']?([^\"'#\s\[\]]+)", line)
        if match:
            return [os.path.normpath(os.path.join(base, match.group(1)))]
    return [path[:-len(TESTS_SUFFIX)] + POLICY_SUFFIX]


def _policy_key_position(text: str) -> tuple[int, int]:
    """Where a test file names its policy (the ``policy:`` key), else its first line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("policy:"):
            return number, 1
    return 1, 1


def lf_lines(text: str) -> str:
    """CRLF and CR line ends as LF, as policycheck reads files; positions stay the same, since
    LSP counts each of them as one line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _holds(outer: str, inner: str) -> bool:
    if outer == inner:
        return True
    try:
        return os.path.isdir(outer) and os.path.commonpath([outer, inner]) == outer
    except ValueError:
        return False


_PIECE_PARSERS: dict[str, PieceParser] = {}


def _parse_buffer(text: str, path: str) -> ast.PolicyFile:
    """Parse an editor's text in memory (not through the on-disk AST store: every keystroke is a
    new text), re-parsing only the items an edit touched."""
    parser = _PIECE_PARSERS.get(path)
    if parser is None:
        if len(_PIECE_PARSERS) > 64:
            _PIECE_PARSERS.clear()
        parser = _PIECE_PARSERS[path] = PieceParser()
    return parser.parse(text, path)


def is_policy(path: str) -> bool:
    return path.endswith(POLICY_SUFFIX)


def is_tests(path: str) -> bool:
    return path.endswith(TESTS_SUFFIX)

"""Which contracts one run checks, and with which policies.

Everything that decides it is here, in the order a run decides it (``select`` reads top-down):

1. The policies. With ``policies:`` in the config, every path given is a contract or another
   input of the run (a pre-commit hook passes the changed files); without it, the first path
   names the policies. ``pack:NAME`` names a shipped pack.
2. The run's other inputs among the paths given: policy files, policy tests, the config, the
   waivers, the baseline, extractor files and ``.policycheckignore``. A hook passes them when
   they change; each re-checks every contract it applies to (step 5).
3. The contracts: the paths given (``-`` is standard input), or the configured ``contracts:``
   globs. A file outside the globs is skipped (named with ``-v``); a file in a format
   policycheck cannot read is an error when named, and skipped and named when a directory
   scan meets it.
4. ``--changed-since REF``: only the contracts changed since the merge base of REF and HEAD.
5. Every contract that a changed input of step 2 applies to.
6. An empty selection is an error: a ``contracts:`` glob (unless another glob over the same
   folder selects some), or a directory given, that selects no contract is exit 2 naming it
   (``--allow-empty`` for the run that means it). Files given
   that are all outside the contracts, or a change set without contracts, leave nothing to check
   and say so.
7. The policies of each contract: the base policies, then those of each override matching it.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from policycheck.config import Config
from policycheck.document import CONTRACT_SUFFIXES
from policycheck.document.discover import discover
from policycheck.workflow.ignore import IGNORE_FILE, IgnoreRules, find_ignore_rules
from policycheck.errors import ConfigError, UsageError
from policycheck.packs import resolve_policy_path
from policycheck.policy.loader import POLICY_SUFFIX, load_policies
from policycheck.policy.model import PolicySet
from policycheck.workflow.globs import any_match

STDIN = "-"
_NO_CONTRACTS = "is a directory without contracts"
TESTS_SUFFIXES = (".tests.yaml", ".tests.yml")
# Formats a contract may come in that policycheck does not read, and what to turn each into.
# Named on the command line they are an error; met in a directory they are skipped and named.
UNSUPPORTED_FORMATS = {
    ".doc": "save it as .docx (Word: File > Save As > Word Document)",
    ".odt": "save it as .docx or .pdf (LibreOffice: File > Save As)",
    ".rtf": "save it as .docx, or as plain text (.txt)",
    ".html": "save it as .pdf, or its text as .txt or .md",
    ".htm": "save it as .pdf, or its text as .txt or .md",
    ".pages": "export it as .docx or .pdf",
}


def unsupported_format(path: str) -> str | None:
    """Why ``path`` cannot be checked as it is (the end of "<path> ..."), or None."""
    suffix = os.path.splitext(path)[1].lower()
    advice = UNSUPPORTED_FORMATS.get(suffix)
    if advice is None:
        return None
    return (f"is in an unsupported format ({suffix}); convert it to {', '.join(CONTRACT_SUFFIXES)}: {advice}")


@dataclass(frozen=True)
class SelectionRequest:
    """What the command line asks for."""

    paths: tuple[str, ...] = ()
    changed_since: str | None = None
    waivers: str | None = None
    baseline: str | None = None
    facts_only: bool = False                   # --facts: the documents come from a facts file
    allow_empty: bool = False
    stdin_name: str | None = None


@dataclass(frozen=True)
class Skipped:
    path: str
    why: str


@dataclass
class Selection:
    """The contracts of one run, in order, and the policies of each."""

    config: Config | None
    base_policies: tuple[str, ...]
    contracts: list[str] = field(default_factory=list)          # in order; STDIN for standard input
    problems: dict[str, str] = field(default_factory=dict)     # path -> why it cannot be a contract
    skipped: list[Skipped] = field(default_factory=list)       # files left out, and why
    notes: list[str] = field(default_factory=list)
    complete: bool = False                                     # every configured contract is selected
    stdin_name: str = "<stdin>"
    ignore: IgnoreRules | None = None                          # the project's .policycheckignore
    _policy_sets: dict = field(default_factory=dict, repr=False)

    def policies_for(self, contract: str) -> tuple[str, ...]:
        """The base policies, then those of every override whose paths match ``contract``."""
        name = self.stdin_name if contract == STDIN else contract
        return selected_policies(self.config, self.base_policies, name)

    def all_policy_paths(self) -> tuple[str, ...]:
        return selected_policies(self.config, self.base_policies)

    def policy_set(self, paths: tuple[str, ...]) -> PolicySet:
        if paths not in self._policy_sets:
            self._policy_sets[paths] = load_policies(list(paths))[0]
        return self._policy_sets[paths]


def selected_policies(config: Config | None, base: tuple[str, ...], contract: str | None = None
                      ) -> tuple[str, ...]:
    """``base`` and then the policies of each override whose paths match ``contract`` (of every
    override when no contract is given), each path once, in order."""
    chosen = list(base)
    for override in (config.overrides if config else ()):
        if contract is None or any_match(override.paths, contract, config.root):
            chosen.extend(path for path in override.policies if path not in chosen)
    return tuple(chosen)


def is_configured_contract(config: Config | None, path: str) -> bool:
    return bool(config and config.contracts) and any_match(config.contracts, path, config.root)


def select(request: SelectionRequest, config: Config | None) -> Selection:
    """Steps 1 to 7 of the module's description."""
    selector = _Selector(request, config)
    selection = selector.selection
    if request.facts_only:
        return selection
    contracts = selector.given_or_configured_contracts()                        # step 3
    triggers = list(selector.triggers)
    if request.changed_since:                                                   # step 4
        contracts, changed = selector.changed_only(contracts)
        triggers.extend(changed)
    if triggers:                                                                # step 5
        contracts.extend(path for path in selector.universe()
                         if path not in contracts and selector.touched_by(triggers, path))
    selection.contracts = contracts
    selector.check_not_empty()                                                  # step 6
    if config and config.contracts:
        selection.complete = set(selector.universe()) <= set(contracts)
    return selection


def _real(path: str) -> str:
    return os.path.realpath(path)


def _under(path: str, directory: str) -> bool:
    real, base = _real(path), _real(directory)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _same_file(first: str, second: str) -> bool:
    return os.path.exists(first) and _real(first) == _real(second)


def _shortest(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.count(os.pardir + os.sep) > 3 else relative


def _literal_base(pattern: str) -> str:
    """The directory part of a glob before its first wildcard: the only place worth walking."""
    parts = []
    text = pattern.strip()
    text = text[2:] if text.startswith("./") else text
    for segment in text.split("/")[:-1]:
        if any(char in segment for char in "*?["):
            break
        parts.append(segment)
    return "/".join(parts) or "."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


class _Selector:
    """The state of one selection while ``select`` walks its steps."""

    def __init__(self, request: SelectionRequest, config: Config | None) -> None:
        self.request, self.config = request, config
        self.root = config.root if config else "."
        self.ignore: IgnoreRules | None = find_ignore_rules(self.root)
        self.extractor_paths = tuple(config.extractors) if config else ()
        self._universe: list[str] | None = None
        self._given: list[str] | None = None
        self.directories_given: list[str] = []

        # step 1: the policies
        configured_policies = self.configured_policies = bool(config and config.policies)
        paths = list(request.paths)
        if configured_policies:
            base, given = tuple(config.policies), paths
        elif paths:
            first = paths[0]
            if first == STDIN or (os.path.isfile(first) and not first.endswith(POLICY_SUFFIX)
                                  and first.lower().endswith(CONTRACT_SUFFIXES)):
                raise UsageError(f"{first} is a contract, but the first path names the policies (a .policy file, "
                                 "a directory of them or pack:NAME); or put 'policies:' in policycheck.yaml, after "
                                 "which every path given is a contract")
            base, given = (resolve_policy_path(first),), paths[1:]
        else:
            raise UsageError("give a policy file or directory and the contracts "
                             "(policycheck run POLICIES CONTRACTS...), or set 'policies:' and 'contracts:' "
                             "in policycheck.yaml (policycheck init writes one)")
        if request.facts_only and given:
            raise UsageError("with --facts and 'policies:' in the config, give no contracts" if configured_policies
                             else "with --facts, give exactly one policy file or directory and no contracts "
                                  "(policycheck run POLICIES --facts FILE)")
        if given.count(STDIN) > 1:
            raise UsageError("'-' (standard input) may be given once")
        self.selection = Selection(config, base, stdin_name=request.stdin_name or "<stdin>", ignore=self.ignore)

        # step 2: the other inputs of the run among the paths given
        self.triggers = [path for path in given if self._is_run_input(path)] if configured_policies else []
        self.contract_args = [path for path in given if path not in self.triggers]
        self.positional = bool(given)

    # -- step 2 ------------------------------------------------------------------------------------
    def _global_inputs(self) -> list[str]:
        """Inputs that apply to every contract: a change to one re-checks them all."""
        request, config = self.request, self.config
        found = [request.waivers, request.baseline, os.path.join(self.root, IGNORE_FILE)]
        if config:
            found += [config.path, request.waivers or config.waivers, request.baseline or config.baseline]
        return [path for path in found if path]

    def _is_run_input(self, path: str) -> bool:
        if path == STDIN:
            return False
        if path.endswith(POLICY_SUFFIX) or path.endswith(TESTS_SUFFIXES):
            return True
        if any(_same_file(item, path) for item in self._global_inputs()):
            return True
        return any(_under(path, extractor_path) for extractor_path in self.extractor_paths)

    def touched_by(self, triggers: list[str], contract: str) -> bool:
        """Whether a change to any of ``triggers`` can change what ``contract``'s check says."""
        if any(_same_file(item, trigger) or _real(item) == _real(trigger)
               for item in self._global_inputs() for trigger in triggers):
            return True
        if any(_under(trigger, path) for trigger in triggers for path in self.extractor_paths):
            return True
        paths = self.selection.policies_for(contract)
        files = {_real(f.path) for f in self.selection.policy_set(paths).files}
        return any(_real(trigger) in files or any(os.path.isdir(p) and _under(trigger, p) for p in paths)
                   for trigger in triggers)

    # -- step 3 ------------------------------------------------------------------------------------
    def _discover(self, paths: list[str], given_by_user: bool = True) -> list[str]:
        """Contract files under ``paths``; files in unsupported formats are named, not read."""
        found = []
        suffixes = CONTRACT_SUFFIXES + tuple(UNSUPPORTED_FORMATS)
        for given in paths:
            is_directory = os.path.isdir(given)
            if given_by_user and self.ignore is not None and self.ignore.ignores(given, is_directory):
                self.selection.skipped.append(Skipped(given, f"ignored by {os.path.normpath(self.ignore.path)}"))
                continue
            if is_directory and given_by_user:
                self.directories_given.append(given)
            for item in discover([given], suffixes=suffixes, ignore=self.ignore):
                unsupported = unsupported_format(item.path) if not item.problem else None
                if unsupported and is_directory:
                    self.selection.skipped.append(Skipped(item.path, unsupported))
                    continue
                problem = item.problem or unsupported
                if problem and problem.startswith(_NO_CONTRACTS):
                    # discover listed the unsupported formats too; a user needs the readable ones
                    problem = f"{_NO_CONTRACTS} ({', '.join(CONTRACT_SUFFIXES)} files)"
                if problem:
                    self.selection.problems[item.path] = problem
                found.append(item.path)
        return found

    def universe(self) -> list[str]:
        """Every configured contract (the ``contracts:`` globs), or every contract given."""
        if self._universe is None:
            config = self.config
            if config and config.contracts:
                bases = sorted({_literal_base(glob.pattern) for glob in config.contracts})
                roots = [os.path.normpath(os.path.join(self.root, base)) for base in bases]
                skipped_before = len(self.selection.skipped)
                found = self._discover([root for root in roots if os.path.isdir(root)], given_by_user=False)
                # An unsupported file outside the globs is nobody's contract: not worth a word. A
                # run on the files given (a hook's) names only what it skipped among those.
                self.selection.skipped[skipped_before:] = [
                    item for item in self.selection.skipped[skipped_before:]
                    if is_configured_contract(config, item.path) and not self.positional]
                self._universe = [_shortest(path) for path in found if is_configured_contract(config, path)]
                self._check_globs(found)
            else:
                # without globs, the contracts are those given (step 3 has found them)
                self._universe = [path for path in self.given_or_configured_contracts()
                                  if path != STDIN and path not in self.selection.problems]
        return self._universe

    def _check_globs(self, found: list[str]) -> None:
        """Step 6 for the configuration: a ``contracts:`` glob that selects no file is an error,
        unless another glob over the same folder selects some (``contracts/**/*.md`` may wait for
        the first Markdown contract beside ``contracts/**/*.txt``; ``contract/**/*.txt``, a typo
        for the folder, may not)."""
        if self.request.allow_empty:
            return
        config = self.config
        positions = config.contract_positions or ((None, None),) * len(config.contracts)
        matched_bases = {_literal_base(glob.pattern) for glob in config.contracts
                         if any(any_match((glob,), path, self.root) for path in found)}
        for glob, (line, column) in zip(config.contracts, positions):
            if _literal_base(glob.pattern) not in matched_bases:
                raise ConfigError(f"the contracts glob '{glob.pattern}' selects no contract",
                                  path=config.path, line=line, column=column, hint=self._glob_hint(glob.pattern))

    def _glob_hint(self, pattern: str) -> str:
        """The closest existing folder when the glob's folder does not exist (``contract/`` for
        ``contracts/``), else what the glob needs to match."""
        base = _literal_base(pattern)
        folder = os.path.join(self.root, base)
        if base != "." and not os.path.isdir(folder):
            parent, name = os.path.split(folder.rstrip("/"))
            try:
                siblings = [entry.name for entry in os.scandir(parent or ".") if entry.is_dir()]
            except OSError:
                siblings = []
            close = difflib.get_close_matches(name, siblings, n=1)
            if close:
                suggestion = os.path.join(os.path.dirname(base), close[0]).replace(os.sep, "/")
                return (f"its folder {base}/ does not exist; did you mean {suggestion}/? "
                        "(or pass --allow-empty to run anyway)")
            return f"its folder {base}/ does not exist (or pass --allow-empty to run anyway)"
        return (f"no {', '.join(CONTRACT_SUFFIXES)} file matches it; fix the glob, or pass --allow-empty "
                "to run anyway")

    def given_or_configured_contracts(self) -> list[str]:
        config = self.config
        if not self.positional:
            if config and config.contracts:
                return list(self.universe())
            raise UsageError("no contracts to check: name them on the command line or in 'contracts:' of "
                             f"{config.path if config else 'policycheck.yaml'}")
        if config and config.contracts:
            self.universe()               # a mistyped glob is an error in a hook's run too
        if self._given is not None:
            return list(self._given)
        contracts = []
        for given in self.contract_args:  # in the order given; standard input where it stands
            if given == STDIN:
                contracts.append(STDIN)
                continue
            if (self.configured_policies and not (config and config.contracts) and os.path.isfile(given)
                    and not given.lower().endswith(CONTRACT_SUFFIXES + tuple(UNSUPPORTED_FORMATS))):
                # a hook passes every YAML and JSON file that changed; without globs, the suffix decides
                self.selection.skipped.append(Skipped(given, "not a contract file"))
                continue
            for path in self._discover([given]):
                if (config and config.contracts and path not in self.selection.problems
                        and os.path.exists(path) and not is_configured_contract(config, path)):
                    self.selection.skipped.append(Skipped(path, f"outside the contracts of {config.path}"))
                elif path not in contracts:
                    contracts.append(path)
        self._given = contracts
        return list(contracts)

    # -- step 4 ------------------------------------------------------------------------------------
    def changed_only(self, contracts: list[str]) -> tuple[list[str], list[str]]:
        """The contracts among ``contracts`` changed since the merge base, and every changed path."""
        from policycheck.workflow import git

        root = git.repository_root(self.root)
        base = git.merge_base(self.request.changed_since, root)
        changes = git.changes_since(base, root)
        changed = {_real(os.path.join(root, c.path)) for c in changes if c.status != "D"}
        kept = [path for path in contracts if path == STDIN or _real(path) in changed]
        paths = [os.path.join(root, c.path) for c in changes]
        paths += [os.path.join(root, c.old_path) for c in changes if c.old_path != c.path]
        return kept, paths

    # -- step 6 ------------------------------------------------------------------------------------
    def check_not_empty(self) -> None:
        selection = self.selection
        for directory in self.directories_given:
            if not any(_under(path, directory) for path in selection.contracts if path != STDIN) \
                    and not any(_under(path, directory) for path in selection.problems) \
                    and not self.request.allow_empty:
                skipped = [item for item in selection.skipped if _under(item.path, directory)]
                why = (f"only {_plural(len(skipped), 'file')} policycheck cannot read or that lie outside the "
                       "contracts" if skipped else "no contract files")
                raise UsageError(f"{directory} selects no contract ({why})",
                                 hint="pass --allow-empty to run anyway" if skipped else
                                 f"contracts are {', '.join(CONTRACT_SUFFIXES)} files")
        if selection.contracts or selection.problems:
            return
        if self.request.changed_since:
            selection.notes.append(f"no contracts changed since {self.request.changed_since}")
        elif self.positional:
            selection.notes.append("nothing to check: no contract among the files given")
        else:
            selection.notes.append("no contracts to check")

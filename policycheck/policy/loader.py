"""Find, read and parse policy files; resolve includes; assign rule ids.

Directories are walked recursively for ``*.policy`` in sorted order. An include is relative to
the including file, must stay inside the policy tree (the directory given, or the directory of
a file given), and is loaded once however often it is reached; a cycle is an error.
Problems are collected, not raised one by one, so a user sees every broken file at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from policycheck.errors import PolicycheckError, PolicyCheckError, PolicyLoadError
from policycheck.policy import ast
from policycheck.policy.model import PolicySet, Rule, derived_rule_id, distinct_derived_ids
from policycheck.policy.cachedparse import parse_policy
from policycheck.textfile import read_text_file
from policycheck.walk import inside, walk_files

POLICY_SUFFIX = ".policy"
MAX_POLICY_BYTES = 2 * 1024 * 1024


@dataclass
class _LoadState:
    """What loading a set of policy files has gathered so far."""

    policy_set: PolicySet = field(default_factory=PolicySet)
    errors: list[PolicycheckError] = field(default_factory=list)
    loaded: dict[str, str] = field(default_factory=dict)     # real path -> display path
    rule_places: dict[str, Rule] = field(default_factory=dict)
    read_file: Callable[[str], ast.PolicyFile] | None = None


def _walk_policy_files(directory: str, errors: list[PolicycheckError] | None = None) -> list[str]:
    """The ``*.policy`` files under ``directory``; links that lead out of it go to ``errors``."""
    found, refused = walk_files(directory, (POLICY_SUFFIX,), PolicyLoadError)
    if errors is not None:
        errors.extend(refused)
    return found


def _read(path: str) -> str:
    return read_text_file(path, kind="policy", max_bytes=MAX_POLICY_BYTES, error=PolicyLoadError,
                          reject_binary=True)


def _load_file(state: _LoadState, path: str, root: str, stack: tuple[str, ...]) -> None:
    real = os.path.realpath(path)
    if real in stack:
        chain = " -> ".join([state.loaded.get(p, p) for p in stack[stack.index(real):]] + [path])
        state.errors.append(PolicyLoadError(f"include cycle: {chain}", path=path))
        return
    if real in state.loaded:
        return
    state.loaded[real] = path
    try:
        policy_file = (state.read_file or read_policy_file)(path)
    except PolicycheckError as exc:
        state.errors.append(exc)
        return
    text = policy_file.source
    stem = os.path.splitext(os.path.basename(path))[0]
    for item in policy_file.items:
        if isinstance(item, ast.Include):
            _load_include(state, policy_file, item, root, stack + (real,))
        elif isinstance(item, ast.LetSet):
            _add_set(state, item, path, text)
        elif isinstance(item, ast.RuleBlock):
            _add_rule(state, Rule(item.rule_id, item.statement, path, item.line, item.title, True), text)
        elif isinstance(item, ast.Statement):
            _add_rule(state, Rule(derived_rule_id(stem, item), item, path, item.line), text)
    state.policy_set.files.append(policy_file)


def _source_line(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _load_include(state: _LoadState, including: ast.PolicyFile, item: ast.Include, root: str,
                  stack: tuple[str, ...]) -> None:
    target = item.path
    if os.path.isabs(target):
        state.errors.append(PolicyLoadError(
            f"include \"{target}\" is an absolute path; includes are relative to the including file",
            path=including.path, line=item.line, column=item.column,
            source_line=_source_line(including.source, item.line)))
        return
    resolved = os.path.normpath(os.path.join(os.path.dirname(including.path), target))
    if not inside(resolved, root):
        state.errors.append(PolicyLoadError(
            f"include \"{target}\" leaves the policy directory {root}",
            path=including.path, line=item.line, column=item.column,
            source_line=_source_line(including.source, item.line)))
        return
    real = os.path.realpath(resolved)
    if real in stack:
        chain = " -> ".join([state.loaded.get(p, p) for p in stack[stack.index(real):]] + [resolved])
        state.errors.append(PolicyLoadError(
            f"include cycle: {chain}", path=including.path, line=item.line, column=item.column,
            source_line=_source_line(including.source, item.line),
            hint="a file may not include itself, directly or through other files"))
        return
    if not os.path.isfile(resolved):
        state.errors.append(PolicyLoadError(
            f"include \"{target}\" not found (looked for {resolved})",
            path=including.path, line=item.line, column=item.column,
            source_line=_source_line(including.source, item.line)))
        return
    _load_file(state, resolved, root, stack)


def _add_set(state: _LoadState, item: ast.LetSet, path: str, text: str) -> None:
    previous = state.policy_set.sets.get(item.name)
    if previous:
        earlier, earlier_path = previous
        state.errors.append(PolicyCheckError(
            f"set {item.name} is already defined at {earlier_path}:{earlier.line}",
            path=path, line=item.line, column=item.column, source_line=_source_line(text, item.line)))
        return
    state.policy_set.sets[item.name] = (item, path)


def _add_rule(state: _LoadState, rule: Rule, text: str) -> None:
    previous = state.rule_places.get(rule.id)
    if previous and not (rule.explicit_id or previous.explicit_id) and previous.path == rule.path:
        # Two different statements whose short derived ids agree: both get longer ids.
        stem = os.path.splitext(os.path.basename(rule.path))[0]
        longer = distinct_derived_ids(stem, previous.statement, rule.statement)
        if longer:
            renamed = replace(previous, id=longer[0])
            del state.rule_places[previous.id]
            state.rule_places[renamed.id] = renamed
            state.policy_set.rules[state.policy_set.rules.index(previous)] = renamed
            previous, rule = None, replace(rule, id=longer[1])
    if previous:
        what = "rule id" if rule.explicit_id else "statement (same derived id)"
        state.errors.append(PolicyCheckError(
            f"duplicate {what} {rule.id}: also defined at {previous.path}:{previous.line}",
            path=rule.path, line=rule.line, column=rule.statement.column if not rule.explicit_id else 1,
            source_line=_source_line(text, rule.line)))
        return
    state.rule_places[rule.id] = rule
    state.policy_set.rules.append(rule)


# Public names for commands that read policy files one by one (fmt).
policy_files_under = _walk_policy_files
read_policy_text = _read


def read_policy_file(path: str) -> ast.PolicyFile:
    """One policy file from disk, parsed (PolicyLoadError or PolicySyntaxError when it cannot be)."""
    return parse_policy(_read(path), path)


def load_policies(paths: list[str], read_file: Callable[[str], ast.PolicyFile] | None = None,
                  skip: Callable[[str], bool] | None = None) -> tuple[PolicySet, list[PolicycheckError]]:
    """Load every policy under ``paths`` (files or directories).

    ``read_file`` reads and parses one file (default: ``read_policy_file``); an editor passes its
    own, so the unsaved text of an open file is checked instead of what is on disk. ``skip``
    leaves files out of a directory walk (an editor: those another config governs); an include
    still loads what it names."""
    state = _LoadState(read_file=read_file)
    for given in paths:
        if os.path.isdir(given):
            files = [path for path in _walk_policy_files(given, state.errors) if not (skip and skip(path))]
            if not files and not state.errors:
                state.errors.append(PolicyLoadError("holds no *.policy files", path=given))
            for path in files:
                _load_file(state, path, given, ())
        elif os.path.lexists(given) or read_file is not None:    # an editor's file may be unsaved
            _load_file(state, given, os.path.dirname(given) or ".", ())
        else:
            state.errors.append(PolicyLoadError("no such policy file or directory", path=given))
    return state.policy_set, state.errors

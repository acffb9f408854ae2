"""The few git questions a pre-merge check asks, answered by the ``git`` command itself.

Only read-only plumbing is used (rev-parse, merge-base, diff, ls-files, show), with arguments
passed as a list (no shell), so a ref or path can never become a command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from policycheck.errors import UsageError

GIT_TIMEOUT = 120


@dataclass(frozen=True)
class Change:
    """One file that differs between the merge base and the working tree."""

    status: str            # A (added, also untracked), M (modified), D (deleted), R (renamed)
    path: str              # path now (relative to the repository root, '/'-separated)
    old_path: str          # path at the merge base (differs from ``path`` for renames)


def _git(args: list[str], cwd: str) -> str:
    executable = shutil.which("git")
    if executable is None:
        raise UsageError("git is not installed, and this option needs it")
    try:
        completed = subprocess.run([executable, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from None
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc.strerror}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(args, message[-1] if message else f"exit {completed.returncode}")
    return completed.stdout.decode("utf-8", "surrogateescape")


class GitError(UsageError):
    def __init__(self, args: list[str], message: str) -> None:
        super().__init__(f"git {' '.join(args[:2])} failed: {message}")


def repository_root(start: str = ".") -> str:
    try:
        return _git(["rev-parse", "--show-toplevel"], start).strip()
    except GitError:
        raise UsageError(f"{os.path.abspath(start)} is not inside a git repository "
                         "(--changed-since and diff --base need one)") from None


def merge_base(ref: str, root: str) -> str:
    """The commit where the current branch left ``ref``."""
    if ref.startswith("-"):
        raise UsageError(f"'{ref}' is not a git revision")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    except GitError:
        raise UsageError(f"unknown git revision '{ref}'", hint=f"fetch it first: {fetch_command(ref, root)}") from None
    try:
        return _git(["merge-base", ref, "HEAD"], root).strip()
    except GitError:
        raise UsageError(f"'{ref}' and HEAD have no common ancestor "
                         "(in CI, fetch the full history: fetch-depth: 0)") from None


def fetch_command(ref: str, root: str) -> str:
    """The command that fetches ``ref``: ``origin/main`` is branch ``main`` of remote ``origin``
    (``git fetch origin origin/main`` would ask origin for a branch named ``origin/main``)."""
    try:
        remotes = _git(["remote"], root).split()
    except UsageError:
        remotes = []
    name = ref[len("refs/remotes/"):] if ref.startswith("refs/remotes/") else ref
    remote, _, branch = name.partition("/")
    if branch and remote in remotes:
        return f"git fetch {remote} {branch}"
    return f"git fetch {remotes[0] if len(remotes) == 1 else 'origin'} {ref}"


def changes_since(base: str, root: str) -> list[Change]:
    """Files added, modified, renamed or deleted since ``base``, including uncommitted and
    untracked (not ignored) files, so the answer matches what a pull request would contain."""
    output = _git(["diff", "--name-status", "-z", "--find-renames", "--no-ext-diff", "--no-relative", base, "--"], root)
    fields = output.split("\0")
    changes: dict[str, Change] = {}
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in ("R", "C"):
            old, new = fields[index + 1], fields[index + 2]
            index += 3
            changes[new] = Change("R" if status == "R" else "A", new, old)
        else:
            path = fields[index + 1]
            index += 2
            changes[path] = Change("M" if status == "T" else status, path, path)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for path in untracked.split("\0"):
        if path and path not in changes:
            changes[path] = Change("A", path, path)
    return sorted(changes.values(), key=lambda change: change.path)


def file_at(revision: str, path: str, root: str) -> bytes:
    """The bytes of ``path`` (relative to the repository root) at ``revision``."""
    executable = shutil.which("git")
    if executable is None:
        raise UsageError("git is not installed, and this option needs it")
    completed = subprocess.run([executable, "show", f"{revision}:{path}"], cwd=root, capture_output=True,
                               timeout=GIT_TIMEOUT)
    if completed.returncode != 0:
        raise UsageError(f"{path} does not exist at {revision[:12]}")
    return completed.stdout

"""Which files are contracts: the paths given, and the contract files under given directories.

Directories are walked recursively in sorted order; hidden directories (``.git``) are skipped.
Symbolic links are followed while they stay inside the directory given (a contracts folder may
be a link); a link that leads outside it, or back to a directory already on the way down (a
loop), is reported and not followed, so a link in a pull request can neither make the check
read files elsewhere on the machine nor trap the walk. A directory that cannot be listed, a
link that points nowhere and a directory without contracts are reported too. A file reached
twice (directly and through a link) is checked once.

A ``.policycheckignore`` file (gitignore syntax) excludes paths below its directory, both in
walked directories and among files named directly (so a hook passing changed files obeys it).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Protocol

from policycheck.document.load import CONTRACT_SUFFIXES, os_problem



@dataclass(frozen=True)
class Discovered:
    """A contract found under the paths given, or a path that cannot be one (with why)."""

    path: str
    problem: str | None = None     # set when the path cannot be a contract


class Ignorer(Protocol):
    """What the walk asks of a ``.policycheckignore`` (workflow/ignore.py reads one)."""

    def ignores(self, path: str, is_dir: bool = False) -> bool: ...


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _inside(path: str, root_real: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _walk(root: str, suffixes: tuple[str, ...], add, ignore: Ignorer | None = None) -> int:
    """Depth-first, sorted, without recursion (depth is the file system's, not the stack's).

    Returns how many paths were added (contracts and problems).
    """
    root_real = os.path.realpath(root)
    added = 0
    # Each entry: (directory path, {identity: path} of the directories above it, itself included).
    pending = [(root, {_identity(root): root})]
    while pending:
        directory, ancestors = pending.pop()
        try:
            with os.scandir(directory) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            add(Discovered(directory, os_problem(exc, directory).replace("cannot be read", "cannot be listed")))
            added += 1
            continue
        subdirectories = []
        for entry in listed:
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir and entry.name.startswith("."):
                continue
            if not is_dir and not entry.name.lower().endswith(suffixes):
                continue
            if ignore is not None and ignore.ignores(entry.path, is_dir):
                continue
            if entry.is_symlink():
                if not os.path.exists(entry.path):
                    problem = "is a symbolic link loop" if _is_loop(entry.path) else "is a broken symbolic link"
                    add(Discovered(entry.path, problem))
                    added += 1
                    continue
                if not _inside(entry.path, root_real):
                    # A link in a pull request must not make the check read files elsewhere on the runner.
                    add(Discovered(entry.path, f"is a symbolic link to {os.path.realpath(entry.path)}, outside "
                                               f"{root}; not followed (name it on the command line to check it)"))
                    added += 1
                    continue
            if is_dir:
                identity = _identity(entry.path)
                if identity in ancestors:
                    add(Discovered(entry.path, f"is a symbolic link loop (it leads back to "
                                               f"{ancestors[identity]}); not followed"))
                    added += 1
                    continue
                subdirectories.append((entry.path, {**ancestors, identity: entry.path}))
            else:
                add(Discovered(entry.path))
                added += 1
        pending.extend(reversed(subdirectories))
    return added


def _is_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def discover(paths: list[str], suffixes: tuple[str, ...] = CONTRACT_SUFFIXES,
             ignore: Ignorer | None = None) -> list[Discovered]:
    found: list[Discovered] = []
    seen: set = set()

    def add(item: Discovered) -> None:
        key = _identity(item.path) if item.problem is None else None
        key = key or ("path", os.path.normpath(item.path))
        if key not in seen:
            seen.add(key)
            found.append(item)

    for given in paths:
        if ignore is not None and ignore.ignores(given, os.path.isdir(given)):
            continue
        if os.path.isdir(given):
            if not _walk(given, suffixes, add, ignore):
                add(Discovered(given, f"is a directory without contracts ({', '.join(suffixes)} files)"))
        elif os.path.lexists(given) and not os.path.exists(given):
            add(Discovered(given, "is a symbolic link loop" if _is_loop(given) else "is a broken symbolic link"))
        else:
            add(Discovered(given))   # files (and missing paths) are reported when loaded
    return found

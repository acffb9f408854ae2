"""Walking a directory for the files of one kind (``*.policy``, ``*.tests.yaml``).

A pull request controls what a repository holds, links included: a ``*.policy`` link to
``/etc/passwd`` must not make ``validate`` quote that file nor ``fmt`` rewrite it. So, as the
contract walk and ``include`` do, a link whose target lies outside the directory walked is
refused with a message naming the link, and a link that leads nowhere is reported. Directories
whose name starts with a dot are skipped, and links to directories are not followed.
"""

from __future__ import annotations

import os

from policycheck.errors import PolicycheckError


def inside(path: str, root: str) -> bool:
    """Whether ``path``, links resolved, lies in ``root`` (links resolved)."""
    real_root = os.path.realpath(root)
    try:
        return os.path.commonpath([os.path.realpath(path), real_root]) == real_root
    except ValueError:
        return False


def walk_files(directory: str, suffixes: tuple[str, ...], error: type[PolicycheckError]
               ) -> tuple[list[str], list[PolicycheckError]]:
    """The files under ``directory`` whose name ends with one of ``suffixes``, sorted, and an
    error for each link among them that leads outside ``directory`` or nowhere."""
    found: list[str] = []
    refused: list[PolicycheckError] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(suffixes):
                continue
            path = os.path.join(dirpath, name)
            problem = link_problem(path, directory)
            if problem:
                refused.append(error(problem, path=path))
            else:
                found.append(path)
    return sorted(found), refused


def link_problem(path: str, root: str) -> str | None:
    """Why the link ``path`` found under ``root`` is not followed, or None (not a link, or inside)."""
    if not os.path.islink(path):
        return None
    if not os.path.exists(path):
        return "is a broken symbolic link (or a link loop)"
    if not inside(path, root):
        return (f"is a symbolic link to {os.path.realpath(path)}, outside {root}; not followed "
                "(name the file itself on the command line to use it)")
    return None

"""Which files are contracts: the paths given, and the contract files under given directories.

Directories are walked recursively without following symbolic links to directories (so a link
loop cannot trap the walk); files ending in a contract suffix are taken in sorted order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from policycheck.document.load import CONTRACT_SUFFIXES


@dataclass(frozen=True)
class Discovered:
    path: str
    problem: str | None = None     # set when the path cannot be a contract


def discover(paths: list[str], suffixes: tuple[str, ...] = CONTRACT_SUFFIXES) -> list[Discovered]:
    found: list[Discovered] = []
    seen: set[str] = set()

    def add(item: Discovered) -> None:
        key = os.path.normpath(item.path)
        if key not in seen:
            seen.add(key)
            found.append(item)

    for given in paths:
        if os.path.isdir(given):
            for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.lower().endswith(suffixes):
                        add(Discovered(os.path.join(dirpath, name)))
        elif os.path.lexists(given) and not os.path.exists(given):
            add(Discovered(given, "is a broken symbolic link"))
        else:
            add(Discovered(given))   # files (and missing paths) are reported when loaded
    return found

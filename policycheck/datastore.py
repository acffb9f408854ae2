"""Data derived from text files, kept on disk so it is derived once per machine.

Every run reads the same shipped YAML (fact catalogue, extraction rules, place names) and the
same policy files. Parsing them, and importing PyYAML and Lark to do it, costs more than checking
a small contract, which matters for a pre-commit hook. So what a parser made of a text is kept,
the way Python keeps compiled modules in ``__pycache__``: in ``marshal`` form (plain data, never
code), under the SHA-256 of everything the result depends on. A changed input has another key;
an entry that is missing, damaged, or does not start with its own key is ignored and derived
again. The store can make a run faster, never different.

It lives in the user cache directory (``$XDG_CACHE_HOME/policycheck``), never in a directory
a repository or its configuration names, and is used only when that directory can be written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from policycheck.cachedir import private_directory

T = TypeVar("T")

_FORMAT = b"policycheck-derived-1\n"


def derived(namespace: str, sources: tuple[bytes, ...], build: Callable[[], T],
            encode: Callable[[T], object] = lambda data: data,
            decode: Callable[[object], T] = lambda data: data) -> T:
    """``build()``, or what an earlier ``build()`` for the same ``sources`` kept on disk.

    ``encode`` turns the result into plain data ``marshal`` can write (a result that cannot be
    written is simply not kept); ``decode`` turns that data back into the result.
    """
    directory = _store(namespace)
    if directory is None:
        return build()
    digest = hashlib.sha256()
    for source in sources:
        digest.update(len(source).to_bytes(8, "little"))
        digest.update(source)
    key = digest.digest()
    entry = directory / f"{key.hex()}.marshal"
    try:
        stored = entry.read_bytes()
        if stored.startswith(_FORMAT + key):
            return decode(marshal.loads(stored[len(_FORMAT) + len(key):]))
    except Exception:  # noqa: BLE001 - missing, damaged or foreign entry: derive it again
        pass
    result = build()
    _save(entry, key, encode, result)
    return result


@lru_cache(maxsize=None)
def _store(namespace: str) -> Path | None:
    return private_directory(f"{namespace}-v1", sys.implementation.cache_tag)


def _save(entry: Path, key: bytes, encode: Callable, result) -> None:
    try:
        payload = _FORMAT + key + marshal.dumps(encode(result))
    except (ValueError, TypeError):     # not plain data (a YAML date): derived each time instead
        return
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(payload)
        os.replace(temporary, entry)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass

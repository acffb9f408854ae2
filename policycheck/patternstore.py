"""Compiled regular expressions kept on disk, so a pattern is compiled once per machine.

An extraction pattern embeds its typed slots' large alternations (durations alone are several
kilobytes of regex); Python's ``re`` needs 5-20 ms to parse and compile each one, which for the
rule book is seconds per process, far more than checking a small contract. The compiled program
``re`` hands to its C engine is a list of integers: it is stored here, keyed by the SHA-256 of the
pattern text and flags, and loaded back with ``_sre.compile`` in a fraction of a millisecond.

Like Python's own ``__pycache__``, the store is an optimisation with no effect on results. It
is used when the directory ``$XDG_CACHE_HOME/policycheck/patterns-v1/<python>`` can be written
(``--no-cache`` concerns the fact cache, not this one). An entry carries its pattern and the
interpreter's regex engine version; anything that does not match, or that the engine's own
validator rejects, is ignored and the pattern is compiled as usual. Any failure falls back to
``re.compile``, so the store can only make a run faster, never different.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

from policycheck.cachedir import default_directory

try:   # the engine behind ``re``; its interface is CPython's and has been stable since 3.7
    import _sre
    try:
        from re import _compiler, _parser
    except ImportError:     # Python 3.10: the same modules under their old names
        import sre_compile as _compiler
        import sre_parse as _parser
except ImportError:  # pragma: no cover - other interpreters compile as usual
    _sre = None

_FORMAT = 1


@lru_cache(maxsize=1)
def _store() -> Path | None:
    if _sre is None or sys.implementation.name != "cpython":
        return None
    tag = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    directory = default_directory() / "patterns-v1" / tag
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return directory if os.access(directory, os.W_OK) else None


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, through the on-disk store when it is available."""
    directory = _store()
    if directory is None:
        return re.compile(pattern, flags)
    key = hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()
    entry = directory / key[:2] / f"{key[2:]}.bin"
    loaded = _load(entry, pattern, flags)
    if loaded is not None:
        return loaded
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        final_flags = flags | parsed.state.flags
        groups = parsed.state.groups - 1
        compiled = _build(pattern, final_flags, code, groups, groupindex)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - the engine's internals moved: compile the usual way
        return re.compile(pattern, flags)
    _save(entry, pattern, flags, final_flags, code, groups, groupindex)
    return compiled


def _build(pattern: str, flags: int, code: list[int], groups: int, groupindex: dict) -> re.Pattern:
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _load(entry: Path, pattern: str, flags: int) -> re.Pattern | None:
    try:
        data = entry.read_bytes()
        header_end = data.index(b"\n")
        header = json.loads(data[:header_end])
        if header["format"] != _FORMAT or header["pattern"] != pattern or header["flags"] != flags:
            return None
        code = array("I" if _sre.CODESIZE == 4 else "H")
        code.frombytes(data[header_end + 1:])
        groupindex = {str(name): int(index) for name, index in header["groupindex"].items()}
        # _sre.compile validates the program and raises on anything malformed.
        return _build(pattern, int(header["final_flags"]), code.tolist(), int(header["groups"]), groupindex)
    except Exception:  # noqa: BLE001 - missing, damaged or foreign entry: compile instead
        return None


def _save(entry: Path, pattern: str, flags: int, final_flags: int, code: list[int], groups: int,
          groupindex: dict) -> None:
    header = json.dumps({"format": _FORMAT, "pattern": pattern, "flags": flags, "final_flags": final_flags,
                         "groups": groups, "groupindex": groupindex}, ensure_ascii=True)
    try:
        program = array("I" if _sre.CODESIZE == 4 else "H", code).tobytes()
        entry.parent.mkdir(exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(header.encode("ascii") + b"\n" + program)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, OverflowError, ValueError):
        pass

"""Compiled regular expressions kept on disk, so a large regex is compiled once per machine.

The typed slots' value finders (every ISO place name, every arbitration institution, every way
of writing a duration), the trigger tries and the topic words are regexes of kilobytes; Python's
``re`` needs tens of milliseconds to parse and compile each, which a run on one small contract
would pay every time. The compiled program ``re`` hands to its C engine is a list of integers:
it is kept in the on-disk store of ``policycheck.datastore`` (keyed by the regex, its flags and
the regex engine's version) and loaded back with ``_sre.compile`` in a fraction of a
millisecond. Extraction patterns, small since their slots became sentinels, are compiled in the
process, when a clause first needs them, from their pieces (policycheck/regextree.py).

Like Python's own ``__pycache__``, the store is an optimisation with no effect on results
(``--no-cache`` concerns the fact cache, not this one). The engine's own validator checks every
program loaded back; anything it rejects, and any other failure, falls back to ``re.compile``,
so the store can only make a run faster, never different.
"""

from __future__ import annotations

import re
import sys

from policycheck.datastore import derived

try:   # the engine behind ``re``; its interface is CPython's and has been stable since 3.7
    import _sre
    try:
        from re import _compiler, _parser
    except ImportError:     # Python 3.10: the same modules under their old names
        import sre_compile as _compiler
        import sre_parse as _parser
except ImportError:  # pragma: no cover - other interpreters compile as usual
    _sre = None


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, through the on-disk store when it is available."""
    if _sre is None or sys.implementation.name != "cpython":
        return re.compile(pattern, flags)
    flags = int(flags)
    engine = f"{_sre.MAGIC} {_sre.CODESIZE}".encode()
    program = derived("regex", (engine, str(flags).encode(), pattern.encode("utf-8", "surrogatepass")),
                      lambda: _program(pattern, flags))
    if program is not None:
        try:
            return _build(pattern, *program)
        except Exception:  # noqa: BLE001 - a program the engine's validator rejects: compile anew
            pass
    return re.compile(pattern, flags)


def _program(pattern: str, flags: int) -> tuple | None:
    """(flags, code, groups, group index) as ``re.compile`` would hand them to the engine; None
    when the engine's internals are not what this module knows (then ``re.compile`` is used)."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        # Opcodes are int subclasses, which marshal does not write: plain ints are kept.
        state = parsed.state
        return int(flags | state.flags), [int(op) for op in code], state.groups - 1, dict(state.groupdict)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - the engine's internals moved: compile the usual way
        return None


def _build(pattern: str, flags: int, code: list[int], groups: int, groupindex: dict) -> re.Pattern:
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))

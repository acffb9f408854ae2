"""Compiled patterns loaded from the store behave exactly like freshly compiled ones."""

from __future__ import annotations

import marshal
import re

from policycheck import datastore, patternstore

PATTERNS = [(r"(?P<n>\d+)\s*(days?|日)", re.IGNORECASE | re.DOTALL), (r"(?:终止|解除)[^;]{0,30}?删除", re.DOTALL),
            (r"\bfoo\b|bar", 0)]


def _same(left: re.Pattern, right: re.Pattern) -> None:
    assert (left.pattern, left.flags, left.groups, left.groupindex) == \
        (right.pattern, right.flags, right.groups, right.groupindex)
    for text in ("within 30 days", "终止后三十日内删除", "foo bar", "FOOD 7 DAY", ""):
        assert [m.span() for m in left.finditer(text)] == [m.span() for m in right.finditer(text)]


def test_store_round_trip_and_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    datastore._store.cache_clear()
    try:
        for source, flags in PATTERNS:
            first = patternstore.compile_pattern(source, flags)      # compiled and stored
            again = patternstore.compile_pattern(source, flags)      # loaded from the store
            _same(first, re.compile(source, flags))
            _same(again, re.compile(source, flags))
        entries = sorted(tmp_path.rglob("*.marshal"))
        assert len(entries) == len(PATTERNS)
        header = len(datastore._FORMAT) + 32
        for index, entry in enumerate(entries):
            data = entry.read_bytes()
            flags, code, groups, groupindex = marshal.loads(data[header:])
            corrupted = marshal.dumps((flags, [0] * len(code), groups, groupindex))
            # Truncated, garbage, and a well-formed entry holding a corrupted program.
            entry.write_bytes([b"", b"\x00\xff garbage", data[:header] + corrupted][index % 3])
        for source, flags in PATTERNS:
            _same(patternstore.compile_pattern(source, flags), re.compile(source, flags))
    finally:
        datastore._store.cache_clear()


def test_unwritable_store_compiles_as_usual(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    datastore._store.cache_clear()
    try:
        _same(patternstore.compile_pattern(*PATTERNS[0]), re.compile(*PATTERNS[0]))
    finally:
        datastore._store.cache_clear()
